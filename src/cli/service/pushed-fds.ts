import { closeSync, openSync, readdirSync, readlinkSync } from "node:fs";
import { UsageError } from "../io.js";

// call --push-fd: the fds sent with a call, as varlinkctl takes them: a number is an fd the
// calling shell passed (`3<FILE`), anything else a file opened for reading.

/** The fds to send, in order, and those opened here (to close after the call). */
export interface PushedFds {
  fds: number[];
  opened: number[];
  /** What each one is, for standard error: `0: fd 3 (/tmp/notes.txt)`. */
  described: string[];
}

export function pushedFds(values: readonly string[]): PushedFds {
  const pushed: PushedFds = { fds: [], opened: [], described: [] };
  try {
    for (const value of values) {
      const number = /^\d+$/.test(value);
      const fd = number ? callersFd(Number(value)) : openForReading(value);
      if (!number) pushed.opened.push(fd);
      pushed.described.push(`${pushed.fds.length}: ${number ? `fd ${fd} (${whatIs(fd) ?? "?"})` : value}`);
      pushed.fds.push(fd);
    }
  } catch (error) {
    for (const fd of pushed.opened) closeSync(fd);
    throw error;
  }
  return pushed;
}

function openForReading(file: string): number {
  try {
    return openSync(file, "r");
  } catch (error) {
    throw new UsageError(
      `--push-fd ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
}

/**
 * `fd` if the calling shell passed it. One that is not open, or that this process opened for
 * itself, would send something the caller never meant: npx and npm scripts pass on only 0, 1
 * and 2, so `--push-fd=3` then names Node's own event loop.
 */
function callersFd(fd: number): number {
  const advice =
    "give a file instead (--push-fd FILE), or run the varlink-ts binary directly: npx and npm scripts pass no fd above 2 on";
  const target = whatIs(fd);
  if (target === undefined) throw new UsageError(`--push-fd ${fd}: fd ${fd} is not open in this command; ${advice}`);
  if (isOwn(fd, target))
    throw new UsageError(
      `--push-fd ${fd}: fd ${fd} is not one the shell passed but varlink-ts's own (${target}); ${advice}`,
    );
  return fd;
}

/**
 * Whether `fd` is one Node opened for itself: an event loop's eventpoll, eventfd, signalfd or
 * timerfd (a shell passes files, pipes and sockets), or one end of a pipe whose other end this
 * process holds too (libuv's wake-up pipes; a pipe from the shell has its other end elsewhere).
 */
function isOwn(fd: number, target: string): boolean {
  if (target.startsWith("anon_inode:")) return true;
  if (!target.startsWith("pipe:")) return false;
  return readdirSync("/proc/self/fd").some((other) => Number(other) !== fd && whatIs(Number(other)) === target);
}

/** What an fd refers to, as /proc/self/fd shows it (a path, `pipe:[…]`, `anon_inode:[eventpoll]`); undefined if it is not open. */
function whatIs(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

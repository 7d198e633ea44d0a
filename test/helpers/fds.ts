import { spawn, type ChildProcessByStdio } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, unlinkSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { VarlinkError, withFds, type ServiceInterface } from "@varlink-ts/runtime";
import type { Binding } from "../../src/unix-fds/dist/binding.js";
import { repoRoot } from "./paths.js";
import { eventually } from "./runtime.js";

// What the fd-passing tests share: counting this process's open fds, files to pass, and a
// service whose methods take, count and send fds.

/**
 * The add-on's native part itself (the one @varlink-ts/unix-fds loads), for tests that go below
 * its sockets: a listener that nobody accepts on, a read into an array that refuses its fds.
 */
export const nativeBinding = (createRequire(import.meta.url)("node-gyp-build") as (root: string) => Binding)(
  path.join(repoRoot, "src", "unix-fds"),
);

/** How many fds this process has open. */
export function openFdCount(): number {
  return readdirSync("/proc/self/fd").length;
}

/** Waits until the count of open fds is back to `before`: every fd a test made or received is closed. */
export async function noFdLeak(before: number): Promise<void> {
  await eventually(() => openFdCount() === before, `the open fds return to ${before} (now ${openFdCount()})`);
}

/** An fd of a fresh temporary file holding `text`, for reading from offset 0 (unlinked: the fd is all there is). */
export function fileWith(text: string): number {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "varlink-ts-fds-")), "file");
  const fd = openSync(file, "w+");
  writeSync(fd, text);
  unlinkSync(file);
  return fd;
}

/** What a file behind `fd` holds, read from offset 0; a pipe's, read to its end. */
export function readAll(fd: number): string {
  const buffer = Buffer.alloc(64 * 1024);
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString("utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESPIPE") throw error;
  }
  let text = "";
  for (let length = readSync(fd, buffer); length > 0; length = readSync(fd, buffer))
    text += buffer.subarray(0, length).toString("utf8");
  return text;
}

export const fdsInterfaceText = `# Methods whose parameters refer to file descriptors by index.
interface org.example.fds

# Reads the file behind the fd with index \`fd\`.
method Read(fd: int) -> (text: string)

# How many fds came with the call, and the text of each.
method Count() -> (count: int, texts: []string)

# Replies with an fd of a file holding \`text\`.
method Open(text: string) -> (fd: int)

# n replies, each with its own fd.
method Stream(n: int) -> (fd: int)

# Fails while holding the fds that came.
method Fail() -> ()

# Sends \`text\` back: messages without fds, of any size.
method Echo(text: string) -> (text: string)

# Who is calling.
method WhoAmI() -> (uid: int, gid: int, pid: int)

error Failed ()
error Unknown ()
`;

export function fdsService(): ServiceInterface {
  return {
    name: "org.example.fds",
    description: fdsInterfaceText,
    methods: {
      Read: (p: { fd: number }, context) => {
        const fd = context.fds.take(p.fd);
        try {
          return { text: readAll(fd) };
        } finally {
          closeSync(fd);
        }
      },
      Count: (_p: object, context) => {
        const texts: string[] = [];
        for (let i = 0; i < context.fds.length; i++) texts.push(readAll(context.fds.peek(i)));
        return { count: context.fds.length, texts };
      },
      Open: (p: { text: string }) => withFds({ fd: 0 }, [fileWith(p.text)]),
      Stream: async function* (p: { n: number }) {
        for (let i = 0; i < p.n; i++) yield withFds({ fd: 0 }, [fileWith(`reply ${i}`)]);
      },
      Fail: (_p: object, context) => {
        void context.fds.peek(0);
        throw new VarlinkError("org.example.fds.Failed", {});
      },
      Echo: (p: { text: string }) => ({ text: p.text }),
      WhoAmI: (_p: object, context) => {
        if (context.peer === undefined) throw new VarlinkError("org.example.fds.Unknown", {});
        return { uid: context.peer.uid, gid: context.peer.gid, pid: context.peer.pid };
      },
    },
  };
}

/**
 * test/unix-fds/limited-server.ts under `prlimit --nofile=64:64`, listening on `socketPath` with the
 * add-on: a service that runs out of fds soon. It prints "listening", then each line it logs.
 */
export function spawnLimitedServer(socketPath: string): ChildProcessByStdio<null, Readable, null> {
  const server = path.join(repoRoot, "dist", "test", "unix-fds", "limited-server.js");
  return spawn("prlimit", ["--nofile=64:64", process.execPath, server, socketPath], {
    stdio: ["ignore", "pipe", "inherit"],
  });
}

import { readFileSync, readlinkSync } from "node:fs";

/**
 * Whether a socket handed over by socket activation is listening (systemd's usual case) or
 * already connected (varlinkctl's exec: passes one end of a socketpair). Node can only find out
 * by trying, which closes the descriptor, so Linux's socket tables are read instead.
 * `undefined` when they cannot tell.
 */
export function isListeningSocket(fd: number): boolean | undefined {
  let inode: string | undefined;
  try {
    inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
  } catch {
    return undefined;
  }
  if (inode === undefined) return undefined;
  // /proc/net/unix: Num RefCount Protocol Flags Type St Inode Path; __SO_ACCEPTCON is 0x10000.
  for (const line of readTable("/proc/net/unix")) {
    const fields = line.trim().split(/\s+/);
    if (fields[6] === inode) return (parseInt(fields[3] ?? "0", 16) & 0x10000) !== 0;
  }
  // /proc/net/tcp and tcp6: state 0A is LISTEN, the inode is the tenth field.
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readTable(table)) {
      const fields = line.trim().split(/\s+/);
      if (fields[9] === inode) return fields[3] === "0A";
    }
  }
  return undefined;
}

function readTable(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n").slice(1);
  } catch {
    return [];
  }
}

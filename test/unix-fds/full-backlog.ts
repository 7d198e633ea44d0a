import { unixFds } from "@varlink-ts/unix-fds";
import { nativeBinding } from "../helpers/fds.js";
import { eventually } from "../helpers/runtime.js";

// Connects to a listener whose backlog is full, in a process of its own, since a connect that
// blocked would block the test's process too: `node full-backlog.js SOCKET`. It says, a line each,
// what happened; the test reads the lines.

const path = process.argv[2]!;
const listening = nativeBinding.listen(path, 0);
// Backlog 0 holds one connection that nobody accepts: it is full from then on.
const first = unixFds.connect(path);
let ticks = 0;
const timer = setInterval(() => ticks++, 1);
const socket = unixFds.connect(path);
console.log(`returned, connecting: ${socket.connecting}`);
await eventually(() => ticks >= 5, "timers fire while the connect waits");
console.log("timers fire while it waits");
const connected = new Promise((resolve) => socket.once("connect", resolve));
// Room in the backlog: the first connection is accepted.
const accepted = [nativeBinding.accept(listening)];
await connected;
console.log(`connected, connecting: ${socket.connecting}`);
// The connection is a real one: what it writes reaches the listener's side.
socket.write("hello\0");
accepted.push(nativeBinding.accept(listening));
const peer = unixFds.adoptConnection(accepted[1]!);
const text = await new Promise<string>((resolve) => peer.once("data", (chunk: Buffer) => resolve(chunk.toString())));
console.log(`the listener read ${JSON.stringify(text)}`);
clearInterval(timer);
for (const one of [first, socket, peer]) one.destroy();
nativeBinding.close(accepted[0]!);
nativeBinding.close(listening);

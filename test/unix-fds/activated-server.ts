import { VarlinkServer } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { fdsService } from "../helpers/fds.js";

// The fds test service, socket-activated (LISTEN_FDS) through the add-on: prints "activated"
// once it serves the sockets it was handed, or "nothing" when none were.

const server = new VarlinkServer({ fdPassing: unixFds, logger: (message) => console.log(message) });
server.addInterface(fdsService());
console.log((await server.listenActivated()) ? "activated" : "nothing");

import { VarlinkServer } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";
import { fdsService } from "../helpers/fds.js";

// The fds test service in a process of its own (started under a low RLIMIT_NOFILE by a test):
// `node limited-server.js SOCKET`. It prints "listening", then each line it logs.

const server = new VarlinkServer({ fdPassing: unixFds, logger: (message) => console.log(message) });
server.addInterface(fdsService());
await server.listen(`unix:${process.argv[2]!}`);
console.log("listening");

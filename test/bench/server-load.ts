import { VarlinkServer, type ServerInterceptor } from "@varlink-ts/runtime";
import { unixFds } from "@varlink-ts/unix-fds";

// A bare server (org.varlink.service only) for bench:rpc and bench:fds:
// `node server-load.js ADDRESS [intercepted | fds]`: with one pass-through interceptor, or on
// @varlink-ts/unix-fds's sockets (calls may then bring fds, which are closed after each call).

const [address, mode] = process.argv.slice(2);
const passThrough: ServerInterceptor = (next) => (call) => next(call);
const server = new VarlinkServer({
  product: "bench",
  ...(mode === "intercepted" ? { interceptors: [passThrough] } : {}),
  ...(mode === "fds" ? { fdPassing: unixFds } : {}),
});
await server.listen(address!);

import { VarlinkServer, type ServerInterceptor } from "@varlink-ts/runtime";

// A bare server (org.varlink.service only) for bench:rpc, with or without one pass-through
// interceptor: `node server-load.js ADDRESS [intercepted]`.

const [address, mode] = process.argv.slice(2);
const passThrough: ServerInterceptor = (next) => (call) => next(call);
const server = new VarlinkServer({ product: "bench", ...(mode === "intercepted" ? { interceptors: [passThrough] } : {}) });
await server.listen(address!);

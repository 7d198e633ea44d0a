// Serves org.example.greeter on the address given (default below), or on the socket that
// systemd passes when socket-activated.
import { VarlinkServer } from "@varlink-ts/runtime";
import { greeterService } from "./service.js";

const address = process.argv[2] ?? process.env["GREETER_ADDRESS"] ?? "unix:/tmp/org.example.greeter.sock";

const server = new VarlinkServer({
  vendor: "Example",
  product: "greeter",
  version: "1.0.0",
  url: "https://example.org/greeter",
});
server.addInterface(greeterService);
try {
  if (!(await server.listenActivated())) await server.listen(address);
} catch (error) {
  // "cannot listen on ADDRESS: why", in one line: a bad address is the user's to fix, not a crash.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
// On standard error: standard output may be a caller's (exec: addresses hand it to the client's
// terminal). A connection handed over by socket activation has no address of its own.
console.error(
  `serving org.example.greeter on ${server.addresses.join(", ") || "the connection socket activation passed (fd 3)"}`,
);

// On SIGINT or SIGTERM: stop taking connections, tell running handlers to stop (open streams end
// with org.varlinkts.ShuttingDown), answer what was received, and cut what is left after 5 s.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void server.close({ timeout: 5000 }).then(() => process.exit(0)));
}

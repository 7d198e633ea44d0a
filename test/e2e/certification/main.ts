import { VarlinkServer } from "@varlink-ts/runtime";
import { runCertificationClient } from "./client.js";
import { certificationService } from "./service.js";

// npm run certify -- server ADDRESS | client ADDRESS

async function main(): Promise<number> {
  const [role, address] = process.argv.slice(2);
  if ((role !== "server" && role !== "client") || address === undefined) {
    process.stderr.write("usage: npm run certify -- server ADDRESS | client ADDRESS\n");
    return 2;
  }
  if (role === "client") {
    const results = await runCertificationClient(address);
    for (const r of results)
      process.stdout.write(`${r.ok ? "ok  " : "FAIL"} ${r.step}${r.detail ? `: ${r.detail}` : ""}\n`);
    const passed = results.length === 13 && results.every((r) => r.ok);
    process.stdout.write(passed ? "certification passed\n" : "certification FAILED\n");
    return passed ? 0 : 1;
  }
  const { implementation, finished } = certificationService();
  const server = new VarlinkServer({
    vendor: "varlink-ts",
    product: "certification",
    version: "1",
    url: "https://varlink.org",
  });
  server.addInterface(implementation);
  const activated = await server.listenActivated();
  if (!activated) await server.listen(address);
  process.stdout.write(
    activated ? "serving the socket handed over by socket activation\n" : `listening on ${address}\n`,
  );
  let lastReported = 0;
  setInterval(() => {
    for (const run of finished.slice(lastReported))
      process.stdout.write(`client ${run.id}: ${run.allOk ? "passed" : "FAILED"}\n`);
    lastReported = finished.length;
  }, 200).unref();
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close({ timeout: 2000 });
  return 0;
}

process.exitCode = await main();

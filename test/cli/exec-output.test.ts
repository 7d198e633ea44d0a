import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test, type TestContext } from "node:test";
import { binPath, cliProcess } from "../helpers/cli.js";

// An exec: service's own output is not the caller's: standard output carries the JSON alone
// (`| jq` works), the service's words go to standard error. Here the service is `serve` under
// socket activation, behind a script that first says something on its standard output.

function noisyService(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-exec-output-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = path.join(dir, "noisy-service");
  writeFileSync(
    script,
    `#!/bin/sh\necho "noise on standard output"\nexec ${process.execPath} ${binPath} serve org.example.pipe.Open cat\n`,
  );
  chmodSync(script, 0o755);
  return `exec:${script}`;
}

test("an exec: service's standard output goes to standard error: the reply alone is on standard output", async (t) => {
  const run = await cliProcess([
    "call",
    "--json",
    "short",
    noisyService(t),
    "org.varlink.service.GetInterfaceDescription",
    '{"interface": "org.example.pipe"}',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(JSON.parse(run.stdout).description as string, /^interface org\.example\.pipe\n/);
  assert.match(run.stderr, /^noise on standard output$/m);
});

test("serve, handed a connection by socket activation, names it in its banner", async (t) => {
  const run = await cliProcess(["call", noisyService(t), "org.varlink.service.GetInfo"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /^varlink-ts serve: org\.example\.pipe\.Open on the connection socket activation passed \(fd 3\) runs cat$/m,
  );
});

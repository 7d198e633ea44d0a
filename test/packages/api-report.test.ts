import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { Extractor, ExtractorConfig, ExtractorLogLevel, type IConfigFile } from "@microsoft/api-extractor";
import { repoRoot, updateGolden } from "../helpers/paths.js";

// Both packages' public API, every entry point, as api-extractor reports it: committed in
// test/api/, so that an API change is a visible diff in review. UPDATE_GOLDEN=1 rewrites them.

const reportFolder = path.join(repoRoot, "test", "api");

const entries: Array<{ report: string; project: string; declarations: string }> = [
  { report: "runtime.api.md", project: "src/runtime", declarations: "dist/index.d.ts" },
  { report: "runtime-browser.api.md", project: "src/runtime", declarations: "dist/browser.d.ts" },
  { report: "runtime-codegen.api.md", project: "src/runtime", declarations: "dist/codegen.d.ts" },
  { report: "runtime-model.api.md", project: "src/runtime", declarations: "dist/model.d.ts" },
  { report: "runtime-wire.api.md", project: "src/runtime", declarations: "dist/wire.d.ts" },
  { report: "unix-fds.api.md", project: "src/unix-fds", declarations: "dist/index.d.ts" },
  { report: "varlink-ts-idl.api.md", project: ".", declarations: "dist/src/idl/index.d.ts" },
  { report: "varlink-ts-codegen.api.md", project: ".", declarations: "dist/src/codegen/index.d.ts" },
  { report: "varlink-ts-openapi.api.md", project: ".", declarations: "dist/src/openapi/index.d.ts" },
];

const quiet = { logLevel: ExtractorLogLevel.None, addToApiReportFile: false };

for (const entry of entries) {
  test(`the API of ${entry.report.replace(/\.api\.md$/, "")} is the committed report`, () => {
    const projectFolder = path.join(repoRoot, entry.project);
    const configObject: IConfigFile = {
      projectFolder,
      mainEntryPointFilePath: path.join(projectFolder, entry.declarations),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            strict: true,
            module: "NodeNext",
            moduleResolution: "NodeNext",
            target: "ES2022",
            types: ["node"],
            skipLibCheck: true,
          },
        },
      },
      apiReport: {
        enabled: true,
        reportFolder,
        reportTempFolder: path.join(repoRoot, "dist", "api-report"),
        reportFileName: entry.report,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: quiet },
        extractorMessageReporting: { default: quiet },
        tsdocMessageReporting: { default: quiet },
      },
    };
    const config = ExtractorConfig.prepare({
      configObject,
      configObjectFullPath: undefined,
      packageJsonFullPath: path.join(projectFolder, "package.json"),
    });
    const result = Extractor.invoke(config, {
      localBuild: updateGolden,
      messageCallback: (message) => void (message.handled = true),
    });
    const written = readFileSync(path.join(repoRoot, "dist", "api-report", entry.report), "utf8");
    assert.ok(
      result.succeeded || updateGolden,
      `the API changed: compare test/api/${entry.report} with dist/api-report/${entry.report}, and run UPDATE_GOLDEN=1 npm test if the change is meant`,
    );
    assert.equal(readFileSync(path.join(reportFolder, entry.report), "utf8"), written);
  });
}

// Builds the add-on from source with node-gyp, against the headers of the Node that runs this
// (<prefix>/include/node, prefix two levels above the node binary) when they are there: node-gyp
// would otherwise download them, which a machine without network access cannot.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const prefix = path.resolve(path.dirname(process.execPath), "..");
const headers = existsSync(path.join(prefix, "include", "node", "node_api.h"));
const bundled = path.join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
const nodeGyp = process.env.npm_config_node_gyp ?? (existsSync(bundled) ? bundled : undefined);
const args = ["rebuild", ...(headers ? [`--nodedir=${prefix}`] : [])];
// node-gyp works in the package's folder, wherever this is run from.
const options = { stdio: "inherit", cwd: path.dirname(fileURLToPath(import.meta.url)) };
const result =
  nodeGyp === undefined
    ? spawnSync("node-gyp", args, options)
    : spawnSync(process.execPath, [nodeGyp, ...args], options);
if (result.error !== undefined) console.error(`@varlink-ts/unix-fds: cannot run node-gyp: ${result.error.message}`);
process.exit(result.status ?? 1);

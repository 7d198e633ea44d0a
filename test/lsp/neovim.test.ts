import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { test } from "node:test";
import { binPath } from "../helpers/cli.js";
import { docSnippet } from "../helpers/docs.js";
import { requirePeer } from "../helpers/peers.js";

// Neovim's own LSP client (Debian's 0.7, vim.lsp.start_client) starting `varlink-ts lsp`, as a
// user's config would: it opens a file, waits for diagnostics, asks for a hover, formats.

const script = `
local file, out, node, bin = os.getenv("VARLINK_FILE"), os.getenv("VARLINK_OUT"), os.getenv("VARLINK_NODE"), os.getenv("VARLINK_BIN")
vim.cmd("edit " .. file)
local buffer = vim.api.nvim_get_current_buf()
local published = false
local id = vim.lsp.start_client({
  name = "varlink-ts",
  cmd = { node, bin, "lsp", "--stdio" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
  handlers = {
    ["textDocument/publishDiagnostics"] = function(err, params, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
      published = true
    end,
  },
})
vim.lsp.buf_attach_client(buffer, id)
local result = {}
result.published = vim.wait(10000, function() return published end, 20)
result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buffer)) do table.insert(result.diagnostics, { line = d.lnum, col = d.col, message = d.message, code = d.code }) end
local client = vim.lsp.get_client_by_id(id)
local hover = client.request_sync("textDocument/hover", { textDocument = { uri = vim.uri_from_bufnr(buffer) }, position = { line = 4, character = 18 } }, 5000, buffer)
result.hover = hover and hover.result and hover.result.contents.value or vim.NIL
local formatting = client.request_sync("textDocument/formatting", { textDocument = { uri = vim.uri_from_bufnr(buffer) }, options = { tabSize = 2, insertSpaces = true } }, 5000, buffer)
if formatting and formatting.result then vim.lsp.util.apply_text_edits(formatting.result, buffer, "utf-16") end
result.formatted = table.concat(vim.api.nvim_buf_get_lines(buffer, 0, -1, false), "\\n")
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd("qa!")
`;

interface NeovimResult {
  published: boolean;
  diagnostics: Array<{ line: number; col: number; message: string; code: string }>;
  hover: string | null;
  formatted: string;
}

async function runNeovim(text: string): Promise<NeovimResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-nvim-"));
  const file = path.join(dir, "org.example.ship.varlink");
  const out = path.join(dir, "result.json");
  writeFileSync(file, text);
  writeFileSync(path.join(dir, "test.lua"), script);
  await promisify(execFile)(
    "nvim",
    ["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", `luafile ${path.join(dir, "test.lua")}`],
    {
      env: {
        ...process.env,
        VARLINK_FILE: file,
        VARLINK_OUT: out,
        VARLINK_NODE: process.execPath,
        VARLINK_BIN: binPath,
        HOME: dir,
        XDG_STATE_HOME: dir,
        XDG_DATA_HOME: dir,
      },
      timeout: 30_000,
    },
  );
  return JSON.parse(readFileSync(out, "utf8")) as NeovimResult;
}

const text = `interface org.example.ship

# A point in the galaxy.
type Coordinate (x: float, y: float)
method Jump(to: Coordinate, via:Beacon) -> ()
`;

test("Neovim's LSP client gets diagnostics, hovers and formats through varlink-ts lsp", async (t) => {
  if (!requirePeer(t, "nvim", "neovim")) return;
  const result = await runNeovim(text);
  assert.equal(result.published, true, "diagnostics arrived");
  assert.deepEqual(
    result.diagnostics.map((d) => [d.line, d.code]),
    [[4, "undefined-type"]],
  );
  assert.match(result.diagnostics[0]!.message, /unknown type 'Beacon'/);
  assert.match(result.hover ?? "", /A point in the galaxy\./);
  assert.equal(result.formatted, text.trimEnd(), "a file with errors is not reformatted");
});

test("Neovim applies varlink-ts's formatting to a clean file", async (t) => {
  if (!requirePeer(t, "nvim", "neovim")) return;
  const clean =
    "interface org.example.ship\n\n# A point in the galaxy.\ntype Coordinate (x: float, y: float)\nmethod Jump(to:Coordinate)->()\n";
  const result = await runNeovim(clean);
  assert.deepEqual(result.diagnostics, []);
  assert.equal(
    result.formatted,
    "interface org.example.ship\n\n# A point in the galaxy.\ntype Coordinate (x: float, y: float)\n\nmethod Jump(to: Coordinate) -> ()",
  );
});

test("docs/editors.md's Neovim configuration starts varlink-ts lsp for a .varlink file", async (t) => {
  if (!requirePeer(t, "nvim", "neovim")) return;
  const dir = mkdtempSync(path.join(tmpdir(), "varlink-ts-nvim-readme-"));
  const file = path.join(dir, "org.example.ship.varlink");
  const out = path.join(dir, "result.json");
  writeFileSync(file, text);
  writeFileSync(
    path.join(dir, "init.lua"),
    docSnippet("neovim").replace(
      '"npx", "varlink-ts"',
      `${JSON.stringify(process.execPath)}, ${JSON.stringify(binPath)}`,
    ),
  );
  // Opens the file as a user would, and reports what the configuration gave it.
  const probe = `
vim.cmd("edit " .. os.getenv("VARLINK_FILE"))
local arrived = vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 20)
local codes = {}
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(codes, d.code) end
vim.fn.writefile({ vim.fn.json_encode({ filetype = vim.bo.filetype, arrived = arrived, codes = codes }) }, os.getenv("VARLINK_OUT"))
vim.cmd("qa!")
`;
  writeFileSync(path.join(dir, "probe.lua"), probe);
  await promisify(execFile)(
    "nvim",
    [
      "--headless",
      "-u",
      path.join(dir, "init.lua"),
      "-i",
      "NONE",
      "-n",
      "-c",
      `luafile ${path.join(dir, "probe.lua")}`,
    ],
    {
      env: {
        ...process.env,
        VARLINK_FILE: file,
        VARLINK_OUT: out,
        HOME: dir,
        XDG_STATE_HOME: dir,
        XDG_DATA_HOME: dir,
        XDG_CONFIG_HOME: dir,
      },
      timeout: 30_000,
    },
  );
  assert.deepEqual(JSON.parse(readFileSync(out, "utf8")), {
    filetype: "varlink",
    arrived: true,
    codes: ["undefined-type"],
  });
});

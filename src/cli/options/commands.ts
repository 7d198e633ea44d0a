import type { GenerateOptions } from "../../codegen/options.js";
import { sharedOptions as shared } from "./shared.js";
import {
  choice,
  choiceWithDefault,
  configurable,
  count,
  described,
  flag,
  positional,
  repeatable,
  text,
  tristate,
  type OptionTable,
} from "./table.js";

// Every command's options, one table each (see table.ts): main.ts and service-verbs.ts build the
// commands from them, generate's configuration file is checked against its table, completion
// finds the positionals that name what a service lists here.

/** How generated code represents `int`, as codegen takes it. */
export const integerModes = ["number", "bigint"] as const satisfies ReadonlyArray<GenerateOptions["integers"]>;
/** Spellings of --import-extension; "none" is codegen's "". */
export const importExtensions = [".js", ".ts", "none"] as const;

const inputs = repeatable("FILE, DIR or GLOB");
const addressHelp =
  "unix:PATH, unix:@NAME, tcp:HOST:PORT, exec:PROGRAM, /path or ./path, ssh-exec:HOST:COMMAND, ssh-unix:HOST:PATH, or an http(s)/ws(s) bridge URL";
const address = positional(text(addressHelp));
const method = positional(text("INTERFACE.Method"), { completes: "methods" });

/** --bridge, --timeout, --json and -j: how a verb reaches its service and prints what it says. */
export const sessionOptions = {
  bridge: shared.bridge,
  timeout: described(
    shared.timeout,
    "Seconds to wait for a reply, or 'infinity' (default 45; --more streams: infinity)",
  ),
  json: shared.json,
  j: shared.j,
} satisfies OptionTable;

const interfacesVerb = {
  address,
  interfaces: positional(repeatable("INTERFACE names (default: all the service lists)"), {
    array: true,
    completes: "interfaces",
  }),
  ...sessionOptions,
  interfaceFile: shared.interfaceFile,
} satisfies OptionTable;

export const optionTables = {
  check: {
    inputs: positional(inputs, { array: true, demandOption: true }),
    lint: shared.lint,
    format: choiceWithDefault(["text", "json"] as const, "Output format", "text"),
  },
  generate: {
    inputs: configurable(positional(inputs, { array: true })),
    out: configurable(described(shared.out, "Output folder (or 'out' in the config file)")),
    check: described(shared.check, "Write nothing; exit 1 listing stale, missing and extra files"),
    staged: flag("With --check: judge what git's index holds (what is being committed), not the working tree"),
    watch: flag("Regenerate whenever an input changes"),
    config: text('Configuration file (default: varlink-ts.config.json, or package.json "varlink-ts")'),
    runtimeImport: configurable(
      text("Module the generated code imports the runtime from (default @varlink-ts/runtime)"),
    ),
    importExtension: configurable(
      choice(importExtensions, "Extension of sibling imports in index.ts (default .js, for NodeNext)", {
        value: (chosen): NonNullable<GenerateOptions["importExtension"]> => (chosen === "none" ? "" : chosen),
      }),
    ),
    integers: configurable(
      choice(integerModes, "How int is represented: number (default; beyond 2^53 is an error) or bigint (exact)"),
    ),
    index: configurable(tristate("Write index.ts re-exporting every interface (default true; --no-index)")),
    from: text("Generate from a running service's introspection instead of files (an ADDRESS)"),
    interface: repeatable("With --from: only these interfaces (default: all but org.varlink.service)", {
      greedy: true,
    }),
    cache: configurable(
      tristate(
        "Reuse files generated before from the same input and generator (default true; --no-cache). Kept in node_modules/.cache/varlink-ts or $VARLINK_TS_CACHE_DIR",
      ),
    ),
  },
  derive: {
    inputs: positional(repeatable("TypeScript files"), { array: true, demandOption: true }),
    out: described(shared.out, "Folder for the .varlink files, named after their interfaces", { default: "." }),
    check: described(shared.check, "Write nothing; exit 1 listing stale and missing files"),
    strictNumbers: flag("A bare number is an error instead of a float with a warning"),
  },
  openapi: {
    inputs: positional(inputs, { array: true, demandOption: true }),
    service: text("The bridge's name for the service: paths become /call/SERVICE/METHOD"),
    server: text("The bridge's URL, as the document's server (e.g. http://127.0.0.1:8080/varlink)"),
    out: described(shared.out, "Write the document to this file instead of standard output"),
  },
  "bridge http": {
    listen: text("HOST:PORT to listen on (loopback unless --allow-remote)", { default: "127.0.0.1:8080" }),
    service: shared.service,
    base: text("Path prefix of every route, e.g. /varlink", { default: "" }),
    tokenFile: text("File holding the bearer token every request must carry (or $VARLINK_TS_BRIDGE_TOKEN)"),
    maxBody: count("Largest request body in bytes", 1024 * 1024),
    allowRemote: flag("Allow listening on a non-loopback address (name its hosts with --allow-host)"),
    allowHost: repeatable(
      "A host name requests may use besides localhost, 127.0.0.1 and [::1] (repeatable); others are refused against DNS rebinding",
      { greedy: true },
    ),
    allowOrigin: repeatable("Web origins whose pages may call the bridge (CORS) and open its WebSocket route", {
      greedy: true,
    }),
    timeout: described(shared.timeout, "Seconds a simple-mode call may take, or 'infinity' (the default)"),
    headerTimeout: count("Seconds a client has to send a request's headers (then 408)", 10),
    bodyTimeout: count("Seconds a client has to send a whole request, headers and body (then 408)", 30),
    tlsCert: text("Serve HTTPS and WSS with this certificate (PEM, with its chain)"),
    tlsKey: text("The private key of --tls-cert (PEM)"),
    clientCa: text("Require client certificates signed by this CA (PEM): mutual TLS"),
    insecure: flag("Allow listening beyond loopback with neither a token nor client certificates"),
    ui: flag("Serve the explorer at the base path: browse the services, fill in calls, see replies stream"),
    interfaceFile: described(
      shared.interfaceFile,
      "FILE, or SERVICE=FILE: the description of an interface of a service that cannot describe itself (repeatable); SERVICE= may be left out when one service is bridged",
    ),
  },
  "bridge stdio": {
    service: described(shared.service, "NAME=ADDRESS; NAME may be an interface, else the service's GetInfo tells"),
    resolver: text("ADDRESS of an org.varlink.resolver for other interfaces"),
  },
  lsp: {
    stdio: flag("Speak LSP on stdin/stdout (the only transport; accepted for editors that pass it)", { default: true }),
    lint: described(
      shared.lint,
      "Also report the portability warnings (editors can change it: the 'varlink-ts.lint' setting)",
    ),
    clientProcessId: count("The editor's process (editors pass it; unused)", undefined, { hidden: true }),
  },
  init: {
    dir: positional(text("Folder to create the project in"), { demandOption: true }),
    force: flag("Write into a folder that is not empty"),
    packages: text("A folder of packed tarballs (npm run pack) for the project to depend on instead of the registry"),
  },
  fmt: {
    inputs: positional(inputs, { array: true }),
    stdin: described(shared.stdin, "Read one file from standard input (same as '-')"),
    write: flag("Rewrite files in place when they change"),
    check: described(shared.check, "Write nothing; exit 1 listing unformatted files"),
  },
  info: { address, ...sessionOptions },
  "list-interfaces": { address, ...sessionOptions },
  "list-methods": interfacesVerb,
  introspect: interfacesVerb,
  call: {
    address,
    method,
    parameters: positional(text("A JSON object; none means {}")),
    stdin: described(shared.stdin, "Read the parameters from standard input (same as '-')"),
    more: flag("Ask for several replies and print each as it arrives (JSON-SEQ when not on a terminal)"),
    collect: flag("Like --more, but print all the replies as one JSON array"),
    oneway: flag("Ask for no reply"),
    upgrade: flag(
      "Ask to upgrade: after the reply (printed on standard error), standard input and output are the raw connection",
    ),
    E: flag("Short for --more --timeout=infinity"),
    quiet: flag("Print no reply; the exit code tells", { alias: "q" }),
    graceful: repeatable("An error (fully qualified) that counts as success: exit 0 (repeatable)"),
    pushFd: repeatable(
      "Send a file descriptor with the call: a number this process has open, or a file to open for reading (repeatable; indices from 0). Needs @varlink-ts/unix-fds",
    ),
    exec: flag(
      "call --exec ADDRESS METHOD PARAMS -- CMDLINE: run CMDLINE with the reply on its standard input and the reply's fds as fds 3, 4, … ($LISTEN_FDS)",
    ),
    ...sessionOptions,
    interfaceFile: shared.interfaceFile,
  },
  serve: {
    method: positional(text("INTERFACE.Method"), { demandOption: true }),
    cmdline: positional(repeatable("The command and its arguments (everything after METHOD)"), { array: true }),
    listen: text(
      "Address to listen on (unix:PATH, tcp:HOST:PORT); without it, the sockets of socket activation ($LISTEN_FDS)",
    ),
    maxRuns: count(
      "Runs of CMDLINE at once; further calls get the error TooManyRuns (default 64, systemd's MaxConnections=)",
    ),
  },
  "list-registry": {
    // No default: yargs' conflicts() would count a default as given.
    user: tristate("The user's registry ($XDG_RUNTIME_DIR/varlink/registry)"),
    system: tristate("The system's registry (the default)"),
    json: described(shared.json, "Print the entries as JSON"),
    j: shared.j,
  },
} as const satisfies Record<string, OptionTable>;

export type CommandName = keyof typeof optionTables;

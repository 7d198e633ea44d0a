import { statSync } from "node:fs";
import type { CliIo } from "./io.js";
import { UsageError } from "./io.js";
import { optionTables } from "./options/commands.js";
import { sharedOptions } from "./options/shared.js";
import { flagName, type OptionTable } from "./options/table.js";

// Shell completion for bash and zsh. yargs completes verbs and flags; the positions that name a
// method or an interface are completed from the live service's introspection, asked with a short
// timeout so that a slow or missing service only means no suggestions. Only services that are
// already running are asked: pressing TAB never starts a program (exec:, a --bridge command) or
// an ssh session, which could prompt for a password in the middle of the command line.

export const completionShells = ["bash", "zsh"] as const;
export type CompletionShell = (typeof completionShells)[number];

/**
 * Where a positional names something a service knows (call's METHOD, list-methods' and
 * introspect's INTERFACEs), as the commands' option tables mark them.
 */
const servicePositions: Record<string, { index: number; what: "methods" | "interfaces"; repeats: boolean }> =
  Object.fromEntries(
    Object.entries(optionTables as Record<string, OptionTable>).flatMap(([command, table]) => {
      const positionals = Object.values(table).filter((option) => option.positional);
      const index = positionals.findIndex((option) => option.completes !== undefined);
      if (index === -1) return [];
      const option = positionals[index]!;
      return [[command, { index, what: option.completes!, repeats: option.yargs.array === true }]];
    }),
  );

/**
 * yargs offers a one-letter flag as `--E` when the word typed starts with `--` (`--E:description`
 * for zsh): a flag that does not exist.
 */
const shortAsLong = /^--[^-](?::|$)/;

/** Seconds a completion may wait for the service; the shell is blocked meanwhile. */
const completionTimeout = 2;

/**
 * yargs' completion hook: method or interface names where the command line wants one, yargs'
 * own suggestions (verbs, flags) elsewhere.
 */
export function completeFromService(io: CliIo) {
  return (
    current: string,
    argv: Record<string, unknown>,
    fallback: (done: (error: unknown, completions?: string[]) => void) => void,
    done: (completions: string[]) => void,
  ): void => {
    const words = (argv["_"] as unknown[]).map(String);
    // words: the verb, its positionals so far, and the word being completed (maybe "").
    const position = servicePositions[words[0] ?? ""];
    const viaBridge = typeof argv[flagName("bridge" satisfies keyof typeof sharedOptions)] === "string";
    const positionals = words.slice(1, -1);
    const address = viaBridge ? undefined : positionals[0];
    const index = positionals.length - (viaBridge ? 0 : 1);
    const wanted =
      position !== undefined &&
      !current.startsWith("-") &&
      (viaBridge || address !== undefined) &&
      (position.repeats ? index >= position.index - 1 : index === position.index - 1);
    if (!wanted)
      return fallback((_error, completions) => done((completions ?? []).filter((word) => !shortAsLong.test(word))));
    // Interface files on the line describe the service: nothing is asked of it.
    const files = sharedOptions.interfaceFile.read(
      argv[flagName("interfaceFile" satisfies keyof typeof sharedOptions)],
      "--interface-file",
    );
    if (files.length > 0) return void fileNames(files, position.what).then(done, () => done([]));
    if (viaBridge) return done([]);
    void isRunningService(address!)
      .then((running) => (running ? serviceNames({ address: address! }, position.what, io) : []))
      .then(done, () => done([]));
  };
}

/**
 * An address that reaches a service without starting anything: a socket, or a bridge URL. The
 * runtime is loaded only here: every other command line starts without it.
 */
async function isRunningService(address: string): Promise<boolean> {
  const { parseAddress } = await import("@varlink-ts/runtime");
  let kind: string;
  try {
    kind = parseAddress(address).kind;
  } catch {
    return false;
  }
  if (kind === "path") return statSync(address, { throwIfNoEntry: false })?.isSocket() === true;
  return kind === "unix" || kind === "tcp" || kind === "bridge";
}

async function serviceNames(target: { address: string }, what: "methods" | "interfaces", io: CliIo): Promise<string[]> {
  const [{ withService, callOptions }, { getInfo, getInterfaceDescription }, { parseInterface }] = await Promise.all([
    import("./service/session.js"),
    import("./service/introspection.js"),
    import("../idl/index.js"),
  ]);
  const options = callOptions({ timeout: completionTimeout });
  return withService(
    target,
    async (client) => {
      const { interfaces } = await getInfo(client, options);
      if (what === "interfaces") return interfaces;
      const names: string[] = [];
      for (const name of interfaces) {
        const { definition } = parseInterface(await getInterfaceDescription(client, name, options), { file: name });
        for (const member of definition?.members ?? [])
          if (member.kind === "method") names.push(`${name}.${member.name}`);
      }
      return names;
    },
    { service: "org.varlink.service", env: io.env },
  );
}

async function fileNames(files: readonly string[], what: "methods" | "interfaces"): Promise<string[]> {
  const { readInterfaceFiles } = await import("./interface-file.js");
  const described = [...(await readInterfaceFiles(files)).values()].map(({ definition }) => definition);
  if (what === "interfaces") return described.map((definition) => definition.name);
  return described.flatMap((definition) =>
    definition.members.flatMap((member) => (member.kind === "method" ? [`${definition.name}.${member.name}`] : [])),
  );
}

/** The script `varlink-ts completion SHELL` prints, to be sourced by the shell. */
export function completionScript(shell: CompletionShell): string {
  // SHELL is set for the completing process so that yargs formats for the right shell even when
  // a zsh user runs bash, or the other way round.
  if (shell === "bash") {
    // bash splits COMP_WORDS at ':' (unix:/x becomes three words): they are glued back. Quotes
    // around a word are taken off as text, never evaluated.
    return `# varlink-ts completion for bash: source <(varlink-ts completion bash)
_varlink_ts_completions()
{
    local -a words suggestions
    local word i
    for ((i = 1; i <= COMP_CWORD; i++)); do
        word="\${COMP_WORDS[i]}"
        if [[ \${#words[@]} -gt 0 && ( "$word" == ":" || "\${words[-1]}" == *: ) ]]; then
            words[-1]+="$word"
            continue
        fi
        [[ "$word" == \\'*\\' ]] && word="\${word:1:\${#word}-2}"
        [[ "$word" == \\"*\\" && "$word" != *[\\$\\\`\\\\]* ]] && word="\${word:1:\${#word}-2}"
        words+=("$word")
    done
    mapfile -t suggestions < <(SHELL=/bin/bash varlink-ts --get-yargs-completions "\${words[@]}" 2>/dev/null)
    mapfile -t COMPREPLY < <(compgen -W "\${suggestions[*]}" -- "\${COMP_WORDS[COMP_CWORD]}")
    return 0
}
complete -o bashdefault -o default -F _varlink_ts_completions varlink-ts
`;
  }
  return `#compdef varlink-ts
# varlink-ts completion for zsh: varlink-ts completion zsh > "\${fpath[1]}/_varlink-ts"
_varlink_ts_completions()
{
  local -a suggestions
  local IFS=$'\\n'
  suggestions=($(SHELL=/bin/zsh varlink-ts --get-yargs-completions "\${(@)words[2,CURRENT]}" 2>/dev/null))
  if [[ \${#suggestions} -gt 0 ]]; then
    _describe 'varlink-ts' suggestions
  else
    _default
  fi
}
if [[ "\${zsh_eval_context[-1]}" == "loadautofunc" ]]; then
  _varlink_ts_completions "$@"
else
  compdef _varlink_ts_completions varlink-ts
fi
`;
}

/** `varlink-ts completion [SHELL]`: the shell named, or the user's $SHELL, or bash. */
export function runCompletion(shell: string | undefined, io: CliIo): number {
  const chosen = shell ?? (io.env["SHELL"]?.endsWith("zsh") ? "zsh" : "bash");
  if (!(completionShells as readonly string[]).includes(chosen))
    throw new UsageError(`completion scripts are for ${completionShells.join(" and ")} (got '${chosen}')`);
  io.stdout(completionScript(chosen as CompletionShell));
  return 0;
}

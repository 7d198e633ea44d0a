import type { Argv } from "yargs";
import { addOptions, readOptions, type OptionTable, type OptionValues } from "./table.js";

/** How main.ts runs a handler: it keeps the exit code the handler returns. */
export type Run = (
  handler: (argv: Record<string, unknown>) => Promise<number>,
) => (argv: Record<string, unknown>) => Promise<void>;

/**
 * A command whose yargs builder and whose handler's values both come from its table; the
 * handler may also read yargs' argv (the verbs' positionals after --bridge).
 */
export function addCommand<Table extends OptionTable>(
  cli: Argv,
  command: string | readonly string[],
  description: string,
  table: Table,
  run: Run,
  handler: (values: OptionValues<Table>) => Promise<number>,
  more: (y: Argv) => Argv = (y) => y,
): Argv {
  return cli.command(
    command as string | string[],
    description,
    (y) => more(addOptions(y, table)),
    run((argv) => handler(readOptions(table, argv))),
  );
}

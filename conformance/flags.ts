/** The CLI's flag parsing, shared by its commands (and kept light: `list` loads little else). */
import { UsageError } from "./harness/verdict.js";

/** "value": given once; "values": repeatable; "switch": no value. */
export type FlagSpec = Record<string, "value" | "values" | "switch">;

/** Splits argv into flag values; throws UsageError naming the flag and the fix. */
export function parseFlags(command: string, argv: readonly string[], spec: FlagSpec): { values: Map<string, string>; lists: Map<string, string[]>; switches: Set<string> } {
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h") {
      switches.add("--help");
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`${command}: unexpected argument "${arg}"; options start with -- (see --help)`);
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`${command}: unknown option "${name}"; valid options: ${Object.keys(spec).join(", ")}`);
    if (kind === "switch") {
      if (eq >= 0) throw new UsageError(`${command}: ${name} takes no value`);
      switches.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${command}: ${name} needs a value (see --help)`);
      i++;
    }
    if (kind === "values") {
      lists.set(name, [...(lists.get(name) ?? []), value]);
      continue;
    }
    if (values.has(name)) throw new UsageError(`${command}: ${name} given twice; give it once`);
    values.set(name, value);
  }
  return { values, lists, switches };
}

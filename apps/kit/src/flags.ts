/**
 * Strict command-line flags for the apps. A typo must not silently train for ten minutes with the
 * defaults, so every flag is declared with its type and range, unknown flags are refused, and a
 * refusal is a `UsageError` whose message says what is wrong and what is expected — `runCli` turns
 * it into one line on stderr and exit code 2, before anything is written.
 */

/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One declared flag. `integer` and `number` may carry bounds; `choice` lists its values. */
export type FlagSpec =
  | { readonly type: 'integer' | 'number'; readonly default?: number; readonly min?: number; readonly max?: number; readonly help: string }
  | { readonly type: 'string'; readonly default?: string; readonly help: string; readonly placeholder?: string }
  | { readonly type: 'boolean'; readonly help: string }
  | { readonly type: 'choice'; readonly choices: readonly string[]; readonly default?: string; readonly help: string };

/** The declared flags of a program, by name (without the leading dashes). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type ValueOf<F extends FlagSpec> = F extends { type: 'boolean' } ? boolean
  : F extends { type: 'integer' | 'number'; default: number } ? number
  : F extends { type: 'integer' | 'number' } ? number | undefined
  : F extends { type: 'choice'; default: string } ? string
  : F extends { type: 'string'; default: string } ? string
  : string | undefined;

/** Parsed flags: one value per declared flag (booleans default to false), plus `help`. */
export type ParsedFlags<S extends FlagSpecs> = { -readonly [K in keyof S]: ValueOf<S[K]> } & { help: boolean };

function describeExpected(spec: FlagSpec): string {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const kind = spec.type === 'integer' ? 'an integer' : 'a number';
      if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${spec.min} to ${spec.max}`;
      if (spec.min !== undefined) return `${kind} ≥ ${spec.min}`;
      if (spec.max !== undefined) return `${kind} ≤ ${spec.max}`;
      return kind;
    }
    case 'choice': return `one of ${spec.choices.join(', ')}`;
    case 'string': return 'a value';
    case 'boolean': return 'no value';
  }
}

function convert(name: string, spec: FlagSpec, raw: string): number | string {
  if (spec.type === 'integer' || spec.type === 'number') {
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    const ok = Number.isFinite(value) && (spec.type === 'number' || Number.isInteger(value))
      && (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
    if (!ok) throw new UsageError(`--${name} expects ${describeExpected(spec)}; received '${raw}'`);
    return value;
  }
  if (spec.type === 'choice' && !spec.choices.includes(raw)) {
    throw new UsageError(`--${name} expects ${describeExpected(spec)}; received '${raw}'`);
  }
  if (raw === '') throw new UsageError(`--${name} expects ${describeExpected(spec)}; received an empty value`);
  return raw;
}

/**
 * Parses `argv` (without `node` and the script) against `specs`. Accepts `--name value`,
 * `--name=value` and bare `--flag` for booleans; `--help`/`-h` sets `help`; a lone `--` is skipped. Anything else — an
 * unknown flag, a positional argument, a missing or malformed value, a flag given twice — throws
 * a `UsageError`.
 */
export function parseFlags<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedFlags<S> {
  const values: Record<string, unknown> = { help: false };
  for (const [name, spec] of Object.entries(specs)) {
    values[name] = spec.type === 'boolean' ? false : 'default' in spec ? spec.default : undefined;
  }
  const seen = new Set<string>();
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    // `--` is how npm and pnpm users pass flags through a script (`pnpm mnist -- --epochs 2`).
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') {
      values['help'] = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      throw new UsageError(`unexpected argument '${arg}'; expected flags of the form --name value (see --help)`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (spec === undefined) {
      throw new UsageError(`unknown flag --${name}; expected one of ${Object.keys(specs).map((n) => `--${n}`).join(', ')}, --help`);
    }
    if (seen.has(name)) throw new UsageError(`--${name} was given twice`);
    seen.add(name);
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value; received '${arg.slice(eq + 1)}'`);
      values[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      const next = argv[k + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} expects ${describeExpected(spec)}; received nothing`);
      }
      raw = next;
      k++;
    }
    values[name] = convert(name, spec, raw);
  }
  return values as ParsedFlags<S>;
}

/** The `--help` text: a usage line, the description, and one line per flag with its default. */
export function usage(program: string, description: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const value = spec.type === 'boolean' ? '' : spec.type === 'choice' ? ` <${spec.choices.join('|')}>`
      : spec.type === 'string' ? ` <${spec.placeholder ?? 'value'}>` : ` <${spec.type === 'integer' ? 'n' : 'x'}>`;
    const fallback = 'default' in spec && spec.default !== undefined ? ` (default ${spec.default})` : '';
    return [`  --${name}${value}`, `${spec.help}${fallback}`] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [`usage: ${program} [flags]`, '', description, '', ...rows.map(([left, right]) => left.padEnd(width) + right), `  --help`.padEnd(width) + 'this text', ''].join('\n');
}

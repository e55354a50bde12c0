/** Reading the flags the CLI commands share; a bad value is a `UsageError`. */
import { CANONICAL_FIELDS, type CanonicalField, MAX_WINDOW_IDLE_MS } from '../review/index.js'

/** The flags of `recensio analyze`, as parseArgs takes them (here, so that `report` can name them without loading `analyze`). */
export const ANALYZE_FLAGS = {
  out: { type: 'string', short: 'o' },
  format: { type: 'string', short: 'f' },
  'summary-json': { type: 'string' },
  'max-error-rows': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'input-format': { type: 'string' },
  'array-path': { type: 'string' },
  map: { type: 'string', short: 'm', multiple: true },
  keep: { type: 'string', short: 'k', multiple: true },
  'rating-scale': { type: 'string' },
  'csat-scale': { type: 'string' },
  'ces-scale': { type: 'string' },
  'date-order': { type: 'string' },
  'reference-date': { type: 'string' },
  encoding: { type: 'string' },
  lang: { type: 'string', short: 'l' },
  explain: { type: 'boolean' },
  taxonomy: { type: 'string' },
  workers: { type: 'string', short: 'w' },
  'chunk-size': { type: 'string' },
  window: { type: 'string' },
  'window-idle': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Some of `analyze`'s flags, as they are: a command that shares them (`report`) declares them once. */
export function analyzeFlags<K extends keyof typeof ANALYZE_FLAGS>(...names: K[]): Pick<typeof ANALYZE_FLAGS, K> {
  return Object.fromEntries(names.map((name) => [name, ANALYZE_FLAGS[name]])) as Pick<typeof ANALYZE_FLAGS, K>
}

/** A usage problem: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A value that reads as a negative number: `-1`, `-0.5`, `-.5`, `-5s`. */
const NEGATIVE = /^-\.?\d/

/**
 * The arguments with each negative number that follows a flag taking a value
 * (`--chunk-size -1`, `-w -2`) joined to it (`--chunk-size=-1`). node's
 * parseArgs takes such a value for an option and calls the flag "ambiguous";
 * joined, it reaches the flag's own check, which says what it expected. A
 * cluster of short flags ending in one that takes a value (`-qw -2`) is split
 * into its switches and the joined value.
 *
 * @param argv The arguments after the command.
 * @param flags The command's flags, as given to parseArgs.
 */
export function joinNegativeValues(argv: readonly string[], flags: Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>): string[] {
  const long = new Map<string, string>()
  const switches = new Set<string>()
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.type !== 'string') {
      if (flag.short !== undefined) switches.add(flag.short)
      continue
    }
    long.set(`--${name}`, name)
    if (flag.short !== undefined) long.set(`-${flag.short}`, name)
  }
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--') {
      out.push(...argv.slice(i))
      break
    }
    const next = argv[i + 1]
    if (next === undefined || !NEGATIVE.test(next)) {
      out.push(arg)
      continue
    }
    const name = long.get(arg)
    if (name !== undefined) {
      out.push(`--${name}=${next}`)
      i++
      continue
    }
    // `-qw -2`: switches, then a short flag that takes the value.
    const last = /^-[A-Za-z]{2,}$/.test(arg) ? long.get(`-${arg.at(-1)!}`) : undefined
    if (last !== undefined && [...arg.slice(1, -1)].every((c) => switches.has(c))) {
      out.push(arg.slice(0, -1), `--${last}=${next}`)
      i++
    } else out.push(arg)
  }
  return out
}

/** "a or b", "a, b or c". */
function choices(allowed: readonly string[]): string {
  return allowed.length < 3 ? allowed.join(' or ') : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)!}`
}

/** `value` when it is one of `allowed`. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag}: expected ${choices(allowed)}, got "${value}"`)
  return value as T
}

/** `value` as a whole number ≥ `min`; undefined when the flag is absent. */
export function wholeNumber(flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${flag}: expected a whole number ≥ ${min}, got "${value}"`)
  return Number(value)
}

/**
 * The most error rows a run may have and still end with exit 0: a count, or a
 * share of the rows, as the digits given over a power of ten (`0.5%` is 5/10
 * percent), compared in whole numbers: in floating point `29 / 100 * 100` is
 * 28.999…, which would fail 29 error rows of 100 under `29%`.
 */
export type ErrorRowLimit = ({ rows: number } | { percent: readonly [digits: bigint, scale: bigint] }) & { given: string }

/** `--max-error-rows` (`0`, `25`, `0.5%`); undefined when the flag is absent. */
export function errorRowLimit(flag: string, value: string | undefined): ErrorRowLimit | undefined {
  if (value === undefined) return undefined
  const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(value.trim())
  if (m !== null && m[2] === '%' && Number(m[1]) <= 100) {
    const [whole, fraction = ''] = m[1]!.split('.')
    return { percent: [BigInt(`${whole}${fraction}`), 10n ** BigInt(fraction.length)], given: value.trim() }
  }
  if (m !== null && m[2] === '' && /^\d+$/.test(m[1]!)) return { rows: Number(m[1]), given: value.trim() }
  throw new UsageError(`--${flag}: expected a number of rows (such as 0 or 25) or a share of the rows (such as 0.5%), got "${value}"`)
}

/** A time in seconds (`2`, `0.5`, `500ms`, `2s`, `1m`, `1h`) as milliseconds; undefined when the flag is absent. */
export function seconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const m = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/.exec(value.trim())
  const ms = m === null ? Number.NaN : Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : m[2] === 'h' ? 3_600_000 : 1000)
  if (!(ms >= 1 && ms <= MAX_WINDOW_IDLE_MS)) {
    throw new UsageError(`--${flag}: expected a time in seconds (such as 2, 0.5, 500ms, 1m or 1h) from 1ms to a day, got "${value}"`)
  }
  return Math.round(ms)
}

/**
 * Values of a repeatable flag, each also split at commas: `--keep a,b --keep c`
 * → a, b, c. A name in double quotes is whole, commas and all (a survey's
 * column headed by its question): `--keep '"Overall, how satisfied?",country'`.
 */
export function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap(splitNames).map((v) => v.trim()).filter((v) => v !== '')
}

/** One flag value split at the commas outside double quotes, the quotes dropped. */
function splitNames(value: string): string[] {
  if (!value.includes('"')) return value.split(',')
  const names: string[] = []
  let name = ''
  let quoted = false
  for (const c of value) {
    if (c === '"') quoted = !quoted
    else if (c === ',' && !quoted) {
      names.push(name)
      name = ''
    } else name += c
  }
  names.push(name)
  return names
}

/**
 * A comma that starts the next `field=column` pair of `--map` (or ends the
 * list): one inside a column name, as survey exports head their columns
 * with the question ("Overall, how satisfied are you?", "Rate us (1=poor,
 * 5=excellent)"), is followed by words or a scale's number, not by `field=`.
 */
const MAP_PAIR_COMMA = /,(?=\s*(?:[A-Za-z_][\w.-]*\s*=|$))/

/** `text=reviewText,rating=overall` → `{ text: 'reviewText', rating: 'overall' }`. */
export function parseMap(values: string[] | undefined): Partial<Record<CanonicalField, string>> | undefined {
  const pairs = (values ?? []).flatMap((v) => v.split(MAP_PAIR_COMMA)).map((v) => v.trim()).filter((v) => v !== '')
  if (pairs.length === 0) return undefined
  const map: Partial<Record<CanonicalField, string>> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const field = eq < 0 ? '' : pair.slice(0, eq).trim()
    const column = eq < 0 ? '' : pair.slice(eq + 1).trim()
    if (field === '' || column === '') throw new UsageError(`--map: expected field=column, got "${pair}"`)
    if (!(CANONICAL_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`--map: unknown field "${field}" (fields: ${CANONICAL_FIELDS.join(', ')})`)
    }
    const before = map[field as CanonicalField]
    if (before !== undefined && before !== column) throw new UsageError(`--map: ${field} is given two columns ("${before}" and "${column}"); give it one`)
    map[field as CanonicalField] = column
  }
  return map
}

/** Edits (insert, delete, replace, swap two neighbours) between two short strings. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/**
 * node's parseArgs message for a command line, with a hint when it names an
 * unknown long flag: the nearest flag of the command ("Unknown option
 * '--wokers' (did you mean --workers?)"), or, for `report`, the `analyze`
 * flag it is (`--taxonomy`: analyze the dump with it, then report the results).
 *
 * @param message The message's first sentence.
 * @param flags The command's flags.
 * @param analyzeOnly Flags of `analyze` the command lacks, with the hint to give for them.
 */
export function unknownFlagHint(message: string, flags: Readonly<Record<string, unknown>>, analyzeOnly?: { flags: readonly string[]; hint: string }): string {
  const m = /^Unknown option '--([^'=]+)'/.exec(message)
  if (m === null) return message
  const given = m[1]!
  if (analyzeOnly?.flags.includes(given)) return `${message} (${analyzeOnly.hint})`
  let near: string | undefined
  let nearest = 3
  for (const name of Object.keys(flags)) {
    const d = editDistance(given.toLowerCase(), name)
    if (d < nearest) [near, nearest] = [name, d]
  }
  return near === undefined ? message : `${message} (did you mean --${near}?)`
}

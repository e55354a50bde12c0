/**
 * Options shared by `analyze`, `analyzeBatch`, `analyzeFile` and the CLI,
 * validated with zod once per call (or once per batch) and resolved into the
 * settings the analyzers read. The schemas are made on first use (see
 * `zod.ts`): no options, and options already seen, need no zod.
 */
import { Failure, type Scale, coerceDate, dayless } from './coerce.js'
import { RecensioError, describeValue } from './errors.js'
import { CANONICAL_FIELDS, type CanonicalField, type FieldMap } from './fields.js'
import type { SchemaSettings } from './schema.js'
import { SIGNAL_TYPES, type SignalType } from './types.js'
import { RecentMap } from './recent.js'
import { type Zod, type ZodApi, lazyStrictObject } from './zod.js'

/** Default cap on the length of a review text, in characters (UTF-16 code units). */
export const MAX_TEXT_LENGTH = 100_000

const RANGE = /^\s*(-?\d+(?:\.\d+)?)\s*[-–]\s*(-?\d+(?:\.\d+)?)\s*$/

/**
 * A scale option: a range as text ("1-5", "0–10") or `{ min, max }`, as
 * `{ min, max }` with min < max.
 *
 * @param example The ranges the message for text that is none gives as examples.
 */
export function scaleSchema(z: ZodApi, example = '"1-5" or "0-10"') {
  return z
    .union([z.string().regex(RANGE, `expected a range like ${example}`), z.strictObject({ min: z.number(), max: z.number() })], {
      // zod's own words for a value that is neither ("Invalid input") say nothing.
      error: `expected a range like ${example}, or { min, max }`,
    })
    .transform((value, ctx): Scale => {
      let scale: Scale
      if (typeof value === 'string') {
        const m = RANGE.exec(value)!
        scale = { min: Number(m[1]), max: Number(m[2]) }
      } else scale = value
      if (!(scale.max > scale.min)) {
        ctx.addIssue({ code: 'custom', message: `expected min < max, got ${scale.min}–${scale.max}` })
        return z.NEVER
      }
      return scale
    })
}

function cues(z: ZodApi) {
  return z.array(z.string().min(1)).max(10_000).readonly()
}

/**
 * The fields of one taxonomy stage, declared on their own (as `taxonomyShape`
 * and `optionsShape` are) so that their JSDoc reaches the published `.d.ts`.
 */
function stageShape(z: ZodApi) {
  const Cues = cues(z)
  return {
    /** The stage id results carry: lower case, digits, `_` or `-` (`waiting_time`); with `extend`, an id of the default six adds cues to it. */
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case id like "waiting_time"'),
    /** The stage's name in the report (default: its id). */
    label: z.string().min(1).optional(),
    /**
     * Words and phrases that tag the stage, per language (at least one in all);
     * each match tags it. Matched on whole words, case and accents ignored; a
     * plain word matches only itself. Markers: `reso:n`, `rimborsare:v`,
     * `rotto:a` (with their regular forms), `reembols*` (a stem), `a|b`
     * (alternatives), `*` / `#` after the first word (any word, any number).
     */
    cues: z
      .strictObject({ es: Cues.optional(), it: Cues.optional(), en: Cues.optional() })
      .refine((c) => (c.es?.length ?? 0) + (c.it?.length ?? 0) + (c.en?.length ?? 0) > 0, 'expected at least one cue in es, it or en'),
  }
}

/** The schema of one taxonomy stage (a named type, so that declarations keep its fields' JSDoc). */
type StageSchema = Zod.ZodObject<ReturnType<typeof stageShape>, Zod.core.$strict>

function stageSchema(z: ZodApi): StageSchema {
  return z.strictObject(stageShape(z))
}

/** The fields of a user taxonomy, declared on their own so that their JSDoc shows on hover. */
function taxonomyShape(z: ZodApi) {
  return {
    /** `extend` (default) adds these stages to the default six, or cues to them; `replace` uses only these. */
    mode: z.enum(['extend', 'replace']).default('extend'),
    /** The stages, at least one; ids are unique. */
    stages: z
      .array(stageSchema(z))
      .min(1, 'expected at least one stage')
      .superRefine((stages, ctx) => {
        const seen = new Set<string>()
        stages.forEach((stage, i) => {
          // The input is the id, not the whole list of stages the refinement sees.
          if (seen.has(stage.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], input: stage.id, message: `stage id "${stage.id}" is used twice` })
          seen.add(stage.id)
        })
      }),
  }
}

/** The schema of a user taxonomy for journey tagging. */
export type TaxonomySchema = Zod.ZodObject<ReturnType<typeof taxonomyShape>, Zod.core.$strict>

/** The schema of a user taxonomy, made on first use. */
export const taxonomySchema: () => TaxonomySchema = lazyStrictObject(taxonomyShape)

export type TaxonomyInput = Zod.input<TaxonomySchema>
export type Taxonomy = Zod.output<TaxonomySchema>

/** Progress of a batch, reported to `onProgress` and drawn by the CLI. */
export interface Progress {
  rows: number
  /** Bytes of the file read so far, for files (its own bytes, also when it is decoded from UTF-16 or Windows-1252). */
  bytes?: number
  /** Total bytes of the file, when known. */
  totalBytes?: number
  /** True when `bytes` and `totalBytes` count a compressed file's bytes (its inflated size is not known ahead). */
  compressed?: boolean
  elapsedMs: number
  /**
   * `crossReview` in the one report made when the rows (of a window) are all
   * in and the cross-review pass starts: it runs on one thread without
   * reports, a few seconds per million rows. Absent in the reports made while
   * rows are read.
   */
  phase?: 'crossReview'
}

/** Encodings an input file may be read in (`utf8` is `utf-8`; `latin1` is read as Windows-1252, as browsers do). */
export const INPUT_ENCODINGS = ['utf-8', 'utf8', 'windows-1252', 'latin1'] as const

/** Longest `windowIdleMs`: a day. */
export const MAX_WINDOW_IDLE_MS = 86_400_000

/** One of `INPUT_ENCODINGS`. */
export type InputEncoding = (typeof INPUT_ENCODINGS)[number]

/**
 * The fields of `OptionsSchema`, declared on their own so that their JSDoc
 * reaches the published `.d.ts` (an inferred `z.strictObject({...})` type is
 * printed without comments) and shows on hover over `Options` fields.
 */
function optionsShape(z: ZodApi) {
  const ScaleOption = scaleSchema(z)
  return {
    /** Which input key holds each canonical field, e.g. `{ text: 'reviewText' }`. */
    map: z.strictObject(Object.fromEntries(CANONICAL_FIELDS.map((f) => [f, z.string().min(1).optional()])) as Record<CanonicalField, Zod.ZodOptional<Zod.ZodString>>).optional(),
    /** Input fields echoed in each result under `fields`. */
    keep: z.array(z.string().min(1)).readonly().optional(),
    /** Skip detection: every row is in this language (a row's own `lang` still wins). */
    lang: z.enum(['es', 'it', 'en']).optional(),
    /** Scale of `rating` (default 1–5); other scales map linearly to 1–5. */
    ratingScale: ScaleOption.optional(),
    /** How numeric dates like "05/03/2024" are read: `mdy` month first or `dmy` day first. Default: day first from a date column with a Spanish or Italian name ("Fecha", "Data"), else month first. Dotted dates are always day first. */
    dateOrder: z.enum(['mdy', 'dmy']).optional(),
    /**
     * The day (or moment) the reviews were exported or scraped: relative
     * dates ("3 days ago", "hace 2 semanas", "un mese fa", "yesterday") count
     * back from it. Weeks, months and years name no day (`dayless`). Without
     * it a relative date is no date, with a warning on the row. Any date the
     * `date` field takes (`"2024-03-10"`, a `Date`).
     */
    referenceDate: z.union([z.string(), z.number(), z.instanceof(Date)], { error: 'expected a date such as "2024-03-10", epoch ms or a Date' }).optional(),
    /** Scale of the `ces` survey column (default 1–7). */
    cesScale: ScaleOption.optional(),
    /** Scale of the `csat` survey column (default 1–5). */
    csatScale: ScaleOption.optional(),
    /** Longest accepted text, in characters (default 100,000); longer rows are error rows. */
    maxTextLength: z.int().min(1).max(50_000_000).optional(),
    /** Add the words that moved the sentiment score to each result. */
    explain: z.boolean().optional(),
    /** Extend or replace the journey taxonomy. */
    taxonomy: taxonomySchema().optional(),
    /** `weights` of the signals in `fakeScore` and verdict `thresholds` (default `{ suspicious: 0.4, likelyFake: 0.7 }`). */
    authenticity: z
      .strictObject({
        /** Weight of each signal in `fakeScore`. */
        weights: z.partialRecord(z.enum(SIGNAL_TYPES), z.number().min(0).max(10)).optional(),
        /** fakeScore at or above which the verdict is `suspicious` / `likely_fake`. */
        thresholds: z
          .strictObject({ suspicious: z.number().min(0).max(1).optional(), likelyFake: z.number().min(0).max(1).optional() })
          .optional(),
      })
      .optional(),
    /** Worker threads for batches (default: one per 16 MB of a file, up to one per core, `os.availableParallelism()`; one per core for stdin, compressed input and iterables; files under 16 MB, and other inputs that end within 40,000 rows, 16 MB (not counted for iterables) and a second of their first rows, run in-process). 0 runs on the calling thread. */
    workers: z.int().min(0).max(256).optional(),
    /** Rows per message to a worker (default 256). */
    chunkSize: z.int().min(1).max(1_000_000).optional(),
    /**
     * Score a batch in consecutive windows of this many rows, each a batch of
     * its own whose rows are written as soon as it is done (default: one batch
     * of every row). For streams that never end; cross-review signals then look
     * within a window. While a window's rows are handed out, the next window
     * is read and scored.
     */
    window: z.int().min(1).optional(),
    /**
     * With `window`: also close a window once no row has come for this many
     * milliseconds, so a quiet stream's rows are not held until the window
     * fills. A window then holds at most `window` rows (windows still end at
     * every multiple of `window` rows counted from the first).
     */
    windowIdleMs: z.number().min(1).max(MAX_WINDOW_IDLE_MS).optional(),
    /** Encoding of the file `analyzeFile` reads (default UTF-8); `windows-1252` (or `latin1`) for spreadsheet CSV saved on Windows; a file that reads as UTF-8 (or starts with its byte order mark) is still read as UTF-8. */
    encoding: z.enum(INPUT_ENCODINGS).optional(),
    /** Input format for `analyzeFile` (default: from the extension, then the content). */
    format: z.enum(['jsonl', 'json', 'csv']).optional(),
    /**
     * For `analyzeFile` on a JSON object that holds the reviews in an array
     * (`{"data": {"reviews": […]}}`): the keys down to that array, joined by
     * dots (`data.reviews`; a leading `$.` is allowed); with it, objects one
     * per line (pages of answers) are read as such too. Default: the first
     * array of objects with a review text in one of its first objects,
     * reached through objects only.
     */
    arrayPath: z
      .string()
      // Keys only: no JSONPath filters or wildcards ("reviews[*]").
      .refine((path) => pathKeys(path).every((key) => key !== '' && key !== '$' && !/[[\]*]/.test(key)), 'expected keys joined by dots, as in "data.reviews"')
      .optional(),
    /** Called now and then during a batch. */
    onProgress: z.custom<(progress: Progress) => void>((v) => typeof v === 'function', 'expected a function').optional(),
    /** Stops a batch: the rows read so far are still yielded, or, when it fires while results are yielded, those up to the end of the current block of about 1 MB. */
    signal: z.custom<AbortSignal>(isAbortSignal, { error: (issue) => signalRefusal(issue.input) }).optional(),
  }
}

/** The schema of `Options`. */
export type OptionsSchema = Zod.ZodObject<ReturnType<typeof optionsShape>, Zod.core.$strict>

/** The schema of `Options`, made on first use. */
export const optionsSchema: () => OptionsSchema = lazyStrictObject(optionsShape)

/** Options of `analyze`, `analyzeBatch` and `analyzeFile`; every field is optional. */
export type Options = Zod.input<OptionsSchema>

/** Options as validated: scales as `{ min, max }`, a taxonomy's `mode` filled in. */
export type ParsedOptions = Zod.output<OptionsSchema>

/** Options after validation, with defaults filled in. */
export interface ResolvedOptions {
  raw: ParsedOptions
  schema: SchemaSettings
  map: FieldMap
  keep: string[]
  lang: 'es' | 'it' | 'en' | undefined
  explain: boolean
  taxonomy: Taxonomy | undefined
  weights: Partial<Record<SignalType, number>>
  thresholds: { suspicious: number; likelyFake: number }
  workers: number | undefined
  chunkSize: number
  window: number | undefined
  windowIdleMs: number | undefined
  /** The `arrayPath` option's keys, or null. */
  arrayPath: string[] | null
}

/** Verdict thresholds on fakeScore (documented in the README). */
export const SUSPICIOUS_THRESHOLD = 0.4
export const LIKELY_FAKE_THRESHOLD = 0.7
const DEFAULT_CHUNK_SIZE = 256

/**
 * The keys of a `arrayPath` option: "data.items" → ["data", "items"]. A
 * leading "$." (as in JSONPath) is allowed.
 */
export function pathKeys(path: string): string[] {
  const bare = path.startsWith('$.') ? path.slice(2) : path
  return bare.split('.')
}

/**
 * What an option's value should have been, and what it was, in the words of
 * the row errors ("expected at most 256, got 999"), for zod's generic messages
 * ("Too big: expected number to be <=256"). Needs `reportInput: true`.
 *
 * @param issue A zod issue other than an unknown key.
 * @returns "expected …, got …", or the schema's own message when it wrote one.
 */
export function optionIssueText(issue: Zod.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input
  let text: string
  if (issue.code === 'invalid_type') {
    if (input === undefined) return `required (expected ${issue.expected})`
    text = `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}`
  } else if ((issue.code === 'too_big' || issue.code === 'too_small') && /^Too (?:small|big):/.test(issue.message)) {
    const big = issue.code === 'too_big'
    const bound = Number(big ? issue.maximum : issue.minimum)
    const unit = issue.origin === 'array' ? ` item${bound === 1 ? '' : 's'}` : issue.origin === 'string' ? ` character${bound === 1 ? '' : 's'}` : ''
    text = `expected ${issue.inclusive === false ? (big ? 'less than' : 'more than') : big ? 'at most' : 'at least'} ${bound}${unit}`
  } else text = issue.message.replace(/^Invalid option: /, '')
  // An object's own fields are named by their issues; "got an object" would say nothing.
  if (input === undefined || (typeof input === 'object' && input !== null && !Array.isArray(input)) || /\b(?:got|received)\b/.test(text)) return text
  // A message that already shows the value ('stage id "food" is used twice') needs no "got"; a number
  // is shown bare, so the 10 of "0-10" in a message would pass for it: only a quoted string counts.
  if (typeof input === 'string' && text.includes(describeValue(input))) return text
  const counted = Array.isArray(input) && (issue.code === 'too_big' || issue.code === 'too_small')
  return `${text}, got ${counted ? `${(input as unknown[]).length}` : describeValue(input)}`
}

function optionMessage(issue: Zod.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.')
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ')
    const s = issue.keys.length > 1 ? 's' : ''
    if (path === '') return `unknown option${s} ${keys}`
    // `map` names review fields, `authenticity.weights` signals: say which there are.
    if (path === 'map') return `option "map": unknown field${s} ${keys} (fields: ${CANONICAL_FIELDS.join(', ')})`
    if (path === 'authenticity.weights') return `option "${path}": unknown signal${s} ${keys} (signals: ${SIGNAL_TYPES.join(', ')})`
    return `option "${path}": unknown key${s} ${keys}`
  }
  return `option "${path}": ${optionIssueText(issue)}`
}

const cache = new WeakMap<object, ResolvedOptions>()
let defaults: ResolvedOptions | undefined

/** Validate options once; throws a `RecensioError` naming the bad option. */
export function resolveOptions(options?: Options): ResolvedOptions {
  // No options: every field is optional and none has a default, so zod would give `{}`.
  if (options === undefined) return (defaults ??= build({}))
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new RecensioError('invalid_option', `options must be an object, got ${describeValue(options)}`)
  }
  const hit = cache.get(options)
  if (hit !== undefined) return hit
  // Options written inline (`analyze(text, { lang: 'en' })`) are a new object per call: known by their
  // content. Run control (a function, a signal) has none to key, so such a set is known by its object.
  const key = plainKey(options)
  const same = key === null ? undefined : byContent.get(key)
  if (same !== undefined) {
    cache.set(options, same)
    return same
  }
  const plain = plainOptions(options)
  const parsed = plain !== null ? { success: true as const, data: plain } : optionsSchema().safeParse(options, { reportInput: true })
  if (!parsed.success) {
    const message = parsed.error.issues.map(optionMessage).join('; ')
    // One issue per unknown key, so `field` names the option itself ("explian", "map.txt").
    const issues = parsed.error.issues
      .flatMap((issue): Zod.core.$ZodIssue[] => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => ({ ...issue, keys: [key] })) : [issue]))
      .map((issue) => ({
        field: [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys : [])].map(String).join('.') || 'options',
        code: 'invalid_option' as const,
        message: optionMessage(issue),
      }))
    throw new RecensioError('invalid_option', `Invalid options: ${message}`, issues)
  }
  const resolved = build(parsed.data)
  cache.set(options, resolved)
  if (key !== null) byContent.set(key, resolved)
  return resolved
}

/**
 * Whether a value works as the `signal` option: an AbortSignal, also one made
 * in another realm or by a polyfill (an SDK's own AbortController), which
 * `instanceof` refuses. A batch reads `aborted` and listens for `abort`.
 */
function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { aborted?: unknown; addEventListener?: unknown; removeEventListener?: unknown }
  return typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function' && typeof v.removeEventListener === 'function'
}

/** Why a `signal` value was refused: the usual slip, the AbortController itself for its `signal`, said so. */
function signalRefusal(value: unknown): string {
  const signal = typeof value === 'object' && value !== null ? (value as { signal?: unknown }).signal : undefined
  if (isAbortSignal(signal)) return 'expected an AbortSignal, got an AbortController: pass its signal (controller.signal)'
  return 'expected an AbortSignal'
}

/** Options `plainOptions` checks, each by what the schema takes (the others load zod). */
const PLAIN_CHECKS: Record<string, (value: unknown) => boolean> = {
  signal: isAbortSignal,
  onProgress: (v) => typeof v === 'function',
  lang: (v) => v === 'es' || v === 'it' || v === 'en',
  explain: (v) => typeof v === 'boolean',
  dateOrder: (v) => v === 'mdy' || v === 'dmy',
  encoding: (v) => (INPUT_ENCODINGS as readonly unknown[]).includes(v),
  format: (v) => v === 'jsonl' || v === 'json' || v === 'csv',
  maxTextLength: (v) => wholeIn(v, 1, 50_000_000),
  workers: (v) => wholeIn(v, 0, 256),
  chunkSize: (v) => wholeIn(v, 1, 1_000_000),
  window: (v) => wholeIn(v, 1, Number.MAX_SAFE_INTEGER),
  windowIdleMs: (v) => typeof v === 'number' && v >= 1 && v <= MAX_WINDOW_IDLE_MS,
  keep: (v) => {
    if (!Array.isArray(v)) return false
    for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string' || (v[i] as string).length === 0) return false
    return true
  },
}

function wholeIn(value: unknown, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
}

/**
 * Options of plain values only (`{ lang: 'es', explain: true }`, what most
 * calls pass), checked as the schema checks them, so that zod, ~0.1 s to
 * load, is not loaded for them. Null for anything else: other options (a
 * scale, a taxonomy, a map), a value the schema refuses (zod then words
 * why), or an object that is not plain.
 */
export function plainOptions(options: object): ParsedOptions | null {
  const out: Record<string, unknown> = {}
  try {
    const proto = Object.getPrototypeOf(options) as unknown
    if (proto !== Object.prototype && proto !== null) return null
    for (const key of Object.getOwnPropertyNames(options)) {
      const value = (options as Record<string, unknown>)[key]
      const check = PLAIN_CHECKS[key]
      if (check === undefined || !Object.hasOwn(PLAIN_CHECKS, key) || (value !== undefined && !check(value))) return null
      out[key] = key === 'keep' && value !== undefined ? [...(value as string[])] : value
    }
  } catch {
    // A getter that throws: the schema says which option.
    return null
  }
  return out as ParsedOptions
}

/**
 * Resolve options another thread has validated (a worker's, from its batch's
 * `ResolvedOptions.raw`): no zod is loaded to check them again.
 */
export function resolveParsedOptions(raw: ParsedOptions): ResolvedOptions {
  return build(raw)
}

/** Option sets remembered by content, at most (the least recently used is forgotten first). */
const CONTENT_CACHE_SIZE = 64
/** Longest content key remembered: a large inline taxonomy costs less to validate again than to hold. */
const MAX_CONTENT_KEY = 64 * 1024
const byContent = new RecentMap<string, ResolvedOptions>(CONTENT_CACHE_SIZE)

/**
 * Options as a JSON string when they hold only plain data (no function, no
 * AbortSignal: two such objects may differ where JSON cannot see it), short
 * enough to keep; null otherwise.
 */
function plainKey(options: object): string | null {
  let plain = true
  let key: string
  try {
    key = JSON.stringify(options, function (this: Record<string, unknown>, k: string, value: unknown) {
      // The value as given, before any toJSON (a Date would pass as its string).
      const raw = this[k]
      if (typeof raw === 'object' && raw !== null) {
        const proto = Object.getPrototypeOf(raw) as unknown
        if (!Array.isArray(raw) && proto !== Object.prototype && proto !== null) plain = false
      } else if (typeof raw === 'number' ? !Number.isFinite(raw) : typeof raw !== 'string' && typeof raw !== 'boolean' && raw !== null) plain = false
      return value
    })
  } catch {
    return null
  }
  return plain && key.length <= MAX_CONTENT_KEY ? key : null
}

/** Throw for options the schema takes but that do not go together, worded as the schema's refusals are. */
function optionError(field: string, text: string): never {
  const message = `option "${field}": ${text}`
  throw new RecensioError('invalid_option', `Invalid options: ${message}`, [{ field, code: 'invalid_option', message }])
}

/** `referenceDate` as epoch ms, read as a row's date is (in `dateOrder`); undefined when not given. */
function referenceDateOf(raw: ParsedOptions): number | undefined {
  if (raw.referenceDate === undefined) return undefined
  const ms = coerceDate(raw.referenceDate, raw.dateOrder ?? 'mdy')
  if (typeof ms !== 'number') {
    optionError('referenceDate', ms instanceof Failure ? ms.message : `expected a date such as "2024-03-10", got ${describeValue(raw.referenceDate)}`)
  }
  // "2024-03" would count "3 days ago" back from the 1st, whichever day the reviews were exported.
  if (dayless(raw.referenceDate)) optionError('referenceDate', `expected a day such as "2024-03-10", got ${describeValue(raw.referenceDate)}, which names no day`)
  return ms
}

function build(raw: ParsedOptions): ResolvedOptions {
  const thresholds = {
    suspicious: raw.authenticity?.thresholds?.suspicious ?? SUSPICIOUS_THRESHOLD,
    likelyFake: raw.authenticity?.thresholds?.likelyFake ?? LIKELY_FAKE_THRESHOLD,
  }
  if (thresholds.likelyFake < thresholds.suspicious) {
    optionError('authenticity.thresholds', `expected suspicious ≤ likelyFake, got ${thresholds.suspicious} > ${thresholds.likelyFake}`)
  }
  if (raw.windowIdleMs !== undefined && raw.window === undefined) optionError('windowIdleMs', 'needs option "window" (the most rows a window holds)')
  if (raw.arrayPath !== undefined && raw.format !== undefined && raw.format !== 'json') optionError('arrayPath', `needs JSON input, not ${raw.format}`)
  const map: FieldMap = {}
  for (const [k, v] of Object.entries(raw.map ?? {})) if (v !== undefined) map[k as CanonicalField] = v
  return {
    raw,
    schema: {
      ratingScale: raw.ratingScale ?? { min: 1, max: 5 },
      cesScale: raw.cesScale ?? { min: 1, max: 7 },
      csatScale: raw.csatScale ?? { min: 1, max: 5 },
      maxTextLength: raw.maxTextLength ?? MAX_TEXT_LENGTH,
      dateOrder: raw.dateOrder ?? 'mdy',
      referenceDate: referenceDateOf(raw),
    },
    map,
    keep: [...(raw.keep ?? [])],
    lang: raw.lang,
    explain: raw.explain ?? false,
    taxonomy: raw.taxonomy,
    weights: raw.authenticity?.weights ?? {},
    thresholds,
    workers: raw.workers,
    chunkSize: raw.chunkSize ?? DEFAULT_CHUNK_SIZE,
    window: raw.window,
    windowIdleMs: raw.windowIdleMs,
    arrayPath: raw.arrayPath === undefined ? null : pathKeys(raw.arrayPath),
  }
}

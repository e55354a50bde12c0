/** Error codes for bad rows and bad options (zod-like snake_case literals). */
export type ErrorCode =
  | 'required'
  | 'invalid_type'
  | 'invalid_value'
  | 'out_of_range'
  | 'too_big'
  | 'invalid_date'
  | 'invalid_json'
  | 'invalid_row'
  /** Reserved, not produced: bytes that are not UTF-8 become U+FFFD and the row gets a warning instead. */
  | 'invalid_encoding'
  | 'truncated'
  | 'invalid_option'
  | 'invalid_file'
  /** An API used out of order: a batch's `summary()` before its last row, a run iterated twice. */
  | 'invalid_state'

/** One problem with one field of a row or one option. */
export interface Issue {
  /** Dot path of the field or option ("rating", "map.text"). */
  field: string
  code: ErrorCode
  message: string
}

/**
 * Marks a RecensioError of either build: the ESM and the CommonJS entry each
 * define the class, and an app that loads both (its own `import`, a
 * dependency's `require`) must still catch one with `instanceof`.
 */
const BRAND = Symbol.for('recensio.RecensioError')

/**
 * Thrown for bad options, a bad file, or an invalid review passed to `analyze`.
 * Batches never throw for a bad row: the row becomes an `ErrorRow`.
 * `instanceof RecensioError` holds whichever entry (ESM or CommonJS) threw it.
 */
export class RecensioError extends Error {
  /** What went wrong, as a snake_case code (`invalid_option`, `invalid_file`, `invalid_type` …). */
  readonly code: ErrorCode
  /** Each problem with its field or option path; empty when the message says it all. */
  readonly issues: Issue[]

  constructor(code: ErrorCode, message: string, issues: Issue[] = []) {
    super(message)
    this.name = 'RecensioError'
    this.code = code
    this.issues = issues
  }
}
Object.defineProperty(RecensioError.prototype, BRAND, { value: true })
// The CommonJS build assigns the class to exports.RecensioError, which gives it no name of its own ("").
Object.defineProperty(RecensioError, 'name', { value: 'RecensioError' })
// Set outside the class body: a static member that names the class makes the bundler rename it (`_RecensioError`).
Object.defineProperty(RecensioError, Symbol.hasInstance, {
  value(this: unknown, value: unknown): boolean {
    // A subclass keeps the plain prototype-chain test.
    if (this !== RecensioError) return Function.prototype[Symbol.hasInstance].call(this, value)
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  },
})

/** An error row as summaries quote it: `row 12 (id r12), field "text": text is required`. */
export function errorRowText(row: number, id: string | null, field: string, message: string): string {
  return `row ${row}${id === null ? '' : ` (id ${id})`}, field "${field}": ${message}`
}

/** Show a value in an error message the way a user would recognize it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value
    return JSON.stringify(shown)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return 'an array'
  // A date parsed from a bad string upstream: "an object" would hide what it is.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `a Date (${value.toISOString()})`
  // A queue message's body passed on as it came (a Buffer), or a Map: neither has fields to read.
  if (ArrayBuffer.isView(value)) return `${value.byteLength} byte${value.byteLength === 1 ? '' : 's'}`
  if (value instanceof Map) return 'a Map'
  return `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`
}

/** What a path-or-paths argument (`analyzeFile`, `runReport`) held instead of paths, for its error message. */
export function describePaths(value: unknown): string {
  if (!Array.isArray(value)) return describeValue(value)
  if (value.length === 0) return 'an empty array'
  return `an array holding ${describeValue(value.find((p) => typeof p !== 'string' || p === ''))}`
}

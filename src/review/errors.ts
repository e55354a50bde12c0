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
 * Thrown for bad options, a bad file, or an invalid review passed to `analyze`.
 * Batches never throw for a bad row: the row becomes an `ErrorRow`.
 */
export class RecensioError extends Error {
  readonly code: ErrorCode
  readonly issues: Issue[]

  constructor(code: ErrorCode, message: string, issues: Issue[] = []) {
    super(message)
    this.name = 'RecensioError'
    this.code = code
    this.issues = issues
  }
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
  return `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`
}

/**
 * One input row → a coerced `Review`, or an `ErrorRow` that names the row, the
 * id and the field. Never throws for a bad row.
 */
import { dayless } from './coerce.js'
import { type Issue, describeValue } from './errors.js'
import { type CanonicalField, type FieldMap, FieldResolver, keyPath, valueAt } from './fields.js'
import type { ResolvedOptions } from './options.js'
import { type Review, type ReviewSchema, firstIssue, makeReviewSchema, makeRowCoercer } from './schema.js'
import type { ErrorRow } from './types.js'

export interface ValidRow {
  ok: true
  row: number
  id: string
  review: Review
  /** The `keep` fields of the raw row, or undefined when none were asked for. */
  fields: Record<string, unknown> | undefined
  /** True when the row's date names no day ("March 2024"): it is the 1st in the result, and no day for the batch signals. */
  dayless: boolean
}

/** Validates rows of one batch: builds the schema and the field resolver once. */
export class RowValidator {
  readonly resolver: FieldResolver
  private readonly schema: ReviewSchema
  /** The schema's coercions without zod: rows it cannot take go through `schema` (see `makeRowCoercer`). */
  private readonly coerce: (canonical: Readonly<Record<string, unknown>>) => Review | null
  private readonly keep: string[]
  /** Each `keep` name split at its dots, or null when it has none: "user.name" also reads a key inside an object, as `map` does. */
  private readonly keepPaths: (string[] | null)[]
  private readonly map: FieldMap

  constructor(options: ResolvedOptions) {
    this.resolver = new FieldResolver(options.map)
    this.map = options.map
    this.schema = makeReviewSchema(options.schema)
    this.coerce = makeRowCoercer(options.schema)
    this.keep = options.keep
    this.keepPaths = options.keep.map(keyPath)
  }

  validate(raw: unknown, row: number): ValidRow | ErrorRow {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return {
        id: null,
        ok: false,
        row,
        error: { field: 'row', code: 'invalid_row', message: `expected an object, got ${describeValue(raw)}` },
      }
    }
    const record = raw as Record<string, unknown>
    const canonical = this.resolver.resolve(record)
    let review = this.coerce(canonical)
    if (review === null) {
      const parsed = this.schema.safeParse(canonical)
      if (!parsed.success) {
        // As a result's id: trimmed, and none when blank (an empty id cell of a CSV).
        const rawId = canonical.id
        const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId).trim() || null : null
        return { id, ok: false, row, error: withKeysHint(this.withColumn(firstIssue(parsed.error), canonical), canonical, record) }
      }
      review = parsed.data
    }
    let fields: Record<string, unknown> | undefined
    if (this.keep.length > 0) {
      fields = {}
      for (let k = 0; k < this.keep.length; k++) {
        const key = this.keep[k]!
        const path = this.keepPaths[k] ?? null
        // A key holding a dot as written (a CSV column "a.b") comes first.
        fields[key] = (path === null || key in record ? record[key] : valueAt(record, path)) ?? null
      }
    }
    return { ok: true, row, id: review.id ?? String(row), review, fields, dayless: review.date !== undefined && dayless(canonical.date) }
  }

  /** A required field read from a mapped column the row lacks: say which column was looked for. */
  private withColumn(issue: Issue, canonical: Readonly<Record<string, unknown>>): Issue {
    const column = this.map[issue.field as CanonicalField]
    // Undefined: the row has no such key (null is an empty value in it).
    if (issue.code !== 'required' || column === undefined || canonical[issue.field] !== undefined) return issue
    return { ...issue, message: `${issue.message}: the map reads it from "${column}", which this row does not have` }
  }
}

/** Keys of an object value named in the hint, at most. */
const KEYS_SHOWN = 5

/**
 * An object where a field takes a value (an API's `"user": {"name": …}`)
 * cannot be read as it is: the message names its keys and how to read one.
 */
function withKeysHint(error: ErrorRow['error'], canonical: Record<string, unknown>, record: Record<string, unknown>): ErrorRow['error'] {
  const value = canonical[error.field]
  if (error.code !== 'invalid_type' || typeof value !== 'object' || value === null || Array.isArray(value)) return error
  const keys = Object.keys(value)
  const key = Object.keys(record).find((k) => record[k] === value)
  if (keys.length === 0 || key === undefined) return error
  const shown = keys.slice(0, KEYS_SHOWN).join(', ') + (keys.length > KEYS_SHOWN ? ', …' : '')
  return { ...error, message: `${error.message} with the ${keys.length === 1 ? 'key' : 'keys'} ${shown}: read one with --map ${error.field}=${key}.${keys[0]} (option map.${error.field})` }
}

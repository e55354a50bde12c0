/**
 * One input row → a coerced `Review`, or an `ErrorRow` that names the row, the
 * id and the field. Never throws for a bad row.
 */
import { type DateOrder, dayless, otherLang } from './coerce.js'
import { type Issue, describeValue } from './errors.js'
import { CANONICAL_FIELDS, type CanonicalField, type FieldMap, FieldResolver, MAX_COUNTED_KEY_LENGTH, MAX_COUNTED_KEYS, TEXT_FIELDS, type Wrapper, allKeys, isAliasOf, isPlainObject, keyPath, looseName, mappedWrapper, mayWrap, namesDayFirstDates, rowWrapper, setOwn, valueAt } from './fields.js'
import type { ResolvedOptions } from './options.js'
import { type TextPart, joinParts } from './parts.js'
import { relativeDate } from './relative-date.js'
import { type Review, type ReviewSchema, firstIssue, makeReviewSchema, makeRowCoercer, offScaleOf, otherDateOrderOf } from './schema.js'
import type { ErrorRow } from './types.js'

/** A date that only reads in the other day/month order: that order, and the date as the row gives it. */
export interface OtherOrderDate {
  order: DateOrder
  value: string
}

/** A number off its field's scale: the field (`rating`, `ces` or `csat`) and the number. */
export interface OffScale {
  field: ScaleField
  value: number
}

/** The fields whose scale an option sets. */
export const SCALE_FIELDS = ['rating', 'ces', 'csat'] as const

export type ScaleField = (typeof SCALE_FIELDS)[number]

export interface ValidRow {
  ok: true
  row: number
  id: string
  review: Review
  /** The `keep` fields of the raw row, or undefined when none were asked for. */
  fields: Record<string, unknown> | undefined
  /** True when the row's date names no day ("March 2024", read as the 1st; "2 weeks ago"): no day for the batch signals. */
  dayless: boolean
  /** The row's `lang` when it names a language recensio does not score ("fr"): its language is detected, with a warning. */
  otherLang?: string
  /** The row's date as given when it is relative ("3 days ago") and no `referenceDate` was given: no date, with a warning. */
  relativeDate?: string
  /** Where the row's own text, pros and cons sit in `review.text`, when it was read from its halves (`joinParts`). */
  parts?: TextPart[]
}

/** Validates rows of one batch: builds the schema and the field resolver once. */
export class RowValidator {
  readonly resolver: FieldResolver
  /** Made when a row first fails the coercer (zod loads then). */
  private schema: ReviewSchema | null = null
  private readonly settings: ResolvedOptions['schema']
  /** The schema's coercions without zod: rows it cannot take go through `schema` (see `makeRowCoercer`). */
  private readonly coerce: (canonical: Readonly<Record<string, unknown>>) => Review | null
  /**
   * Without a `dateOrder` option: the coercer and schema for rows whose date
   * column has a Spanish or Italian name ("Fecha", "Data"), which read day
   * first (`namesDayFirstDates`); made on first need.
   */
  private dayFirst: { coerce: (canonical: Readonly<Record<string, unknown>>) => Review | null; settings: ResolvedOptions['schema']; schema: ReviewSchema | null } | null = null
  private readonly orderGiven: boolean
  /** Date keys seen, and whether each names day-first dates. */
  private readonly dayFirstKeys = new Map<string, boolean>()
  private readonly keep: string[]
  /** Each `keep` name split at its dots, or null when it has none: "user.name" also reads a key inside an object, as `map` does. */
  private readonly keepPaths: (string[] | null)[]
  /** Per `keep` name, whether every object has it (`toString`, `constructor`, `__proto__`): the row's only when its own. */
  private readonly keepInherited: boolean[]
  private readonly map: FieldMap
  /** Rows read for `keep` since the last `takeKept` (result rows, and error rows given their `keep` fields), and of them the rows that had each `keep` key. */
  private keptRows = 0
  private keptKeys: number[]
  /**
   * Set by each `validate`: when the row is an error row whose error is
   * a date that only reads in the other day/month order ("14/03/2024" read
   * month first), that order and the date as the row gives it; else
   * undefined. The batch summary counts such rows from it.
   */
  otherDateOrder: OtherOrderDate | undefined = undefined
  /**
   * Set by each `validate`: when the row is an error row with numbers off
   * their field's scale (a rating of 8 on 1–5), whatever its first error,
   * each field and its number; else undefined. The batch summary says which
   * scale such numbers fit.
   */
  offScale: OffScale[] | undefined = undefined

  /** The wrapper a mapped text is read from (`--map text=attributes.body`): the row's other fields are read inside it too. */
  private readonly textWrapper: { keys: string[]; path: string } | null
  /** Whether a key names the review text, or a half it is read from (for rows kept in a wrapper, see `rowWrapper`). */
  private readonly isText = (key: string): boolean => (TEXT_FIELDS as readonly (string | null)[]).includes(this.resolver.fieldOf(key))

  constructor(options: ResolvedOptions) {
    // A chunk's rows each count their keys, however many: the batch adds chunks up to its own bound, in input order.
    this.resolver = new FieldResolver(options.map, Math.max(MAX_COUNTED_KEYS, options.chunkSize))
    this.map = options.map
    const wrapperKeys = mappedWrapper(options.map.text)
    this.textWrapper = wrapperKeys === null ? null : { keys: wrapperKeys, path: wrapperKeys.join('.') }
    this.settings = options.schema
    this.coerce = makeRowCoercer(options.schema)
    this.orderGiven = options.raw.dateOrder !== undefined
    this.keep = options.keep
    this.keepPaths = options.keep.map(keyPath)
    this.keepInherited = options.keep.map((key) => key in Object.prototype)
    this.keptKeys = options.keep.map(() => 0)
  }

  /** How many rows were read for `keep` since the last call, and how many of them had each `keep` key (in `keep` order). */
  takeKept(): { rows: number; keys: number[] } {
    const kept = { rows: this.keptRows, keys: this.keptKeys }
    this.keptRows = 0
    this.keptKeys = this.keep.map(() => 0)
    return kept
  }

  /**
   * Validate one row. A row that throws as it is read (a getter that throws,
   * a Proxy) is an error row naming the field whose read threw.
   */
  validate(raw: unknown, row: number): ValidRow | ErrorRow {
    this.otherDateOrder = undefined
    this.offScale = undefined
    try {
      return this.read(raw, row)
    } catch (error) {
      // A read that threw after the date or a number was refused: the row's error is the read.
      this.otherDateOrder = undefined
      this.offScale = undefined
      return this.unreadable(raw as object, row, error)
    }
  }

  private read(raw: unknown, row: number): ValidRow | ErrorRow {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || ArrayBuffer.isView(raw) || raw instanceof Map) {
      return {
        id: null,
        ok: false,
        row,
        error: { field: 'row', code: 'invalid_row', message: `expected an object, got ${describeValue(raw)}${jsonTextHint(raw)}` },
      }
    }
    const record = raw as Record<string, unknown>
    // An API's row with its fields in `attributes` or `node` (JSON:API, GraphQL), or Google Play's, is read inside too:
    // inside the wrapper a mapped text names, or else the one that holds a text.
    let wrapper: Wrapper | null = null
    if (this.textWrapper !== null) {
      const { keys, path } = this.textWrapper
      const inner = valueAt(record, keys)
      if (isPlainObject(inner)) wrapper = { key: keys[0]!, path, inner }
    } else if (this.map.text === undefined && mayWrap(record)) wrapper = rowWrapper(record, this.isText)
    const canonical = this.resolver.resolve(record, wrapper)
    // A review asked for in halves (pros and cons) is read as one text.
    let parts: TextPart[] | undefined
    if (canonical.pros !== undefined || canonical.cons !== undefined) {
      const joined = joinParts(canonical.text, canonical.pros, canonical.cons)
      if (joined !== null && 'code' in joined) return this.withKept({ id: errorRowId(canonical.id), ok: false, row, error: joined }, record)
      if (joined === null && (canonical.text === undefined || canonical.text === null || (typeof canonical.text === 'string' && canonical.text.trim() === ''))) {
        return this.withKept({ id: errorRowId(canonical.id), ok: false, row, error: noPartsIssue(canonical) }, record)
      }
      // A text that is neither a string nor empty is passed over only when it is the object the halves were
      // read from (`content: { positive, negative }`); any other (a number, a stray object) is the row's error,
      // as it would be without halves.
      const text = canonical.text
      if (joined !== null && (text === undefined || text === null || typeof text === 'string' || holdsHalf(text, canonical))) {
        // A text passed over (blank, or the halves' object) was not read: the columns line leaves it out.
        if (text !== undefined && joined.parts[0]!.field !== 'text') this.resolver.uncountText()
        canonical.text = joined.text
        parts = joined.parts
      }
      delete canonical.pros
      delete canonical.cons
    }
    const dayFirst = this.readsDayFirst()
    let review = dayFirst === null ? this.coerce(canonical) : dayFirst.coerce(canonical)
    if (review === null) {
      const schema = dayFirst === null ? (this.schema ??= makeReviewSchema(this.settings)) : (dayFirst.schema ??= makeReviewSchema(dayFirst.settings))
      const parsed = schema.safeParse(canonical)
      if (!parsed.success) {
        const id = errorRowId(canonical.id)
        const order = otherDateOrderOf(parsed.error)
        if (order !== undefined) this.otherDateOrder = { order, value: String(canonical.date) }
        const off = offScaleOf(parsed.error).filter((o): o is OffScale => (SCALE_FIELDS as readonly string[]).includes(o.field))
        if (off.length > 0) this.offScale = off
        return this.withKept({ id, ok: false, row, error: withKeysHint(this.withColumn(withParts(firstIssue(parsed.error), parts), canonical), canonical, record, wrapper) }, record)
      }
      review = parsed.data
    }
    let fields: Record<string, unknown> | undefined
    if (this.keep.length > 0) {
      const kept = this.kept(record)
      // Results are JSON: a kept value JSON cannot write would fail the whole row later, unnamed.
      if (!('fields' in kept)) return { id: errorRowId(canonical.id), ok: false, row, error: { field: kept.key, code: 'invalid_value', message: `expected a value JSON can hold, ${kept.unwritable}` } }
      fields = this.counted(kept.fields)
    }
    const valid: ValidRow = { ok: true, row, id: review.id ?? String(row), review, fields, dayless: review.date !== undefined && dayless(canonical.date) }
    if (parts !== undefined) valid.parts = parts
    // A date value that gave no date: blank, or relative with nothing to count back from.
    if (review.date === undefined && typeof canonical.date === 'string' && relativeDate(canonical.date) !== null) valid.relativeDate = canonical.date.trim()
    if (review.lang === undefined && canonical.lang !== undefined) {
      const other = otherLang(canonical.lang)
      if (other !== undefined) valid.otherLang = other
    }
    return valid
  }

  /**
   * The `keep` fields of a row, each read as written (a key holding a dot as
   * written, a CSV column "a.b", before the path it spells); or the first key
   * whose value JSON cannot hold, and why.
   */
  private kept(record: Record<string, unknown>): { fields: Record<string, unknown> } | { key: string; unwritable: string } {
    const fields: Record<string, unknown> = {}
    for (let k = 0; k < this.keep.length; k++) {
      const key = this.keep[k]!
      const path = this.keepPaths[k] ?? null
      // A key every object has (`toString`, `constructor`) is the row's only when its own.
      const inherited = this.keepInherited[k]!
      const has = inherited ? Object.hasOwn(record, key) : key in record
      let value = has ? record[key] : path === null ? undefined : valueAt(record, path)
      // A 64-bit value from a database driver (an order id) is kept by its digits, as ids are.
      if (typeof value === 'bigint') value = String(value)
      setOwn(fields, key, value)
    }
    for (const key of this.keep) {
      const unwritable = unwritableText(fields[key])
      if (unwritable === null) continue
      // A bigint inside a kept object (a driver's row with a 64-bit id) is kept by its digits, as one kept alone is.
      const copy = withBigintDigits(fields[key] as object)
      if (copy === undefined) return { key, unwritable }
      setOwn(fields, key, copy)
    }
    return { fields }
  }

  /**
   * An error row with the row's `keep` fields, so it can be joined back as a
   * result row can: when every one reads and JSON can hold it (a key the row
   * lacks is null). The error is the row's either way.
   */
  private withKept(error: ErrorRow, record: Record<string, unknown>): ErrorRow {
    if (this.keep.length === 0) return error
    let kept: ReturnType<RowValidator['kept']>
    try {
      kept = this.kept(record)
    } catch {
      return error
    }
    if (!('fields' in kept)) return error
    error.fields = this.counted(kept.fields)
    return error
  }

  /**
   * Count a row's `keep` fields for `takeKept`, once every key was read (a
   * key whose read throws gives a row without them), and give a key the row
   * lacks as null.
   */
  private counted(fields: Record<string, unknown>): Record<string, unknown> {
    for (let k = 0; k < this.keep.length; k++) {
      const key = this.keep[k]!
      if (fields[key] !== undefined) this.keptKeys[k]!++
      else fields[key] = null
    }
    this.keptRows++
    return fields
  }

  /** The day-first coercion when the row just resolved has its date in a Spanish or Italian column and no `dateOrder` was given; else null. */
  private readsDayFirst(): NonNullable<RowValidator['dayFirst']> | null {
    const key = this.resolver.dateKey
    if (key === undefined || this.orderGiven || this.settings.dateOrder === 'dmy') return null
    let named = this.dayFirstKeys.get(key)
    if (named === undefined) {
      named = namesDayFirstDates(key)
      if (this.dayFirstKeys.size < 1024 && key.length <= MAX_COUNTED_KEY_LENGTH) this.dayFirstKeys.set(key, named)
    }
    if (!named) return null
    if (this.dayFirst === null) {
      const settings = { ...this.settings, dateOrder: 'dmy' as const }
      this.dayFirst = { coerce: makeRowCoercer(settings), settings, schema: null }
    }
    return this.dayFirst
  }

  /**
   * The error row of a row whose reading threw: the key whose read throws,
   * found by reading the keys the validator reads again one by one, and the
   * field it is read for (itself, for a `keep` key); "row" when none throws
   * alone (a Proxy whose keys cannot be listed).
   */
  private unreadable(raw: object, row: number, error: unknown): ErrorRow {
    let key: string | null = null
    try {
      const record = raw as Record<string, unknown>
      for (const name of allKeys(raw)) {
        if (this.resolver.fieldOf(name) === null && !this.keep.includes(name)) continue
        try {
          void record[name]
        } catch {
          key = name
          break
        }
      }
      const paths: (readonly [string, readonly string[]])[] = [...this.resolver.mappedPaths]
      this.keep.forEach((name, k) => {
        const keys = this.keepPaths[k]
        if (keys !== null && keys !== undefined) paths.push([name, keys])
      })
      for (const [name, keys] of paths) {
        if (key !== null) break
        try {
          valueAt(raw, keys)
        } catch {
          key = name
        }
      }
    } catch {
      // The row's keys cannot be listed: the row as a whole is unreadable.
    }
    const what = thrownText(error)
    const id = this.readableId(raw)
    if (key === null) return { id, ok: false, row, error: { field: 'row', code: 'invalid_row', message: `expected an object whose fields can be read, but reading it threw ${what}` } }
    const field = this.resolver.fieldOf(key) ?? key
    return { id, ok: false, row, error: { field, code: 'invalid_value', message: `expected a value, but reading "${key}" threw ${what}` } }
  }

  /** The row's id when it can be read as it is (a string or number under the id key), else null. */
  private readableId(raw: object): string | null {
    try {
      return errorRowId((raw as Record<string, unknown>)[this.map.id ?? 'id'])
    } catch {
      return null
    }
  }

  /** A required field read from a mapped column the row lacks: say which column was looked for. */
  private withColumn(issue: Issue, canonical: Readonly<Record<string, unknown>>): Issue {
    const column = this.map[issue.field as CanonicalField]
    // Undefined: the row has no such key (null is an empty value in it).
    if (issue.code !== 'required' || column === undefined || canonical[issue.field] !== undefined) return issue
    return { ...issue, message: `${issue.message}: the map reads it from "${column}", which this row does not have` }
  }
}

/** A row with pros or cons but no words in them, nor a text: what they held. */
function noPartsIssue(canonical: Partial<Record<CanonicalField, unknown>>): Issue {
  const shown = (value: unknown) => (value === null || (typeof value === 'string' && value.trim() === '') ? '(blank)' : describeValue(value))
  const held = (['pros', 'cons'] as const).filter((f) => canonical[f] !== undefined).map((f) => `${f} ${shown(canonical[f])}`)
  return { field: 'text', code: 'required', message: `text is required: the row has none, and no words in its ${held.join(' or ')}` }
}

/** Whether a text value is the object that holds the row's pros or cons (`content` of `content.positive`). */
function holdsHalf(text: unknown, canonical: Partial<Record<CanonicalField, unknown>>): boolean {
  if (!isPlainObject(text)) return false
  const { pros, cons } = canonical
  return Object.values(text).some((v) => v !== null && v !== undefined && (v === pros || v === cons))
}

/** A text too long that was read from the row's halves: say which parts it was read from, as one text that the limit counts. */
function withParts(issue: Issue, parts: readonly TextPart[] | undefined): Issue {
  if (parts === undefined || issue.field !== 'text' || issue.code !== 'too_big') return issue
  if (parts.length === 1) return { ...issue, message: `${issue.message} in its ${parts[0]!.field}` }
  const names = `${parts.slice(0, -1).map((p) => p.field).join(', ')} and ${parts.at(-1)!.field}`
  const lengths = parts.map((p) => p.end - p.start).join(' + ')
  const breaks = parts.length === 2 ? 'a paragraph break' : 'paragraph breaks'
  return { ...issue, message: `${issue.message} in its ${names} read as one text (${lengths} characters, with ${breaks} between them)` }
}

/** An id value as an error row gives it: trimmed, and none when blank (an empty id cell of a CSV) or not a string, number or bigint (a 64-bit id, by its digits, as a result row gives it). */
function errorRowId(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value).trim() || null : null
}

/** For a row given as JSON text or bytes (a queue message not parsed): what to do. */
function jsonTextHint(raw: unknown): string {
  if (typeof raw === 'string' && /^\s*\{/.test(raw)) return ' (JSON text: parse it into an object first)'
  if (ArrayBuffer.isView(raw)) return ' (decode and parse them into an object first)'
  if (raw instanceof Map) return ' (make it an object first: Object.fromEntries)'
  return ''
}

/**
 * Why JSON cannot write a kept value ("got a bigint (12n)", a circular
 * object), or null when it can. Only objects are tried, so plain values cost
 * a `typeof`.
 */
function unwritableText(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null
  try {
    JSON.stringify(value)
    return null
  } catch (error) {
    // V8's circular-structure message goes on over several lines.
    return `but writing it threw ${thrownText(error).split('\n')[0]}`
  }
}

/**
 * A kept object as JSON writes it, with each bigint in it as its digits
 * (`{"n":"9007199254740993"}`); undefined when JSON cannot write it even so
 * (a circular object, a getter that throws).
 */
function withBigintDigits(value: object): unknown {
  try {
    return JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) as unknown
  } catch {
    return undefined
  }
}

/** What a read threw, for a message: "TypeError: nope". */
function thrownText(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`
    return describeValue(error)
  } catch {
    return 'an error'
  }
}

/** The bare names of the halves inside an object that holds a review (`content: { positive, negative }`), too loose for a column. */
const HALF_NAMES = { pros: 'positive', cons: 'negative' } as const

/** Whether `key` names `field` by an alias (a field such as `row` has none). */
function named(field: string, key: string): boolean {
  return (CANONICAL_FIELDS as readonly string[]).includes(field) && isAliasOf(field as CanonicalField, key)
}

/** Keys of an object value named in the hint, at most. */
const KEYS_SHOWN = 5

/**
 * An object where a field takes a value (an API's `"user": {"name": …}`)
 * cannot be read as it is: the message names its keys and how to read one.
 */
function withKeysHint(error: ErrorRow['error'], canonical: Record<string, unknown>, record: Record<string, unknown>, wrapper: Wrapper | null): ErrorRow['error'] {
  const value = canonical[error.field]
  if (error.code !== 'invalid_type' || typeof value !== 'object' || value === null || Array.isArray(value)) return error
  const keys = Object.keys(value)
  // The key beside the wrapper (`rowWrapper`), or else inside it, by its path (`attributes.user`).
  const inner = wrapper?.inner ?? null
  const innerKey = inner === null ? undefined : Object.keys(inner).find((k) => inner[k] === value)
  const key = Object.keys(record).find((k) => record[k] === value) ?? (innerKey === undefined ? undefined : `${wrapper!.path}.${innerKey}`)
  if (keys.length === 0 || key === undefined) return error
  const shown = keys.slice(0, KEYS_SHOWN).join(', ') + (keys.length > KEYS_SHOWN ? ', …' : '')
  // The example reads a key named as the field (`review.text`, even where this row left it null), else one that holds
  // a string or a number, when one does (not a flag or a list).
  const object = value as Record<string, unknown>
  const scalar = (k: string) => typeof object[k] === 'string' || typeof object[k] === 'number'
  const example = keys.find((k) => (scalar(k) || object[k] === null) && named(error.field, k)) ?? keys.find(scalar) ?? keys[0]
  // A text kept in halves (`content: { positive, negative }`): map both, a half this row left empty (null) too.
  if (error.field === 'text') {
    const halves = (['pros', 'cons'] as const).flatMap((half) => {
      const at = keys.find((k) => (typeof object[k] === 'string' || object[k] === null) && (isAliasOf(half, k) || looseName(k) === HALF_NAMES[half]))
      return at === undefined ? [] : [[half, at] as const]
    })
    if (halves.length > 0) {
      const map = halves.map(([half, at]) => `${half}=${key}.${at}`).join(',')
      const options = halves.map(([half]) => `map.${half}`).join(', ')
      return { ...error, message: `${error.message} with the ${keys.length === 1 ? 'key' : 'keys'} ${shown}: read its halves with --map ${map} (option${halves.length > 1 ? 's' : ''} ${options})` }
    }
  }
  return { ...error, message: `${error.message} with the ${keys.length === 1 ? 'key' : 'keys'} ${shown}: read one with --map ${error.field}=${key}.${example} (option map.${error.field})` }
}

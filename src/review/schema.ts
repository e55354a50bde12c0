/**
 * The input contract as a zod schema. Each field runs one coercion from
 * `coerce.ts`, so the messages say what was expected and what was found. The
 * schema is built once per batch (its scales come from the options), when a
 * row first fails the row coercer: rows it takes never need zod.
 */
import {
  type DateOrder,
  Failure,
  type Lang,
  type Scale,
  coerceBoolean,
  coerceDate,
  coerceLang,
  coerceName,
  coerceRating,
  coerceScore,
  coerceSegment,
  coerceString,
  coerceText,
  coerceTitle,
} from './coerce.js'
import type { ErrorCode, Issue } from './errors.js'
import { type Zod, type ZodApi, zod } from './zod.js'

function field<In, Out>(z: ZodApi, coerce: (value: unknown) => Out | Failure) {
  return z.custom<In>().transform((value, ctx): Out => {
    const out = coerce(value)
    if (out instanceof Failure) {
      const params: { code: ErrorCode; otherOrder?: DateOrder; offScale?: number } = { code: out.code }
      if (out.otherOrder !== undefined) params.otherOrder = out.otherOrder
      if (out.offScale !== undefined) params.offScale = out.offScale
      ctx.addIssue({ code: 'custom', message: out.message, params })
      return z.NEVER
    }
    return out
  })
}

export interface SchemaSettings {
  ratingScale: Scale
  cesScale: Scale
  csatScale: Scale
  maxTextLength: number
  dateOrder: DateOrder
  /** Epoch ms of the day the reviews were exported, which relative dates ("3 days ago") count back from; undefined: none. */
  referenceDate: number | undefined
}

export const NPS_SCALE: Scale = { min: 0, max: 10 }

/**
 * The fields of the row schema, declared on their own so that their JSDoc
 * reaches the published `.d.ts` (an inferred `z.object({...})` type is
 * printed without comments) and shows on hover over `ReviewInput` fields.
 */
function reviewShape(z: ZodApi, settings: SchemaSettings) {
  return {
    /** The review's id, echoed in the output (default: the row number); a 64-bit id as a bigint keeps its digits. */
    id: field<string | number | bigint | null, string | undefined>(z, coerceString).optional(),
    /** The review body, required (at most `maxTextLength` characters); a review in halves may give `pros` and `cons` instead. */
    text: field<string, string>(z, (v) => coerceText(v, settings.maxTextLength)),
    /** The review title, scored with the body. */
    title: field<string | number | null, string | undefined>(z, coerceTitle).optional(),
    /** Stars: `4`, `"4.0"`, `"4/5"`, `"4 out of 5 stars"`, `"Rated 4 out of 5"`, `"five stars"` (`"FIVE"`), `"★★★★☆"`; on 1–5 unless `ratingScale` says otherwise. */
    rating: field<number | string | null, number | undefined>(z, (v) => coerceRating(v, settings.ratingScale, 'ratingScale')).optional(),
    /** When it was posted: ISO 8601 (no zone: UTC), epoch seconds or ms, `20240305`, `"05/03/2024"` (see `dateOrder`), a written date in Spanish, Italian or English, or a relative one (`"3 days ago"`, `"hace 2 semanas"`, see `referenceDate`). */
    date: field<string | number | Date | null, number | undefined>(z, (v) => coerceDate(v, settings.dateOrder, settings.referenceDate)).optional(),
    /** Reviewer id, for reviewer behaviour and copies across authors. */
    author: field<string | number | bigint | null, string | undefined>(z, coerceName).optional(),
    /** Id of the item reviewed, for bursts and per-product figures. */
    product: field<string | number | bigint | null, string | undefined>(z, coerceName).optional(),
    /** The platform's verified-purchase flag: `true`, `"yes"`, `"Y"`, `1`, `"Verified Purchase"` … */
    verified: field<boolean | string | number | null, boolean | undefined>(z, coerceBoolean).optional(),
    /** `es`, `it` or `en` (`"es-MX"`, `"spa"`, `"Spanish"` accepted): skips language detection. Another language (`"fr"`) is detected instead, with a warning. */
    lang: field<Lang | (string & {}) | null, Lang | undefined>(z, coerceLang).optional(),
    /** Where the feedback came from (web, app, store …), for breakdowns in the report. */
    channel: field<string | number | null, string | undefined>(z, coerceName).optional(),
    /** The customer segment or market, for breakdowns in the report. */
    segment: field<string | number | null, string | undefined>(z, coerceSegment).optional(),
    /** Survey answer to "would you recommend", on 0–10. */
    nps: field<number | string | null, number | undefined>(z, (v) => coerceScore(v, NPS_SCALE)).optional(),
    /** Survey customer-effort answer, on `cesScale` (default 1–7). */
    ces: field<number | string | null, number | undefined>(z, (v) => coerceScore(v, settings.cesScale, 'cesScale')).optional(),
    /** Survey satisfaction answer, on `csatScale` (default 1–5). */
    csat: field<number | string | null, number | undefined>(z, (v) => coerceScore(v, settings.csatScale, 'csatScale')).optional(),
  }
}

/** Build the row schema for one set of options. */
export function makeReviewSchema(settings: SchemaSettings): Zod.ZodObject<ReturnType<typeof reviewShape>, Zod.core.$strip> {
  const z = zod()
  return z.object(reviewShape(z, settings))
}

export type ReviewSchema = ReturnType<typeof makeReviewSchema>

/**
 * The halves of a review asked for apart (Booking.com's positive and negative
 * review, pros and cons): read as its text, after the row's own `text` when it
 * has one, with a paragraph break between them. Evidence in them has spans
 * whose `field` is `pros` or `cons`.
 */
export interface ReviewHalves {
  /** What the reviewer liked. */
  pros?: string | null
  /** What the reviewer did not like. */
  cons?: string | null
}

/** One review as a user passes it (canonical field names; see `map` for others). */
export type ReviewInput = Zod.input<ReviewSchema> & ReviewHalves

/** One review given in halves (`pros`, `cons`), with or without a `text` (none when null, as a database writes it): its text is read from them. */
export type ReviewInHalves = Omit<Zod.input<ReviewSchema>, 'text'> & { [K in keyof Pick<Zod.input<ReviewSchema>, 'text'>]?: Zod.input<ReviewSchema>[K] | null } & ReviewHalves & ({ pros: string } | { cons: string })

/** One review after coercion: ratings on 1–5 stars, dates in epoch ms (UTC). */
export type Review = Zod.output<ReviewSchema>

/** The first problem zod found, as an `Issue` with the field's dot path. */
export function firstIssue(error: Zod.ZodError): Issue {
  const issue = error.issues[0]!
  const field = issue.path.map(String).join('.') || 'row'
  const params = (issue as { params?: { code?: ErrorCode } }).params
  return { field, code: params?.code ?? 'invalid_value', message: issue.message }
}

/** Each field that gave a number off its scale (a rating of 8 on 1–5), with the number, among all of a row's problems (not only its first). */
export function offScaleOf(error: Zod.ZodError): { field: string; value: number }[] {
  const out: { field: string; value: number }[] = []
  for (const issue of error.issues) {
    const value = (issue as { params?: { offScale?: number } }).params?.offScale
    if (value !== undefined) out.push({ field: String(issue.path[0]), value })
  }
  return out
}

/** The day/month order the first problem's date reads in, when it is a date that only reads in the order other than `dateOrder`. */
export function otherDateOrderOf(error: Zod.ZodError): DateOrder | undefined {
  return (error.issues[0] as { params?: { otherOrder?: DateOrder } }).params?.otherOrder
}

/**
 * Each schema field's coercion, in schema order: what `makeRowCoercer` runs
 * (test/review.test.ts checks the fields match the schema's).
 *
 * @param settings The scales and the text cap.
 * @returns [field, coercion] pairs.
 */
export function rowCoercions(settings: SchemaSettings): [keyof Review & string, (value: unknown) => unknown][] {
  return [
    ['id', coerceString],
    ['text', (v) => coerceText(v, settings.maxTextLength)],
    ['title', coerceTitle],
    ['rating', (v) => coerceRating(v, settings.ratingScale, 'ratingScale')],
    ['date', (v) => coerceDate(v, settings.dateOrder, settings.referenceDate)],
    ['author', coerceName],
    ['product', coerceName],
    ['verified', coerceBoolean],
    ['lang', coerceLang],
    ['channel', coerceName],
    ['segment', coerceSegment],
    ['nps', (v) => coerceScore(v, NPS_SCALE)],
    ['ces', (v) => coerceScore(v, settings.cesScale, 'cesScale')],
    ['csat', (v) => coerceScore(v, settings.csatScale, 'csatScale')],
  ]
}

/**
 * The schema's coercions called directly, for the common row whose every
 * field coerces: zod's parse costs about as much as all of them together.
 * Each field runs the very coercion its schema entry runs, in schema order,
 * and the output object lists the given fields in that order, as zod's does.
 * A row with any failure gets null, and goes through zod for its error
 * (test/review.test.ts checks both paths give the same rows).
 *
 * @param settings The scales and the text cap, as for `makeReviewSchema`.
 * @returns A function from a canonical-keyed row (only defined values) to its review, or null.
 */
export function makeRowCoercer(settings: SchemaSettings): (canonical: Readonly<Record<string, unknown>>) => Review | null {
  const fields = rowCoercions(settings)
  return (canonical) => {
    const out: Record<string, unknown> = {}
    for (let f = 0; f < fields.length; f++) {
      const [key, coerce] = fields[f]!
      const value = canonical[key]
      // Absent: an optional field stays absent; a missing text is an error, for zod to word.
      if (value === undefined) {
        if (key === 'text') return null
        continue
      }
      const coerced = coerce(value)
      if (coerced instanceof Failure) return null
      out[key] = coerced
    }
    return out as Review
  }
}

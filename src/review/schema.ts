/**
 * The input contract as a zod schema. Each field runs one coercion from
 * `coerce.ts`, so the messages say what was expected and what was found. The
 * schema is built once per batch (its scales come from the options).
 */
import { z } from 'zod'
import {
  type DateOrder,
  Failure,
  type Lang,
  type Scale,
  coerceBoolean,
  coerceDate,
  coerceLang,
  coerceRating,
  coerceScore,
  coerceString,
  coerceText,
  coerceTitle,
} from './coerce.js'
import type { ErrorCode, Issue } from './errors.js'

function field<In, Out>(coerce: (value: unknown) => Out | Failure) {
  return z.custom<In>().transform((value, ctx): Out => {
    const out = coerce(value)
    if (out instanceof Failure) {
      ctx.addIssue({ code: 'custom', message: out.message, params: { code: out.code } })
      return z.NEVER
    }
    return out
  })
}

type Text = string | number | null

export interface SchemaSettings {
  ratingScale: Scale
  cesScale: Scale
  csatScale: Scale
  maxTextLength: number
  dateOrder: DateOrder
}

export const NPS_SCALE: Scale = { min: 0, max: 10 }

/** Build the row schema for one set of options. */
export function makeReviewSchema(settings: SchemaSettings) {
  return z.object({
    id: field<Text, string | undefined>(coerceString).optional(),
    text: field<string, string>((v) => coerceText(v, settings.maxTextLength)),
    title: field<Text, string | undefined>(coerceTitle).optional(),
    rating: field<number | string | null, number | undefined>((v) => coerceRating(v, settings.ratingScale, 'ratingScale')).optional(),
    date: field<string | number | Date | null, number | undefined>((v) => coerceDate(v, settings.dateOrder)).optional(),
    author: field<Text, string | undefined>(coerceString).optional(),
    product: field<Text, string | undefined>(coerceString).optional(),
    verified: field<boolean | string | number | null, boolean | undefined>(coerceBoolean).optional(),
    lang: field<string | null, Lang | undefined>(coerceLang).optional(),
    channel: field<Text, string | undefined>(coerceString).optional(),
    segment: field<Text, string | undefined>(coerceString).optional(),
    nps: field<number | string | null, number | undefined>((v) => coerceScore(v, NPS_SCALE)).optional(),
    ces: field<number | string | null, number | undefined>((v) => coerceScore(v, settings.cesScale, 'cesScale')).optional(),
    csat: field<number | string | null, number | undefined>((v) => coerceScore(v, settings.csatScale, 'csatScale')).optional(),
  })
}

export type ReviewSchema = ReturnType<typeof makeReviewSchema>

/** One review as a user passes it (canonical field names; see `map` for others). */
export type ReviewInput = z.input<ReviewSchema>

/** One review after coercion: ratings on 1–5 stars, dates in epoch ms (UTC). */
export type Review = z.output<ReviewSchema>

/** The first problem zod found, as an `Issue` with the field's dot path. */
export function firstIssue(error: z.ZodError): Issue {
  const issue = error.issues[0]!
  const field = issue.path.map(String).join('.') || 'row'
  const params = (issue as { params?: { code?: ErrorCode } }).params
  return { field, code: params?.code ?? 'invalid_value', message: issue.message }
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
    ['date', (v) => coerceDate(v, settings.dateOrder)],
    ['author', coerceString],
    ['product', coerceString],
    ['verified', coerceBoolean],
    ['lang', coerceLang],
    ['channel', coerceString],
    ['segment', coerceString],
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

/**
 * The input contract as a zod schema. Each field runs one coercion from
 * `coerce.ts`, so the messages say what was expected and what was found. The
 * schema is built once per batch (its scales come from the options).
 */
import { z } from 'zod'
import {
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
}

export const NPS_SCALE: Scale = { min: 0, max: 10 }

/** Build the row schema for one set of options. */
export function makeReviewSchema(settings: SchemaSettings) {
  return z.object({
    id: field<Text, string | undefined>(coerceString).optional(),
    text: field<string, string>((v) => coerceText(v, settings.maxTextLength)),
    title: field<Text, string | undefined>(coerceTitle).optional(),
    rating: field<number | string | null, number | undefined>((v) => coerceRating(v, settings.ratingScale)).optional(),
    date: field<string | number | Date | null, number | undefined>(coerceDate).optional(),
    author: field<Text, string | undefined>(coerceString).optional(),
    product: field<Text, string | undefined>(coerceString).optional(),
    verified: field<boolean | string | number | null, boolean | undefined>(coerceBoolean).optional(),
    lang: field<string | null, Lang | undefined>(coerceLang).optional(),
    channel: field<Text, string | undefined>(coerceString).optional(),
    segment: field<Text, string | undefined>(coerceString).optional(),
    nps: field<number | string | null, number | undefined>((v) => coerceScore(v, NPS_SCALE)).optional(),
    ces: field<number | string | null, number | undefined>((v) => coerceScore(v, settings.cesScale)).optional(),
    csat: field<number | string | null, number | undefined>((v) => coerceScore(v, settings.csatScale)).optional(),
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

/**
 * What the batch summary counts, added up per chunk where the chunk is
 * analyzed (in its worker), so the final write never parses a row back for
 * the summary. Tallies are merged in input order, and every sum is an
 * integer (scores are counted in thousandths, the precision they are
 * rounded to), so the summary is the same for any worker count and chunk
 * size. A tally is plain data: it travels to the main thread as a structured
 * clone.
 */
import { type JourneyTotals, addJourneyTags, journeyTotals, mergeJourneyTotals, thousandths } from '../journey/index.js'
import { type DateOrder, type ErrorRow, type OffScale, type OtherOrderDate, type ReviewResult, SCALE_FIELDS, type ScaleField, type Verdict, errorRowText } from '../review/index.js'

/** Error rows whose message the summary quotes. */
export const MAX_ERROR_SAMPLES = 5

/** The summary's counts over a run of rows. Maps keep the order keys were first seen. */
export interface Tally {
  ok: number
  errors: number
  languages: Map<string, number>
  labels: { negative: number; neutral: number; positive: number }
  /** Sum of the ok rows' sentiment scores, in thousandths. */
  sentiment: number
  /** Verdicts from each row's own signals (the final write moves rows whose batch signals change it). */
  verdicts: Record<Verdict, number>
  journey: JourneyTotals
  errorCodes: Map<string, number>
  /** The first error rows, described (at most MAX_ERROR_SAMPLES). */
  errorSamples: string[]
  /**
   * Date error rows whose date reads in the other day/month order (`--date-order`), by that order (a
   * "Fecha" column reads day first, a "date" column month first: one batch may have both), and the first of them.
   */
  otherDateOrder: { rows: Record<DateOrder, number>; first: OtherDateOrderRow | null }
  /** Ok rows whose relative date ("3 days ago") had no `referenceDate` to count back from, and the first of them. */
  relativeDates: { rows: number; first: RelativeDateRow | null }
  /** Error rows whose rating, CES or CSAT is a number off its scale, by field: how many, and the lowest and highest such number. */
  offScale: Partial<Record<ScaleField, OffScaleRows>>
}

/** Rows whose field held a number off its scale: how many, and the lowest and highest number. */
export interface OffScaleRows {
  rows: number
  min: number
  max: number
}

/** The first row whose relative date was left out: its row, id and date as given. */
export interface RelativeDateRow {
  row: number
  id: string
  value: string
}

/** The first row whose date only reads in the other day/month order: that order, its date as given, and the row. */
export interface OtherDateOrderRow extends OtherOrderDate {
  /** The error row, described as in `errorSamples`. */
  described: string
  row: number
  id: string | null
}

/** A tally of no rows (listing `stages` with count 0). */
export function emptyTally(stages: readonly string[] = []): Tally {
  return {
    ok: 0,
    errors: 0,
    languages: new Map(),
    labels: { negative: 0, neutral: 0, positive: 0 },
    sentiment: 0,
    verdicts: { genuine: 0, suspicious: 0, likely_fake: 0 },
    journey: journeyTotals(stages),
    errorCodes: new Map(),
    errorSamples: [],
    otherDateOrder: { rows: { mdy: 0, dmy: 0 }, first: null },
    relativeDates: { rows: 0, first: null },
    offScale: {},
  }
}

/** Count an ok row. */
export function tallyOk(t: Tally, result: ReviewResult): void {
  t.ok++
  const lang = result.language.code
  t.languages.set(lang, (t.languages.get(lang) ?? 0) + 1)
  t.labels[result.sentiment.label]++
  t.sentiment += thousandths(result.sentiment.score)
  t.verdicts[result.authenticity.verdict]++
  addJourneyTags(t.journey, result.journey)
}

/** Count an ok row whose relative date was left out for want of a `referenceDate` (`ValidRow.relativeDate`). */
export function tallyRelativeDate(t: Tally, row: number, id: string, value: string): void {
  t.relativeDates.rows++
  t.relativeDates.first ??= { row, id, value }
}

/**
 * Count an error row.
 *
 * @param otherDateOrder When the row's date only reads in the other day/month order: that order and the date as given (`RowValidator.otherDateOrder`).
 * @param offScale The row's numbers off their field's scale, each field and its number (`RowValidator.offScale`).
 */
export function tallyError(t: Tally, row: ErrorRow, otherDateOrder?: OtherOrderDate, offScale?: readonly OffScale[]): void {
  t.errors++
  const code = row.error.code
  t.errorCodes.set(code, (t.errorCodes.get(code) ?? 0) + 1)
  const described = errorRowText(row.row, row.id, row.error.field, row.error.message)
  if (t.errorSamples.length < MAX_ERROR_SAMPLES) t.errorSamples.push(described)
  if (otherDateOrder !== undefined) {
    t.otherDateOrder.rows[otherDateOrder.order]++
    t.otherDateOrder.first ??= { described, row: row.row, id: row.id, order: otherDateOrder.order, value: otherDateOrder.value }
  }
  for (const off of offScale ?? []) addOffScale(t.offScale, off.field, { rows: 1, min: off.value, max: off.value })
}

function addOffScale(into: Tally['offScale'], field: ScaleField, from: OffScaleRows): void {
  const held = into[field]
  if (held === undefined) into[field] = { ...from }
  else {
    held.rows += from.rows
    held.min = Math.min(held.min, from.min)
    held.max = Math.max(held.max, from.max)
  }
}

function addCounts(into: Map<string, number>, from: Map<string, number>): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n)
}

/** Add `from` (the rows after `into`'s) to `into`. */
export function mergeTally(into: Tally, from: Tally): void {
  into.ok += from.ok
  into.errors += from.errors
  addCounts(into.languages, from.languages)
  into.labels.negative += from.labels.negative
  into.labels.neutral += from.labels.neutral
  into.labels.positive += from.labels.positive
  into.sentiment += from.sentiment
  into.verdicts.genuine += from.verdicts.genuine
  into.verdicts.suspicious += from.verdicts.suspicious
  into.verdicts.likely_fake += from.verdicts.likely_fake
  mergeJourneyTotals(into.journey, from.journey)
  addCounts(into.errorCodes, from.errorCodes)
  into.otherDateOrder.rows.mdy += from.otherDateOrder.rows.mdy
  into.otherDateOrder.rows.dmy += from.otherDateOrder.rows.dmy
  into.otherDateOrder.first ??= from.otherDateOrder.first
  into.relativeDates.rows += from.relativeDates.rows
  into.relativeDates.first ??= from.relativeDates.first
  for (const field of SCALE_FIELDS) {
    const rows = from.offScale[field]
    if (rows !== undefined) addOffScale(into.offScale, field, rows)
  }
  for (const sample of from.errorSamples) {
    if (into.errorSamples.length >= MAX_ERROR_SAMPLES) break
    into.errorSamples.push(sample)
  }
}

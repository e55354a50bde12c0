/**
 * The batch summary, added up from the chunks' tallies in input order (so
 * its sums, and the averages rounded from them, are the same for any worker
 * count and chunk size).
 */
import type { AuthenticitySummary } from '../authenticity/index.js'
import { journeySummary, meanOfThousandths } from '../journey/index.js'
import { groupedInt } from '../metrics/format.js'
import { type CanonicalField, type FieldResolver, type Options, SCALE_FIELDS, SCALE_FLAGS, type Scale, type ScaleField, type ScaleOption, type Verdict, describeValue, scaleText } from '../review/index.js'
import { type Tally, emptyTally, mergeTally } from './tally.js'
import type { BatchSummary, OffScaleNumbers, OtherDateOrder, RelativeDates } from './types.js'

/** Accumulates the batch summary a chunk at a time. */
export class SummaryBuilder {
  private readonly summary: BatchSummary
  private readonly total: Tally

  /**
   * @param stages The taxonomy's stage ids, reported even when no review has them.
   * @param input How the input was read.
   * @param started When the batch started (`performance.now()`), for `elapsedMs`.
   * @param scales The scales the rating, CES and CSAT are read on (for `offScale`).
   */
  constructor(
    stages: readonly string[],
    input: BatchSummary['input'],
    private readonly started: number,
    private readonly scales: Record<ScaleField, Scale>,
  ) {
    this.total = emptyTally(stages)
    this.summary = {
      rows: 0,
      ok: 0,
      errors: 0,
      input,
      fields: {},
      languages: {},
      sentiment: { average: null, labels: { negative: 0, neutral: 0, positive: 0 } },
      verdicts: { genuine: 0, suspicious: 0, likely_fake: 0 },
      journey: {},
      authenticity: { products: [], duplicateClusters: 0, bursts: 0 },
      errorCodes: {},
      errorSamples: [],
      workers: 0,
      elapsedMs: 0,
      phases: { analyzeMs: 0, crossReviewMs: 0, writeMs: 0 },
      aborted: false,
    }
  }

  /** Count the rows of a chunk, once they are written. */
  add(tally: Tally): void {
    mergeTally(this.total, tally)
  }

  /** A written row's batch signals moved its verdict. */
  moveVerdict(from: Verdict, to: Verdict): void {
    this.total.verdicts[from]--
    this.total.verdicts[to]++
  }

  /**
   * Close the summary.
   *
   * @param analyzeMs Time spent in pass 1 (reading and the per-review stage).
   * @param crossReviewMs Time spent in the cross-review pass.
   */
  finish(fields: FieldResolver, authenticity: AuthenticitySummary, workers: number, aborted: boolean, analyzeMs: number, crossReviewMs: number): BatchSummary {
    const s = this.summary
    const t = this.total
    s.ok = t.ok
    s.errors = t.errors
    s.rows = t.ok + t.errors
    s.languages = Object.fromEntries(t.languages)
    s.sentiment = { average: meanOfThousandths(t.sentiment, t.ok), labels: { ...t.labels } }
    s.verdicts = { ...t.verdicts }
    s.journey = journeySummary(t.journey)
    s.errorCodes = Object.fromEntries(t.errorCodes)
    s.errorSamples = [...t.errorSamples]
    const flipped = t.otherDateOrder.first
    if (flipped !== null) {
      s.otherDateOrder = { rows: t.otherDateOrder.rows[flipped.order], first: flipped.described, row: flipped.row, id: flipped.id, order: flipped.order, value: flipped.value }
    }
    const relative = t.relativeDates.first
    if (relative !== null) s.relativeDates = { rows: t.relativeDates.rows, ...relative }
    for (const field of SCALE_FIELDS) {
      const off = t.offScale[field]
      if (off === undefined) continue
      const scale = this.scales[field]
      const numbers: OffScaleNumbers = { ...off, scale: { min: scale.min, max: scale.max } }
      const fits = fittingScale(Math.min(off.min, scale.min), Math.max(off.max, scale.max))
      if (fits !== undefined) numbers.fits = fits
      ;(s.offScale ??= {})[field] = numbers
    }
    s.fields = fields.detected()
    s.authenticity = authenticity
    s.workers = workers
    s.elapsedMs = Math.round(performance.now() - this.started)
    // Rounded at the marks, so the parts add up to the whole.
    const a = Math.round(analyzeMs)
    const c = Math.round(analyzeMs + crossReviewMs)
    s.phases = { analyzeMs: a, crossReviewMs: c - a, writeMs: Math.max(0, s.elapsedMs - c) }
    s.aborted = aborted
    return s
  }
}

/**
 * What to say of rows whose dates only read in the other order (a warning of
 * `analyze` and `report`): how many, the first, and the option to set.
 *
 * @param flipped `summary.otherDateOrder`.
 */
export function otherDateOrderText(flipped: Pick<OtherDateOrder, 'rows' | 'row' | 'id' | 'order' | 'value'>): string {
  const { order } = flipped
  const [way, read] = order === 'dmy' ? ['day first', 'month first'] : ['month first', 'day first']
  const where = `row ${flipped.row}${flipped.id === null ? '' : ` (id ${flipped.id})`}`
  const rows = flipped.rows === 1 ? '1 row has a date that only reads' : `${groupedInt(flipped.rows)} rows have dates that only read`
  return `${rows} ${way} (the first: ${where}, ${describeValue(flipped.value)}): if the file writes dates ${way}, run again with --date-order ${order}, as its other dates were read ${read}`
}

/** The highest values of the scales exports rate on, in order: stars, the CES's 7 points, 10 points, percent. */
const SCALE_TOPS = [5, 7, 10, 100]

/**
 * The common scale that holds numbers from `low` to `high`: from 1 (or 0,
 * for a 0) to the first of `SCALE_TOPS` at or above `high`; undefined for a
 * number below 0 or above 100.
 */
function fittingScale(low: number, high: number): Scale | undefined {
  const top = SCALE_TOPS.find((t) => high <= t)
  if (top === undefined || low < 0) return undefined
  return { min: low >= 1 ? 1 : 0, max: top }
}

/** The option that sets each field's scale (its CLI flag: `SCALE_FLAGS`). */
const SCALE_OPTIONS: Record<ScaleField, ScaleOption> = { rating: 'ratingScale', ces: 'cesScale', csat: 'csatScale' }
/** What each field's numbers are called in the message. */
const SCALE_NOUNS: Record<ScaleField, [string, string]> = { rating: ['rating', 'ratings'], ces: ['CES answer', 'CES answers'], csat: ['CSAT answer', 'CSAT answers'] }

/**
 * What to say of rows whose ratings (CES, CSAT answers) were off their scale
 * (warnings of `analyze` and `report`), one text per field: how many, from
 * what to what, and the option to run again with, on the scale that holds them.
 *
 * @param summary The batch summary (`offScale`).
 */
export function offScaleTexts(summary: Pick<BatchSummary, 'offScale'>): string[] {
  const texts: string[] = []
  for (const field of SCALE_FIELDS) {
    const off = summary.offScale?.[field]
    if (off !== undefined) texts.push(offScaleText(field, off))
  }
  return texts
}

/** What to say of one field's numbers off its scale (see `offScaleTexts`). */
export function offScaleText(field: ScaleField, off: OffScaleNumbers): string {
  const [one, many] = SCALE_NOUNS[field]
  const range = off.min === off.max ? `${off.min}` : `from ${off.min} to ${off.max}`
  const rows = off.rows === 1 ? `1 row has a ${one} off the ${scaleText(off.scale)} scale (${range}), and is an error row` : `${groupedInt(off.rows)} rows have ${many} off the ${scaleText(off.scale)} scale (${range}), and are error rows`
  const flag = `--${SCALE_FLAGS[SCALE_OPTIONS[field]]}`
  const within = ` (the ${many} within ${scaleText(off.scale)} were read on it)`
  if (off.fits === undefined) return `${rows}: if the export rates on another scale, run again with ${flag} MIN-MAX${within}`
  return `${rows}: if the export rates on ${scaleText(off.fits)}, run again with ${flag} ${off.fits.min}-${off.fits.max}${within}`
}

/**
 * What to say of rows whose relative dates had nothing to count back from (a
 * warning of `analyze` and `report`): how many, the first, and the option to set.
 *
 * @param relative `summary.relativeDates`.
 */
export function relativeDatesText(relative: RelativeDates): string {
  const rows = relative.rows === 1 ? '1 row has a relative date' : `${groupedInt(relative.rows)} rows have relative dates`
  return `${rows} (the first: row ${relative.row}, ${describeValue(relative.value)}), left without a date: run again with --reference-date YYYY-MM-DD, the day the reviews were exported, to count them back from it`
}

/**
 * The columns and keys the options name that the input lacks, whose values
 * come out empty (a warning of `analyze`, and of `report` for `--map`): the
 * `--map` and `--keep` columns a CSV header (or a sheet's) does not have, one text per
 * file that lacks some when the batch read several, and the `--map` keys no
 * JSON row had.
 *
 * @param s The batch summary.
 * @param options The `map` and `keep` the batch was run with.
 * @returns One text per line; none when all are there.
 */
export function missingColumnsTexts(s: BatchSummary, options: Pick<Options, 'map' | 'keep'>): string[] {
  const headers = s.input.files?.map((f) => [f.name, f.columns, f.format] as const) ?? [[null, s.input.columns, s.input.format] as const]
  const lines: string[] = []
  // The --keep columns some CSV header lacks: said here, not again as keys no row had.
  const csvLacks = new Set<string>()
  for (const [name, columns, format] of headers) {
    if (columns === undefined) continue
    const missing: string[] = []
    for (const [field, column] of Object.entries(options.map ?? {})) {
      if (column !== undefined && !columns.includes(column)) missing.push(`"${column}" (--map ${field}=${column})`)
    }
    for (const column of options.keep ?? []) {
      if (columns.includes(column)) continue
      missing.push(`"${column}" (--keep)`)
      csvLacks.add(column)
    }
    const header = format === 'xlsx' ? "sheet's header row" : 'CSV header'
    if (missing.length > 0) lines.push(`not in the ${header}${name === null ? '' : ` of ${name}`}, so left empty: ${missing.join(', ')}`)
  }
  // JSON rows have no header: a --map key no row had (a typo, or a key inside an object
  // the rows do not have) is told from the columns used. The text's has its own line.
  const json = s.input.files?.some((f) => f.columns === undefined) ?? s.input.columns === undefined
  if (json && s.rows > 0) {
    const absent = Object.entries(options.map ?? {})
      .filter(([field, key]) => key !== undefined && field !== 'text' && s.fields[field as CanonicalField] === undefined)
      .map(([field, key]) => `"${key}" (--map ${field}=${key})`)
    // The summary's missingKeep covers the JSON rows.
    for (const key of s.missingKeep ?? []) if ((options.keep ?? []).includes(key) && !csvLacks.has(key)) absent.push(`"${key}" (--keep)`)
    if (absent.length > 0) lines.push(`no row has the ${absent.length === 1 ? 'key' : 'keys'} ${absent.join(', ')}, so left empty`)
  }
  return lines
}

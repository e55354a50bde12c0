import type { AuthenticitySummary } from '../authenticity/index.js'
import type { JourneyStageSummary } from '../journey/index.js'
import type { CanonicalField, DateOrder, LanguageCode, ResultRow, ScaleField, SentimentLabel, Verdict } from '../review/index.js'

/** One input file of a batch that reads several. */
export interface InputFile {
  name: string
  format: 'jsonl' | 'json' | 'csv' | 'xlsx'
  rows: number
  delimiter?: string
  columns?: string[]
  repeatedColumns?: string[]
  /** The line its CSV header (the row its sheet's header) was read from, when `titleLines` above it were taken for a title and skipped. */
  headerLine?: number
  titleLines?: number
  arrayPath?: string
  incomplete?: string
  /** Which column of this file was used for each canonical field (a batch's `fields` are the columns used most across its files). */
  fields?: Partial<Record<CanonicalField, string>>
  /** This file's `otherTextKeys` (see `BatchSummary.input`). */
  otherTextKeys?: string[]
}

/** `BatchSummary.otherDateOrder`: the rows whose dates only read in the other day/month order. */
export interface OtherDateOrder {
  rows: number
  /** The first of them, described as in `errorSamples`. */
  first: string
  /** The first one's row number. */
  row: number
  /** The first one's id, or null. */
  id: string | null
  /** The order their dates read in: the `dateOrder` (`--date-order`) to run again with. */
  order: DateOrder
  /** The first one's date, as the row gives it. */
  value: string
}

/** `BatchSummary.offScale`: the error rows whose field held a number off its scale. */
export interface OffScaleNumbers {
  rows: number
  /** The lowest and highest such number. */
  min: number
  max: number
  /** The field's scale they were read on (`ratingScale`, `cesScale`, `csatScale`). */
  scale: { min: number; max: number }
  /** The common scale that holds them and the scale read on (1–10, 0–10, 1–7, 0–100 …), for the option to run again with; absent when none does. */
  fits?: { min: number; max: number }
}

/** `BatchSummary.relativeDates`: the rows whose relative dates had no `referenceDate` to count back from. */
export interface RelativeDates {
  rows: number
  /** The first one's row number. */
  row: number
  /** The first one's id. */
  id: string
  /** The first one's date, as the row gives it ("3 days ago"). */
  value: string
}

/** What a finished batch reports (the CLI prints it; `--summary-json` writes it). */
export interface BatchSummary {
  rows: number
  ok: number
  errors: number
  /**
   * How the input was read: `jsonl`, `json` (an array, or an object that
   * holds one: `arrayPath` is the keys down to the array read, "data.reviews"),
   * `csv` (with its delimiter and columns; `repeatedColumns`: names its
   * header gives more than once, whose repeats are read as `name_2`,
   * `name_3` …; `headerLine`: the line the header was read from, when
   * `titleLines` lines above it, with one cell or none, were taken for a
   * spreadsheet's title and skipped), `xlsx` (the same, but no delimiter,
   * and `headerLine` is the sheet's row number) or `objects`; `incomplete` says why it ended early: a
   * compressed file that is cut off, or that has trailing data after its
   * compressed data (ignored).
   */
  input: {
    format: 'jsonl' | 'json' | 'csv' | 'xlsx' | 'objects'
    delimiter?: string
    columns?: string[]
    repeatedColumns?: string[]
    headerLine?: number
    titleLines?: number
    arrayPath?: string
    incomplete?: string
    /**
     * Keys (or columns) that name a review text in rows whose text was read
     * from another (`comment` beside `review`), most rows first: their words
     * were not scored; `map: { text: key }` reads one instead.
     */
    otherTextKeys?: string[]
    /** Several files read as one batch: each one's name, format and rows (the fields above are the first file's, `incomplete` all of them). */
    files?: InputFile[]
  }
  /** Which input column was used for each canonical field. */
  fields: Partial<Record<CanonicalField, string>>
  languages: Partial<Record<LanguageCode, number>>
  sentiment: { average: number | null; labels: Record<SentimentLabel, number> }
  verdicts: Record<Verdict, number>
  /** Reviews, average sentiment and positive/negative counts per journey stage. */
  journey: Record<string, JourneyStageSummary>
  /** What the cross-review pass found: duplicate clusters, bursts, per-product figures. */
  authenticity: AuthenticitySummary
  /** Rows per error code. */
  errorCodes: Record<string, number>
  /** The first few error rows' messages, for a quick look. */
  errorSamples: string[]
  /**
   * Error rows whose date reads only in the other day/month order than
   * `dateOrder` ("14/02/2024" read month first), and the first of them:
   * the file's other dates, which read either way, were likely read in the
   * wrong order. Absent when there are none.
   */
  otherDateOrder?: OtherDateOrder
  /**
   * Result rows whose date is relative ("3 days ago", "hace 2 semanas") with
   * no `referenceDate` to count it back from, and the first of them: they
   * have no date (a warning on each). Absent when there are none.
   */
  relativeDates?: RelativeDates
  /**
   * Error rows whose rating, CES or CSAT answer is a number off its scale (a
   * Booking.com score of 8 read on stars' 1–5), by field, whatever each
   * row's first error: how many, the lowest and highest, and the common
   * scale that holds them. The rows of that field within the scale were read
   * on it, likely wrongly too. Absent when there are none.
   */
  offScale?: Partial<Record<ScaleField, OffScaleNumbers>>
  /**
   * The `keep` keys that no row had (a typo, a column the CSV lacks, a key
   * inside an object the rows do not have): every row's `fields` gives them
   * as null. Absent when each was found, or no row was read for them (a
   * result row, or an error row with its `fields`). `fields` says likewise
   * which column each `map` entry read.
   */
  missingKeep?: string[]
  /** Worker threads used (0: the calling thread did the work). */
  workers: number
  elapsedMs: number
  /**
   * Where the time went, in ms: reading the input through the per-review
   * stage (pass 1), the cross-review pass, and writing the output with the
   * batch signals (pass 2, including the time the output took to take it).
   * They add up to `elapsedMs`.
   */
  phases: BatchPhases
  /**
   * With the `window` option: how many windows the rows were scored in. The
   * authenticity part then adds the windows up, without per-product figures
   * when there are several.
   */
  windows?: number
  /**
   * True when a stop (the `signal` option, Ctrl-C) left rows out: the input
   * was not read to its end, or the results stopped before the last of them.
   * The rows before the stop are complete, and `rows` counts them. A signal
   * that fired once every row was read and yielded leaves it false.
   */
  aborted: boolean
}

/** An async iterable of result rows, whose summary is ready once iteration ends. */
export interface BatchRun extends AsyncIterable<ResultRow> {
  /** The batch summary; throws if called before the rows have all been read. */
  summary(): BatchSummary
}

/** A batch's time, by pass (see `BatchSummary.phases`). */
export interface BatchPhases {
  analyzeMs: number
  crossReviewMs: number
  writeMs: number
}

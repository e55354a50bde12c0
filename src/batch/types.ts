import type { CanonicalField, LanguageCode, SentimentLabel, Verdict } from '../review/index.js'

/** What a finished batch reports (the CLI prints it; `--summary-json` writes it). */
export interface BatchSummary {
  rows: number
  ok: number
  errors: number
  /** Which input column was used for each canonical field. */
  fields: Partial<Record<CanonicalField, string>>
  languages: Partial<Record<LanguageCode, number>>
  sentiment: { average: number | null; labels: Record<SentimentLabel, number> }
  verdicts: Record<Verdict, number>
  /** The first few error rows' messages, for a quick look. */
  errorSamples: string[]
  elapsedMs: number
  /** True when the run was stopped early (abort signal, Ctrl-C). */
  aborted: boolean
}

/** An async iterable of result rows, whose summary is ready once iteration ends. */
export interface BatchRun extends AsyncIterable<import('../review/index.js').ResultRow> {
  /** The batch summary; throws if called before the rows have all been read. */
  summary(): BatchSummary
}

export { analyze } from './analyze.js'
export { analyzeBatch, analyzeFile } from './batch/index.js'
export type { BatchRun, BatchSummary } from './batch/index.js'
export { RecensioError } from './review/index.js'
export { JourneyAggregate, loadTaxonomyFile, parseTaxonomy } from './journey/index.js'
export type { JourneyStageSummary } from './journey/index.js'
export { csat, customerEffortScore, netPromoterScore } from './metrics/index.js'
export type { CesResult, CsatResult, NpsResult } from './metrics/index.js'
export { buildReport, renderReportHtml, runReport } from './report/index.js'
export type { Report, ReportOptions, RunReportArgs, RunReportResult } from './report/index.js'
export type {
  AuthenticityResult,
  CanonicalField,
  ErrorCode,
  ErrorRow,
  Issue,
  JourneyTag,
  LanguageCode,
  LanguageResult,
  Options,
  Progress,
  ResultRow,
  ReviewInput,
  ReviewResult,
  SentimentEvidence,
  SentimentLabel,
  SentimentResult,
  Signal,
  SignalType,
  Span,
  StageSentiment,
  SurveyFields,
  TaxonomyInput,
  Verdict,
} from './review/index.js'

export { analyze } from './analyze.js'
export { analyzeBatch, analyzeFile } from './batch/index.js'
export type { BatchPhases, BatchRun, BatchSummary, InputFile, OffScaleNumbers, OtherDateOrder, RelativeDates } from './batch/index.js'
export type { AuthenticitySummary, BurstInfo, ClusterInfo, NearDuplicate, NearDuplicateAddOptions, NearDuplicateIndexOptions, NearDuplicateMatchOptions, ProductAuthenticity } from './authenticity/index.js'
export { NearDuplicateIndex } from './authenticity/index.js'
export { RecensioError } from './review/index.js'
export { JourneyAggregate, loadTaxonomyFile, parseTaxonomy } from './journey/index.js'
export type { JourneyStageSummary } from './journey/index.js'
export { csat, customerEffortScore, netPromoterScore } from './metrics/index.js'
export type { CesDirection, CesResult, CsatResult, GroupMetrics, MetricScale, NpsResult } from './metrics/index.js'
export { buildReport, renderReportHtml, runReport } from './report/index.js'
// Every type a report is made of, as the report module lists them; its options and run types beside them.
export type * from './report/types.js'
export type { ReportOptions, RunReportArgs, RunReportResult } from './report/index.js'
export type {
  AuthenticityResult,
  CanonicalField,
  DateOrder,
  ErrorCode,
  ErrorRow,
  FieldMap,
  Issue,
  JourneyTag,
  Lang,
  LanguageCode,
  LanguageResult,
  Options,
  Progress,
  ResultRow,
  ReviewHalves,
  ReviewInHalves,
  ReviewInput,
  Scale,
  ReviewResult,
  SentimentEvidence,
  SentimentLabel,
  SentimentResult,
  Signal,
  SignalType,
  Span,
  StageSentiment,
  SurveyFields,
  Taxonomy,
  TaxonomyInput,
  Verdict,
} from './review/index.js'

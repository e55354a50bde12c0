export type {
  AuthenticityReport,
  Breakdown,
  BurstReport,
  ClusterMember,
  ClusterReport,
  FlaggedReview,
  GroupReport,
  PhraseCount,
  ProductReport,
  Report,
  ReportMethod,
  SignalCount,
  StageCell,
  StageGap,
  StageReport,
  Timeline,
} from './types.js'
export type { ReportOptions, ResolvedReportOptions } from './options.js'
export { ReportOptionsSchema, resolveReportOptions } from './options.js'
export { ReportBuilder, buildReport } from './build.js'
export { renderReportHtml } from './html.js'
export type { RunReportArgs, RunReportResult } from './run.js'
export { runReport } from './run.js'
export { REPORT_USAGE, reportCommand } from './cli.js'

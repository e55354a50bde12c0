export type { CesDirection, CesResult, CsatResult, MetricScale, NpsCategory, NpsCounts, NpsResult } from './types.js'
export { NPS_PASSIVE_MIN, NPS_PROMOTER_MIN, netPromoterScore, npsCategory, npsFromCounts, starCategory, starIndex } from './nps.js'
export {
  SATISFIED_RANGE_SHARE,
  SATISFIED_STARS,
  STAR_METRIC_SCALE,
  TOP_TWO_BOX_MAX_POINTS,
  csat,
  csatFromCounts,
  csatFromStars,
  csatThreshold,
} from './csat.js'
export { DEFAULT_CES_DIRECTION, DEFAULT_CES_SCALE, cesBand, cesBands, cesFromTotals, customerEffortScore } from './ces.js'
export { Z_95, roundTo, wilsonInterval } from './stats.js'
export { groupedInt, signedFixed } from './format.js'
export type { GroupMetrics, SurveyScales } from './aggregate.js'
export { MetricTally } from './aggregate.js'

/** Options of `buildReport` and `runReport`, validated with zod once per call (zod loads on the first). */
import type { ProductAuthenticity } from '../authenticity/index.js'
import { DEFAULT_CES_DIRECTION, DEFAULT_CES_SCALE, type CesDirection, type MetricScale } from '../metrics/index.js'
import { RecensioError, optionIssueText, scaleSchema } from '../review/index.js'
import { type Zod, type ZodApi, lazyStrictObject } from '../review/zod.js'

/** Flagged reviews listed in the report, at most (most suspect first: likely fake, then by fakeScore). */
export const MAX_FLAGGED = 500
/** Duplicate clusters listed, at most (largest first). */
export const MAX_CLUSTERS = 100
/** Products listed in the product table, at most (most reviewed first). */
export const MAX_PRODUCTS = 200
/** Products drawn as daily timelines: the most reviewed ones, plus those with bursts up to twice this. */
export const TIMELINE_PRODUCTS = 8
/** Distinct values kept per breakdown dimension; the rest are pooled as "(other)". */
export const MAX_GROUP_VALUES = 50
/** Mentions a group needs on a stage before it is compared with other groups. */
export const MIN_GAP_MENTIONS = 5

/** The fields of `ReportOptionsSchema`, declared on their own so that their JSDoc reaches the published `.d.ts`. */
function reportOptionsShape(z: ZodApi) {
  const Scale = scaleSchema(z, '"1-7"')
  return {
    /** Heading of the page (default "recensio report"). */
    title: z.string().min(1).max(200).optional(),
    /** Kept fields (`fields.<name>` of the rows) to break the figures down by, besides channel and segment. */
    groupBy: z.array(z.string().min(1)).max(20).readonly().optional(),
    /** Scale of the survey `ces` answers (default 1–7). */
    cesScale: Scale.optional(),
    /** Which end of the CES scale is easy (default `higher_is_easier`, CES 2.0). */
    cesDirection: z.enum(['higher_is_easier', 'lower_is_easier']).optional(),
    /** Scale of the survey `csat` answers (default 1–5). */
    csatScale: Scale.optional(),
    /** Per-product authenticity figures from the batch summary (adjusted rating, removed share…). */
    products: z.array(z.custom<ProductAuthenticity>((v) => typeof v === 'object' && v !== null && 'product' in v)).optional(),
    /** Flagged reviews listed, at most (default 500). */
    maxFlagged: z.int().min(0).max(100_000).optional(),
    /** Duplicate clusters listed, at most (default 100). */
    maxClusters: z.int().min(0).max(10_000).optional(),
    /** Where the rows came from, shown in the header. */
    source: z.strictObject({ kind: z.enum(['results', 'input', 'rows']), file: z.string().optional() }).optional(),
  }
}

/** The schema of `ReportOptions`. */
export type ReportOptionsSchema = Zod.ZodObject<ReturnType<typeof reportOptionsShape>, Zod.core.$strict>

/** The schema of `ReportOptions`, made on first use. */
export const reportOptionsSchema: () => ReportOptionsSchema = lazyStrictObject(reportOptionsShape)

/** Options of `buildReport`; every field is optional. */
export type ReportOptions = Zod.input<ReportOptionsSchema>

/** Report options after validation, with defaults filled in. */
export interface ResolvedReportOptions {
  title: string
  groupBy: string[]
  cesScale: MetricScale
  cesDirection: CesDirection
  csatScale: MetricScale
  products: Map<string, ProductAuthenticity>
  maxFlagged: number
  maxClusters: number
  source: { kind: 'results' | 'input' | 'rows'; file?: string }
}

/**
 * Validate report options; throws a `RecensioError` naming the bad option.
 *
 * @param options Report options, or undefined for the defaults.
 * @returns The resolved options.
 */
export function resolveReportOptions(options?: ReportOptions): ResolvedReportOptions {
  const parsed = reportOptionsSchema().safeParse(options ?? {}, { reportInput: true })
  if (!parsed.success) {
    const messages: string[] = []
    const issues = parsed.error.issues.flatMap((issue) => {
      const path = issue.path.map(String).join('.')
      if (issue.code !== 'unrecognized_keys') {
        const message = `report option "${path || 'options'}": ${optionIssueText(issue)}`
        messages.push(message)
        return [{ field: path || 'options', code: 'invalid_option' as const, message }]
      }
      const where = path ? `in report option "${path}": ` : ''
      messages.push(`${where}unknown report option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`)
      // One issue per unknown key, so `field` names the option itself, as for analysis options.
      return issue.keys.map((key) => ({
        field: path ? `${path}.${key}` : key,
        code: 'invalid_option' as const,
        message: `${where}unknown report option "${key}"`,
      }))
    })
    throw new RecensioError('invalid_option', `Invalid report options: ${messages.join('; ')}`, issues)
  }
  const o = parsed.data
  const source: ResolvedReportOptions['source'] = { kind: o.source?.kind ?? 'rows' }
  if (o.source?.file !== undefined) source.file = o.source.file
  return {
    title: o.title ?? 'recensio report',
    groupBy: [...(o.groupBy ?? [])],
    // A copy: the report shows it, and a change made there must not reach the default of later reports.
    cesScale: o.cesScale ?? { ...DEFAULT_CES_SCALE },
    cesDirection: o.cesDirection ?? DEFAULT_CES_DIRECTION,
    csatScale: o.csatScale ?? { min: 1, max: 5 },
    products: new Map((o.products ?? []).map((p) => [p.product, p])),
    maxFlagged: o.maxFlagged ?? MAX_FLAGGED,
    maxClusters: o.maxClusters ?? MAX_CLUSTERS,
    source,
  }
}

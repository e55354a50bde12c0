/**
 * `buildReport`: one pass over result rows, in memory proportional to the
 * groups (products, channels, stages, phrases) and the flagged reviews shown,
 * not to the rows, so it reads a 10M-row results file as a stream.
 */
import { type ProductAuthenticity, isPlaceholderAuthor } from '../authenticity/index.js'
import { type GroupMetrics, MetricTally, type SurveyScales, groupedInt, roundTo } from '../metrics/index.js'
import { type JourneyTag, type LanguageCode, RecensioError, type ResultRow, type ReviewResult, type Signal, type Verdict, describeValue } from '../review/index.js'
import { isResultRow, resultRowProblem } from './read.js'
import {
  MAX_GROUP_VALUES,
  MAX_PRODUCTS,
  MIN_GAP_MENTIONS,
  type ReportOptions,
  type ResolvedReportOptions,
  TIMELINE_PRODUCTS,
  resolveReportOptions,
} from './options.js'
import type {
  Breakdown,
  BurstReport,
  ClusterMember,
  ClusterReport,
  FlaggedReview,
  GroupReport,
  PhraseCount,
  ProductReport,
  Report,
  SignalCount,
  StageCell,
  StageGap,
  StageReport,
} from './types.js'

/** The default journey stages, in the order the report lists them. */
export const DEFAULT_STAGE_ORDER = ['discovery', 'purchase', 'delivery', 'usage', 'support', 'loyalty'] as const
/** Phrases listed per stage and polarity. */
export const TOP_PHRASES = 8
/** Distinct phrases counted per stage and polarity; later new ones are not counted (cue vocabularies stay far below). */
export const MAX_PHRASES_TRACKED = 5_000
/** A sentiment word counts for a stage when it sits within this many characters of one of the stage's cues. */
export const NEAR_CUE_CHARS = 25
/** Error rows quoted in the report. */
export const MAX_ERROR_SAMPLES = 20
/** Texts are cut to this many characters in the report. */
export const MAX_TEXT_CHARS = 400
/** Ids listed per burst. */
const MAX_BURST_IDS = 500
/** Stage gaps listed per breakdown. */
const MAX_GAPS = 6
/** Decimals of `removedShare`: the batch summary's (src/authenticity/cross.ts), so a report from a dump and from its results file agree. */
const REMOVED_SHARE_DIGITS = 3
/** Group label of rows without a value. */
export const NOT_SET = '(not set)'
/** Group label of values past `MAX_GROUP_VALUES`. */
export const OTHER = '(other)'

const DAY_MS = 86_400_000

class PhraseCounter {
  private readonly counts = new Map<string, number>()

  add(text: string): void {
    const key = text.trim().toLowerCase()
    if (key === '') return
    const n = this.counts.get(key)
    if (n !== undefined) this.counts.set(key, n + 1)
    else if (this.counts.size < MAX_PHRASES_TRACKED) this.counts.set(key, 1)
  }

  top(k: number): PhraseCount[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, k)
      .map(([text, count]) => ({ text, count }))
  }
}

interface StageAcc {
  mentions: number
  sum: number
  negative: number
  neutral: number
  positive: number
}

function newStageAcc(): StageAcc {
  return { mentions: 0, sum: 0, negative: 0, neutral: 0, positive: 0 }
}

function addTag(map: Map<string, StageAcc>, tag: JourneyTag): void {
  let acc = map.get(tag.stage)
  if (acc === undefined) map.set(tag.stage, (acc = newStageAcc()))
  acc.mentions++
  acc.sum += tag.sentiment.score
  acc[tag.sentiment.label]++
}

function stageCells(map: Map<string, StageAcc>, order: string[]): StageCell[] {
  const out: StageCell[] = []
  for (const stage of order) {
    const acc = map.get(stage)
    if (acc === undefined) continue
    out.push({
      stage,
      mentions: acc.mentions,
      averageSentiment: acc.mentions === 0 ? null : roundTo(acc.sum / acc.mentions, 3),
      positive: acc.positive,
      negative: acc.negative,
    })
  }
  return out
}

interface StageStats extends StageAcc {
  praise: PhraseCounter
  complaints: PhraseCounter
  praiseWords: PhraseCounter
  complaintWords: PhraseCounter
}

interface Group {
  tally: MetricTally
  stages: Map<string, StageAcc>
}

interface ProductAcc extends Group {
  verdicts: Record<Verdict, number>
  keptSum: number
  keptN: number
  /** day number → [reviews, flagged]. */
  days: Map<number, [number, number]>
  /** Reviews whose date names no day, left out of `days`. */
  dayless: number
  bursts: Set<string>
}

interface BurstAcc {
  product: string
  start: string
  end: string
  ids: Set<string>
  reason: string
}

interface MemberAcc extends ClusterMember {
  row: number
  kinds: Set<'duplicate' | 'cross_listed'>
  clusterIds: Set<string>
  similarity: number | null
  /** The reason of the member's first signal of each kind: a review can be both copied and cross-listed. */
  reasons: Partial<Record<'duplicate' | 'cross_listed', string>>
}

function dayNumber(iso: string): number | null {
  const ms = Date.parse(iso.length >= 10 ? `${iso.slice(0, 10)}T00:00:00Z` : iso)
  return Number.isNaN(ms) ? null : Math.floor(ms / DAY_MS)
}

function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

function valueOf(v: unknown): string {
  if (v === undefined || v === null || v === '') return NOT_SET
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  const s = JSON.stringify(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/** A review's text cut to `MAX_TEXT_CHARS` with "…", never between the two halves of an emoji's surrogate pair. */
export function cutText(text: string): string {
  if (text.length <= MAX_TEXT_CHARS) return text
  let end = MAX_TEXT_CHARS - 1
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/** Rank of a verdict in the flagged list: likely fake before suspicious. */
const VERDICT_RANK: Readonly<Record<Verdict, number>> = { likely_fake: 0, suspicious: 1, genuine: 2 }

/**
 * The order of the flagged list, most suspect first: likely fake before
 * suspicious (thresholds are options, so two results files may disagree on
 * the score that makes a review likely fake), then by fake score, highest
 * first, then in input order.
 *
 * @param a A flagged review.
 * @param b Another.
 * @returns Negative when `a` comes first.
 */
export function byFlagOrder(a: FlaggedReview, b: FlaggedReview): number {
  return (VERDICT_RANK[a.verdict] ?? 2) - (VERDICT_RANK[b.verdict] ?? 2) || b.fakeScore - a.fakeScore || a.row - b.row
}

/** The review id a key of `ReportBuilder.keyOf` stands for. */
function idOfKey(key: string): string {
  const m = /^\d+\u0001/.exec(key)
  return m === null ? key : key.slice(m[0].length)
}

/** Union-find over review ids, for duplicate clusters. */
class Links {
  private readonly parent = new Map<string, string>()

  find(id: string): string {
    let p = this.parent.get(id)
    if (p === undefined) {
      this.parent.set(id, id)
      return id
    }
    let root = id
    while (p !== root) {
      root = p
      p = this.parent.get(root)!
    }
    // Path compression.
    let cur = id
    while (cur !== root) {
      const next = this.parent.get(cur)!
      this.parent.set(cur, root)
      cur = next
    }
    return root
  }

  union(a: string, b: string): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb)
  }

  ids(): IterableIterator<string> {
    return this.parent.keys()
  }
}

/**
 * Accumulates result rows into a `Report`. Use it directly to feed rows one by
 * one (e.g. while writing a results file); `buildReport` wraps it.
 */
export class ReportBuilder {
  private readonly options: ResolvedReportOptions
  private readonly scales: SurveyScales
  private rows = 0
  private ok = 0
  private errors = 0
  private readonly errorsByField = new Map<string, number>()
  private readonly errorSamples: Report['errors']['samples'] = []
  private readonly overall: MetricTally
  private readonly languages = new Map<LanguageCode, number>()
  private firstDay = Number.POSITIVE_INFINITY
  private lastDay = Number.NEGATIVE_INFINITY
  private dated = 0
  private dayless = 0
  private readonly stages = new Map<string, StageStats>()
  private readonly products = new Map<string, ProductAcc>()
  private readonly dimensions: { key: string; label: string; read: (r: ReviewResult) => unknown; groups: Map<string, Group>; covered: number }[]
  private readonly verdicts: Record<Verdict, number> = { genuine: 0, suspicious: 0, likely_fake: 0 }
  private readonly signalRows = new Map<Signal['type'], [number, number]>()
  private flagged: FlaggedReview[] = []
  private flaggedTotal = 0
  private readonly links = new Links()
  private readonly members = new Map<string, MemberAcc>()
  private readonly bursts = new Map<string, BurstAcc>()
  /** The product of each row that carries a burst signal: a family's burst names rows of its other products too. */
  private readonly burstRows = new Map<string, string>()
  private keptTexts = false
  private readonly seenFields = new Set<string>()
  /** Which results file the rows come from (`nextFile`): ids and cluster names are each file's own. */
  private file = 0

  /**
   * @param options See `ReportOptions`.
   */
  constructor(options?: ReportOptions) {
    this.options = resolveReportOptions(options)
    this.scales = { ces: this.options.cesScale, csat: this.options.csatScale, cesDirection: this.options.cesDirection }
    this.overall = new MetricTally(this.scales)
    this.dimensions = [
      { key: 'channel', label: 'Channel', read: (r) => r.channel, groups: new Map(), covered: 0 },
      { key: 'segment', label: 'Segment', read: (r) => r.segment, groups: new Map(), covered: 0 },
      ...this.options.groupBy.map((name) => ({
        key: `fields.${name}`,
        label: name,
        read: (r: ReviewResult) => r.fields?.[name],
        groups: new Map<string, Group>(),
        covered: 0,
      })),
    ]
  }

  /**
   * The rows added from now on come from another results file, written by
   * another run: their ids, the ids their signals name and their cluster
   * names ("dup-3") are that file's own, so copies of one file are never
   * joined to another's by a shared id or cluster name. Clusters of the
   * second file on are named `f2-dup-3` and so on.
   */
  nextFile(): void {
    this.file++
  }

  /** A review id as the links, members and bursts hold it: the id itself in the first file, then with the file's number. */
  private keyOf(id: string): string {
    return this.file === 0 ? id : `${this.file}\u0001${id}`
  }

  /**
   * Add one result row (a result or an error row).
   *
   * @param row A `ResultRow` as `analyzeBatch` yields it or a results file holds it.
   */
  add(row: ResultRow): void {
    this.rows++
    if (!row.ok) {
      this.errors++
      const key = `${row.error.field}\u0000${row.error.code}`
      this.errorsByField.set(key, (this.errorsByField.get(key) ?? 0) + 1)
      if (this.errorSamples.length < MAX_ERROR_SAMPLES) {
        this.errorSamples.push({ row: row.row, id: row.id, field: row.error.field, message: row.error.message })
      }
      return
    }
    this.ok++
    const r = row
    this.overall.add(r.rating, r.sentiment, r.survey)
    this.languages.set(r.language.code, (this.languages.get(r.language.code) ?? 0) + 1)
    const flagged = r.authenticity.verdict !== 'genuine'
    // A date that names no day ("March 2024") reads as the 1st: on a day axis it would pile a month onto that day.
    const dayless = r.dayless === true && r.date !== null
    const day = r.date === null || dayless ? null : dayNumber(r.date)
    if (dayless) this.dayless++
    if (day !== null) {
      this.dated++
      if (day < this.firstDay) this.firstDay = day
      if (day > this.lastDay) this.lastDay = day
    }
    for (const tag of r.journey) this.addStage(tag, r)
    if (r.fields !== undefined) for (const k of Object.keys(r.fields)) this.seenFields.add(k)

    if (r.product !== undefined) {
      let p = this.products.get(r.product)
      if (p === undefined) {
        p = {
          tally: new MetricTally(this.scales),
          stages: new Map(),
          verdicts: { genuine: 0, suspicious: 0, likely_fake: 0 },
          keptSum: 0,
          keptN: 0,
          days: new Map(),
          dayless: 0,
          bursts: new Set(),
        }
        this.products.set(r.product, p)
      }
      p.tally.add(r.rating, r.sentiment, r.survey)
      for (const tag of r.journey) addTag(p.stages, tag)
      p.verdicts[r.authenticity.verdict]++
      if (r.authenticity.verdict !== 'likely_fake' && r.rating !== null) {
        p.keptSum += r.rating
        p.keptN++
      }
      if (dayless) p.dayless++
      if (day !== null) {
        let d = p.days.get(day)
        if (d === undefined) p.days.set(day, (d = [0, 0]))
        d[0]++
        if (flagged) d[1]++
      }
    }

    for (const dim of this.dimensions) {
      let value = valueOf(dim.read(r))
      if (value !== NOT_SET) dim.covered++
      let g = dim.groups.get(value)
      if (g === undefined) {
        if (dim.groups.size >= MAX_GROUP_VALUES && value !== NOT_SET) {
          value = OTHER
          g = dim.groups.get(value)
        }
        if (g === undefined) dim.groups.set(value, (g = { tally: new MetricTally(this.scales), stages: new Map() }))
      }
      g.tally.add(r.rating, r.sentiment, r.survey)
      for (const tag of r.journey) addTag(g.stages, tag)
    }

    this.addAuthenticity(r, flagged)
  }

  private addStage(tag: JourneyTag, r: ReviewResult): void {
    let s = this.stages.get(tag.stage)
    if (s === undefined) {
      s = {
        ...newStageAcc(),
        praise: new PhraseCounter(),
        complaints: new PhraseCounter(),
        praiseWords: new PhraseCounter(),
        complaintWords: new PhraseCounter(),
      }
      this.stages.set(tag.stage, s)
    }
    s.mentions++
    s.sum += tag.sentiment.score
    s[tag.sentiment.label]++
    const polarity = tag.sentiment.label
    if (polarity === 'neutral') return
    const phrases = polarity === 'positive' ? s.praise : s.complaints
    for (const e of tag.evidence) phrases.add(e)
    const explain = r.sentiment.explain
    if (explain === undefined || explain.length === 0) return
    const words = polarity === 'positive' ? s.praiseWords : s.complaintWords
    for (const ev of explain) {
      if (polarity === 'positive' ? ev.weight <= 0 : ev.weight >= 0) continue
      for (const span of tag.spans) {
        if (span.field !== ev.field) continue
        const gap = ev.start >= span.end ? ev.start - span.end : span.start >= ev.end ? span.start - ev.end : -1
        if (gap < 0) break // the sentiment word is the cue itself
        if (gap <= NEAR_CUE_CHARS) {
          words.add(ev.text)
          break
        }
      }
    }
  }

  private addAuthenticity(r: ReviewResult, flagged: boolean): void {
    const a = r.authenticity
    this.verdicts[a.verdict]++
    const seen = new Set<Signal['type']>()
    for (const s of a.signals) {
      if (seen.has(s.type)) continue
      seen.add(s.type)
      let c = this.signalRows.get(s.type)
      if (c === undefined) this.signalRows.set(s.type, (c = [0, 0]))
      c[0]++
      if (flagged) c[1]++
    }
    const keptText = r.fields?.text
    const text = typeof keptText === 'string' ? cutText(keptText) : undefined
    if (text !== undefined) this.keptTexts = true
    if (flagged) {
      this.flaggedTotal++
      const f: FlaggedReview = {
        id: r.id,
        row: r.row,
        date: r.date,
        ...(r.dayless === true ? { dayless: true as const } : {}),
        rating: r.rating,
        fakeScore: a.fakeScore,
        verdict: a.verdict,
        signals: a.signals,
      }
      if (r.product !== undefined) f.product = r.product
      if (r.author !== undefined) f.author = r.author
      if (text !== undefined) f.text = text
      this.flagged.push(f)
      // Keep the list bounded: trim to the cap once it doubles.
      if (this.flagged.length >= 2 * Math.max(1, this.options.maxFlagged)) {
        this.flagged.sort(byFlagOrder)
        this.flagged.length = this.options.maxFlagged
      }
    }
    for (const s of a.signals) {
      if (s.type === 'duplicate' || s.type === 'cross_listed') this.addCopy(r, s, text)
      else if (s.type === 'burst' && r.product !== undefined) this.addBurst(r, s)
    }
  }

  private addCopy(r: ReviewResult, s: Signal, text: string | undefined): void {
    const key = this.keyOf(r.id)
    let m = this.members.get(key)
    if (m === undefined) {
      m = {
        id: r.id,
        row: r.row,
        date: r.date,
        ...(r.dayless === true ? { dayless: true as const } : {}),
        rating: r.rating,
        verdict: r.authenticity.verdict,
        kinds: new Set(),
        clusterIds: new Set(),
        similarity: null,
        reasons: {},
      }
      if (r.product !== undefined) m.product = r.product
      if (r.author !== undefined) m.author = r.author
      if (text !== undefined) m.text = text
      this.members.set(key, m)
    }
    const kind = s.type as 'duplicate' | 'cross_listed'
    m.kinds.add(kind)
    m.reasons[kind] ??= s.reason
    if (s.similarity !== undefined && (m.similarity === null || s.similarity > m.similarity)) m.similarity = s.similarity
    this.links.find(key)
    if (s.cluster !== undefined) {
      m.clusterIds.add(this.file === 0 ? s.cluster : `f${this.file + 1}-${s.cluster}`)
      this.links.union(key, `\u0000cluster:${this.file}:${s.cluster}`)
    }
    for (const other of s.related ?? []) this.links.union(key, this.keyOf(other))
  }

  private addBurst(r: ReviewResult, s: Signal): void {
    const product = r.product!
    const start = s.window?.start ?? r.date ?? ''
    const end = s.window?.end ?? start
    const key = `${product}\u0000${start}\u0000${end}`
    let b = this.bursts.get(key)
    if (b === undefined) this.bursts.set(key, (b = { product, start, end, ids: new Set(), reason: s.reason }))
    const idKey = this.keyOf(r.id)
    b.ids.add(idKey)
    this.burstRows.set(idKey, product)
    for (const id of s.related ?? []) b.ids.add(this.keyOf(id))
    this.products.get(product)?.bursts.add(key)
  }

  /**
   * The ids of a burst's reviews of its product: a burst of a product family
   * (variants joined by cross-listings) names reviews of the other variants
   * too, which are in their own product's burst.
   */
  private burstIds(b: BurstAcc): string[] {
    return [...b.ids]
      .filter((key) => {
        const product = this.burstRows.get(key)
        return product === undefined || product === b.product
      })
      .map(idOfKey)
  }

  /**
   * Use the batch summary's per-product authenticity figures (adjusted rating,
   * removed share, clusters, bursts) instead of recomputing them from rows.
   *
   * @param products `summary.authenticity.products` of a batch run.
   */
  useProductFigures(products: readonly ProductAuthenticity[]): void {
    for (const p of products) this.options.products.set(p.product, p)
  }

  /**
   * The report of every row added so far.
   *
   * @returns The `Report`.
   */
  finish(): Report {
    const o = this.options
    const notes: string[] = []
    const overall = this.overall.finish()
    const stageOrder = this.stageOrder()
    const clusters = this.clusters()
    const clustersOf = new Map<string, number>()
    // Copy clusters only, as the batch summary counts them: a cross-listing is one review under product variants.
    for (const c of clusters) if (c.kind === 'duplicate') for (const p of c.products) clustersOf.set(p, (clustersOf.get(p) ?? 0) + 1)

    const first = Number.isFinite(this.firstDay) ? this.firstDay : null
    const last = Number.isFinite(this.lastDay) ? this.lastDay : null
    const products = this.productReports(stageOrder, clustersOf, first, last)
    if (this.products.size > products.length) {
      notes.push(`The product table lists the ${groupedInt(products.length)} most reviewed of ${groupedInt(this.products.size)} products.`)
    }

    this.flagged.sort(byFlagOrder)
    if (this.flagged.length > o.maxFlagged) this.flagged.length = o.maxFlagged
    if (this.flaggedTotal > this.flagged.length) {
      notes.push(`The flagged list holds the ${groupedInt(this.flagged.length)} most suspect of ${groupedInt(this.flaggedTotal)} flagged reviews (likely fake first, then by fake score); the results file has them all.`)
    }
    const clustersShown = clusters.slice(0, o.maxClusters)
    const crossListings = clusters.filter((c) => c.kind === 'cross_listed').length
    if (clusters.length > clustersShown.length) {
      // Copies sort first, so the cut falls on the cross-listings unless the copies alone fill the list.
      const copies = clusters.length - crossListings
      const copiesShown = Math.min(copies, clustersShown.length)
      const all = copies === 0 ? '' : copies === 1 ? 'the group of copies and ' : `all ${groupedInt(copies)} groups of copies and `
      notes.push(
        copiesShown === copies
          ? `Showing ${all}${groupedInt(clustersShown.length - copiesShown)} of ${groupedInt(crossListings)} cross-listings.`
          : `Showing the ${groupedInt(copiesShown)} largest of ${groupedInt(copies)} groups of copies${crossListings === 0 ? '' : `, and none of ${groupedInt(crossListings)} cross-listings`}.`,
      )
    }

    for (const name of o.groupBy) {
      if (!this.seenFields.has(name)) {
        notes.push(`No row carries the field "${name}": keep it when analyzing (--keep ${name}) to break figures down by it.`)
      } else if (this.dimensions.find((d) => d.key === `fields.${name}`)?.covered === 0) {
        // Kept (`--keep`, or a dump's --group-by) but empty in every row: a typo or a column the input lacks.
        notes.push(`No row has a value in the field "${name}": there is nothing to break figures down by.`)
      }
    }

    const signals: SignalCount[] = [...this.signalRows]
      .map(([type, [reviews, flagged]]) => ({ type, reviews, share: this.ok === 0 ? 0 : roundTo(reviews / this.ok, 4), flagged }))
      .sort((a, b) => b.reviews - a.reviews || (a.type < b.type ? -1 : 1))

    const bursts: BurstReport[] = [...this.bursts.values()]
      .map((b) => {
        const ids = this.burstIds(b)
        return { product: b.product, start: b.start, end: b.end, reviews: ids.length, ids: ids.slice(0, MAX_BURST_IDS), reason: b.reason }
      })
      .sort((a, b) => b.reviews - a.reviews || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))

    const report: Report = {
      version: 1,
      title: o.title,
      source: o.source,
      method: { cesScale: o.cesScale, cesDirection: o.cesDirection, csatScale: o.csatScale, minGapMentions: MIN_GAP_MENTIONS },
      totals: { rows: this.rows, ok: this.ok, errors: this.errors },
      dates: { first: first === null ? null : dayString(first), last: last === null ? null : dayString(last), dated: this.dated, dayless: this.dayless },
      overall,
      languages: [...this.languages]
        .map(([code, reviews]) => ({ code, reviews }))
        .sort((a, b) => b.reviews - a.reviews || (a.code < b.code ? -1 : 1)),
      errors: {
        byField: [...this.errorsByField]
          .map(([key, rows]) => {
            const [field, code] = key.split('\u0000') as [string, string]
            return { field, code, rows }
          })
          .sort((a, b) => b.rows - a.rows || (a.field < b.field ? -1 : 1)),
        samples: this.errorSamples,
      },
      stages: this.stageReports(stageOrder),
      products,
      productsTotal: this.products.size,
      breakdowns: this.dimensions
        .filter((d) => d.covered > 0)
        .map((d) => this.breakdown(d.key, d.label, d.groups, d.covered, stageOrder)),
      authenticity: {
        verdicts: { ...this.verdicts },
        signals,
        flagged: this.flagged,
        flaggedTotal: this.flaggedTotal,
        clusters: clustersShown,
        clustersTotal: clusters.length,
        crossListingsTotal: crossListings,
        bursts,
        texts: this.keptTexts ? 'kept_field' : 'none',
      },
      notes,
    }
    return report
  }

  private stageOrder(): string[] {
    const known = DEFAULT_STAGE_ORDER.filter((s) => this.stages.has(s)) as string[]
    const extra = [...this.stages.keys()]
      .filter((s) => !(DEFAULT_STAGE_ORDER as readonly string[]).includes(s))
      .sort((a, b) => this.stages.get(b)!.mentions - this.stages.get(a)!.mentions || (a < b ? -1 : 1))
    return [...known, ...extra]
  }

  private stageReports(order: string[]): StageReport[] {
    return order.map((stage) => {
      const s = this.stages.get(stage)!
      return {
        stage,
        mentions: s.mentions,
        share: this.ok === 0 ? 0 : roundTo(s.mentions / this.ok, 4),
        averageSentiment: s.mentions === 0 ? null : roundTo(s.sum / s.mentions, 3),
        labels: { negative: s.negative, neutral: s.neutral, positive: s.positive },
        praise: s.praise.top(TOP_PHRASES),
        complaints: s.complaints.top(TOP_PHRASES),
        praiseWords: s.praiseWords.top(TOP_PHRASES),
        complaintWords: s.complaintWords.top(TOP_PHRASES),
      }
    })
  }

  private productReports(order: string[], clustersOf: Map<string, number>, first: number | null, last: number | null): ProductReport[] {
    const ranked = [...this.products].sort((a, b) => b[1].tally.reviews - a[1].tally.reviews || (a[0] < b[0] ? -1 : 1))
    const drawn = new Set(ranked.slice(0, TIMELINE_PRODUCTS).map(([name]) => name))
    for (const [name, p] of ranked) if (p.bursts.size > 0 && drawn.size < 2 * TIMELINE_PRODUCTS) drawn.add(name)
    return ranked.slice(0, Math.max(MAX_PRODUCTS, 0)).map(([product, p]) => {
      const metrics = p.tally.finish()
      const fromSummary = this.options.products.get(product)
      const out: ProductReport = {
        product,
        metrics,
        verdicts: { ...p.verdicts },
        adjustedRating: fromSummary?.adjustedRating ?? (p.keptN === 0 ? null : roundTo(p.keptSum / p.keptN, 2)),
        removedShare: fromSummary?.removedShare ?? (metrics.reviews === 0 ? 0 : roundTo(p.verdicts.likely_fake / metrics.reviews, REMOVED_SHARE_DIGITS)),
        clusters: fromSummary?.clusters ?? clustersOf.get(product) ?? 0,
        bursts: fromSummary?.bursts ?? p.bursts.size,
        adjustedFrom: fromSummary === undefined ? 'rows' : 'summary',
        stages: stageCells(p.stages, order),
        burstWindows: [...p.bursts].map((key) => {
          const b = this.bursts.get(key)!
          return { start: b.start, end: b.end, reviews: this.burstIds(b).length }
        }),
      }
      if (drawn.has(product) && first !== null && last !== null) {
        const length = last - first + 1
        const counts = new Array<number>(length).fill(0)
        const flagged = new Array<number>(length).fill(0)
        for (const [day, [n, f]] of p.days) {
          counts[day - first] = n
          flagged[day - first] = f
        }
        out.timeline = { start: dayString(first), counts, flagged, dayless: p.dayless }
      }
      return out
    })
  }

  private breakdown(key: string, label: string, groups: Map<string, Group>, covered: number, order: string[]): Breakdown {
    const list: GroupReport[] = [...groups]
      .map(([value, g]) => ({ value, metrics: g.tally.finish(), stages: stageCells(g.stages, order) }))
      .sort((a, b) => {
        const special = Number(a.value === NOT_SET || a.value === OTHER) - Number(b.value === NOT_SET || b.value === OTHER)
        return special || b.metrics.reviews - a.metrics.reviews || (a.value < b.value ? -1 : 1)
      })
    const gaps: StageGap[] = []
    for (const stage of order) {
      let best: StageGap['best'] | undefined
      let worst: StageGap['worst'] | undefined
      for (const g of list) {
        if (g.value === NOT_SET || g.value === OTHER) continue
        const cell = g.stages.find((c) => c.stage === stage)
        if (cell === undefined || cell.mentions < MIN_GAP_MENTIONS || cell.averageSentiment === null) continue
        const point = { value: g.value, mentions: cell.mentions, averageSentiment: cell.averageSentiment }
        if (best === undefined || point.averageSentiment > best.averageSentiment) best = point
        if (worst === undefined || point.averageSentiment < worst.averageSentiment) worst = point
      }
      if (best !== undefined && worst !== undefined && best.value !== worst.value) {
        gaps.push({ stage, best, worst, difference: roundTo(best.averageSentiment - worst.averageSentiment, 3) })
      }
    }
    gaps.sort((a, b) => b.difference - a.difference || (a.stage < b.stage ? -1 : 1))
    return { dimension: key, label, groups: list, gaps: gaps.slice(0, MAX_GAPS), covered }
  }

  private clusters(): ClusterReport[] {
    const byRoot = new Map<string, string[]>()
    for (const id of this.links.ids()) {
      if (id.startsWith('\u0000cluster:')) continue
      const root = this.links.find(id)
      let list = byRoot.get(root)
      if (list === undefined) byRoot.set(root, (list = []))
      list.push(id)
    }
    const out: (ClusterReport & { firstRow: number })[] = []
    for (const ids of byRoot.values()) {
      if (ids.length < 2) continue
      const accs = ids.map((id) => this.members.get(id))
      const known = accs.filter((m): m is MemberAcc => m !== undefined).sort((a, b) => a.row - b.row)
      const unknown = ids.filter((id) => !this.members.has(id)).map(idOfKey).sort()
      const members: ClusterMember[] = [
        ...known.map(({ row: _row, kinds: _k, clusterIds: _c, similarity: _s, reasons: _r, ...m }) => m),
        ...unknown.map((id) => ({ id })),
      ]
      const kind = known.some((m) => m.kinds.has('duplicate')) ? 'duplicate' : 'cross_listed'
      const named = known.flatMap((m) => [...m.clusterIds]).sort()[0]
      const sims = known.map((m) => m.similarity).filter((s): s is number => s !== null)
      out.push({
        id: named ?? '',
        kind,
        members,
        products: [...new Set(known.map((m) => m.product).filter((p): p is string => p !== undefined))].sort(),
        // "Amazon Customer" is no one, as for the detector (src/authenticity/authors.ts).
        authors: new Set(known.map((m) => m.author).filter((a) => a !== undefined && !isPlaceholderAuthor(a))).size,
        similarity: sims.length === 0 ? null : Math.max(...sims),
        reason: known.find((m) => m.reasons[kind] !== undefined)?.reasons[kind] ?? '',
        firstRow: known[0]?.row ?? Number.MAX_SAFE_INTEGER,
      })
    }
    out.sort((a, b) => Number(a.kind === 'cross_listed') - Number(b.kind === 'cross_listed') || b.members.length - a.members.length || a.firstRow - b.firstRow)
    return out.map(({ firstRow: _f, ...c }, i) => ({ ...c, id: c.id === '' ? `c${i + 1}` : c.id }))
  }
}

/**
 * Build the analyst report from result rows: CX metrics from ratings and
 * survey answers, sentiment per journey stage, product, channel, segment and
 * kept fields, and the authenticity overview.
 *
 * @param rows Result rows (an `analyzeBatch` run, or rows read from a results file).
 * @param options See `ReportOptions`.
 * @returns The `Report`, once every row has been read.
 */
export async function buildReport(rows: AsyncIterable<ResultRow> | Iterable<ResultRow>, options?: ReportOptions): Promise<Report> {
  if (typeof rows !== 'object' || rows === null || (!(Symbol.asyncIterator in rows) && !(Symbol.iterator in rows))) {
    throw new RecensioError('invalid_row', 'buildReport: expected result rows (an array or iterable of what analyze, analyzeBatch or analyzeFile return)')
  }
  const builder = new ReportBuilder(options)
  let n = 0
  const add = (row: unknown) => {
    n++
    // Rows of another shape would fail deep inside with a TypeError that names nothing.
    if (!isResultRow(row)) throw new RecensioError('invalid_row', `buildReport: item ${n} is not a result row (an object with "ok", "row" and the result fields), got ${describeValue(row)}`)
    const wrong = resultRowProblem(row)
    if (wrong !== null) throw new RecensioError('invalid_row', `buildReport: item ${n} (row ${(row as ResultRow).row}) is not a result row as recensio writes it: its ${wrong} is missing or of the wrong type`)
    builder.add(row as ResultRow)
  }
  if (Symbol.asyncIterator in rows) for await (const row of rows) add(row)
  else for (const row of rows) add(row)
  return builder.finish()
}

export type { GroupMetrics }

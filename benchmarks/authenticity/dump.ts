/**
 * The injection dump: amazon_verified (organic rows, with their real
 * cross-listings) plus injected edited copies and review bursts, with truth.
 */
import type { ReviewRecord } from '../../src/authenticity/index.js'
import { CrossReviewState } from '../../src/authenticity/index.js'
import type { ReviewResult, Signal } from '../../src/review/index.js'
import { resolveOptions, type Options } from '../../src/review/index.js'
import { type DevRow, readCorpus, seededRandom } from './corpus.js'
import { hardCopy } from './dataset.js'
import { type EditLevel, editedCopy } from './inject.js'
import { type InputRow, analyzeRows } from './records.js'

export type Kind = 'organic' | 'copy' | 'burst'

export interface DumpRow extends InputRow {
  kind: Kind
  /** Copies: the organic row copied. Bursts: the burst's number. */
  source?: string
  burst?: number
  level?: EditLevel
}

const DAY = 86_400_000

/** Injected rows are verified as often as the organic ones (1,891 of 2,164), so the flag tells them nothing. */
const VERIFIED_SHARE = 1891 / 2164

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Organic rows of amazon_verified as canonical input rows. */
export function organicRows(): DumpRow[] {
  return readCorpus('amazon_verified').map((r) => ({
    id: r.id,
    text: r.text,
    title: r.title ?? '',
    rating: r.stars ?? undefined,
    date: r.date,
    author: r.user,
    product: r.product,
    verified: r.verified,
    lang: 'en',
    kind: 'organic' as const,
  })) as DumpRow[]
}

/** Texts for burst reviews: MARC English 4–5 star reviews (not in the dump). */
function burstTexts(): DevRow[] {
  return readCorpus('sentiment_en').filter((r) => (r.stars ?? 0) >= 4 && r.text.split(/\s+/).length >= 6)
}

export interface InjectOptions {
  seed: number
  copies: number
  /** Bursts to add: each `size` reviews over `days` days on one product. */
  bursts: { size: number; days: number }[]
  /** Pick burst products among families with at least this many organic rows. */
  burstMinRows?: number
}

const LEVELS: [EditLevel, number][] = [
  ['exact', 0.1],
  ['light', 0.3],
  ['medium', 0.3],
  ['hard', 0.3],
]

/** Organic rows plus injected copies and bursts (deterministic for a seed). */
export function injectedDump(organic: DumpRow[], opts: InjectOptions): DumpRow[] {
  const rng = seededRandom(opts.seed)
  const rows: DumpRow[] = organic.slice()
  const products = [...new Set(organic.map((r) => r.product!))].sort()
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)]!
  const long = organic.filter((r) => r.text.split(/\s+/).length >= 8)
  for (let c = 0; c < opts.copies; c++) {
    const src = pick(long)
    let u = rng()
    let level: EditLevel = 'hard'
    for (const [l, p] of LEVELS) {
      if (u < p) {
        level = l
        break
      }
      u -= p
    }
    const text = level === 'hard' ? hardCopy(src.text, 'en', rng).text : editedCopy(src.text, 'en', rng, level).text
    const srcTime = Date.parse(`${src.date}T00:00:00Z`)
    rows.push({
      id: `inj-copy-${opts.seed}-${c}`,
      text,
      title: src.title ?? '',
      rating: 5,
      date: iso(srcTime + (1 + Math.floor(rng() * 60)) * DAY),
      author: `inj-author-c${opts.seed}-${c}`,
      product: rng() < 0.5 ? src.product! : pick(products),
      verified: rng() < VERIFIED_SHARE,
      lang: 'en',
      kind: 'copy',
      source: src.id,
      level,
    })
  }
  const pool = burstTexts()
  const perProduct = new Map<string, DumpRow[]>()
  for (const r of organic) {
    let list = perProduct.get(r.product!)
    if (list === undefined) perProduct.set(r.product!, (list = []))
    list.push(r)
  }
  const eligible = products.filter((p) => perProduct.get(p)!.length >= (opts.burstMinRows ?? 1))
  opts.bursts.forEach((b, k) => {
    const product = pick(eligible)
    const own = perProduct.get(product)!
    const times = own.map((r) => Date.parse(`${r.date}T00:00:00Z`)).sort((x, y) => x - y)
    const lo = times[0]!
    const hi = times[times.length - 1]!
    const start = lo + Math.floor(rng() * ((hi - lo) / DAY + 1)) * DAY
    for (let i = 0; i < b.size; i++) {
      const t = pick(pool)
      rows.push({
        id: `inj-burst-${opts.seed}-${k}-${i}`,
        text: t.text,
        title: '',
        rating: rng() < 0.9 ? 5 : 4,
        date: iso(start + Math.floor(rng() * b.days) * DAY),
        author: `inj-author-b${opts.seed}-${k}-${i}`,
        product,
        verified: rng() < VERIFIED_SHARE,
        lang: 'en',
        kind: 'burst',
        burst: k,
      })
    }
  })
  return rows
}

/** Per-review results, final authenticity and batch signals of a dump. */
export interface Scored {
  rows: DumpRow[]
  results: ReviewResult[]
  records: ReviewRecord[]
  batch: Signal[][]
  fakeScore: number[]
  verdict: string[]
}

/** Cache of per-review stage outputs by row id (organic rows are analyzed once). */
const stageCache = new Map<string, { result: ReviewResult; record: ReviewRecord }>()

/** Run the per-review stage (cached by id) and the cross-review pass over a dump. */
export function scoreDump(rows: DumpRow[], options?: Options): Scored {
  const todo: DumpRow[] = []
  for (const r of rows) if (!stageCache.has(r.id)) todo.push(r)
  if (todo.length > 0) {
    const { results, records } = analyzeRows(todo, options)
    todo.forEach((r, i) => stageCache.set(r.id, { result: results[i]!, record: records[i]! }))
  }
  const resolved = resolveOptions(options)
  const state = new CrossReviewState()
  const results: ReviewResult[] = []
  const records: ReviewRecord[] = []
  rows.forEach((r, index) => {
    const cached = stageCache.get(r.id)!
    const record = { ...cached.record, index }
    results.push(cached.result)
    records.push(record)
    state.add(record)
  })
  const found = state.finish(resolved)
  const batch = rows.map((_, i) => found.signalsFor(i))
  const fakeScore: number[] = []
  const verdict: string[] = []
  rows.forEach((_, i) => {
    const s = found.scoreFor(i)!
    fakeScore.push(s.fakeScore)
    verdict.push(s.verdict)
  })
  return { rows, results, records, batch, fakeScore, verdict }
}

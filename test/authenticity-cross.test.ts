/**
 * The cross-review pass on synthetic records (texts written for these tests):
 * cross-listings, near-duplicates, bursts, reviewer activity, the summary,
 * and results that do not depend on the order records arrive in or on how
 * they are split into shards.
 */
import { describe, expect, it } from 'vitest'
import { CrossReviewState, type CrossReviewResult, type ReviewRecord, contentSignals, exactHash, fingerprint } from '../src/authenticity/index.js'
import { type ResultRow, analyzeBatch } from '../src/index.js'
import { resolveOptions } from '../src/review/index.js'
import type { Signal, SignalType } from '../src/review/index.js'
import { makeDoc } from '../src/text/index.js'
import { prng } from './batch-util.js'

const NEUTRAL = { score: 0, label: 'neutral' as const, stars: 3, confidence: 0 }
const DAY = 86_400_000
const T0 = Date.UTC(2024, 0, 1)

interface Spec {
  text: string
  author?: string
  product?: string
  day?: number
  hour?: number
  rating?: number
  verified?: boolean
}

function record(index: number, spec: Spec): ReviewRecord {
  const doc = makeDoc(spec.text)
  const review = { text: spec.text, rating: spec.rating, verified: spec.verified }
  const date = spec.day === undefined ? undefined : T0 + spec.day * DAY + (spec.hour ?? 0) * 3_600_000
  let words = 0
  for (const t of doc.body.tokens) if (t.kind === 'word') words++
  return {
    index,
    id: `r${index}`,
    product: spec.product,
    author: spec.author,
    date,
    rating: spec.rating,
    verified: spec.verified,
    sentiment: 0,
    signature: fingerprint(doc),
    exact: exactHash(doc),
    words,
    signals: contentSignals(doc, review as never, 'en', NEUTRAL),
  }
}

function run(specs: Spec[], order?: number[]): CrossReviewResult {
  const state = new CrossReviewState()
  const recs = specs.map((s, i) => record(i, s))
  for (const i of order ?? recs.map((_, k) => k)) state.add(recs[i]!)
  return state.finish(resolveOptions())
}

function of(result: CrossReviewResult, index: number, type: SignalType): Signal | undefined {
  return result.signalsFor(index).find((s) => s.type === type)
}

const LONG_A = 'The coffee machine heats up in under a minute and the milk frother makes thick foam every single time.'
const LONG_B = 'Battery life on these earbuds is about six hours and the charging case adds three more full charges.'
const LONG_C = 'The backpack straps are padded, the zips feel sturdy and my son fits his lunch box and two books inside.'
const FILLER = [
  'Sizing runs small so order one size up, the fabric is thick and warm.',
  'Setup took ten minutes with the app, the manual was not needed at all.',
  'Shipping took a week and the box was dented but the item was fine.',
  'The handle broke after a month of daily use, customer service replaced it.',
  'Colour is darker than in the photos, still looks nice in the living room.',
  'Works with my old charger, no need to buy the expensive one they sell.',
]

describe('cross-listings', () => {
  const specs: Spec[] = [
    { text: LONG_A, author: 'ana', product: 'P-red', day: 10, rating: 5 },
    { text: LONG_A, author: 'ana', product: 'P-blue', day: 10, rating: 5 },
    { text: LONG_A, author: 'ana', product: 'P-green', day: 10, rating: 5 },
    { text: LONG_B, author: 'bo', product: 'P-red', day: 12, rating: 4 },
  ]
  const result = run(specs)
  it('reports the same review under sibling products as cross_listed, not as a copy', () => {
    const s = of(result, 0, 'cross_listed')!
    expect(s.related).toEqual(['r1', 'r2'])
    expect(s.reason).toMatch(/also listed under P-blue, P-green/)
    expect(of(result, 0, 'duplicate')).toBeUndefined()
    expect(of(result, 3, 'cross_listed')).toBeUndefined()
  })
  it('gives cross-listings no weight toward fake', () => {
    expect(result.scoreFor(0)).toEqual({ fakeScore: 0, verdict: 'genuine' })
  })
  it('counts a cross-listed review once in the summary and names the siblings', () => {
    expect(result.summary.uniqueReviews).toBe(2)
    expect(result.summary.crossListed).toBe(2)
    expect(result.summary.averageRating).toBe(4.5)
    const red = result.summary.products.find((p) => p.product === 'P-red')!
    expect(red.siblings).toEqual(['P-blue', 'P-green'])
  })
  it('is a copy, not a listing, when the date or the rating differ', () => {
    const r = run([
      { text: LONG_A, author: 'ana', product: 'P1', day: 10, rating: 5 },
      { text: LONG_A, author: 'ana', product: 'P2', day: 40, rating: 5 },
    ])
    expect(of(r, 1, 'cross_listed')).toBeUndefined()
    expect(of(r, 1, 'duplicate')?.reason).toMatch(/by the same author on another product \(P1\)/)
  })
})

describe('near-duplicates', () => {
  it('counts a flood of one text without a cross-listing of its own, in small and large groups', () => {
    for (const size of [20, 400]) {
      // Reviews 0 and 1 are one review listed under two products (same author, text, day and rating).
      const specs: Spec[] = Array.from({ length: size }, (_, i) => ({ text: LONG_A, author: i < 2 ? 'ana' : `u${i}`, product: `P${i % 3}`, day: 1 + (i % 20), rating: 5 }))
      specs[1]!.day = specs[0]!.day!
      const r = run(specs)
      const s = of(r, 0, 'duplicate')!
      expect(s.reason.startsWith(`the same text as r2 by another author (and ${size - 3} more reviews in cluster dup-1)`)).toBe(true)
      expect(s.related).toEqual(Array.from({ length: 10 }, (_, i) => `r${i + 2}`))
      expect(of(r, size - 1, 'duplicate')!.reason).toMatch(new RegExp(`^the same text as r\\d+ by another author \\(and ${size - 2} more reviews in cluster dup-1\\)$`))
    }
  })

  it('finds an edited copy by another author, with cluster, related id and similarity', () => {
    const edited = LONG_A.replace('thick', 'dense').replace('every single time', 'every time')
    const r = run([
      { text: LONG_A, author: 'ana', product: 'P1', day: 1 },
      { text: FILLER[0]!, author: 'carl', product: 'P1', day: 2 },
      { text: edited, author: 'dan', product: 'P1', day: 9 },
    ])
    const s = of(r, 2, 'duplicate')!
    expect(s.related).toEqual(['r0'])
    expect(s.cluster).toBe('dup-1')
    expect(s.similarity).toBeGreaterThan(0.45)
    expect(s.similarity).toBeLessThan(0.95)
    expect(s.reason).toMatch(/^\d+% similar to r0 by another author$/)
    // The earlier review may be the original: flagged, but weaker.
    const first = of(r, 0, 'duplicate')!
    expect(first.reason).toMatch(/earliest/)
    expect(first.strength).toBeLessThan(s.strength)
    expect(of(r, 1, 'duplicate')).toBeUndefined()
  })
  it('is strongest across authors, then one author across products, then one author on one product', () => {
    const strength = (authorB: string, productB: string) =>
      of(
        run([
          { text: LONG_C, author: 'ana', product: 'P1', day: 1 },
          { text: LONG_C, author: authorB, product: productB, day: 30 },
        ]),
        1,
        'duplicate',
      )!.strength
    expect(strength('bo', 'P1')).toBeGreaterThan(strength('ana', 'P2'))
    expect(strength('ana', 'P2')).toBeGreaterThan(strength('ana', 'P1'))
  })
  it('does not call short generic praise copies of each other', () => {
    const r = run([
      { text: 'Great product!', author: 'a', product: 'P1' },
      { text: 'Great product!', author: 'b', product: 'P1' },
      { text: 'Great product!', author: 'c', product: 'P2' },
    ])
    for (let i = 0; i < 3; i++) expect(of(r, i, 'duplicate')).toBeUndefined()
  })
  it('does flag a short non-generic text repeated by different authors', () => {
    const r = run([
      { text: 'Visit cheapcases example now', author: 'a', product: 'P1' },
      { text: 'Visit cheapcases example now', author: 'b', product: 'P2' },
    ])
    expect(of(r, 1, 'duplicate')?.reason).toMatch(/the same text as r0 by another author/)
  })
  it('leaves unrelated reviews alone', () => {
    const r = run(FILLER.map((text, i) => ({ text, author: `u${i}`, product: 'P1', day: i })))
    for (let i = 0; i < FILLER.length; i++) expect(r.signalsFor(i)).toEqual([])
    expect(r.summary.duplicateClusters).toBe(0)
  })
})

describe('bursts', () => {
  // A product with a steady review every 4 days for a year, then 18 reviews in one day.
  function spiked(extra: number, ratings: (i: number) => number): Spec[] {
    const specs: Spec[] = []
    for (let d = 0; d < 365; d += 4) specs.push({ text: `${FILLER[d % FILLER.length]} Day ${d}.`, author: `org${d}`, product: 'P1', day: d, rating: 4 })
    for (let i = 0; i < extra; i++) specs.push({ text: `${FILLER[i % FILLER.length]} Number ${i}.`, author: `new${i}`, product: 'P1', day: 200, hour: 9 + (i % 5), rating: ratings(i) })
    return specs
  }
  it('flags every review of an abnormal spike, with window, count and expected count', () => {
    const specs = spiked(18, () => 5)
    const r = run(specs)
    const first = specs.length - 18
    for (let i = first; i < specs.length; i++) expect(of(r, i, 'burst')).toBeDefined()
    const s = of(r, first, 'burst')!
    expect(s.count).toBeGreaterThanOrEqual(18)
    expect(s.expected).toBeLessThan(1)
    expect(s.window?.start.startsWith('2024-07-19')).toBe(true)
    expect(s.reason).toMatch(/^one of \d+ reviews of P1 .*2024-07-19.*\(expected [\d.]+ in \d+ hours?\)/)
    expect(s.reason).toMatch(/100% of them 5 stars/)
    expect(r.summary.bursts).toBe(1)
    // The steady reviews are not in it.
    expect(of(r, 0, 'burst')).toBeUndefined()
  })
  it('is stronger when the spike is one-sided', () => {
    const oneSided = of(run(spiked(18, () => 5)), 92, 'burst')!.strength
    const mixed = of(run(spiked(18, (i) => 1 + (i % 5))), 92, 'burst')!.strength
    expect(oneSided).toBeGreaterThan(mixed)
  })
  it('gives a date beyond AD 6053 no time, rather than a window thousands of years off', () => {
    // 18 reviews in one hour: a burst in 2024; in 6100 the minutes would not fit 32 bits.
    const at = (year: number) =>
      Array.from({ length: 18 }, (_, i): ReviewRecord => ({ ...record(i, { text: `${FILLER[i % FILLER.length]} Number ${i}.`, author: `a${i}`, product: 'P1', rating: 5 }), date: Date.UTC(year, 2, 31, 6, i) }))
    const finish = (records: ReviewRecord[]) => {
      const state = new CrossReviewState()
      for (const r of records) state.add(r)
      return state.finish(resolveOptions())
    }
    const now = finish(at(2024))
    expect(of(now, 0, 'burst')?.window?.start.startsWith('2024-03-31')).toBe(true)
    const far = finish(at(6100))
    for (let i = 0; i < 18; i++) expect(far.signalsFor(i).filter((s) => s.window !== undefined)).toEqual([])
  })
  it('does not flag the steady flow, nor one author posting many reviews (that is reviewer_activity)', () => {
    const specs = spiked(0, () => 5)
    for (let i = 0; i < 12; i++) specs.push({ text: `${FILLER[i % FILLER.length]} Take ${i}.`, author: 'flooder', product: 'P1', day: 300, rating: 5 })
    const r = run(specs)
    for (let i = 0; i < specs.length; i++) expect(of(r, i, 'burst')).toBeUndefined()
    const a = of(r, specs.length - 1, 'reviewer_activity')!
    expect(a.reason).toMatch(/this author posted 12 reviews on 2024-10-27/)
    expect(a.reason).toMatch(/12 different reviews of P1/)
    expect(a.strength).toBe(1)
  })
  it('counts a cross-listed review once', () => {
    // 8 authors, each listed under 3 sibling products: 8 reviews, not 24.
    const specs = spiked(0, () => 5)
    for (let i = 0; i < 8; i++)
      for (const p of ['P1', 'P1-b', 'P1-c']) specs.push({ text: `${LONG_B} Reviewer ${i} liked it.`, author: `s${i}`, product: p, day: 101, rating: 5 })
    const r = run(specs)
    const s = of(r, specs.length - 1, 'burst')!
    expect(s.count).toBe(8)
    expect(s.reason).toMatch(/of P1-c and its variants on 2024-04-11/)
  })
})

describe('reviewer activity', () => {
  it('flags an author who gives only 5 stars across many reviews, but not a normal author', () => {
    const specs: Spec[] = FILLER.map((text, i) => ({ text, author: 'fan', product: `P${i}`, day: i * 30, rating: 5 }))
    specs.push({ text: LONG_A, author: 'normal', product: 'P1', day: 3, rating: 5 })
    const r = run(specs)
    expect(of(r, 0, 'reviewer_activity')?.reason).toMatch(/only 5-star ratings across 6 reviews/)
    expect(of(r, specs.length - 1, 'reviewer_activity')).toBeUndefined()
  })

  it('takes the names review pages show for anyone (Amazon Customer, Anonymous) as no author', async () => {
    const rows = (author: string) =>
      FILLER.map((text, i) => ({ id: `${author}-${i}`, text, author, product: `P${i}`, date: `2024-0${1 + (i % 9)}-1${i % 10}`, rating: 5 }))
    const activity = async (author: string) => {
      const out: ResultRow[] = []
      for await (const row of analyzeBatch([...rows(author), { id: 'copy', text: FILLER[0]!, author, product: 'P9', rating: 5 }])) out.push(row)
      return out.map((r) => (r.ok ? r.authenticity.signals.filter((s) => s.type === 'reviewer_activity' || s.type === 'duplicate').map((s) => s.type) : []))
    }
    // A real name that gives only 5 stars across every review is a pattern; so is copying one's own review.
    expect((await activity('fan')).flat()).toContain('reviewer_activity')
    for (const name of ['Amazon Customer', ' anonymous ', 'Un utente di Google', 'Cliente de Amazon']) {
      expect((await activity(name)).flat(), name).not.toContain('reviewer_activity')
    }
    const copy: ResultRow[] = []
    for await (const row of analyzeBatch([{ id: 'a', text: FILLER[0]!, author: 'A Google user' }, { id: 'b', text: FILLER[0]!, author: 'A Google user' }])) copy.push(row)
    const dup = copy[1]!.ok ? copy[1]!.authenticity.signals.find((s) => s.type === 'duplicate') : undefined
    expect(dup?.reason).not.toMatch(/same author/)
    // Results keep the name as given.
    expect(copy[0]!.ok && copy[0]!.author).toBe('A Google user')
  })
})

describe('order and shards', () => {
  const rnd = prng(11)
  const specs: Spec[] = []
  for (let i = 0; i < 120; i++) {
    const base = [LONG_A, LONG_B, LONG_C, ...FILLER][Math.floor(rnd() * 9)]!
    specs.push({
      text: rnd() < 0.5 ? base : `${base} Extra note ${Math.floor(rnd() * 5)}.`,
      author: `a${Math.floor(rnd() * 40)}`,
      product: `P${Math.floor(rnd() * 4)}`,
      day: Math.floor(rnd() * 60),
      rating: 1 + Math.floor(rnd() * 5),
    })
  }
  const snapshot = (r: CrossReviewResult) => JSON.stringify([specs.map((_, i) => [r.signalsFor(i), r.scoreFor(i)]), r.summary])
  const base = snapshot(run(specs))
  it('gives the same result for any order of add()', () => {
    const order = specs.map((_, i) => i).sort(() => rnd() - 0.5)
    expect(snapshot(run(specs, order))).toBe(base)
  })
  it('gives the same result when shards are merged', () => {
    const recs = specs.map((s, i) => record(i, s))
    const shards = [new CrossReviewState(), new CrossReviewState(), new CrossReviewState()]
    recs.forEach((r, i) => shards[(i * 7) % 3]!.add(r))
    shards[1]!.merge(shards[2]!)
    shards[0]!.merge(shards[1]!)
    expect(snapshot(shards[0]!.finish(resolveOptions()))).toBe(base)
  })
  it('gives the same result in steps, pausing between them (finishAsync)', async () => {
    const state = new CrossReviewState()
    specs.forEach((s, i) => state.add(record(i, s)))
    let pauses = 0
    const stepped = await state.finishAsync(resolveOptions(), async () => {
      pauses++
    })
    // Gathers, text groups, three steps of LSH bands, units, copies, bursts, activity, scores.
    expect(pauses).toBeGreaterThanOrEqual(10)
    expect(snapshot(stepped)).toBe(base)
    await expect(state.finishAsync(resolveOptions())).rejects.toThrow(/already called/)
  })
  it('closes the state after finish()', () => {
    const state = new CrossReviewState()
    state.add(record(0, { text: LONG_A }))
    state.finish(resolveOptions())
    expect(() => state.add(record(1, { text: LONG_B }))).toThrow(/after finish/)
  })
})

describe('summary', () => {
  it('gives the adjusted rating without likely_fake reviews and the share removed', () => {
    const specs: Spec[] = FILLER.map((text, i) => ({ text, author: `u${i}`, product: 'P1', day: i, rating: 3 }))
    specs.push({ text: 'I received this product for free in exchange for my honest review, love it', author: 'x', product: 'P1', day: 9, rating: 5 })
    const r = run(specs)
    const p = r.summary.products[0]!
    expect(p.reviews).toBe(7)
    expect(p.averageRating).toBe(3.29)
    expect(p.adjustedRating).toBe(3)
    expect(p.removedShare).toBe(Math.round((1 / 7) * 1000) / 1000)
  })
})

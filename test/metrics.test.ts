/**
 * The CX metric formulas on hand-computed cases: NPS at its 0/6/7/9/10
 * boundaries, the star-based index, CSAT on 1–5, 1–7, 0–10 and wider scales,
 * CES in both directions, and the streaming tally against the pure functions.
 */
import { describe, expect, it } from 'vitest'
import {
  MetricTally,
  cesBand,
  cesBands,
  csat,
  csatFromStars,
  csatThreshold,
  customerEffortScore,
  groupedInt,
  netPromoterScore,
  npsCategory,
  starCategory,
  starIndex,
  wilsonInterval,
} from '../src/metrics/index.js'

describe('NPS', () => {
  it('puts 0 and 6 in detractors, 7 and 8 in passives, 9 and 10 in promoters', () => {
    expect([0, 6, 6.9, 7, 8, 8.9, 9, 10].map(npsCategory)).toEqual([
      'detractor',
      'detractor',
      'detractor',
      'passive',
      'passive',
      'passive',
      'promoter',
      'promoter',
    ])
  })

  it('is %promoters − %detractors: 0, 6, 7, 9, 10 gives (2 − 2) / 5 = 0', () => {
    const r = netPromoterScore([0, 6, 7, 9, 10])
    expect(r).toMatchObject({ n: 5, promoters: 2, passives: 1, detractors: 2, score: 0 })
  })

  it('gives (3 − 1) / 6 = 33.3 for 6, 7, 8, 9, 10, 10', () => {
    expect(netPromoterScore([6, 7, 8, 9, 10, 10]).score).toBe(33.3)
  })

  it('spans −100 (all detractors) to 100 (all promoters)', () => {
    expect(netPromoterScore([0, 3, 6]).score).toBe(-100)
    expect(netPromoterScore([9, 10]).score).toBe(100)
  })

  it('has the margin of error 1.96 × 100 × √((p + d − (p − d)²) / n)', () => {
    // p = d = 0.5: variance 1, n = 4 → 1.96 × 100 × 0.5 = 98.0
    expect(netPromoterScore([10, 10, 0, 0]).marginOfError).toBe(98)
    // p = 0.5, d = 0.25: variance 0.75 − 0.0625 = 0.6875, n = 4 → 81.3
    expect(netPromoterScore([10, 9, 0, 7]).marginOfError).toBe(81.3)
  })

  it('has no score without answers', () => {
    expect(netPromoterScore([])).toMatchObject({ n: 0, score: null, marginOfError: null })
  })
})

describe('star-based index', () => {
  it('counts 5★ as promoters, 4★ as passives, 1–3★ as detractors', () => {
    expect([1, 2, 3, 4, 5].map(starCategory)).toEqual(['detractor', 'detractor', 'detractor', 'passive', 'promoter'])
  })

  it('rounds mapped ratings to the nearest star: 3.5 → 4★, 4.49 → 4★, 4.5 → 5★', () => {
    expect([3.49, 3.5, 4.49, 4.5].map(starCategory)).toEqual(['detractor', 'passive', 'passive', 'promoter'])
  })

  it('gives (2 − 2) / 5 = 0 for 5, 5, 4, 3, 1 and (1 − 3) / 4 = −50 for 5, 3, 2, 1', () => {
    expect(starIndex([5, 5, 4, 3, 1])).toMatchObject({ promoters: 2, passives: 1, detractors: 2, score: 0 })
    expect(starIndex([5, 3, 2, 1]).score).toBe(-50)
  })
})

describe('CSAT', () => {
  it('counts the top-two box: 1–5 → 4, 1–7 → 6, 0–10 → 9, 1–10 → 9', () => {
    expect(csatThreshold({ min: 1, max: 5 })).toBe(4)
    expect(csatThreshold({ min: 1, max: 7 })).toBe(6)
    expect(csatThreshold({ min: 0, max: 10 })).toBe(9)
    expect(csatThreshold({ min: 1, max: 10 })).toBe(9)
  })

  it('uses the top quarter of wider scales (0–100 → 75) and the top answer of two-point ones', () => {
    expect(csatThreshold({ min: 0, max: 100 })).toBe(75)
    expect(csatThreshold({ min: 0, max: 1 })).toBe(1)
  })

  it('is 2 / 5 = 0.4 for 1, 2, 3, 4, 5 on 1–5', () => {
    expect(csat([1, 2, 3, 4, 5])).toMatchObject({ n: 5, satisfied: 2, share: 0.4, threshold: 4 })
  })

  it('is 3 / 4 on 1–7 for 5, 6, 7, 7 (5 is not satisfied)', () => {
    expect(csat([5, 6, 7, 7], { min: 1, max: 7 })).toMatchObject({ satisfied: 3, share: 0.75, threshold: 6 })
  })

  it('is 2 / 4 on 0–10 for 7, 8, 9, 10', () => {
    expect(csat([7, 8, 9, 10], { min: 0, max: 10 }).share).toBe(0.5)
  })

  it('counts ratings of 4–5★ from stars, also mapped ones (8/10 → 4.2★ yes, 7/10 → 3.8★ no)', () => {
    expect(csatFromStars([3.8, 4.2, 5, 1])).toMatchObject({ n: 4, satisfied: 2, share: 0.5 })
  })

  it('has a 95% Wilson interval: 2 of 5 → 0.118 … 0.769', () => {
    const [lo, hi] = wilsonInterval(2, 5)!
    expect(lo).toBeCloseTo(0.1176, 3)
    expect(hi).toBeCloseTo(0.7693, 3)
    expect(csat([1, 2, 3, 4, 5]).interval).toEqual([0.1176, 0.7693])
  })
})

describe('CES', () => {
  it('on 1–7 with 7 easiest: easy 5–7, difficult 1–3, 4 neither', () => {
    expect(cesBands({ min: 1, max: 7 }, 'higher_is_easier')).toEqual({ easy: [5, 7], difficult: [1, 3] })
    expect([1, 3, 4, 5, 7].map((a) => cesBand(a, { min: 1, max: 7 }, 'higher_is_easier'))).toEqual([
      'difficult',
      'difficult',
      'neutral',
      'easy',
      'easy',
    ])
  })

  it('on 1–5 "very easy … very difficult": easy 1–2, difficult 4–5', () => {
    expect(cesBands({ min: 1, max: 5 }, 'lower_is_easier')).toEqual({ easy: [1, 2], difficult: [4, 5] })
  })

  it('on an even scale 1–6 has no neutral answer', () => {
    expect(cesBands({ min: 1, max: 6 }, 'higher_is_easier')).toEqual({ easy: [4, 6], difficult: [1, 3] })
  })

  it('is the mean and the easy share: 7, 6, 5, 4, 3, 1 on 1–7 → 4.33, 3 / 6 easy, 2 / 6 difficult', () => {
    const r = customerEffortScore([7, 6, 5, 4, 3, 1])
    expect(r).toMatchObject({ n: 6, mean: 4.33, easy: 3, difficult: 2, easyShare: 0.5, difficultShare: 0.3333 })
    expect(r.direction).toBe('higher_is_easier')
  })

  it('reads a 1–5 scale with 1 easiest the other way: 1, 2, 3, 4, 5, 1 → 2.67, 3 easy', () => {
    const r = customerEffortScore([1, 2, 3, 4, 5, 1], { min: 1, max: 5 }, 'lower_is_easier')
    expect(r).toMatchObject({ mean: 2.67, easy: 3, difficult: 2, easyRange: [1, 2], difficultRange: [4, 5] })
  })
})

describe('scales in results', () => {
  it('gives each result a scale of its own: changing it leaves the default scale of later calls alone', () => {
    customerEffortScore([4]).scale.max = 10
    csat([4]).scale.max = 10
    expect(customerEffortScore([7]).scale).toEqual({ min: 1, max: 7 })
    expect(csat([5]).scale).toEqual({ min: 1, max: 5 })
    expect(() => customerEffortScore([9])).toThrow(/expected a number on 1–7, got 9/)
  })

  it('copies the scale given, so that the result still says the scale it was computed on', () => {
    const scale = { min: 1, max: 7 }
    const r = csat([7], scale)
    const c = customerEffortScore([7], scale)
    scale.max = 5
    expect(r.scale).toEqual({ min: 1, max: 7 })
    expect(c.scale).toEqual({ min: 1, max: 7 })
  })
})

describe('MetricTally', () => {
  const scales = { ces: { min: 1, max: 7 }, csat: { min: 1, max: 5 }, cesDirection: 'higher_is_easier' as const }
  const rows: [number | null, number, { nps?: number; ces?: number; csat?: number } | undefined][] = [
    [5, 0.8, { nps: 10, ces: 7 }],
    [4, 0.4, { nps: 7 }],
    [1, -0.9, { nps: 0, ces: 2, csat: 1 }],
    [null, 0, undefined],
    [3, -0.1, { csat: 5 }],
  ]
  const label = (s: number) => (s > 0.05 ? 'positive' : s < -0.05 ? 'negative' : 'neutral') as 'positive' | 'negative' | 'neutral'

  it('agrees with the pure formulas', () => {
    const t = new MetricTally(scales)
    for (const [r, s, survey] of rows) t.add(r, { score: s, label: label(s) }, survey)
    const m = t.finish()
    expect(m.reviews).toBe(5)
    expect(m.rated).toBe(4)
    expect(m.averageRating).toBe(3.25)
    expect(m.ratingHistogram).toEqual([1, 0, 1, 1, 1])
    expect(m.csatStars).toEqual(csatFromStars([5, 4, 1, 3]))
    expect(m.starIndex).toEqual(starIndex([5, 4, 1, 3]))
    expect(m.averageSentiment).toBe(0.04)
    expect(m.nps).toMatchObject(netPromoterScore([10, 7, 0]))
    expect(m.nps!.histogram[10]).toBe(1)
    expect(m.csat).toEqual(csat([1, 5]))
    expect(m.ces).toMatchObject(customerEffortScore([7, 2]))
    expect(m.ces!.histogram).toEqual({ 2: 1, 7: 1 })
  })

  it('merges shards into the same figures as one pass', () => {
    const one = new MetricTally(scales)
    const a = new MetricTally(scales)
    const b = new MetricTally(scales)
    rows.forEach(([r, s, survey], i) => {
      one.add(r, { score: s, label: label(s) }, survey)
      ;(i % 2 === 0 ? a : b).add(r, { score: s, label: label(s) }, survey)
    })
    a.merge(b)
    expect(a.finish()).toEqual(one.finish())
  })

  it('leaves out survey figures when no row has answers', () => {
    const t = new MetricTally(scales)
    t.add(5, { score: 0.5, label: 'positive' })
    const m = t.finish()
    expect(m.nps).toBeUndefined()
    expect(m.ces).toBeUndefined()
    expect(m.csat).toBeUndefined()
  })
})

describe('groupedInt', () => {
  it('writes numbers as toLocaleString en-US does', () => {
    const values = [0, -0, 7, 12, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -1_234_567, Number.MAX_SAFE_INTEGER, 1.5, 2 ** 60, Number.NaN]
    for (let n = 1; n < 1e15; n *= 7) values.push(n, n + 1, -n)
    for (const n of values) expect(groupedInt(n), String(n)).toBe(n.toLocaleString('en-US'))
  })
})

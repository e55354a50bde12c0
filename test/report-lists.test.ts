/** The long lists of the report: the order of the flagged list, most suspect first. */
import { describe, expect, it } from 'vitest'
import { buildReport } from '../src/report/index.js'
import { byFlagOrder } from '../src/report/build.js'
import type { FlaggedReview } from '../src/report/index.js'
import type { ReviewResult, Verdict } from '../src/review/index.js'

/** A result row of product `product`; flagged with `verdict` and `fakeScore` when they are given. */
function row(n: number, over: { product?: string; verdict?: Verdict; fakeScore?: number } = {}): ReviewResult {
  const { product = 'p', verdict = 'genuine', fakeScore = 0 } = over
  return {
    id: `r${n}`,
    ok: true,
    row: n,
    language: { code: 'en', confidence: 0.9, source: 'detected' },
    sentiment: { score: 0.5, label: 'positive', stars: 4, confidence: 0.8 },
    journey: [],
    authenticity: {
      fakeScore,
      verdict,
      signals: verdict === 'genuine' ? [] : [{ type: 'unverified', strength: 1, reason: 'the platform says the purchase was not verified' }],
    },
    rating: 4,
    date: '2024-03-01T00:00:00.000Z',
    product,
  }
}

describe('the order of the flagged list', () => {
  it('puts likely fake reviews before suspicious ones, even those with a higher fake score', async () => {
    // Two results files analyzed with other thresholds can disagree on the score that makes a review likely fake.
    const rows = [row(1, { verdict: 'suspicious', fakeScore: 0.8 }), row(2, { verdict: 'likely_fake', fakeScore: 0.75 })]
    const report = await buildReport(rows)
    expect(report.authenticity.flagged.map((f) => f.id)).toEqual(['r2', 'r1'])
  })

  it('orders reviews of one verdict by fake score, highest first', async () => {
    const rows = [0.5, 0.65, 0.45].map((fakeScore, i) => row(i + 1, { verdict: 'suspicious', fakeScore }))
    const report = await buildReport(rows)
    expect(report.authenticity.flagged.map((f) => f.fakeScore)).toEqual([0.65, 0.5, 0.45])
  })

  it('keeps input order between reviews of one verdict and score', () => {
    const f = (row: number): FlaggedReview => ({ id: `r${row}`, row, date: null, rating: null, fakeScore: 0.5, verdict: 'suspicious', signals: [] })
    expect([f(9), f(2), f(5)].sort(byFlagOrder).map((x) => x.row)).toEqual([2, 5, 9])
  })

  it('keeps the likely fake reviews when maxFlagged cuts the list', async () => {
    const rows = [
      row(1, { verdict: 'suspicious', fakeScore: 0.9 }),
      row(2, { verdict: 'suspicious', fakeScore: 0.85 }),
      row(3, { verdict: 'likely_fake', fakeScore: 0.7 }),
    ]
    const report = await buildReport(rows, { maxFlagged: 1 })
    expect(report.authenticity.flagged.map((f) => f.id)).toEqual(['r3'])
  })
})

/**
 * The long lists of the report: the order of the flagged list, most suspect
 * first, and the folds that keep a large dump's page an overview: the first
 * rows or cards of a long list in view, the rest under a `<details>` that says
 * how many it holds, and every one still in the page and in the report object
 * (`--json`).
 */
import { describe, expect, it } from 'vitest'
import { buildReport, renderReportHtml } from '../src/report/index.js'
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

/** `n` flagged rows, suspicious, with fake scores going down from 0.69. */
function flaggedRows(n: number): ReviewResult[] {
  return Array.from({ length: n }, (_, i) => row(i + 1, { verdict: 'suspicious', fakeScore: 0.69 - i / 1000 }))
}

/** The part of the page from `start` to the next `end`. */
function part(html: string, start: string, end: string): string {
  const from = html.indexOf(start)
  expect(from).toBeGreaterThanOrEqual(0)
  return html.slice(from, html.indexOf(end, from + start.length))
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

  it('says on the page how the list is ordered', async () => {
    const html = renderReportHtml(await buildReport(flaggedRows(2)))
    expect(html).toContain('Most suspect first: likely fake before suspicious, then by fake score, highest first.')
  })
})

describe('the fold of the flagged table', () => {
  it('folds a table of more than 20 flagged reviews, saying how many rows the fold holds', async () => {
    const html = renderReportHtml(await buildReport(flaggedRows(30)))
    const table = part(html, '<table class="sortable" id="flagged-table">', '<h3>')
    expect(table).toContain('<details class="unfold"><summary><span class="closed">Show all 30 flagged reviews (10 more)</span>')
  })

  it('keeps every row in the table, for a sort to rank them all', async () => {
    const html = renderReportHtml(await buildReport(flaggedRows(30)))
    const table = part(html, '<table class="sortable" id="flagged-table">', '</table>')
    expect(table.match(/<tr>/g)).toHaveLength(31)
  })

  it('does not fold a table of 20 flagged reviews', async () => {
    const html = renderReportHtml(await buildReport(flaggedRows(20)))
    expect(part(html, '<h3>Flagged reviews', '<h3>Reasons')).not.toContain('<details')
  })

  it('calls the rows listed reviews when maxFlagged cut the list', async () => {
    const html = renderReportHtml(await buildReport(flaggedRows(30), { maxFlagged: 25 }))
    expect(html).toContain('Show all 25 listed reviews (5 more)')
  })

  it('says above the table when maxFlagged cut the list', async () => {
    const html = renderReportHtml(await buildReport(flaggedRows(30), { maxFlagged: 25 }))
    expect(part(html, '<h3>Flagged reviews', '<table')).toContain('The list holds the first 25 of 30; the results file has them all.')
  })
})

describe('the fold of the reasons', () => {
  it('shows the first 6 reason cards, the most suspect, and folds the rest under a count', async () => {
    const html = renderReportHtml(await buildReport(flaggedRows(30)))
    const reasons = html.slice(html.indexOf('<h3>Reasons</h3>'))
    const [open, folded] = reasons.split('<details class="unfold-cards">') as [string, string]
    expect([...open.matchAll(/<article class="flag" id="r-(r\d+)"/g)].map((m) => m[1])).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'])
    expect(folded).toMatch(/^<summary>Show the reasons of the other 24 reviews<\/summary>/)
    expect(folded.match(/<article class="flag"/g)).toHaveLength(24)
  })

  it('folds no card of a list of 6', async () => {
    const html = renderReportHtml(await buildReport(flaggedRows(6)))
    expect(html).not.toContain('unfold-cards"')
  })
})

describe('the fold of the product table', () => {
  /** Product `pK` gets K + 1 reviews, so the most reviewed is the last named. */
  async function products(n: number) {
    let k = 0
    const rows = Array.from({ length: n }, (_, p) => Array.from({ length: p + 1 }, () => row(++k, { product: `p${p}` }))).flat()
    return buildReport(rows)
  }

  it('folds a table of more than 20 products, saying how many the fold holds', async () => {
    const html = renderReportHtml(await products(25))
    expect(part(html, '<section id="products">', '</section>')).toContain('<span class="closed">Show all 25 products (5 more)</span>')
  })

  it('lists the most reviewed products first', async () => {
    const html = renderReportHtml(await products(25))
    const table = part(html, 'id="product-table"', '</table>')
    expect([...table.matchAll(/<tr><td>(p\d+)<\/td>/g)].slice(0, 3).map((m) => m[1])).toEqual(['p24', 'p23', 'p22'])
  })

  it('says above a folded table how it is ordered and what it shows', async () => {
    const html = renderReportHtml(await products(25))
    expect(part(html, '<section id="products">', '</table>')).toContain(
      '<p class="muted small">Most reviewed first. The first 20 rows are shown; a click on a column sorts all 25, and the fold under the table shows the rest.</p>',
    )
  })

  it('does not fold a table of 20 products', async () => {
    const html = renderReportHtml(await products(20))
    expect(part(html, '<section id="products">', '</section>')).not.toContain('<details')
  })
})

describe('the folds of the breakdowns', () => {
  /** Channel `cK` gets K + 1 reviews, each mentioning delivery, so the channels can be compared. */
  async function channels(n: number) {
    let k = 0
    const rows = Array.from({ length: n }, (_, c) =>
      Array.from({ length: c + 1 }, () => ({
        ...row(++k),
        channel: `c${c}`,
        journey: [{ stage: 'delivery', confidence: 0.9, evidence: ['llegó'], spans: [], sentiment: { score: 0.5, label: 'positive' as const } }],
      })),
    ).flat()
    return renderReportHtml(await buildReport(rows))
  }

  it('folds a breakdown table of more than 20 values, saying how many the fold holds', async () => {
    expect(part(await channels(25), '<section id="breakdowns">', '</section>')).toContain('<span class="closed">Show all 25 values (5 more)</span>')
  })

  it('folds the stage heatmap of more than 20 values, naming them', async () => {
    expect(part(await channels(25), '<section id="where">', '</section>')).toContain('<span class="closed">Show all 25 channel values (5 more)</span>')
  })
})

describe('the report object behind the folds', () => {
  it('keeps every listed flagged review, those the page folds too', async () => {
    const report = await buildReport(flaggedRows(30))
    renderReportHtml(report)
    expect(report.authenticity.flagged).toHaveLength(30)
  })
})

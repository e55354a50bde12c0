/**
 * The report as an analyst reads it: figures that agree with each other
 * whether the report is built from an input dump or from a results file, and
 * pages without empty or misleading sections on small inputs.
 */
import { describe, expect, it } from 'vitest'
import { buildReport, renderReportHtml } from '../src/report/index.js'
import type { ResultRow, ReviewResult, Signal } from '../src/review/index.js'

let nextRow = 1

function review(over: Partial<ReviewResult> & { signals?: Signal[] }): ReviewResult {
  const row = nextRow++
  const { signals = [], ...rest } = over
  const base: ReviewResult = {
    id: `r${row}`,
    ok: true,
    row,
    language: { code: 'es', confidence: 0.9, source: 'detected' },
    sentiment: { score: 0.5, label: 'positive', stars: 4, confidence: 0.8 },
    journey: [],
    authenticity: { fakeScore: signals.length === 0 ? 0 : 0.2, verdict: 'genuine', signals },
    rating: 5,
    date: '2024-03-01T00:00:00.000Z',
  }
  return { ...base, ...rest }
}

function crossListed(related: string[]): Signal {
  return { type: 'cross_listed', strength: 1, reason: 'the same review is also listed under another variant', related }
}

describe('product clusters', () => {
  it('counts copy clusters only, not cross-listings of the same review, as the batch summary does', async () => {
    nextRow = 1
    // Two reviews, each listed under products a and b: product variants, not copies.
    const rows = [
      review({ product: 'a', author: 'x', signals: [crossListed(['r3'])] }),
      review({ product: 'a', author: 'y', signals: [crossListed(['r4'])] }),
      review({ product: 'b', author: 'x', signals: [crossListed(['r1'])] }),
      review({ product: 'b', author: 'y', signals: [crossListed(['r2'])] }),
    ]
    const report = await buildReport(rows)
    expect(report.authenticity.clusters.map((c) => c.kind)).toEqual(['cross_listed', 'cross_listed'])
    expect(report.products.map((p) => [p.product, p.adjustedFrom, p.clusters])).toEqual([
      ['a', 'rows', 0],
      ['b', 'rows', 0],
    ])
  })
})

describe('duplicate groups', () => {
  it('counts groups of copies and cross-listings apart in the heading and the note', async () => {
    nextRow = 1
    const copy = (related: string[]): Signal => ({ type: 'duplicate', strength: 0.9, reason: 'near copy', related, similarity: 0.95 })
    const rows = [
      review({ product: 'a', author: 'x', signals: [copy(['r2'])] }),
      review({ product: 'a', author: 'y', signals: [copy(['r1'])] }),
      review({ product: 'a', author: 'z', signals: [crossListed(['r4'])] }),
      review({ product: 'b', author: 'z', signals: [crossListed(['r3'])] }),
      review({ product: 'a', author: 'w', signals: [crossListed(['r6'])] }),
      review({ product: 'b', author: 'w', signals: [crossListed(['r5'])] }),
    ]
    const report = await buildReport(rows, { maxClusters: 2 })
    expect(report.authenticity).toMatchObject({ clustersTotal: 3, crossListingsTotal: 2 })
    expect(report.notes).toContain('Showing the group of copies and 1 of 2 cross-listings.')
    const html = renderReportHtml(report)
    expect(html).toContain('Duplicate texts <small class="muted">1 group of copies · 2 cross-listings</small>')
    // Copies alone over the limit: no "none of 0 cross-listings".
    const copiesOnly = await buildReport(rows.slice(0, 2).concat([review({ product: 'c', author: 'v', signals: [copy(['r8'])] }), review({ product: 'c', author: 'u', signals: [copy(['r7'])] })]), { maxClusters: 1 })
    expect(copiesOnly.notes).toContain('Showing the 1 largest of 2 groups of copies.')
  })
})

describe('small inputs', () => {
  it('says there are no star ratings instead of drawing an empty chart and 0 of 0', async () => {
    nextRow = 1
    const rows = [review({ rating: null }), review({ rating: null }), review({ rating: null })]
    const html = renderReportHtml(await buildReport(rows))
    const cx = html.slice(html.indexOf('id="cx"'), html.indexOf('id="journey"'))
    expect(cx).toContain('No review has a star rating')
    expect(cx).not.toContain('0 of 0 rated reviews')
    expect(cx).not.toContain('<svg')
  })
})

describe('stage notes', () => {
  it('writes 1 mention in the singular', async () => {
    nextRow = 1
    const tag = (stage: string, score: number) => ({ stage, confidence: 0.9, evidence: ['x'], spans: [{ field: 'text' as const, start: 0, end: 1 }], sentiment: { score, label: 'positive' as const } })
    const rows = [review({ journey: [tag('delivery', 0.4)] }), review({ journey: [tag('usage', 0.4)] }), review({ journey: [tag('usage', 0.2)] })]
    const html = renderReportHtml(await buildReport(rows))
    expect(html).toContain('1 mention · avg +0.40')
    expect(html).toContain('2 mentions · avg +0.30')
    expect(html).not.toContain('1 mentions')
  })
})

describe('authenticity notes', () => {
  it('gives no results-file hint on a report of an input dump with nothing flagged', async () => {
    nextRow = 1
    const report = await buildReport([review({}), review({}), review({})], { source: { kind: 'input', file: 'dump.jsonl' } })
    const html = renderReportHtml(report)
    expect(html).not.toContain('A results file carries no review text')
    expect(html).toContain('No duplicate texts found.')
  })
})

describe('duplicate cards', () => {
  it('leaves out the author and product counts when the rows name none', async () => {
    nextRow = 1
    const copy = (related: string[]): Signal => ({ type: 'duplicate', strength: 0.9, reason: 'near copy', related, similarity: 0.95 })
    const rows = [review({ signals: [copy(['r2'])] }), review({ signals: [copy(['r1'])] }), review({})]
    const html = renderReportHtml(await buildReport(rows))
    expect(html).toContain('· 2 reviews · similarity 95%</div>')
    expect(html).not.toContain('0 authors')
    expect(html).not.toContain('0 products')
  })
})

describe('products without ratings', () => {
  it('draws no empty rating chart when no review of any product has a rating', async () => {
    nextRow = 1
    const rows = [review({ product: 'a', rating: null }), review({ product: 'b', rating: null }), review({ product: 'b', rating: null })]
    const html = renderReportHtml(await buildReport(rows))
    const products = html.slice(html.indexOf('id="products"'), html.indexOf('id="timelines"'))
    expect(products).not.toContain('Raw and adjusted average rating per product')
    expect(products).toContain('No review has a star rating')
  })
})

describe('error rows', () => {
  it('names each problem in plain words, with its code beside it', async () => {
    nextRow = 1
    const bad = (field: string, code: 'required' | 'invalid_date'): ResultRow => ({ id: null, ok: false, row: nextRow++, error: { field, code, message: `bad ${field}` } })
    const html = renderReportHtml(await buildReport([review({}), bad('text', 'required'), bad('date', 'invalid_date')]))
    expect(html).toContain('<td>date</td><td>not a readable date <code class="small muted">invalid_date</code></td>')
    expect(html).toContain('<td>text</td><td>missing <code class="small muted">required</code></td>')
  })
})

describe('counts in the header', () => {
  it('writes 1 row and 1 rated review in the singular', async () => {
    nextRow = 1
    const html = renderReportHtml(await buildReport([review({})]))
    expect(html).toContain('1 row · 0 error rows')
    expect(html).toContain('1 rated review<')
    expect(html).not.toMatch(/\b1 rows\b/)
    expect(html).toMatch(/of 1 rated review gives 4–5★/)
    expect(html).not.toContain('1 rated reviews')
  })
})

describe('star chart', () => {
  it('says which reviews of the 4-star column CSAT leaves out when ratings were mapped from another scale', async () => {
    nextRow = 1
    // A rating mapped from another scale to 3.7 rounds into the 4-star column but is under 4.
    const rows = [review({ rating: 3.7 }), review({ rating: 4.2 }), review({ rating: 5 })]
    const report = await buildReport(rows)
    expect(report.overall.ratingHistogram).toEqual([0, 0, 0, 2, 1])
    expect(report.overall.csatStars.satisfied).toBe(2)
    const html = renderReportHtml(report)
    expect(html).toContain('except 1 review in the 4★ column rated just under 4★')
    expect(html).not.toContain('Green columns count as satisfied.</figcaption>')
  })
})

describe('duplicate group reasons', () => {
  it('explains a group of copies by a copy signal, not by a cross-listing that came first', async () => {
    nextRow = 1
    const copy = (related: string[]): Signal => ({ type: 'duplicate', strength: 0.9, reason: '91% similar by another author', related, similarity: 0.91 })
    const rows = [
      // r1 is cross-listed as r2, and copied by r3.
      review({ product: 'a', author: 'x', signals: [crossListed(['r2']), copy(['r3'])] }),
      review({ product: 'b', author: 'x', signals: [crossListed(['r1'])] }),
      review({ product: 'a', author: 'y', signals: [copy(['r1'])] }),
    ]
    const report = await buildReport(rows)
    expect(report.authenticity.clusters.map((c) => [c.kind, c.reason])).toEqual([['duplicate', '91% similar by another author']])
  })
})

describe('burst windows', () => {
  it('shows a window of whole days up to its last day, as the detector’s reason does, and shades those days only', async () => {
    nextRow = 1
    // The detector's window of 2024-06-14 and 15 ends at the midnight after them.
    const window = { start: '2024-06-14T00:00:00.000Z', end: '2024-06-16T00:00:00.000Z' }
    const burst: Signal = { type: 'burst', strength: 0.8, reason: 'one of 2 reviews of eb5 from 2024-06-14 to 2024-06-15 (expected 0.1 in 2 days)', window }
    const rows: ResultRow[] = [
      review({ product: 'eb5', date: '2024-06-10T00:00:00.000Z' }),
      review({ product: 'eb5', date: '2024-06-14T00:00:00.000Z', signals: [burst] }),
      review({ product: 'eb5', date: '2024-06-15T00:00:00.000Z', signals: [burst] }),
      review({ product: 'eb5', date: '2024-06-19T00:00:00.000Z' }),
    ]
    const html = renderReportHtml(await buildReport(rows))
    expect(html).toContain('<td>2024-06-14 – 2024-06-15</td>')
    // The timeline's tooltip says the same days.
    expect(html).toContain('<title>burst: 2 reviews, 2024-06-14 – 2024-06-15</title>')
    // Ten days on a 1000-pixel axis: the shading spans two of them (plus 2 pixels each side).
    const shade = html.match(/<rect x="([\d.]+)" y="2" width="([\d.]+)"[^>]*opacity="0.25"/)
    expect(shade?.slice(1).map(Number)).toEqual([398, 204])
  })

  it('shows a one-day window as its day', async () => {
    nextRow = 1
    const burst: Signal = { type: 'burst', strength: 0.8, reason: 'spike', window: { start: '2024-06-14T00:00:00.000Z', end: '2024-06-15T00:00:00.000Z' } }
    const rows: ResultRow[] = [review({ product: 'eb5', date: '2024-06-14T00:00:00.000Z', signals: [burst] })]
    expect(renderReportHtml(await buildReport(rows))).toContain('<td>2024-06-14</td>')
  })
})

describe('bursts of a product family', () => {
  it('counts in each product’s burst its own reviews, not those of the variants the signals also name', async () => {
    nextRow = 1
    const window = { start: '2024-03-15T10:00:00.000Z', end: '2024-03-15T16:00:00.000Z' }
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']
    // One burst of A and its variant B, as the detector reports it: each signal names the burst's other reviews.
    const rows: ResultRow[] = ids.map((id, i) =>
      review({
        product: i % 2 === 0 ? 'A' : 'B',
        date: '2024-03-15T11:00:00.000Z',
        signals: [{ type: 'burst', strength: 0.8, reason: 'one of 6 reviews of A and its variants', window, related: ids.filter((x) => x !== id) }],
      }),
    )
    const report = await buildReport(rows)
    expect(report.authenticity.bursts.map((b) => [b.product, b.reviews, b.ids])).toEqual([
      ['A', 3, ['r1', 'r3', 'r5']],
      ['B', 3, ['r2', 'r4', 'r6']],
    ])
    expect(report.products.map((p) => [p.product, p.burstWindows.map((w) => w.reviews)])).toEqual([
      ['A', [3]],
      ['B', [3]],
    ])
  })
})

describe('burst labels of a timeline', () => {
  it('puts labels that would overlap on lines of their own, and keeps a label at the right end whole, in a wide chart and a narrow one', async () => {
    const { timeline, NARROW_PX, WIDE_PX } = await import('../src/report/svg.js')
    const days = 100
    const day = (d: number) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString()
    const bursts = [10, 14, 97].map((d) => ({ start: day(d), end: day(d + 2), reviews: 40 }))
    const svg = timeline({ start: '2024-01-01', counts: new Array<number>(days).fill(1), flagged: new Array<number>(days).fill(0) }, bursts, 'x')
    const all = [...svg.matchAll(/<text class="(wide|narrow)" x="([\d.]+)%" y="([\d.]+)"( text-anchor="end")?[^>]*fill="#9a3412">([^<]*)<\/text>/g)]
    expect(all).toHaveLength(6)
    // Each set at the narrowest width it is shown at: the gaps between labels only grow in a wider chart.
    for (const [kind, px] of [['wide', WIDE_PX], ['narrow', NARROW_PX]] as const) {
      const labels = all
        .filter((m) => m[1] === kind)
        .map((m) => {
          const w = m[5]!.length * 6
          const x = (Number(m[2]) / 100) * px
          return { x: m[4] === undefined ? x : x - w, y: Number(m[3]), w }
        })
      expect(labels).toHaveLength(3)
      for (const a of labels) {
        expect(a.x).toBeGreaterThanOrEqual(0)
        expect(a.x + a.w).toBeLessThanOrEqual(px)
        for (const b of labels) if (a !== b && a.y === b.y) expect(a.x + a.w <= b.x || b.x + b.w <= a.x).toBe(true)
      }
      // The chart is as much taller as the lines it added, so no label is cut off at its top.
      expect(Math.min(...labels.map((l) => l.y))).toBeGreaterThan(10)
    }
  })
})

describe('right-to-left names', () => {
  it('isolates each product and author in a review’s line of facts, so an Arabic name does not reorder the others', async () => {
    nextRow = 1
    const copy = (related: string): Signal => ({ type: 'duplicate', strength: 1, reason: 'copy', related: [related] })
    const rows: ResultRow[] = [
      review({ product: 'منتج عربي', author: 'أحمد', rating: 3, signals: [copy('r2')] }),
      review({ product: 'منتج عربي', author: 'Ana', rating: 2, signals: [copy('r1')] }),
    ]
    for (const r of rows) (r as ReviewResult).authenticity = { ...(r as ReviewResult).authenticity, fakeScore: 0.9, verdict: 'likely_fake' }
    const html = renderReportHtml(await buildReport(rows))
    // In a copy group's member line and in a flagged review's card.
    expect(html).toContain('<span class="muted"><bdi>منتج عربي</bdi> · <bdi>أحمد</bdi> · 2024-03-01 · 3★</span>')
    expect(html).toContain(' · <bdi>منتج عربي</bdi> · <bdi>أحمد</bdi> · 2024-03-01 · 3★')
  })
})

describe('timeline captions', () => {
  it('writes a product’s one review in the singular', async () => {
    nextRow = 1
    const html = renderReportHtml(await buildReport([review({ product: 'solo' }), review({ product: 'pair' }), review({ product: 'pair' })]))
    const captions = [...html.matchAll(/<figure class="tl"><figcaption>(.*?)<\/figcaption>/g)].map((m) => m[1])
    expect(captions).toContain('<b>solo</b> · 1 review')
    expect(captions).toContain('<b>pair</b> · 2 reviews')
  })
})

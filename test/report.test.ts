/**
 * The analyst report on hand-made result rows: figures, stage sentiment and
 * phrases, breakdowns and the stage gaps between channels, the authenticity
 * overview (clusters, bursts, adjusted ratings), and the HTML page it renders.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { csatFromStars, netPromoterScore, starIndex } from '../src/metrics/index.js'
import { ReportBuilder, buildReport, renderReportHtml, runReport } from '../src/report/index.js'
import { cutText } from '../src/report/build.js'
import { attachTexts } from '../src/report/run.js'
import { analyzeBatch } from '../src/index.js'
import { type ErrorRow, type JourneyTag, RecensioError, type ResultRow, type ReviewResult, type Signal } from '../src/review/index.js'

type Label = 'negative' | 'neutral' | 'positive'

function labelOf(score: number): Label {
  return score > 0.05 ? 'positive' : score < -0.05 ? 'negative' : 'neutral'
}

function tag(stage: string, score: number, evidence: string[]): JourneyTag {
  return {
    stage,
    confidence: 0.9,
    evidence,
    spans: evidence.map((_, i) => ({ field: 'text' as const, start: i * 10, end: i * 10 + 5 })),
    sentiment: { score, label: labelOf(score) },
  }
}

let nextRow = 1

function review(over: Partial<ReviewResult> & { signals?: Signal[]; fakeScore?: number }): ReviewResult {
  const row = nextRow++
  const { signals = [], fakeScore, ...rest } = over
  const score = fakeScore ?? (signals.length === 0 ? 0 : 0.5)
  const base: ReviewResult = {
    id: `r${row}`,
    ok: true,
    row,
    language: { code: 'es', confidence: 0.9, source: 'detected' },
    sentiment: { score: 0.5, label: 'positive', stars: 4, confidence: 0.8 },
    journey: [],
    authenticity: {
      fakeScore: score,
      verdict: score >= 0.7 ? 'likely_fake' : score >= 0.4 ? 'suspicious' : 'genuine',
      signals,
    },
    rating: 5,
    date: '2024-03-01T00:00:00.000Z',
  }
  return { ...base, ...rest }
}

function errorRow(field: string): ErrorRow {
  return { id: null, ok: false, row: nextRow++, error: { field, code: 'invalid_value', message: `bad ${field}` } }
}

describe('buildReport figures', () => {
  it('computes CSAT, the star-based index and survey NPS from the rows, as the pure formulas do', async () => {
    const ratings = [5, 5, 4, 3, 1, 2]
    const nps = [10, 9, 7, 6, 0]
    const rows = ratings.map((rating, i) => review({ rating, ...(i < nps.length ? { survey: { nps: nps[i]! } } : {}) }))
    const report = await buildReport(rows)
    expect(report.totals).toEqual({ rows: 6, ok: 6, errors: 0 })
    expect(report.overall.csatStars).toEqual(csatFromStars(ratings))
    expect(report.overall.starIndex).toEqual(starIndex(ratings))
    expect(report.overall.starIndex.score).toBe(-16.7) // (2 − 3) / 6
    expect(report.overall.nps).toMatchObject(netPromoterScore(nps))
    expect(report.overall.nps!.score).toBe(0) // (2 − 2) / 5
    expect(report.overall.ces).toBeUndefined()
  })

  it('reads CES on the scale and direction it is given', async () => {
    const rows = [1, 2, 5].map((ces) => review({ survey: { ces } }))
    const report = await buildReport(rows, { cesScale: '1-5', cesDirection: 'lower_is_easier' })
    expect(report.overall.ces).toMatchObject({ n: 3, mean: 2.67, easy: 2, difficult: 1, easyRange: [1, 2] })
    expect(report.method.cesScale).toEqual({ min: 1, max: 5 })
  })

  it('gives each report a default CES scale of its own: changing one leaves later reports alone', async () => {
    const rows = [2, 6, 7].map((ces) => review({ survey: { ces } }))
    const first = await buildReport(rows)
    first.method.cesScale.max = 10
    const second = await buildReport(rows)
    expect(second.method.cesScale).toEqual({ min: 1, max: 7 })
    expect(second.overall.ces).toMatchObject({ easy: 2, difficult: 1, easyRange: [5, 7] })
  })

  it('counts languages and error rows by field', async () => {
    const rows: ResultRow[] = [
      review({ language: { code: 'it', confidence: 1, source: 'given' } }),
      review({}),
      review({}),
      errorRow('text'),
      errorRow('text'),
      errorRow('date'),
    ]
    const report = await buildReport(rows)
    expect(report.languages).toEqual([
      { code: 'es', reviews: 2 },
      { code: 'it', reviews: 1 },
    ])
    expect(report.totals).toEqual({ rows: 6, ok: 3, errors: 3 })
    expect(report.errors.byField).toEqual([
      { field: 'text', code: 'invalid_value', rows: 2 },
      { field: 'date', code: 'invalid_value', rows: 1 },
    ])
    expect(report.errors.samples).toHaveLength(3)
  })

  it('rejects unknown report options', async () => {
    await expect(buildReport([], { colour: 'red' } as never)).rejects.toThrow(/unknown report option "colour"/)
  })

  it('names each unknown report option in the field of its issue', async () => {
    const error = await buildReport([], { colour: 'red', titel: 'Q1', source: { kind: 'rows', path: 'x' } } as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecensioError)
    expect((error as RecensioError).message).toBe(
      'Invalid report options: in report option "source": unknown report option "path"; unknown report options "colour", "titel"',
    )
    expect((error as RecensioError).issues.map((i) => i.field)).toEqual(['source.path', 'colour', 'titel'])
  })
})

describe('journey stages', () => {
  it('averages stage sentiment over mentions and lists phrases per polarity, most frequent first', async () => {
    const rows = [
      review({ journey: [tag('delivery', 0.6, ['llegó', 'rápido'])] }),
      review({ journey: [tag('delivery', 0.4, ['rápido'])] }),
      review({ journey: [tag('delivery', -0.8, ['Tardó']), tag('support', -0.5, ['reembolso'])] }),
      review({ journey: [tag('delivery', -0.4, ['tardó'])] }),
      review({}),
    ]
    const report = await buildReport(rows)
    expect(report.stages.map((s) => s.stage)).toEqual(['delivery', 'support'])
    const delivery = report.stages[0]!
    expect(delivery).toMatchObject({ mentions: 4, share: 0.8, averageSentiment: -0.05, labels: { negative: 2, neutral: 0, positive: 2 } })
    expect(delivery.praise).toEqual([
      { text: 'rápido', count: 2 },
      { text: 'llegó', count: 1 },
    ])
    expect(delivery.complaints).toEqual([{ text: 'tardó', count: 2 }])
  })

  it('collects sentiment words next to a stage cue when rows carry explain', async () => {
    const r = review({ journey: [tag('delivery', -0.7, ['envío'])] })
    // cue at 0–5; "lentísimo" 3 characters after it, "precioso" far away.
    r.sentiment.explain = [
      { field: 'text', start: 8, end: 17, text: 'lentísimo', weight: -0.8 },
      { field: 'text', start: 200, end: 208, text: 'horrible', weight: -0.9 },
      { field: 'text', start: 20, end: 28, text: 'precioso', weight: 0.6 },
    ]
    const report = await buildReport([r])
    expect(report.stages[0]!.complaintWords).toEqual([{ text: 'lentísimo', count: 1 }])
    expect(report.stages[0]!.praiseWords).toEqual([])
  })
})

describe('breakdowns', () => {
  it('shows where a stage goes well on one channel and badly on another', async () => {
    const rows: ReviewResult[] = []
    for (let i = 0; i < 5; i++) rows.push(review({ channel: 'web', journey: [tag('delivery', 0.6, ['llegó'])] }))
    for (let i = 0; i < 5; i++) rows.push(review({ channel: 'store', journey: [tag('delivery', -0.4, ['tardó'])] }))
    // Too few mentions to be compared.
    for (let i = 0; i < 2; i++) rows.push(review({ channel: 'app', journey: [tag('delivery', -1, ['roto'])] }))
    rows.push(review({}))
    const report = await buildReport(rows)
    const channel = report.breakdowns.find((b) => b.dimension === 'channel')!
    expect(channel.covered).toBe(12)
    expect(channel.groups.map((g) => g.value)).toEqual(['store', 'web', 'app', '(not set)'])
    expect(channel.gaps).toEqual([
      {
        stage: 'delivery',
        best: { value: 'web', mentions: 5, averageSentiment: 0.6 },
        worst: { value: 'store', mentions: 5, averageSentiment: -0.4 },
        difference: 1,
      },
    ])
    expect(report.breakdowns.find((b) => b.dimension === 'segment')).toBeUndefined()
  })

  it('breaks down by a kept field and notes a group-by field no row carries', async () => {
    const rows = [
      review({ fields: { country: 'ES' }, rating: 5 }),
      review({ fields: { country: 'ES' }, rating: 1 }),
      review({ fields: { country: 'IT' }, rating: 4 }),
    ]
    const report = await buildReport(rows, { groupBy: ['country', 'store'] })
    const country = report.breakdowns.find((b) => b.dimension === 'fields.country')!
    expect(country.groups.map((g) => [g.value, g.metrics.reviews, g.metrics.averageRating])).toEqual([
      ['ES', 2, 3],
      ['IT', 1, 4],
    ])
    expect(report.notes.some((n) => n.includes('"store"') && n.includes('--keep store'))).toBe(true)
  })

  it('notes a group-by field that every row keeps without a value', async () => {
    const rows = [review({ fields: { country: null }, rating: 5 }), review({ fields: { country: '' }, rating: 1 })]
    const report = await buildReport(rows, { groupBy: ['country'] })
    expect(report.breakdowns.find((b) => b.dimension === 'fields.country')).toBeUndefined()
    expect(report.notes).toEqual(['No row has a value in the field "country": there is nothing to break figures down by.'])
  })
})

describe('authenticity overview', () => {
  function dup(ids: string[], self: string, cluster?: string): Signal {
    const s: Signal = { type: 'duplicate', strength: 0.9, reason: 'near copy', related: ids.filter((x) => x !== self), similarity: 0.93 }
    if (cluster !== undefined) s.cluster = cluster
    return s
  }

  it('joins copies into clusters through related ids and cluster ids, cross-listings apart', async () => {
    nextRow = 1
    const rows = [
      review({ product: 'a', author: 'x', signals: [dup(['r1', 'r2'], 'r1')] }),
      review({ product: 'a', author: 'y', signals: [dup(['r2', 'r3'], 'r2')] }), // links r1–r3 transitively
      review({ product: 'b', author: 'z', signals: [dup(['r3'], 'r3', 'k9')] }),
      review({ product: 'c', author: 'w', signals: [dup(['r4'], 'r4', 'k9')] }), // joined by cluster id only
      review({ product: 'd', author: 'v', signals: [{ type: 'cross_listed', strength: 0.1, reason: 'sibling', related: ['r6'] }] }),
      review({ product: 'e', author: 'v', signals: [{ type: 'cross_listed', strength: 0.1, reason: 'sibling', related: ['r5'] }] }),
    ]
    const report = await buildReport(rows)
    const clusters = report.authenticity.clusters
    expect(clusters.map((c) => [c.id, c.kind, c.members.map((m) => m.id)])).toEqual([
      ['k9', 'duplicate', ['r1', 'r2', 'r3', 'r4']],
      ['c2', 'cross_listed', ['r5', 'r6']],
    ])
    expect(clusters[0]).toMatchObject({ products: ['a', 'b', 'c'], authors: 4, similarity: 0.93 })
    expect(report.authenticity.texts).toBe('none')
  })

  it('counts no author for a placeholder name such as Amazon Customer, as the detector does', async () => {
    nextRow = 1
    const rows = [
      review({ product: 'a', author: 'Amazon Customer', signals: [dup(['r1', 'r2', 'r3'], 'r1')] }),
      review({ product: 'a', author: 'Amazon Customer', signals: [dup(['r1', 'r2', 'r3'], 'r2')] }),
      review({ product: 'a', author: 'Ana', signals: [dup(['r1', 'r2', 'r3'], 'r3')] }),
    ]
    const report = await buildReport(rows)
    expect(report.authenticity.clusters[0]).toMatchObject({ authors: 1 })
    expect(report.authenticity.clusters[0]!.members.map((m) => m.author)).toEqual(['Amazon Customer', 'Amazon Customer', 'Ana'])
  })

  it('merges burst signals by product and window, and marks them on the product', async () => {
    const window = { start: '2024-06-14T10:00:00.000Z', end: '2024-06-14T12:00:00.000Z' }
    const burst = (related: string[]): Signal => ({ type: 'burst', strength: 0.8, reason: 'spike', window, related })
    nextRow = 1
    const rows = [
      review({ product: 'eb5', date: '2024-06-14T10:00:00.000Z', signals: [burst(['r2', 'r3'])], fakeScore: 0.8, rating: 5 }),
      review({ product: 'eb5', date: '2024-06-14T11:00:00.000Z', signals: [burst(['r1'])], fakeScore: 0.8, rating: 5 }),
      review({ product: 'eb5', date: '2024-06-10T09:00:00.000Z', rating: 2 }),
      review({ product: 'eb5', date: '2024-06-12T09:00:00.000Z', rating: 3 }),
    ]
    const report = await buildReport(rows)
    expect(report.authenticity.bursts).toEqual([{ product: 'eb5', ...window, reviews: 3, ids: ['r1', 'r2', 'r3'], reason: 'spike' }])
    const p = report.products[0]!
    expect(p).toMatchObject({ bursts: 1, adjustedFrom: 'rows', adjustedRating: 2.5, removedShare: 0.5 })
    expect(p.metrics.averageRating).toBe(3.75)
    expect(p.timeline).toEqual({ start: '2024-06-10', counts: [1, 0, 1, 0, 2], flagged: [0, 0, 0, 0, 2], dayless: 0 })
    expect(report.authenticity.verdicts).toEqual({ genuine: 2, suspicious: 0, likely_fake: 2 })
    expect(report.authenticity.signals).toEqual([{ type: 'burst', reviews: 2, share: 0.5, flagged: 2 }])
  })

  it('leaves dates that name no day out of the timelines and the date range, and says so', async () => {
    nextRow = 1
    // Thirty reviews "in March 2024" read as the 1st: on a day axis they would be a spike on 2024-03-01.
    const rows = [
      ...Array.from({ length: 30 }, () => review({ product: 'p', date: '2024-03-01T00:00:00.000Z', dayless: true })),
      review({ product: 'p', date: '2024-03-05T09:00:00.000Z' }),
      review({ product: 'p', date: '2024-03-07T09:00:00.000Z' }),
      review({ product: 'q', date: '2024-03-01T00:00:00.000Z', dayless: true }),
    ]
    const report = await buildReport(rows)
    expect(report.dates).toEqual({ first: '2024-03-05', last: '2024-03-07', dated: 2, dayless: 31 })
    expect(report.products.find((p) => p.product === 'p')!.timeline).toEqual({ start: '2024-03-05', counts: [1, 0, 1], flagged: [0, 0, 0], dayless: 30 })
    expect(report.products.find((p) => p.product === 'q')!.timeline).toEqual({ start: '2024-03-05', counts: [0, 0, 0], flagged: [0, 0, 0], dayless: 1 })
    const html = renderReportHtml(report)
    expect(html).toContain('30 reviews name no day (only a month or a year, or "2 weeks ago") and are left out of this chart')
    expect(html).toContain('1 review names no day (only a month or a year, or "2 weeks ago") and is left out of this chart')
  })

  it('says when every date names no day rather than no dates', async () => {
    nextRow = 1
    const report = await buildReport([review({ product: 'p', dayless: true }), review({ product: 'p', dayless: true })])
    expect(report.dates).toEqual({ first: null, last: null, dated: 0, dayless: 2 })
    expect(report.products[0]!.timeline).toBeUndefined()
    const html = renderReportHtml(report)
    expect(html).toContain('2 dates without a day')
    expect(html).toContain('No dated reviews with a product. 2 reviews name no day (only a month or a year, or "2 weeks ago") and are left out of the timelines.')
  })

  it('shows a date that names no day as its month in the flagged list and the copies, and a January 1st as its year', async () => {
    nextRow = 1
    const spam: Signal = { type: 'spam', strength: 0.9, reason: 'a link' }
    const rows = [
      review({ product: 'p', author: 'x', date: '2024-03-01T00:00:00.000Z', dayless: true, signals: [spam, dup(['r1', 'r2'], 'r1')], fakeScore: 0.8 }),
      review({ product: 'p', author: 'y', date: '2024-01-01T00:00:00.000Z', dayless: true, signals: [spam, dup(['r1', 'r2'], 'r2')], fakeScore: 0.8 }),
      review({ product: 'p', author: 'z', date: '2024-03-05T09:00:00.000Z', signals: [spam], fakeScore: 0.8 }),
    ]
    const report = await buildReport(rows)
    expect(report.authenticity.flagged.map((f) => [f.id, f.date, f.dayless])).toEqual([
      ['r1', '2024-03-01T00:00:00.000Z', true],
      ['r2', '2024-01-01T00:00:00.000Z', true],
      ['r3', '2024-03-05T09:00:00.000Z', undefined],
    ])
    expect(report.authenticity.clusters[0]!.members.map((m) => m.dayless)).toEqual([true, true])
    const html = renderReportHtml(report)
    // The flagged table, the flagged cards and the copies' member lines.
    expect(html).toContain('<td class="date">2024-03</td>')
    expect(html).toContain('<td class="date">2024</td>')
    expect(html).toContain('<td class="date">2024-03-05</td>')
    expect(html).toContain('row 1 · <bdi>p</bdi> · <bdi>x</bdi> · 2024-03 · 5★')
    expect(html).toContain('row 2 · <bdi>p</bdi> · <bdi>y</bdi> · 2024 · 5★')
    expect(html).toContain('<span class="muted"><bdi>p</bdi> · <bdi>x</bdi> · 2024-03 · 5★</span>')
    expect(html).toContain('<span class="muted"><bdi>p</bdi> · <bdi>y</bdi> · 2024 · 5★</span>')
    expect(html).not.toContain('2024-03-01')
    expect(html).not.toContain('2024-01-01')
    // "3 weeks ago" counted back to a January day other than the 1st: its month, not the whole year.
    nextRow = 1
    const weeks = review({ product: 'p', author: 'w', date: '2024-01-20T00:00:00.000Z', dayless: true, signals: [spam], fakeScore: 0.8 })
    expect(renderReportHtml(await buildReport([weeks]))).toContain('<td class="date">2024-01</td>')
  })

  it('counts a copy group’s reviews, authors and products with thousands separators and the right plural', async () => {
    nextRow = 1
    const ids = Array.from({ length: 1200 }, (_, i) => `r${i + 1}`)
    const big = ids.map((id, i) => review({ product: `p${i}`, author: `a${i}`, signals: [dup(ids, id, 'k1')] }))
    const small = [review({ product: 'q', author: 'solo', signals: [dup(['r1201', 'r1202'], 'r1201', 'k2')] }), review({ product: 'q', author: 'solo', signals: [dup(['r1201', 'r1202'], 'r1202', 'k2')] })]
    const html = renderReportHtml(await buildReport([...big, ...small], { maxFlagged: 0 }))
    expect(html).toContain('<b>Cluster k1</b> · 1,200 reviews · 1,200 authors · 1,200 products')
    expect(html).toContain('<b>Cluster k2</b> · 2 reviews · 1 author · 1 product')
  })

  it('takes adjusted figures from the batch summary when given', async () => {
    const builder = new ReportBuilder()
    builder.add(review({ product: 'p', rating: 4 }))
    builder.useProductFigures([
      { product: 'p', reviews: 1, averageRating: 4, adjustedRating: 3.9, removedShare: 0.1, clusters: 2, bursts: 1, crossListed: 0 },
    ])
    const p = builder.finish().products[0]!
    expect(p).toMatchObject({ adjustedRating: 3.9, removedShare: 0.1, clusters: 2, bursts: 1, adjustedFrom: 'summary' })
  })

  it('lists the most suspect flagged reviews first, capped, with a note', async () => {
    const rows = [0.5, 0.9, 0.45, 0.75, 0.1].map((fakeScore) =>
      review({ fakeScore, signals: [{ type: 'spam', strength: fakeScore, reason: 'a link' }] }),
    )
    const report = await buildReport(rows, { maxFlagged: 2 })
    expect(report.authenticity.flaggedTotal).toBe(4)
    expect(report.authenticity.flagged.map((f) => f.fakeScore)).toEqual([0.9, 0.75])
    expect(report.notes.some((n) => n.includes('2 most suspect of 4'))).toBe(true)
  })
})

describe('renderReportHtml', () => {
  async function page() {
    nextRow = 1
    const rows = [
      review({ product: '<script>alert(1)</script>', channel: 'web', journey: [tag('delivery', 0.5, ['<b>llegó</b>'])] }),
      review({
        product: 'p&q',
        signals: [{ type: 'spam', strength: 0.9, reason: 'link to "x"', related: ['r1'] }],
        fakeScore: 0.9,
        fields: { text: 'Visit <img src=x onerror=alert(1)>' },
      }),
      review({ product: 'p&q', channel: 'store', survey: { nps: 9, ces: 6 } }),
      errorRow('rating'),
    ]
    return renderReportHtml(await buildReport(rows, { title: 'Q3 <report>' }))
  }

  it('refuses what is not a report in words: an object, or the promise buildReport returns', async () => {
    nextRow = 1
    expect(() => renderReportHtml({} as never)).toThrow(new RecensioError('invalid_value', 'renderReportHtml: expected the report object buildReport resolves to, got an object'))
    const pending = buildReport([review({})])
    expect(() => renderReportHtml(pending as never)).toThrow(/got a Promise: await buildReport\(rows\) first/)
    expect(renderReportHtml(await pending)).toMatch(/^<!doctype html>/)
  })

  it('is one self-contained page: no external loads, a CSP that forbids them', async () => {
    const html = await page()
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain("default-src 'none'")
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i)
    expect(html).not.toMatch(/<link\b/i)
    expect(html.match(/<svg class="chart"/g)!.length).toBeGreaterThanOrEqual(5)
  })

  it('escapes every value from the data', async () => {
    const html = await page()
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<b>llegó</b>')
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
    expect(html).toContain('<title>Q3 &#60;report&#62;</title>')
    // The only script element is the page's own sorter.
    expect(html.match(/<script>/g)).toHaveLength(1)
  })

  it('escapes the rating and the verdict of a results file’s rows, which may hold any value', async () => {
    nextRow = 1
    const evil = '"><img src=x onerror=alert(1)>'
    const dup: Signal = { type: 'duplicate', strength: 0.9, reason: 'copy', related: ['r2'] }
    const rows = [
      review({ signals: [dup], rating: evil as never }),
      review({ signals: [{ ...dup, related: ['r1'] }] }),
    ]
    for (const r of rows) (r as ReviewResult).authenticity.verdict = `likely_fake${evil}` as never
    // buildReport and the CLI refuse such rows; the page escapes them all the same, for a builder fed directly.
    await expect(buildReport(rows)).rejects.toThrow(/its rating is missing or of the wrong type/)
    const builder = new ReportBuilder()
    for (const r of rows) builder.add(r)
    const html = renderReportHtml(builder.finish())
    expect(html).not.toContain('<img')
    expect(html).toContain('v-likely_fake&#34;&#62;&#60;img')
  })

  it('links each flagged review to its reasons, and every in-page link has a target', async () => {
    const html = await page()
    expect(html).toContain('<a href="#r-r2">r2</a>')
    expect(html).toContain('id="r-r2"')
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))
    for (const m of html.matchAll(/href="#([^"]+)"/g)) expect(ids.has(decodeURIComponent(m[1]!))).toBe(true)
  })

  it('labels the star-based index as not a survey and shows survey figures when present', async () => {
    const html = await page()
    expect(html).toContain('star-based, not a survey')
    expect(html).toContain('NPS (survey)')
    expect(html).toContain('CES (survey)')
  })

  it('refuses rows that are not results with a RecensioError naming the item', async () => {
    await expect(buildReport([{ text: 'x' }] as never)).rejects.toThrow(/^buildReport: item 1 is not a result row \(an object with "ok", "row" and the result fields\), got an object$/)
    await expect(buildReport('abc' as never)).rejects.toThrow(RecensioError)
    await expect(buildReport(null as never)).rejects.toThrow(/expected result rows/)
  })

  it('refuses a row of the right shape with a field of the wrong type, naming the item and the field', async () => {
    nextRow = 1
    const good = review({ rating: 4 })
    const cases: [unknown, string][] = [
      [{ ...good, sentiment: { ...good.sentiment, score: 'high' } }, 'sentiment.score'],
      [{ ...good, authenticity: { ...good.authenticity, fakeScore: null } }, 'authenticity.fakeScore'],
      [{ ...good, authenticity: { ...good.authenticity, verdict: 'maybe' } }, 'authenticity.verdict'],
      [{ ...good, authenticity: { ...good.authenticity, signals: [{ type: 'burst', strength: '0.9', reason: 'x' }] } }, 'authenticity.signals[0].strength'],
      [{ ...good, date: 20240301 }, 'date'],
      [{ ...good, rating: '4' }, 'rating'],
      [{ ...good, journey: [{ stage: 'usage', confidence: 1, evidence: [7], spans: [], sentiment: { score: 0, label: 'neutral' } }] }, 'journey[0].evidence'],
    ]
    for (const [row, field] of cases) {
      await expect(buildReport([good, row] as never), field).rejects.toThrow(`buildReport: item 2 (row ${(row as ResultRow).row}) is not a result row as recensio writes it: its ${field} is missing or of the wrong type`)
    }
    // What analyze writes always passes, with explain, spans and kept fields too.
    const real = analyzeBatch(
      [
        { id: 'a', text: 'Llegó tarde y roto, pero funciona de maravilla', rating: 4, date: '2024-03-01', product: 'p', author: 'u', nps: 9 },
        { id: 'b', text: 'Llegó tarde y roto, pero funciona de maravilla', rating: 5, date: '2024-03-01', product: 'p', author: 'u' },
        { id: 'c', text: '' },
      ],
      { explain: true, keep: ['id'] },
    )
    const rows: ResultRow[] = []
    for await (const row of real) rows.push(JSON.parse(JSON.stringify(row)) as ResultRow)
    expect((await buildReport(rows)).totals).toEqual({ rows: 3, ok: 2, errors: 1 })
  })

  it('groups the digits of the counts in its notes, and cuts a long text whole, emoji and all', async () => {
    nextRow = 1
    const rows = Array.from({ length: 1205 }, (_, i) => review({ product: `p${i}`, fakeScore: 0.5, signals: [{ type: 'unverified', strength: 0.5, reason: 'not verified' }] }))
    const report = await buildReport(rows, { maxFlagged: 10 })
    expect(report.notes).toContain('The product table lists the 200 most reviewed of 1,205 products.')
    expect(report.notes).toContain('The flagged list holds the 10 most suspect of 1,205 flagged reviews (likely fake first, then by fake score); the results file has them all.')
    // 398 letters, then an emoji whose two halves fall on both sides of the cut.
    const long = `${'a'.repeat(398)}😀${'b'.repeat(50)}`
    expect(cutText(long)).toBe(`${'a'.repeat(398)}…`)
    expect(cutText(`${'a'.repeat(397)}😀${'b'.repeat(50)}`)).toBe(`${'a'.repeat(397)}😀…`)
    expect(cutText('short 😀')).toBe('short 😀')
    // Texts set their own direction: an Arabic or Hebrew review reads right to left.
    const flagged = review({ fakeScore: 0.5, signals: [{ type: 'unverified', strength: 0.5, reason: 'x' }], fields: { text: 'منتج رائع جدا' } })
    expect(renderReportHtml(await buildReport([flagged]))).toContain('<blockquote dir="auto">منتج رائع جدا</blockquote>')
  })

  it('renders an empty report without failing', async () => {
    const html = renderReportHtml(await buildReport([]))
    expect(html).toContain('No reviews were analyzed.')
  })
})

describe('runReport', () => {
  it('says what it got instead of input paths', async () => {
    await expect(runReport({ input: [] })).rejects.toThrow(/or an array of them, got an empty array$/)
    await expect(runReport({ input: ['a.jsonl', 3] as never })).rejects.toThrow(/got an array holding 3$/)
  })

  it('draws a progress line on a terminal while it reads a results file, and clears it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const input = join(dir, 'results.jsonl')
    nextRow = 1
    writeFileSync(input, `${Array.from({ length: 3000 }, () => JSON.stringify(review({ rating: 4 }))).join('\n')}\n`)
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY')
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true })
    try {
      const out = await runReport({ input, out: join(dir, 'r.html') })
      expect(out.report.totals.ok).toBe(3000)
      const drawn = write.mock.calls.map((c) => String(c[0])).join('')
      expect(drawn).toMatch(/\r\x1b\[2Kreading 1,024 rows · [\d,]+ rows\/s · [\d.]+ of [\d.]+ MB \(\d+%\)/)
      // Cleared before the summary line.
      expect(drawn).toMatch(/\r\x1b\[2Krecensio report: 3,000 reviews/)
    } finally {
      write.mockRestore()
      if (tty === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY
      else Object.defineProperty(process.stderr, 'isTTY', tty)
    }
  })

  it('tells a results file by its first row and writes HTML and JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const input = join(dir, 'results.jsonl')
    nextRow = 1
    const rows: ResultRow[] = [review({ rating: 4 }), errorRow('text'), review({ rating: 2 })]
    writeFileSync(input, `${rows.map((r) => JSON.stringify(r)).join('\n')}\nnot json\n`)
    const out = await runReport({ input, json: join(dir, 'r.json'), quiet: true })
    expect(out.report.source).toEqual({ kind: 'results', file: input })
    expect(out.report.totals).toEqual({ rows: 3, ok: 2, errors: 1 })
    expect(out.report.notes).toContain('1 line of the results file is not a result row and was skipped (line 4).')
    // A row edited by another tool, its score turned to text, is skipped and named, not a TypeError halfway.
    const edited = { ...rows[0]!, sentiment: { ...(rows[0] as ReviewResult).sentiment, score: '0.5' } }
    writeFileSync(input, `${[rows[0], edited, rows[2], '{"ok":true}'].map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`)
    const again = await runReport({ input, quiet: true })
    expect(again.report.totals).toEqual({ rows: 2, ok: 2, errors: 0 })
    expect(again.report.notes).toContain("2 lines of the results file are not result rows and were skipped (lines 2, 4; line 2's sentiment.score is missing or of the wrong type).")
    expect(out.htmlPath).toBe(join(dir, 'results.html'))
    expect(readFileSync(out.htmlPath!, 'utf8')).toContain('<svg')
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).totals.ok).toBe(2)
  })

  it('analyzes an input dump first, keeping the group-by fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const input = join(dir, 'dump.jsonl')
    const text = 'Producto recibido gratis a cambio de mi opinión honesta. Muy bueno.'
    const dump = [
      { id: 'a', text: 'Llegó tarde y la caja venía rota.', rating: 2, country: 'ES', product: 'p' },
      { id: 'b', text, rating: 5, country: 'MX', product: 'p' },
      { id: 'c', text: 'Ottimo prodotto, lo consiglio.', rating: 5, country: 'IT', product: 'q' },
    ]
    writeFileSync(input, `${dump.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const out = await runReport({ input, out: join(dir, 'out.html'), groupBy: ['country'], quiet: true, options: { workers: 1 } })
    expect(out.report.source.kind).toBe('input')
    expect(out.report.totals.ok).toBe(3)
    const country = out.report.breakdowns.find((b) => b.dimension === 'fields.country')!
    expect(country.groups.map((g) => g.value).sort()).toEqual(['ES', 'IT', 'MX'])
  })

  it('leaves month-only dates out of the timelines, from a dump and from its results file alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const input = join(dir, 'dump.jsonl')
    const texts = ['Llegó rápido y bien embalado.', 'La tapa cierra mal.', 'Muy buena, la uso cada día.', 'El motor hace ruido.']
    const dump = [
      ...Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, text: `${texts[i % 4]} Opinión ${i}.`, product: 'p', author: `a${i}`, date: 'marzo de 2024' })),
      { id: 'd1', text: 'Perfecta, la recomiendo.', product: 'p', author: 'b1', date: '2024-03-04' },
      { id: 'd2', text: 'Buena relación calidad precio.', product: 'p', author: 'b2', date: '2024-03-06' },
    ]
    writeFileSync(input, `${dump.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const fromDump = await runReport({ input, out: join(dir, 'dump.html'), quiet: true, options: { workers: 1 } })
    const want = { start: '2024-03-04', counts: [1, 0, 1], flagged: [0, 0, 0], dayless: 12 }
    expect(fromDump.report.products[0]!.timeline).toEqual(want)
    expect(fromDump.report.dates).toEqual({ first: '2024-03-04', last: '2024-03-06', dated: 2, dayless: 12 })
    expect(readFileSync(join(dir, 'dump.html'), 'utf8')).toContain('12 reviews name no day (only a month or a year, or "2 weeks ago") and are left out of this chart')
    // A results file carries the mark on each row, so its report draws the same.
    const results = join(dir, 'results.jsonl')
    const rows: ResultRow[] = []
    for await (const row of analyzeBatch(dump, { workers: 0 })) rows.push(row)
    writeFileSync(results, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const fromResults = await runReport({ input: results, out: join(dir, 'results.html'), quiet: true })
    expect(fromResults.report.products[0]!.timeline).toEqual(want)
    expect(fromResults.report.dates).toEqual(fromDump.report.dates)
  })

  it('rounds removedShare alike from a dump and from its results file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const input = join(dir, 'dump.jsonl')
    const spam = 'Recibí el producto gratis a cambio de mi opinión. Compra en www.ofertas-baratas.example con el código AHORRA50, ¡increíble!'
    const dump = [
      { id: 'f1', text: spam, product: 'p', author: 'x1', rating: 5 },
      { id: 'f2', text: spam, product: 'p', author: 'x2', rating: 5 },
      { id: 'g1', text: 'Llegó tarde y la caja venía rota.', product: 'p', author: 'y1', rating: 2 },
      { id: 'g2', text: 'Buena calidad, la uso cada día.', product: 'p', author: 'y2', rating: 4 },
      { id: 'g3', text: 'No funciona el botón de encendido.', product: 'p', author: 'y3', rating: 1 },
      { id: 'g4', text: 'Cumple lo que promete.', product: 'p', author: 'y4', rating: 4 },
    ]
    writeFileSync(input, `${dump.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const fromDump = await runReport({ input, out: '-', json: join(dir, 'dump.json'), quiet: true, options: { workers: 1 } })
    const rows: ResultRow[] = []
    for await (const row of analyzeBatch(dump, { workers: 0 })) rows.push(row)
    const results = join(dir, 'results.jsonl')
    writeFileSync(results, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const fromResults = await runReport({ input: results, out: '-', json: join(dir, 'results.json'), quiet: true })
    // Two of six reviews are likely fake: 0.333 both ways (the batch summary's 3 decimals).
    expect(fromDump.report.products[0]).toMatchObject({ adjustedFrom: 'summary', removedShare: 0.333 })
    expect(fromResults.report.products[0]).toMatchObject({ adjustedFrom: 'rows', removedShare: 0.333 })
    const json = (file: string) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { products: { removedShare: number }[] }).products[0]!.removedShare
    expect(json('results.json')).toBe(json('dump.json'))
  })

  it('reads the texts of flagged reviews and cluster members back from the dump, by id or row number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const input = join(dir, 'dump.jsonl')
    const long = 'x'.repeat(1000)
    writeFileSync(
      input,
      [
        JSON.stringify({ review_id: 'a', body: 'first text' }),
        '',
        JSON.stringify({ review_id: 'b', body: long }),
        JSON.stringify({ body: 'no id, third row' }),
        JSON.stringify({ review_id: 'd', body: 'not shown' }),
      ].join('\n'),
    )
    nextRow = 1
    const spam: Signal = { type: 'spam', strength: 0.9, reason: 'link' }
    const copy: Signal = { type: 'duplicate', strength: 0.9, reason: 'copy', related: ['3'] }
    const report = await buildReport([
      review({ id: 'a', signals: [spam], fakeScore: 0.9 }),
      review({ id: 'b', signals: [copy], fakeScore: 0.2 }),
    ])
    await attachTexts(report, input, { map: { id: 'review_id', text: 'body' } })
    expect(report.authenticity.texts).toBe('input')
    expect(report.authenticity.flagged.map((f) => [f.id, f.text])).toEqual([['a', 'first text']])
    const members = report.authenticity.clusters[0]!.members
    expect(members.map((m) => m.id)).toEqual(['b', '3'])
    expect(members[0]!.text).toHaveLength(400)
    expect(members[0]!.text!.endsWith('…')).toBe(true)
    expect(members[1]!.text).toBe('no id, third row')
  })

  it('reads back the text of a review in halves as it was analyzed: its text, then its pros and cons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const input = join(dir, 'booking.csv')
    writeFileSync(input, ['id,comment,Positive review,Negative review', 'a,,Great location,The room was dirty', 'b,Business trip,No Positive,Noisy street'].join('\n'))
    nextRow = 1
    const spam: Signal = { type: 'spam', strength: 0.9, reason: 'link' }
    const report = await buildReport([review({ id: 'a', signals: [spam], fakeScore: 0.9 }), review({ id: 'b', signals: [spam], fakeScore: 0.9 })])
    await attachTexts(report, input)
    expect(report.authenticity.flagged.map((f) => [f.id, f.text])).toEqual([
      ['a', 'Great location.\n\nThe room was dirty'],
      ['b', 'Business trip.\n\nNoisy street'],
    ])
  })

  it('makes one report of several dumps (one batch) or several results files, and refuses a mix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const copy = 'Producto recibido gratis a cambio de mi opinión honesta. Muy bueno, lo recomiendo a todos.'
    const jan = join(dir, 'jan.jsonl')
    const feb = join(dir, 'feb.csv')
    writeFileSync(jan, `${JSON.stringify({ id: 'a', text: copy, rating: 5, author: 'x' })}\n${JSON.stringify({ id: 'b', text: 'Llegó tarde.', rating: 2 })}\n`)
    writeFileSync(feb, `id,text,rating,author\nc,"${copy}",5,y\n`)
    const both = await runReport({ input: [jan, feb], json: join(dir, 'both.json'), quiet: true, options: { workers: 1 } })
    expect(both.report.source).toEqual({ kind: 'input', file: `${jan}, ${feb}` })
    expect(both.report.totals).toEqual({ rows: 3, ok: 3, errors: 0 })
    expect(both.htmlPath).toBeUndefined()
    // The copy across the two files is one cluster, its members' texts read back from either file.
    const cluster = both.report.authenticity.clusters[0]!
    expect(cluster.members.map((m) => [m.id, m.text])).toEqual([
      ['a', copy],
      ['c', copy],
    ])
    nextRow = 1
    const r1 = join(dir, 'r1.jsonl')
    const r2 = join(dir, 'r2.jsonl')
    writeFileSync(r1, `${JSON.stringify(review({ rating: 4 }))}\n`)
    writeFileSync(r2, `${JSON.stringify(review({ rating: 2 }))}\nnot json\n`)
    const results = await runReport({ input: [r1, r2], out: join(dir, 'r.html'), quiet: true })
    expect(results.report.totals).toEqual({ rows: 2, ok: 2, errors: 0 })
    expect(results.report.notes).toContain(`1 line of ${r2} is not a result row and was skipped (line 2).`)
    expect(results.htmlPath).toBe(join(dir, 'r.html'))
    await expect(runReport({ input: [r1, jan], out: join(dir, 'x.html'), quiet: true })).rejects.toThrow(`${r1} holds results and ${jan} is an input dump`)
    await expect(runReport({ input: [r1, r2], quiet: true })).rejects.toThrow(/with several inputs, the report needs --out/)
    await expect(runReport({ input: [r1, '-'], out: join(dir, 'x.html'), quiet: true })).rejects.toThrow(/stdin \(-\) cannot be one of several inputs/)
    await expect(runReport({ input: [], quiet: true })).rejects.toThrow(/expected the path of a results file or an input dump/)
  })

  it('keeps the copies of several results files apart, though separate runs reuse ids and cluster names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-runs-'))
    // Two runs over dumps without ids: each names its rows 1, 2, 3 and its first group of copies dup-1.
    const run = async (texts: string[]) => {
      const rows: ResultRow[] = []
      for await (const row of analyzeBatch(texts.map((text, i) => ({ text, author: `u${i}`, product: 'p' })))) rows.push(row)
      return rows
    }
    const a = 'Producto recibido gratis a cambio de mi opinión honesta. Muy bueno, lo recomiendo a todos.'
    const b = 'Prodotto arrivato rotto e il servizio clienti non risponde mai. Non compratelo, pessimo acquisto.'
    const jan = await run([a, a, 'Llegó tarde pero funciona bien, estoy contento con la compra.'])
    const feb = await run(['Great sound and the battery lasts all week, happy with it.', b, b])
    const cluster = (rows: ResultRow[]) => rows.flatMap((r) => (r.ok ? r.authenticity.signals : [])).find((s) => s.type === 'duplicate')?.cluster
    expect([cluster(jan), cluster(feb)]).toEqual(['dup-1', 'dup-1'])
    expect(jan.map((r) => r.id)).toEqual(feb.map((r) => r.id))
    const [f1, f2] = [join(dir, 'jan.jsonl'), join(dir, 'feb.jsonl')]
    writeFileSync(f1, `${jan.map((r) => JSON.stringify(r)).join('\n')}\n`)
    writeFileSync(f2, `${feb.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const both = await runReport({ input: [f1, f2], json: join(dir, 'r.json'), quiet: true })
    const groups = both.report.authenticity.clusters.filter((c) => c.kind === 'duplicate')
    // Two groups of two, named apart: not one group of four that joins a Spanish copy to an Italian one.
    expect(groups.map((c) => [c.id, c.members.map((m) => m.id)])).toEqual([
      ['dup-1', ['1', '2']],
      ['f2-dup-1', ['2', '3']],
    ])
    // Review "2" is flagged in both files: each card has an anchor of its own, and each table row links to its card.
    const html = renderReportHtml(both.report)
    const ids = [...html.matchAll(/\sid="(r-[^"]+)"/g)].map((m) => m[1])
    expect(ids.filter((id) => id === 'r-2' || id === 'r-2-2')).toEqual(['r-2', 'r-2-2'])
    expect(new Set(ids).size).toBe(ids.length)
    expect(html).toContain('<a href="#r-2-2">2</a>')
  })

  it('refuses an argument it does not read instead of writing next to the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    const input = join(dir, 'dump.jsonl')
    writeFileSync(input, `${JSON.stringify({ id: 'a', text: 'Muy bueno' })}\n`)
    const typo = { input, outt: join(dir, 'mine.html'), quiet: true } as unknown as Parameters<typeof runReport>[0]
    const error = await runReport(typo).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecensioError)
    expect((error as RecensioError).message).toBe(
      'runReport: unknown argument "outt" (expected input, out, json, groupBy, map, quiet, options, report)',
    )
    expect((error as RecensioError).issues).toEqual([{ field: 'outt', code: 'invalid_option', message: 'unknown argument "outt"' }])
    expect(existsSync(join(dir, 'dump.html'))).toBe(false)
    await expect(runReport(undefined as unknown as Parameters<typeof runReport>[0])).rejects.toThrow(
      "runReport: expected an object such as { input: 'results.jsonl', out: 'report.html' }, got nothing",
    )
  })
})

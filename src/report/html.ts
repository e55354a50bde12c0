/**
 * `renderReportHtml`: the report as one self-contained HTML page (inline CSS,
 * a few lines of inline JS to sort tables and mark those wider than the
 * screen, SVG charts), readable offline from disk. A Content-Security-Policy
 * forbids every network load. Long lists (products, flagged reviews, groups
 * of copies, bursts) show their first rows or cards and fold the rest under
 * a `<details>`, so the page stays an overview at any dump size; the folds
 * need no script.
 */
import { type CesResult, type GroupMetrics, type NpsResult, groupedInt, signedFixed } from '../metrics/index.js'
import { RecensioError, describeValue, scaleText } from '../review/index.js'
import { NOT_SET, OTHER } from './build.js'
import { COLORS, WIDE_PX, barList, columnChart, dumbbell, esc, stackedBars, timeline, windowText } from './svg.js'
import type { Breakdown, ClusterReport, FlaggedReview, PhraseCount, Report, StageCell, StageReport } from './types.js'

/** Products drawn in the stage heatmap and the raw-vs-adjusted chart. */
const CHART_PRODUCTS = 20
/** Ids listed per burst before "and N more". */
const BURST_IDS_SHOWN = 24
/** Average stage sentiment at which a heatmap cell reaches its full colour. */
const HEAT_SATURATION = 0.6
/**
 * Body rows a long table (products, flagged reviews, breakdown values) shows
 * before its fold: about a screen at 1280 px, so the page stays an overview
 * at any dump size and the rest is one click away.
 */
const TABLE_ROWS_SHOWN = 20
/** Burst rows shown before the fold: each lists up to `BURST_IDS_SHOWN` ids, three or four lines. */
const BURST_ROWS_SHOWN = 10
/** Cards (groups of copies, flagged reviews' reasons) shown before the fold: two or three rows of them. */
const CARDS_SHOWN = 6
/** Row caps of `foldedTable`, each with its CSS rule. */
const ROW_CAPS = [TABLE_ROWS_SHOWN, BURST_ROWS_SHOWN] as const

const LANGUAGE_NAMES: Record<string, string> = { es: 'Spanish', it: 'Italian', en: 'English', und: 'undetermined' }
const SIGNAL_NAMES: Record<string, string> = {
  duplicate: 'duplicate text',
  cross_listed: 'cross-listed',
  burst: 'burst',
  unverified: 'unverified purchase',
  rating_mismatch: 'rating mismatch',
  incentivized: 'incentivized',
  spam: 'spam',
  reviewer_activity: 'reviewer activity',
  low_information: 'low information',
  generated_text: 'generated text',
}

/** Plain words for the error codes of error rows; the code itself stays beside them, for a search of the results. */
const ERROR_NAMES: Record<string, string> = {
  required: 'missing',
  invalid_type: 'wrong kind of value',
  invalid_value: 'value not accepted',
  out_of_range: 'out of range',
  too_big: 'too long',
  invalid_date: 'not a readable date',
  invalid_json: 'not valid JSON',
  invalid_row: 'not a review row',
  invalid_encoding: 'unreadable characters',
  truncated: 'cut off',
}

function stageName(stage: string): string {
  const s = stage.replace(/[_-]+/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function pct(share: number | null, digits = 0): string {
  if (share === null || !Number.isFinite(share)) return '—'
  return `${(share * 100).toFixed(digits)}%`
}

function signed(x: number | null, digits = 2): string {
  return x === null || !Number.isFinite(x) ? '—' : signedFixed(x, digits)
}

function num(x: number | null, digits = 2): string {
  return x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits)
}

function int(n: number): string {
  return groupedInt(n)
}


/**
 * A review's date as its row gave it: the day, or the month ("2024-03") of a
 * date that names no day (`dayless`: read as the 1st, or "2 weeks ago"
 * counted back to a day). A year alone ("2024") also reads as January 1st
 * and the row does not say which it was, so a dayless January 1st shows as
 * its year, which is true of both.
 */
function dateText(date: string, dayless: true | undefined): string {
  if (dayless !== true) return date.slice(0, 10)
  return date.slice(5, 10) === '01-01' ? date.slice(0, 4) : date.slice(0, 7)
}

/** A verdict's badge; escaped, as a results file may hold any value there. */
function verdictBadge(verdict: string): string {
  return `<span class="badge v-${esc(verdict)}">${esc(verdict.replace('_', ' '))}</span>`
}

function anchor(id: string): string {
  return `r-${id}`
}

function href(id: string): string {
  return linkTo(anchor(id))
}

/** A link's target for an anchor of the page. */
function linkTo(anchorName: string): string {
  return `#${encodeURIComponent(anchorName)}`
}

/**
 * Each flagged review's anchor: `r-ID`, and `r-ID-2`, `r-ID-3` … for a later
 * review of the same id (several results files, each a run of its own, may
 * reuse ids), so every card has an anchor of its own. A link by id alone
 * (another review's signal naming it) goes to the first.
 */
function flagAnchors(flagged: readonly FlaggedReview[]): Map<FlaggedReview, string> {
  const seen = new Map<string, number>()
  const out = new Map<FlaggedReview, string>()
  for (const f of flagged) {
    const n = (seen.get(f.id) ?? 0) + 1
    seen.set(f.id, n)
    out.set(f, n === 1 ? anchor(f.id) : `${anchor(f.id)}-${n}`)
  }
  return out
}

function idLink(id: string, shown: Set<string>): string {
  return shown.has(id) ? `<a href="${esc(href(id))}">${esc(id)}</a>` : `<span class="id">${esc(id)}</span>`
}

/** Background of a heatmap cell for an average sentiment in −1 … 1. */
function heat(score: number | null): string {
  if (score === null) return '#f8fafc'
  const t = Math.max(-1, Math.min(1, score / HEAT_SATURATION))
  const to = t < 0 ? [0xd1, 0x49, 0x5b] : [0x2a, 0x9d, 0x8f]
  const a = Math.abs(t) * 0.75
  const mix = (c: number) => Math.round(255 + (c - 255) * a)
  return `rgb(${mix(to[0]!)},${mix(to[1]!)},${mix(to[2]!)})`
}

function dv(x: number | null): string {
  return ` data-v="${x === null || !Number.isFinite(x) ? '-Infinity' : x}"`
}

function kpi(label: string, value: string, note: string, tone = ''): string {
  return `<div class="kpi ${tone}"><div class="k-label">${label}</div><div class="k-value">${value}</div><div class="k-note">${note}</div></div>`
}

function header(report: Report): string {
  const o = report.overall
  const a = report.authenticity
  const flaggedShare = report.totals.ok === 0 ? null : (a.verdicts.suspicious + a.verdicts.likely_fake) / report.totals.ok
  const src = report.source.file === undefined ? '' : `<code>${esc(report.source.file)}</code> · `
  const dates =
    report.dates.first === null
      ? report.dates.dayless > 0
        ? `${count(report.dates.dayless, 'date')} without a day`
        : 'no dates'
      : report.dates.first === report.dates.last ? report.dates.first : `${report.dates.first} to ${report.dates.last}`
  const cards: string[] = [
    kpi('Reviews analyzed', int(report.totals.ok), `${count(report.totals.rows, 'row')} · ${count(report.totals.errors, 'error row')}`),
    kpi(
      'Average rating',
      o.averageRating === null ? '—' : `${o.averageRating.toFixed(2)}★`,
      `${count(o.rated, 'rated review')}`,
    ),
    kpi(
      'CSAT from stars',
      pct(o.csatStars.share),
      o.csatStars.interval === null ? 'no ratings' : `4–5★ · 95% CI ${pct(o.csatStars.interval[0])}–${pct(o.csatStars.interval[1])}`,
    ),
    kpi('Star-based index', signed(o.starIndex.score, 1), '%5★ − %1–3★ · star-based, not a survey', 'derived'),
  ]
  if (o.nps !== undefined) cards.push(kpi('NPS (survey)', signed(o.nps.score, 1), `${int(o.nps.n)} answers on 0–10${o.nps.marginOfError === null ? '' : ` · ±${o.nps.marginOfError.toFixed(1)}`}`))
  if (o.ces !== undefined) cards.push(kpi('CES (survey)', num(o.ces.mean, 2), `mean on ${scaleText(o.ces.scale)} · ${pct(o.ces.easyShare)} easy`))
  if (o.csat !== undefined) cards.push(kpi('CSAT (survey)', pct(o.csat.share), `${int(o.csat.n)} answers on ${scaleText(o.csat.scale)}`))
  cards.push(
    kpi(
      'Average sentiment',
      signed(o.averageSentiment, 2),
      `${pct(report.totals.ok === 0 ? null : o.sentimentLabels.positive / report.totals.ok)} positive · ${pct(report.totals.ok === 0 ? null : o.sentimentLabels.negative / report.totals.ok)} negative`,
    ),
    kpi(
      'Flagged reviews',
      pct(flaggedShare, 1),
      `${int(a.verdicts.likely_fake)} likely fake · ${int(a.verdicts.suspicious)} suspicious`,
      flaggedShare !== null && flaggedShare > 0 ? 'warn' : '',
    ),
  )
  const notes = report.notes.length === 0 ? '' : `<ul class="notes">${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
  return `<header><h1>${esc(report.title)}</h1><p class="sub">${src}${count(report.totals.rows, 'row')} · ${esc(dates)}</p>
<div class="kpis">${cards.join('')}</div>${notes}
<nav>${NAV.map(([id, name]) => `<a href="#${id}">${name}</a>`).join('')}</nav></header>`
}

const NAV: [string, string][] = [
  ['cx', 'Ratings &amp; CX'],
  ['journey', 'Journey stages'],
  ['where', 'Where stages differ'],
  ['products', 'Products'],
  ['timelines', 'Timelines'],
  ['breakdowns', 'Breakdowns'],
  ['authenticity', 'Authenticity'],
  ['data', 'Languages &amp; errors'],
  ['method', 'How it is computed'],
]

function npsSegments(r: NpsResult) {
  return [
    { label: 'detractors', value: r.detractors, color: COLORS.detractor },
    { label: 'passives', value: r.passives, color: COLORS.passive },
    { label: 'promoters', value: r.promoters, color: COLORS.promoter },
  ]
}

function cesChart(ces: CesResult & { histogram: Record<string, number> }): string {
  const cols = []
  for (let v = ces.scale.min; v <= ces.scale.max; v++) {
    const easy = v >= ces.easyRange[0] && v <= ces.easyRange[1]
    const hard = v >= ces.difficultRange[0] && v <= ces.difficultRange[1]
    cols.push({ label: String(v), value: ces.histogram[String(v)] ?? 0, color: easy ? COLORS.positive : hard ? COLORS.negative : COLORS.neutral })
  }
  return columnChart(cols, 'CES answers per point')
}

/** The heading count of the duplicate section: copies and cross-listings apart, since only copies are suspect. */
function groupCounts(copies: number, crossListings: number): string {
  const copyText = `${count(copies, 'group')} of copies`
  return crossListings === 0 ? copyText : `${copyText} · ${count(crossListings, 'cross-listing')}`
}

/**
 * The star chart's caption. Its columns round ratings to the nearest star, while CSAT counts ratings of 4★ and
 * up before rounding: mapped from another scale (7/10 → 3.8★), some reviews in the 4★ column are not satisfied.
 */
function ratingCaption(histogram: readonly number[], satisfied: number): string {
  const under = (histogram[3] ?? 0) + (histogram[4] ?? 0) - satisfied
  if (under <= 0) return 'Reviews per star (ratings on other scales mapped to 1–5). Green columns count as satisfied.'
  return `Reviews per star, rounded to the nearest star (ratings on other scales mapped to 1–5). Green columns count as satisfied, except ${count(under, 'review')} in the 4★ column rated just under 4★ (such as 7/10 → 3.8★), which CSAT does not count.`
}

function cxSection(report: Report): string {
  const o = report.overall
  if (report.totals.ok === 0) return section('cx', 'Ratings &amp; CX', '<p class="empty">No reviews were analyzed.</p>')
  const ratingCols = o.ratingHistogram.map((value, i) => ({
    label: `${i + 1}★`,
    value,
    color: i >= 3 ? COLORS.positive : i === 2 ? COLORS.neutral : COLORS.negative,
  }))
  let body =
    o.rated === 0
      ? '<p class="muted">No review has a star rating, so there is no CSAT from stars or star-based index: map a rating column with <code>--map rating=…</code> if the input has one.</p>'
      : `<div class="grid2"><figure>${columnChart(ratingCols, 'Reviews per star rating')}<figcaption>${ratingCaption(o.ratingHistogram, o.csatStars.satisfied)}</figcaption></figure>
<div><h3>CSAT from stars: ${pct(o.csatStars.share, 1)}</h3><p>${int(o.csatStars.satisfied)} of ${o.csatStars.n === 1 ? '1 rated review gives' : `${int(o.csatStars.n)} rated reviews give`} 4–5★${o.csatStars.interval === null ? '' : ` (95% interval ${pct(o.csatStars.interval[0], 1)}–${pct(o.csatStars.interval[1], 1)})`}.</p>
<h3>Star-based index: ${signed(o.starIndex.score, 1)} <span class="badge derived">star-based, not a survey</span></h3>
<p>The NPS arithmetic applied to stars: %5★ − %1–3★, 4★ counted as passive. Reviewers were not asked whether they would recommend; read it as a trend, not as an NPS.</p>
${o.starIndex.n > 0 ? `<figure>${stackedBars([{ label: '', segments: npsSegments(o.starIndex), note: `${int(o.starIndex.n)} rated` }], 'Star-based index shares', 484)}</figure>` : ''}</div></div>`
  if (o.nps !== undefined) {
    const cols = o.nps.histogram.map((value, i) => ({
      label: String(i),
      value,
      color: i >= 9 ? COLORS.promoter : i >= 7 ? COLORS.passive : COLORS.detractor,
    }))
    body += `<h3>NPS (survey): ${signed(o.nps.score, 1)}</h3><div class="grid2"><figure>${columnChart(cols, 'NPS answers per point')}<figcaption>Answers to “how likely are you to recommend…” on 0–10: detractors 0–6, passives 7–8, promoters 9–10.</figcaption></figure>
<p>NPS = %promoters − %detractors = ${pct(o.nps.n === 0 ? null : o.nps.promoters / o.nps.n, 1)} − ${pct(o.nps.n === 0 ? null : o.nps.detractors / o.nps.n, 1)} = <b>${signed(o.nps.score, 1)}</b> on ${int(o.nps.n)} answers${o.nps.marginOfError === null ? '' : ` (95% margin ±${o.nps.marginOfError.toFixed(1)} points)`}.</p></div>`
  }
  if (o.ces !== undefined) {
    const easyEnd = o.ces.direction === 'higher_is_easier' ? `${o.ces.scale.max} = easiest` : `${o.ces.scale.min} = easiest`
    body += `<h3>CES (survey): ${num(o.ces.mean, 2)} on ${scaleText(o.ces.scale)}</h3><div class="grid2"><figure>${cesChart(o.ces)}<figcaption>Effort answers on ${scaleText(o.ces.scale)}, ${easyEnd}. Green: easy; red: difficult.</figcaption></figure>
<p>Mean effort answer ${num(o.ces.mean, 2)} (${easyEnd}). ${pct(o.ces.easyShare, 1)} found it easy (${o.ces.easyRange[0]}–${o.ces.easyRange[1]}), ${pct(o.ces.difficultShare, 1)} difficult (${o.ces.difficultRange[0]}–${o.ces.difficultRange[1]}), on ${int(o.ces.n)} answers.</p></div>`
  }
  if (o.csat !== undefined) {
    body += `<h3>CSAT (survey): ${pct(o.csat.share, 1)}</h3><p>${int(o.csat.satisfied)} of ${int(o.csat.n)} answers at ${o.csat.threshold} or above on ${scaleText(o.csat.scale)}${o.csat.interval === null ? '' : ` (95% interval ${pct(o.csat.interval[0], 1)}–${pct(o.csat.interval[1], 1)})`}.</p>`
  }
  if (o.nps === undefined && o.ces === undefined && o.csat === undefined) {
    body += `<p class="muted">No survey answers in this data: map NPS (0–10), CES and CSAT columns with <code>--map nps=…,ces=…,csat=…</code> to get the survey figures.</p>`
  }
  return section('cx', 'Ratings &amp; CX', body)
}

/** "1 mention", "12 mentions". */
function mentionCount(n: number): string {
  return count(n, 'mention')
}

/** `n` and its noun, plural unless n is 1: "1 row", "1,200 rows". */
export function count(n: number, noun: string): string {
  return `${int(n)} ${noun}${n === 1 ? '' : 's'}`
}

/**
 * A sortable table in its scroll box, folded past its first `shown` rows when
 * it has more: the CSS hides the later rows while the `<details>` under the
 * table is closed, and a click on its summary shows them all (no script
 * needed). A sort reorders every row, so the rows in view are the first
 * `shown` by the clicked column. A browser without `:has()` shows every row.
 *
 * @param table The `<table>` element.
 * @param rows Its body rows.
 * @param shown One of `ROW_CAPS`.
 * @param noun What a row is ("product"), as HTML, for the fold's summary.
 */
function foldedTable(table: string, rows: number, shown: (typeof ROW_CAPS)[number], noun: string): string {
  const box = `<div class="scroll">${table}</div>`
  if (rows <= shown) return box
  return `<div class="fold rows-${shown}">${box}<details class="unfold"><summary><span class="closed">Show all ${count(rows, noun)} (${int(rows - shown)} more)</span><span class="opened">Show the first ${shown} only</span></summary></details></div>`
}

/**
 * Cards in a grid, the first `CARDS_SHOWN` in view and the rest in a
 * `<details>` under them, whose summary says how many it holds. A link to a
 * folded card opens its fold (the browser does, or the page's script).
 *
 * @param cards The cards' HTML, in the order to show them.
 * @param grid The grid's class.
 * @param more The fold's summary, given the number of folded cards.
 */
function foldedCards(cards: string[], grid: string, more: (n: number) => string): string {
  const head = `<div class="${grid}">${cards.slice(0, CARDS_SHOWN).join('\n')}</div>`
  if (cards.length <= CARDS_SHOWN) return head
  return `${head}<details class="unfold-cards"><summary>${more(cards.length - CARDS_SHOWN)}</summary><div class="${grid}">${cards.slice(CARDS_SHOWN).join('\n')}</div></details>`
}

function phrases(list: PhraseCount[]): string {
  if (list.length === 0) return '<span class="muted">—</span>'
  return list.map((p) => `<span class="chip">${esc(p.text)} <b>${p.count}</b></span>`).join(' ')
}

function journeySection(report: Report): string {
  if (report.stages.length === 0) return section('journey', 'Journey stages', '<p class="empty">No review was tagged with a journey stage.</p>')
  const rows = report.stages.map((s) => ({
    label: stageName(s.stage),
    segments: [
      { label: 'negative', value: s.labels.negative, color: COLORS.negative },
      { label: 'neutral', value: s.labels.neutral, color: COLORS.neutral },
      { label: 'positive', value: s.labels.positive, color: COLORS.positive },
    ],
    note: `${mentionCount(s.mentions)} · avg ${signed(s.averageSentiment)}`,
  }))
  const hasWords = report.stages.some((s) => s.praiseWords.length > 0 || s.complaintWords.length > 0)
  const table = `<div class="scroll"><table class="sortable stages"><thead><tr><th>Stage</th><th class="n">Mentions</th><th class="n">Share of reviews</th><th class="n">Avg sentiment</th><th>Praised</th><th>Complained about</th></tr></thead><tbody>
${report.stages.map((s) => stageRow(s, hasWords)).join('\n')}</tbody></table></div>`
  return section(
    'journey',
    'Sentiment by journey stage',
    `<figure>${stackedBars(rows, 'Sentiment of stage mentions')}<figcaption>Share of negative, neutral and positive mentions per stage. A mention is a review tagged with the stage; its sentiment is that of the clauses carrying the stage's cues.</figcaption></figure>${table}<p class="muted small">Praised / complained about: the stage's cue phrases most often found in positive / negative mentions, with their counts${hasWords ? '; “words”: the sentiment words next to those cues' : ''}.</p>`,
  )
}

function stageRow(s: StageReport, hasWords: boolean): string {
  const words = (w: PhraseCount[]) => (hasWords && w.length > 0 ? `<div class="words">words: ${phrases(w)}</div>` : '')
  // data-label: a phone shows each stage as a card, its cells named by these (the header row is hidden there).
  return `<tr><td class="stage">${esc(stageName(s.stage))}</td><td class="n"${dv(s.mentions)} data-label="Mentions">${int(s.mentions)}</td><td class="n"${dv(s.share)} data-label="Share of reviews">${pct(s.share, 1)}</td><td class="n heat"${dv(s.averageSentiment)} data-label="Avg sentiment" style="background-color:${heat(s.averageSentiment)}">${signed(s.averageSentiment)}</td><td class="phr" data-label="Praised">${phrases(s.praise)}${words(s.praiseWords)}</td><td class="phr" data-label="Complained about">${phrases(s.complaints)}${words(s.complaintWords)}</td></tr>`
}

function heatTable(rowsLabel: string, rows: { label: string; cells: StageCell[] }[], stages: string[], minMentions: number, noun: string): string {
  const head = `<tr><th>${esc(rowsLabel)}</th>${stages.map((s) => `<th class="n">${esc(stageName(s))}</th>`).join('')}</tr>`
  const body = rows
    .map((r) => {
      const cells = stages.map((stage) => {
        const c = r.cells.find((x) => x.stage === stage)
        if (c === undefined) return `<td class="n heat"${dv(null)}><span class="muted">—</span></td>`
        const few = c.mentions < minMentions
        return `<td class="n heat${few ? ' few' : ''}"${dv(c.averageSentiment)} style="background-color:${heat(c.averageSentiment)}" title="${esc(`${mentionCount(c.mentions)}: ${c.positive} positive, ${c.negative} negative${few ? ' (few mentions)' : ''}`)}">${signed(c.averageSentiment)}<small>${int(c.mentions)}</small></td>`
      })
      return `<tr><td>${esc(r.label)}</td>${cells.join('')}</tr>`
    })
    .join('\n')
  return foldedTable(`<table class="sortable heatmap"><thead>${head}</thead><tbody>${body}</tbody></table>`, rows.length, TABLE_ROWS_SHOWN, noun)
}

function whereSection(report: Report): string {
  const stages = report.stages.map((s) => s.stage)
  const parts: string[] = []
  for (const b of report.breakdowns) {
    const groups = b.groups.filter((g) => g.value !== NOT_SET)
    if (groups.length < 2 || stages.length === 0) continue
    const gaps =
      b.gaps.length === 0
        ? `<p class="muted">No stage has ${report.method.minGapMentions} or more mentions in two ${esc(b.label.toLowerCase())} values to compare.</p>`
        : `<ul class="gaps">${b.gaps
            .map(
              (g) =>
                `<li><b>${esc(stageName(g.stage))}</b>: ${signed(g.best.averageSentiment)} on <b>${esc(g.best.value)}</b> (${int(g.best.mentions)} mentions) vs ${signed(g.worst.averageSentiment)} on <b>${esc(g.worst.value)}</b> (${int(g.worst.mentions)} mentions), a gap of ${g.difference.toFixed(2)}</li>`,
            )
            .join('')}</ul>`
    parts.push(
      `<h3>By ${esc(b.label.toLowerCase())}</h3>${gaps}${heatTable(
        b.label,
        groups.map((g) => ({ label: g.value, cells: g.stages })),
        stages,
        report.method.minGapMentions,
        `${esc(b.label.toLowerCase())} value`,
      )}`,
    )
  }
  const body =
    parts.length === 0
      ? '<p class="empty">No channel, segment or group-by field has two or more values, so there is nothing to compare.</p>'
      : `<p>Average stage sentiment (−1 … +1) for each value, with the number of mentions under it; pale cells rest on fewer than ${report.method.minGapMentions} mentions and are left out of the comparisons.</p>${parts.join('')}`
  return section('where', 'Where each stage goes well or badly', body)
}

/** How the product table is ordered and what it shows, above it when it is folded or capped. */
function productOrder(report: Report): string {
  const n = report.products.length
  const capped = report.productsTotal > n ? ` It holds the ${int(n)} most reviewed of ${count(report.productsTotal, 'product')}.` : ''
  if (n <= TABLE_ROWS_SHOWN && capped === '') return ''
  const folded = n > TABLE_ROWS_SHOWN ? ` The first ${TABLE_ROWS_SHOWN} rows are shown; a click on a column sorts all ${int(n)}, and the fold under the table shows the rest.` : ''
  return `<p class="muted small">Most reviewed first.${capped}${folded}</p>`
}

function productsSection(report: Report): string {
  if (report.products.length === 0) return section('products', 'Products', '<p class="empty">No row names a product.</p>')
  const hasNps = report.products.some((p) => p.metrics.nps !== undefined)
  const head = `<tr><th>Product</th><th class="n">Reviews</th><th class="n">Avg rating</th><th class="n">Adjusted</th><th class="n">Removed</th><th class="n">CSAT★</th><th class="n" title="star-based, not a survey">Star index</th>${hasNps ? '<th class="n">NPS</th>' : ''}<th class="n">Sentiment</th><th class="n">Flagged</th><th class="n">Clusters</th><th class="n">Bursts</th></tr>`
  const body = report.products
    .map((p) => {
      const m = p.metrics
      const flagged = p.verdicts.suspicious + p.verdicts.likely_fake
      const moved = m.averageRating !== null && p.adjustedRating !== null && Math.abs(p.adjustedRating - m.averageRating) >= 0.1
      return `<tr><td>${esc(p.product)}</td><td class="n"${dv(m.reviews)}>${int(m.reviews)}</td><td class="n"${dv(m.averageRating)}>${num(m.averageRating)}</td><td class="n${moved ? ' moved' : ''}"${dv(p.adjustedRating)}>${num(p.adjustedRating)}</td><td class="n"${dv(p.removedShare)}>${pct(p.removedShare, 1)}</td><td class="n"${dv(m.csatStars.share)}>${pct(m.csatStars.share)}</td><td class="n"${dv(m.starIndex.score)}>${signed(m.starIndex.score, 0)}</td>${hasNps ? `<td class="n"${dv(m.nps?.score ?? null)}>${m.nps === undefined ? '—' : `${signed(m.nps.score, 0)} <small>(${m.nps.n})</small>`}</td>` : ''}<td class="n heat"${dv(m.averageSentiment)} style="background-color:${heat(m.averageSentiment)}">${signed(m.averageSentiment)}</td><td class="n"${dv(flagged)}>${int(flagged)}</td><td class="n"${dv(p.clusters)}>${int(p.clusters)}</td><td class="n"${dv(p.bursts)}>${int(p.bursts)}</td></tr>`
    })
    .join('\n')
  const shown = report.products.slice(0, CHART_PRODUCTS)
  const stages = report.stages.map((s) => s.stage)
  const fromSummary = report.products.some((p) => p.adjustedFrom === 'summary')
  // Without any rating the chart would be axes with no dot.
  const rated = report.products.some((p) => p.metrics.averageRating !== null)
  const chart = dumbbell(
    shown.map((p) => ({ label: p.product, raw: p.metrics.averageRating, adjusted: p.adjustedRating })),
    'Raw and adjusted average rating per product',
  )
  return section(
    'products',
    'Products',
    `${productOrder(report)}${foldedTable(`<table class="sortable" id="product-table"><thead>${head}</thead><tbody>${body}</tbody></table>`, report.products.length, TABLE_ROWS_SHOWN, 'product')}
${
  rated
    ? `<p class="muted">Adjusted: the average rating without the reviews judged likely fake${fromSummary ? ' (from the batch summary)' : ' (recomputed from the rows)'}; Removed: the share of the product's reviews left out. Click a column to sort.</p>
<figure>${chart}<figcaption>Average rating per product: grey dot all reviews, blue dot without likely-fake reviews.</figcaption></figure>`
    : '<p class="muted">No review has a star rating, so there is no average or adjusted rating; Removed: the share of the product’s reviews judged likely fake. Click a column to sort.</p>'
}
${stages.length === 0 ? '' : `<h3>Stage sentiment per product</h3>${heatTable('Product', shown.map((p) => ({ label: p.product, cells: p.stages })), stages, report.method.minGapMentions, 'product')}`}`,
  )
}

/** Said of reviews whose date names no day, which a chart by day leaves out rather than pile onto the 1st. */
function daylessText(n: number, what: string): string {
  return n === 1 ? `1 review names no day (only a month or a year, or "2 weeks ago") and is left out of ${what}` : `${int(n)} reviews name no day (only a month or a year, or "2 weeks ago") and are left out of ${what}`
}

function timelinesSection(report: Report): string {
  const drawn = report.products.filter((p) => p.timeline !== undefined)
  if (drawn.length === 0) {
    const dayless = report.dates.dayless > 0 ? ` ${daylessText(report.dates.dayless, 'the timelines')}.` : ''
    return section('timelines', 'Daily timelines', `<p class="empty">No dated reviews with a product.${dayless}</p>`)
  }
  const charts = drawn
    .map((p) => {
      const dayless = p.timeline!.dayless > 0 ? ` · <span class="muted">${daylessText(p.timeline!.dayless, 'this chart')}</span>` : ''
      return `<figure class="tl"><figcaption><b>${esc(p.product)}</b> · ${count(p.metrics.reviews, 'review')}${p.burstWindows.length > 0 ? ` · <span class="warn-text">${count(p.burstWindows.length, 'burst')}</span>` : ''}${dayless}</figcaption>${timeline(p.timeline!, p.burstWindows, `Daily reviews of ${p.product}`)}</figure>`
    })
    .join('\n')
  return section(
    'timelines',
    'Daily timelines',
    `<p>Reviews per day on a common date axis (blue), flagged reviews over them (orange-red), burst windows shaded. Shown: the most reviewed products and every product with a burst.</p>${charts}`,
  )
}

function groupTable(b: Breakdown): string {
  const hasNps = b.groups.some((g) => g.metrics.nps !== undefined)
  const hasCes = b.groups.some((g) => g.metrics.ces !== undefined)
  const head = `<tr><th>${esc(b.label)}</th><th class="n">Reviews</th><th class="n">Avg rating</th><th class="n">CSAT★</th><th class="n" title="star-based, not a survey">Star index</th>${hasNps ? '<th class="n">NPS</th>' : ''}${hasCes ? '<th class="n">CES</th>' : ''}<th class="n">Sentiment</th><th class="n">Positive</th><th class="n">Negative</th></tr>`
  const body = b.groups
    .map((g) => {
      const m = g.metrics
      const special = g.value === NOT_SET || g.value === OTHER
      return `<tr${special ? ' class="muted"' : ''}><td>${esc(g.value)}</td><td class="n"${dv(m.reviews)}>${int(m.reviews)}</td><td class="n"${dv(m.averageRating)}>${num(m.averageRating)}</td><td class="n"${dv(m.csatStars.share)}>${pct(m.csatStars.share)}</td><td class="n"${dv(m.starIndex.score)}>${signed(m.starIndex.score, 0)}</td>${hasNps ? `<td class="n"${dv(m.nps?.score ?? null)}>${m.nps === undefined ? '—' : `${signed(m.nps.score, 0)} <small>(${m.nps.n})</small>`}</td>` : ''}${hasCes ? `<td class="n"${dv(m.ces?.mean ?? null)}>${m.ces === undefined ? '—' : `${num(m.ces.mean)} <small>(${m.ces.n})</small>`}</td>` : ''}<td class="n heat"${dv(m.averageSentiment)} style="background-color:${heat(m.averageSentiment)}">${signed(m.averageSentiment)}</td><td class="n"${dv(m.sentimentLabels.positive)}>${int(m.sentimentLabels.positive)}</td><td class="n"${dv(m.sentimentLabels.negative)}>${int(m.sentimentLabels.negative)}</td></tr>`
    })
    .join('\n')
  return `<h3>By ${esc(b.label.toLowerCase())} <small class="muted">${count(b.covered, 'row')} with a value</small></h3>${foldedTable(`<table class="sortable"><thead>${head}</thead><tbody>${body}</tbody></table>`, b.groups.length, TABLE_ROWS_SHOWN, 'value')}`
}

function breakdownsSection(report: Report): string {
  if (report.breakdowns.length === 0) {
    return section('breakdowns', 'Breakdowns', '<p class="empty">No row has a channel, a segment or a group-by field.</p>')
  }
  return section('breakdowns', 'Breakdowns', report.breakdowns.map(groupTable).join('\n'))
}

function reasonsList(f: FlaggedReview, shown: Set<string>): string {
  return `<ul class="reasons">${f.signals
    .map((s) => {
      const related = s.related !== undefined && s.related.length > 0 ? ` <span class="muted">· with ${s.related.slice(0, 12).map((id) => idLink(id, shown)).join(', ')}${s.related.length > 12 ? ` and ${s.related.length - 12} more` : ''}</span>` : ''
      const phrase = s.phrase === undefined ? '' : ` <q>${esc(s.phrase)}</q>`
      return `<li><span class="sig sig-${esc(s.type)}">${esc(SIGNAL_NAMES[s.type] ?? s.type)}</span> <span class="muted">${s.strength.toFixed(2)}</span> ${esc(s.reason)}${phrase}${related}</li>`
    })
    .join('')}</ul>`
}

function clusterCard(c: ClusterReport, shown: Set<string>): string {
  const members = c.members
    .map((m) => {
      // A name isolated: an Arabic or Hebrew product or author would reorder the parts around it.
      const name = (x: string | undefined) => (x === undefined ? undefined : `<bdi>${esc(x)}</bdi>`)
      const meta = [name(m.product), name(m.author), m.date === null || m.date === undefined ? undefined : esc(dateText(m.date, m.dayless)), m.rating === null || m.rating === undefined ? undefined : `${esc(m.rating)}★`]
        .filter((x) => x !== undefined)
        .join(' · ')
      const text = m.text !== undefined ? `<blockquote dir="auto">${esc(m.text)}</blockquote>` : ''
      return `<li>${idLink(m.id, shown)} <span class="muted">${meta}</span>${m.verdict !== undefined && m.verdict !== 'genuine' ? ` ${verdictBadge(m.verdict)}` : ''}${text}</li>`
    })
    .join('')
  const sim = c.similarity === null ? '' : ` · similarity ${pct(c.similarity)}`
  return `<div class="card"><div class="card-h"><b>${esc(c.kind === 'cross_listed' ? 'Cross-listing' : 'Cluster')} ${esc(c.id)}</b> · ${count(c.members.length, 'review')}${c.authors === 0 ? '' : ` · ${count(c.authors, 'author')}`}${c.products.length === 0 ? '' : ` · ${count(c.products.length, 'product')}`}${sim}</div><p class="small">${esc(c.reason)}</p><ul class="members">${members}</ul></div>`
}

/** How the flagged list is ordered, and how much of it the page shows, above it. */
function flaggedOrder(a: Report['authenticity']): string {
  const n = a.flagged.length
  if (n === 0) return ''
  const capped = a.flaggedTotal > n ? ` The list holds the first ${int(n)} of ${int(a.flaggedTotal)}; the results file has them all.` : ''
  const folded = n > TABLE_ROWS_SHOWN ? ` The table shows its first ${TABLE_ROWS_SHOWN} rows (a click on a column sorts all ${int(n)}), and the fold under it the rest.` : ''
  return `<p class="muted small">Most suspect first: likely fake before suspicious, then by fake score, highest first.${capped}${folded}</p>`
}

function authenticitySection(report: Report): string {
  const a = report.authenticity
  const ok = report.totals.ok
  if (ok === 0) return section('authenticity', 'Authenticity', '<p class="empty">No reviews were analyzed.</p>')
  const shown = new Set(a.flagged.map((f) => f.id))
  const anchors = flagAnchors(a.flagged)
  const verdictBar = stackedBars(
    [
      {
        label: 'verdicts',
        segments: [
          { label: 'genuine', value: a.verdicts.genuine, color: COLORS.genuine },
          { label: 'suspicious', value: a.verdicts.suspicious, color: COLORS.suspicious },
          { label: 'likely fake', value: a.verdicts.likely_fake, color: COLORS.likely_fake },
        ],
        note: `${int(a.flaggedTotal)} flagged of ${int(ok)}`,
      },
    ],
    'Share of reviews per verdict',
  )
  const signals =
    a.signals.length === 0
      ? '<p class="muted">No signal fired.</p>'
      : `<figure>${barList(
          a.signals.map((s) => ({
            label: SIGNAL_NAMES[s.type] ?? s.type,
            value: s.reviews,
            color: s.flagged > 0 ? COLORS.flagged : COLORS.genuine,
            note: `${pct(s.share, 1)} · ${int(s.flagged)} flagged`,
          })),
          'Reviews per signal',
        )}<figcaption>Reviews on which each signal fired, most frequent first, with their share of all reviews and how many of them were flagged. No signal alone is proof; the verdict combines them.</figcaption></figure>`
  const bursts =
    a.bursts.length === 0
      ? '<p class="muted">No burst found.</p>'
      : foldedTable(`<table class="sortable" id="burst-table"><thead><tr><th>Product</th><th>Window</th><th class="n">Reviews</th><th>Reviews in it</th><th>Reason</th></tr></thead><tbody>${a.bursts
          .map(
            (b) =>
              `<tr><td>${esc(b.product)}</td><td>${esc(windowText(b.start, b.end))}</td><td class="n"${dv(b.reviews)}>${int(b.reviews)}</td><td class="ids">${b.ids
                .slice(0, BURST_IDS_SHOWN)
                .map((id) => idLink(id, shown))
                .join(' ')}${b.reviews > BURST_IDS_SHOWN ? ` <span class="muted">and ${int(b.reviews - BURST_IDS_SHOWN)} more</span>` : ''}</td><td class="small reason">${esc(b.reason)}</td></tr>`,
          )
          .join('')}</tbody></table>`, a.bursts.length, BURST_ROWS_SHOWN, 'burst')
  const clusters =
    a.clusters.length === 0
      ? '<p class="muted">No duplicate texts found.</p>'
      : foldedCards(
          a.clusters.map((c) => clusterCard(c, shown)),
          'cards',
          (n) => `Show ${n === 1 ? 'the last group' : `the other ${int(n)} groups`}`,
        )
  const flaggedTable =
    a.flagged.length === 0
      ? '<p class="muted">No review was flagged.</p>'
      : foldedTable(`<table class="sortable" id="flagged-table"><thead><tr><th>Review</th><th>Product</th><th>Date</th><th class="n">Rating</th><th class="n">Fake score</th><th>Verdict</th><th>Signals</th></tr></thead><tbody>${a.flagged
          .map(
            (f) =>
              `<tr><td><a href="${esc(linkTo(anchors.get(f)!))}">${esc(f.id)}</a></td><td class="name">${esc(f.product ?? '')}</td><td class="date">${f.date === null ? '' : esc(dateText(f.date, f.dayless))}</td><td class="n"${dv(f.rating)}>${f.rating === null ? '—' : `${esc(f.rating)}★`}</td><td class="n"${dv(f.fakeScore)}>${f.fakeScore.toFixed(2)}</td><td>${verdictBadge(f.verdict)}</td><td>${[...new Set(f.signals.map((s) => s.type))].map((t) => `<span class="sig sig-${esc(t)}">${esc(SIGNAL_NAMES[t] ?? t)}</span>`).join(' ')} <a class="why" href="${esc(linkTo(anchors.get(f)!))}">reasons ↓</a></td></tr>`,
          )
          .join('')}</tbody></table>`, a.flagged.length, TABLE_ROWS_SHOWN, a.flaggedTotal > a.flagged.length ? 'listed review' : 'flagged review')
  const cards = a.flagged.map(
    (f) =>
      `<article class="flag" id="${esc(anchors.get(f)!)}"><div class="card-h"><b>${esc(f.id)}</b> ${verdictBadge(f.verdict)} <span class="muted">fake score ${f.fakeScore.toFixed(2)} · row ${f.row}${f.product === undefined ? '' : ` · <bdi>${esc(f.product)}</bdi>`}${f.author === undefined ? '' : ` · <bdi>${esc(f.author)}</bdi>`}${f.date === null ? '' : ` · ${esc(dateText(f.date, f.dayless))}`}${f.rating === null ? '' : ` · ${esc(f.rating)}★`}</span></div>${f.text === undefined ? '' : `<blockquote dir="auto">${esc(f.text)}</blockquote>`}${reasonsList(f, shown)}</article>`,
  )
  // Only where a text could have been shown, and the results-file hint only for a results file.
  const textNote =
    a.clusters.length === 0 && a.flagged.length === 0
      ? ''
      : a.texts === 'input'
      ? 'Texts were read back from the input dump.'
      : a.texts === 'kept_field'
        ? 'Texts come from the kept <code>text</code> field of the results.'
        : report.source.kind === 'input'
          ? ''
          : 'A results file carries no review text: clusters show ids, authors and the detector’s evidence. Run <code>recensio report</code> on the input dump, or analyze with <code>--keep text</code>, to see the texts.'
  return section(
    'authenticity',
    'Authenticity',
    `<figure>${verdictBar}<figcaption>Share of reviews per verdict.</figcaption></figure>${signals}
<h3>Bursts</h3>${bursts}
<h3>Duplicate texts <small class="muted">${groupCounts(a.clustersTotal - a.crossListingsTotal, a.crossListingsTotal)}</small></h3>${textNote === '' ? '' : `<p class="muted small">${textNote}</p>`}${clusters}
<h3>Flagged reviews <small class="muted">${int(a.flaggedTotal)}</small></h3>${flaggedOrder(a)}${flaggedTable}
${cards.length === 0 ? '' : `<h3>Reasons</h3>${foldedCards(cards, 'flags', (n) => `Show the reasons of ${n === 1 ? 'the last review' : `the other ${int(n)} reviews`}`)}`}`,
  )
}

function dataSection(report: Report): string {
  const langs =
    report.languages.length === 0
      ? '<p class="muted">No reviews.</p>'
      : `<figure>${barList(
          report.languages.map((l) => ({
            label: `${LANGUAGE_NAMES[l.code] ?? l.code} (${l.code})`,
            value: l.reviews,
            note: pct(report.totals.ok === 0 ? null : l.reviews / report.totals.ok, 1),
          })),
          'Reviews per language',
        )}<figcaption>Reviews per language (given by the row or detected).</figcaption></figure>`
  const e = report.errors
  const errors =
    report.totals.errors === 0
      ? '<p>No error rows: every input row was analyzed.</p>'
      : `<p>${report.totals.errors === 1 ? '1 row' : `${int(report.totals.errors)} rows`} could not be analyzed; each is an error row in the results, naming the row and the field.</p>
<table class="sortable"><thead><tr><th>Field</th><th>Problem</th><th class="n">Rows</th></tr></thead><tbody>${e.byField
          .map((b) => `<tr><td>${esc(b.field)}</td><td>${ERROR_NAMES[b.code] === undefined ? esc(b.code) : `${ERROR_NAMES[b.code]} <code class="small muted">${esc(b.code)}</code>`}</td><td class="n"${dv(b.rows)}>${int(b.rows)}</td></tr>`)
          .join('')}</tbody></table>
<details><summary>First ${e.samples.length} error rows</summary><ul class="small">${e.samples
          .map((s) => `<li>row ${s.row}${s.id === null ? '' : ` (id ${esc(s.id)})`}, field “${esc(s.field)}”: ${esc(s.message)}</li>`)
          .join('')}</ul></details>`
  return section('data', 'Languages &amp; errors', `<div class="grid2"><div><h3>Languages</h3>${langs}</div><div><h3>Error rows</h3>${errors}</div></div>`)
}

function methodSection(report: Report): string {
  const m = report.method
  const ces = m.cesDirection === 'higher_is_easier' ? `${m.cesScale.max} = easiest` : `${m.cesScale.min} = easiest`
  return section(
    'method',
    'How the figures are computed',
    `<dl class="method">
<dt>CSAT from stars</dt><dd>Share of rated reviews with 4 or 5 stars. Ratings on other scales were mapped linearly to 1–5 when the input was read (8/10 → 4.2★ counts, 7/10 → 3.8★ does not). The interval is the 95% Wilson interval.</dd>
<dt>Star-based index</dt><dd>%5★ − %1–3★ of rated reviews, with 4★ as passives (ratings rounded to the nearest star), from −100 to +100. It borrows the NPS arithmetic but is derived from stars, not from a survey: nobody was asked whether they would recommend.</dd>
<dt>NPS (survey)</dt><dd>From a 0–10 “how likely are you to recommend…” column: %promoters (9–10) − %detractors (0–6); 7–8 are passives. The margin is 1.96 × 100 × √((p + d − (p − d)²) / n).</dd>
<dt>CES (survey)</dt><dd>Mean effort answer on ${scaleText(m.cesScale)} (${ces}), and the shares of easy and difficult answers: those strictly on the easy or the hard side of the scale's midpoint. Set the scale with <code>cesScale</code> and the direction with <code>cesDirection</code>.</dd>
<dt>CSAT (survey)</dt><dd>Share of answers in the top-two box of ${scaleText(m.csatScale)} (1–5 → 4–5, 1–7 → 6–7, 0–10 → 9–10; scales wider than 11 points: the top quarter).</dd>
<dt>Stage sentiment</dt><dd>A review mentions a stage when its journey cues fire; the mention's sentiment is that of the clauses carrying the cues, from −1 to +1. Averages are over mentions. The phrases are the cues most often found in positive and in negative mentions${report.stages.some((s) => s.praiseWords.length > 0) ? ', and the sentiment words within a few words of them' : ''}.</dd>
<dt>Where stages differ</dt><dd>For each channel, segment or group-by value with at least ${m.minGapMentions} mentions of a stage, the average stage sentiment; the report lists the stages with the largest difference between the best and the worst value.</dd>
<dt>Authenticity</dt><dd>Each review's signals combine into a fake score in 0–1 and a verdict (genuine, suspicious, likely fake). The adjusted rating of a product is its average rating without the likely-fake reviews. Duplicate groups join reviews whose signals name each other; bursts are the windows the detector reported.</dd>
</dl>`,
  )
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${title}</h2>${body}</section>`
}

const CSS = `
:root{--ink:${COLORS.ink};--muted:${COLORS.muted};--line:${COLORS.grid};--bg:#f6f7fb;--card:#fff;--accent:${COLORS.link}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:20px 28px 10px}
h1{margin:0;font-size:24px}
.sub{margin:2px 0 14px;color:var(--muted)}
h1,.sub code{overflow-wrap:anywhere}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:10px}
.kpi{background:var(--bg);border-radius:10px;padding:10px 12px;border:1px solid var(--line)}
.kpi.derived{border-style:dashed}
.kpi.warn .k-value{color:${COLORS.warnText}}
.k-label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
.k-value{font-size:26px;font-weight:650;line-height:1.2}
.k-note{font-size:12px;color:var(--muted)}
nav{margin-top:14px;display:flex;flex-wrap:wrap;gap:4px 14px}
nav a{color:var(--accent);text-decoration:none;font-size:13px}
main{max-width:1180px;margin:0 auto;padding:10px 24px 40px}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px 20px;margin:16px 0}
h2{margin:0 0 10px;font-size:19px}
h3{margin:18px 0 6px;font-size:15px}
figure{margin:8px 0 14px;overflow-x:auto;container-type:inline-size}
figcaption{font-size:12px;color:var(--muted)}
svg.chart{display:block}
svg.chart .lab{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
/* Texts for a wide chart or a narrow one (a timeline's burst labels), by the width of its figure. */
.chart .wide{display:none}
@container (min-width:${WIDE_PX}px){.chart .wide{display:inline}.chart .narrow{display:none}}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(320px,100%),1fr));gap:18px;align-items:start}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#fafbfc;font-weight:600;white-space:nowrap}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th:after{content:" ↕";color:#c0c4cc;font-size:11px}
table.sortable th[aria-sort=ascending]:after{content:" ↑";color:var(--ink)}
table.sortable th[aria-sort=descending]:after{content:" ↓";color:var(--ink)}
table.sortable th:focus-visible{outline:2px solid var(--accent);outline-offset:-2px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.date,td.stage{white-space:nowrap}
td.moved{color:${COLORS.negativeText};font-weight:600}
td.heat{color:var(--ink)}
.heatmap td.heat small{display:block;font-size:10px}
/* Paled by a white veil over the colour, not by opacity, which paled the text too (2.5:1). */
.heatmap td.few{background-image:linear-gradient(#ffffffa6,#ffffffa6);color:#4b5563}
.scroll{overflow-x:auto}
/* A table wider than its box says so, and fades at the edge it scrolls towards (the script sets these classes). */
@media screen{.scroll.more:before{content:"Scroll sideways for more columns →";position:sticky;left:0;display:block;font-size:12px;color:var(--muted)}
.scroll.more:not(.end){-webkit-mask-image:linear-gradient(to left,#0003,#000 32px);mask-image:linear-gradient(to left,#0003,#000 32px)}
/* Its first column (the product, the stage, the review) stays in view while the others scroll past. */
.scroll.more tr>:first-child{position:sticky;left:0;z-index:1;background:var(--card)}}
/* A long table shows its first rows until its fold is opened (foldedTable); opened, it scrolls in a box of its own under a header that stays in view. */
${ROW_CAPS.map((n) => `.fold.rows-${n}:has(>details.unfold:not([open]))>.scroll>table>tbody>tr:nth-child(n+${n + 1})`).join(',')}{display:none}
.fold:has(>details.unfold[open])>.scroll{max-height:80vh;overflow-y:auto}
.fold>.scroll>table>thead th{position:sticky;top:0;z-index:2;box-shadow:inset 0 -1px var(--line)}
.fold>.scroll>table>thead th:first-child{z-index:3}
details.unfold>summary,details.unfold-cards>summary{cursor:pointer;color:var(--accent);font-size:13px;margin:2px 0 8px;width:fit-content}
details.unfold[open] .closed,details.unfold:not([open]) .opened{display:none}
details.unfold-cards[open]>summary{margin-bottom:10px}
.chip{display:inline-block;background:#eef2ff;border-radius:10px;padding:0 7px;margin:1px 0;font-size:12px}
.chip b{color:var(--muted);font-weight:500}
td.phr{min-width:220px}
.words{margin-top:3px;font-size:12px;color:var(--muted)}
.words .chip{background:#f1f5f9}
.badge{display:inline-block;border-radius:8px;padding:0 7px;font-size:11px;background:#e5e7eb}
.badge.derived{background:#fff7e6;color:#92400e;border:1px dashed #f59e0b;font-weight:500}
.v-suspicious{background:#ffedd5;color:#9a3412}
.v-likely_fake{background:#fee2e2;color:#991b1b}
.sig{display:inline-block;border-radius:4px;padding:0 5px;font-size:11px;background:#f1f5f9;border:1px solid #e2e8f0;white-space:nowrap}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(340px,100%),1fr));gap:12px}
.card,.flag{border:1px solid var(--line);border-radius:10px;padding:10px 12px;background:#fff;overflow-wrap:anywhere}
td:first-child,td.name,td.ids{overflow-wrap:anywhere;min-width:6em}
.flags{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(480px,100%),1fr));gap:8px}
.flag:target{outline:3px solid var(--accent);background:#f5f7ff}
.card-h{margin-bottom:4px}
blockquote{margin:4px 0;padding:4px 10px;border-left:3px solid var(--line);color:#374151;font-size:13px}
ul.members,ul.reasons{margin:4px 0;padding-left:18px}
ul.members li{margin-bottom:6px}
.gaps li{margin:3px 0}
.muted{color:var(--muted)}
.small{font-size:12px}
.warn-text{color:${COLORS.warnText}}
.empty{color:var(--muted);font-style:italic}
.notes{background:#fffbeb;border:1px solid #fde68a;border-radius:8px;padding:6px 10px 6px 28px;font-size:13px}
.id{font-family:ui-monospace,monospace}
td.ids a,td.ids span{margin-right:4px}
/* A burst's ids a few to a line, and on a phone its reason in a readable column: squeezed, they stood a word per line, a screen per burst. */
td.ids{min-width:300px}
@media screen and (max-width:600px){td.reason{min-width:220px}}
dl.method dt{font-weight:600;margin-top:8px}
dl.method dd{margin:2px 0 0 0;color:#374151}
a.why{font-size:11px;margin-left:4px}
@media (max-width:600px){main{padding:8px 8px 24px}section{padding:12px}}
/* On a phone the stage table is a card per stage: its figures on a line under the name, each phrase list below them at full width. */
@media screen and (max-width:600px){table.stages,table.stages tbody{display:block}table.stages thead{display:none}
table.stages tr{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 10px;padding:8px 0;border-bottom:1px solid var(--line)}
table.stages td{border:0;padding:2px 6px}table.stages td.stage{flex:1 0 100%;font-weight:600;padding-left:0}
table.stages td.n:before{content:attr(data-label) " ";color:var(--muted);font-size:12px}
table.stages td.phr{flex:1 0 100%;min-width:0;padding-left:0}table.stages td.phr:before{content:attr(data-label);display:block;color:var(--muted);font-size:12px}}
/* On paper nothing scrolls: charts shrink to the page, wide tables wrap, and only small blocks keep whole. */
@media print{nav,.why{display:none}main{padding:0}header{padding:0 0 8px}section{padding:10px 12px}figure,.scroll{overflow:visible}.fold>.scroll{max-height:none}td.phr{min-width:0}th{white-space:normal}table{font-size:11px}th,td{padding:3px 4px}table.sortable th:not([aria-sort]):after{content:none}figure,tr,.kpi,.card,.flag{break-inside:avoid}h2,h3{break-after:avoid}}
`

// Sorts a table by the clicked column: numbers by data-v, text otherwise. Each header
// is also a tab stop that Enter or Space sorts, so the tables sort without a mouse.
const JS = `
for (const th of document.querySelectorAll('table.sortable th')) {
  th.tabIndex = 0
  th.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return
    e.preventDefault()
    th.click()
  })
  th.addEventListener('click', () => {
    const table = th.closest('table')
    const body = table.tBodies[0]
    const col = Array.prototype.indexOf.call(th.parentNode.children, th)
    const asc = th.getAttribute('aria-sort') !== 'ascending'
    for (const h of table.querySelectorAll('th')) h.removeAttribute('aria-sort')
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending')
    const key = (tr) => {
      const cell = tr.children[col]
      if (!cell) return ''
      const v = cell.getAttribute('data-v')
      return v === null ? cell.textContent.trim().toLowerCase() : Number(v)
    }
    const rows = Array.from(body.rows)
    rows.sort((a, b) => {
      const x = key(a), y = key(b)
      const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))
      return asc ? d : -d
    })
    for (const r of rows) body.appendChild(r)
  })
}
// Marks a table box that scrolls sideways ("more"), and one scrolled to its end ("end"), for the CSS hint.
const mark = (box) => {
  const more = box.scrollWidth - box.clientWidth
  box.classList.toggle('more', more > 1)
  box.classList.toggle('end', box.scrollLeft >= more - 1)
}
const boxes = document.querySelectorAll('.scroll')
for (const box of boxes) {
  mark(box)
  box.addEventListener('scroll', () => mark(box), { passive: true })
}
addEventListener('resize', () => boxes.forEach(mark))
// A link to a card in a closed fold (a flagged review's reasons) opens the fold, where the browser does not do it itself.
const reveal = () => {
  const target = location.hash === '' ? null : document.getElementById(decodeURIComponent(location.hash.slice(1)))
  const fold = target?.closest('details:not([open])')
  if (!fold) return
  for (let d = fold; d; d = d.parentElement.closest('details:not([open])')) d.open = true
  target.scrollIntoView()
}
addEventListener('hashchange', reveal)
reveal()
`

/** Refuse what is not a `buildReport` report in words, rather than with a TypeError from deep in the page. */
function checkReport(report: unknown): void {
  if (report !== null && typeof report === 'object' && (report as { version?: unknown }).version === 1 && Array.isArray((report as { stages?: unknown }).stages)) return
  const promise = report !== null && typeof report === 'object' && typeof (report as { then?: unknown }).then === 'function'
  const got = promise ? 'a Promise: await buildReport(rows) first' : describeValue(report)
  throw new RecensioError('invalid_value', `renderReportHtml: expected the report object buildReport resolves to, got ${got}`)
}

/**
 * Render a report as one self-contained HTML page: inline CSS and SVG, a few
 * lines of inline script to sort tables and hint at those that scroll, no
 * network loads (its Content-Security-Policy forbids them), so it opens
 * offline from disk.
 *
 * @param report A `Report` from `buildReport`.
 * @returns The HTML document as a string.
 */
export function renderReportHtml(report: Report): string {
  checkReport(report)
  const csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="recensio">
<title>${esc(report.title)}</title>
<style>${CSS}</style></head>
<body>
${header(report)}
<main>
${cxSection(report)}
${journeySection(report)}
${whereSection(report)}
${productsSection(report)}
${timelinesSection(report)}
${breakdownsSection(report)}
${authenticitySection(report)}
${dataSection(report)}
${methodSection(report)}
</main>
<script>${JS}</script>
</body></html>
`
}

export type { GroupMetrics }

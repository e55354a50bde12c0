/**
 * Hand-written SVG charts for the report page: no chart library, no network,
 * every label escaped. Each function returns one `<svg>` element as a string
 * drawn at its natural size and shrunk to narrow containers by the page's CSS.
 */

/** Escape text for HTML and SVG content and attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Colours shared by the charts and the page (also used in the CSS). */
export const COLORS = {
  negative: '#cc4356',
  neutral: '#b9bec7',
  positive: '#2ea192',
  promoter: '#2ea192',
  passive: '#e9c46a',
  detractor: '#cc4356',
  genuine: '#a3b1c6',
  suspicious: '#f4a261',
  likely_fake: '#9b2226',
  flagged: '#e76f51',
  bar: '#4c6ef5',
  burst: '#f4a261',
  ink: '#1f2937',
  muted: '#5b6472',
  grid: '#e5e7eb',
  /** Text in the colours of bars and warnings, darker than the bars to read at 4.5:1 on white. */
  link: '#3b5bdb',
  negativeText: '#b91c1c',
  warnText: '#c2410c',
} as const

/** Relative luminance (WCAG 2) of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

/** Luminance above which ink reads better than white: where both contrasts are equal (about 0.22 for this ink). */
const LIGHT_FILL = Math.sqrt((luminance(COLORS.ink) + 0.05) * 1.05) - 0.05

/** Ink or white, whichever reads better on a fill (white on the passive yellow was 1.7:1). */
function textOn(fill: string): string {
  return luminance(fill) > LIGHT_FILL ? COLORS.ink : '#fff'
}

const FONT = 'font-family="inherit" font-size="11"'
/** Width of a character of an 11 px label, at most (digits are the widest), to keep labels apart and inside a chart. */
const LABEL_CHAR_PX = 6.2

/**
 * A label cut with "…" to about `px` pixels of 11 px text, so a long product
 * name is not clipped at the chart's left edge (its tooltip has it whole).
 */
function fit(label: string, px: number): string {
  const chars = [...label]
  const max = Math.max(4, Math.floor(px / LABEL_CHAR_PX))
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`
}

function n2(x: number): string {
  return (Math.round(x * 10) / 10).toString()
}

/**
 * The least share of its size a chart is drawn at: on a narrow screen it
 * shrinks to this (labels of 11 px to about 9), then its figure scrolls
 * sideways instead.
 */
const MIN_SCALE = 0.8

function svgOpen(width: number, height: number, label: string): string {
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="min-width:${Math.round(width * MIN_SCALE)}px" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">`
}

/** One column of a column chart. */
export interface Column {
  label: string
  value: number
  color: string
  /** Tooltip text. */
  title?: string
}

/**
 * A column chart with the value above each column and the label below.
 *
 * @param columns The columns, left to right.
 * @param label Accessible name of the chart.
 * @returns An `<svg>` string.
 */
export function columnChart(columns: Column[], label: string): string {
  const colW = 38
  const gap = 9
  const top = 16
  const plotH = 110
  const width = Math.max(200, columns.length * (colW + gap) + gap)
  const height = top + plotH + 22
  const max = Math.max(1, ...columns.map((c) => c.value))
  let out = svgOpen(width, height, label)
  out += `<line x1="0" y1="${top + plotH}" x2="${width}" y2="${top + plotH}" stroke="${COLORS.grid}"/>`
  columns.forEach((c, i) => {
    const x = gap + i * (colW + gap)
    const h = (c.value / max) * plotH
    const y = top + plotH - h
    out += `<g><title>${esc(c.title ?? `${c.label}: ${c.value}`)}</title>`
    out += `<rect x="${x}" y="${n2(y)}" width="${colW}" height="${n2(Math.max(h, c.value > 0 ? 1 : 0))}" rx="2" fill="${c.color}"/>`
    out += `<text x="${x + colW / 2}" y="${n2(y - 4)}" text-anchor="middle" ${FONT} fill="${COLORS.ink}">${esc(c.value)}</text>`
    out += `<text x="${x + colW / 2}" y="${top + plotH + 15}" text-anchor="middle" ${FONT} fill="${COLORS.muted}">${esc(c.label)}</text></g>`
  })
  return `${out}</svg>`
}

/** One segment of a stacked bar. */
export interface Segment {
  label: string
  value: number
  color: string
}

/**
 * Horizontal 100% stacked bars, one per row, with the share written in each
 * segment wide enough to hold it, and a note at the right.
 *
 * @param rows Label, segments and a right-hand note per row.
 * @param label Accessible name of the chart.
 * @param size Widths of the label column, the bar and the note column.
 * @returns An `<svg>` string.
 */
export function stackedBars(
  rows: { label: string; href?: string; segments: Segment[]; note?: string }[],
  label: string,
  size: { labelW?: number; barW?: number; noteW?: number } = {},
): string {
  const labelW = size.labelW ?? 130
  const barW = size.barW ?? 440
  const noteW = size.noteW ?? 190
  const rowH = 26
  const width = labelW + barW + noteW
  const height = rows.length * rowH + 24
  let out = svgOpen(width, height, label)
  rows.forEach((r, i) => {
    const y = i * rowH + 4
    const total = r.segments.reduce((s, g) => s + g.value, 0)
    const name = `<text x="${labelW - 8}" y="${y + 13}" text-anchor="end" ${FONT} fill="${COLORS.ink}">${esc(fit(r.label, labelW - 10))}</text>`
    out += r.href === undefined ? name : `<a href="${esc(r.href)}">${name}</a>`
    let x = labelW
    for (const s of r.segments) {
      if (total === 0 || s.value === 0) continue
      const w = (s.value / total) * barW
      const pct = Math.round((s.value / total) * 100)
      out += `<g><title>${esc(`${r.label} · ${s.label}: ${s.value} (${pct}%)`)}</title><rect x="${n2(x)}" y="${y}" width="${n2(w)}" height="18" fill="${s.color}"/>`
      if (w >= 30) out += `<text x="${n2(x + w / 2)}" y="${y + 13}" text-anchor="middle" ${FONT} fill="${textOn(s.color)}">${pct}%</text>`
      out += '</g>'
      x += w
    }
    if (total === 0) out += `<rect x="${labelW}" y="${y}" width="${barW}" height="18" fill="${COLORS.grid}"/>`
    if (r.note !== undefined) out += `<text x="${labelW + barW + 8}" y="${y + 13}" ${FONT} fill="${COLORS.muted}">${esc(r.note)}</text>`
  })
  // Legend from the first row's segment names.
  let lx = labelW
  const ly = rows.length * rowH + 12
  for (const s of rows[0]?.segments ?? []) {
    out += `<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="${ly + 1}" ${FONT} fill="${COLORS.muted}">${esc(s.label)}</text>`
    lx += 24 + s.label.length * 6.5
  }
  return `${out}</svg>`
}

/**
 * Horizontal bars of counts, longest first as given, with the count and a
 * note after each bar.
 *
 * @param rows Label, value, colour and note per bar.
 * @param label Accessible name of the chart.
 * @returns An `<svg>` string.
 */
export function barList(rows: { label: string; value: number; color?: string; note?: string }[], label: string): string {
  const labelW = 140
  const barW = 360
  const rowH = 22
  const width = labelW + barW + 230
  const height = Math.max(1, rows.length) * rowH + 6
  const max = Math.max(1, ...rows.map((r) => r.value))
  let out = svgOpen(width, height, label)
  rows.forEach((r, i) => {
    const y = i * rowH + 4
    const w = (r.value / max) * barW
    out += `<g><title>${esc(`${r.label}: ${r.value}${r.note === undefined ? '' : ` (${r.note})`}`)}</title>`
    out += `<text x="${labelW - 8}" y="${y + 12}" text-anchor="end" ${FONT} fill="${COLORS.ink}">${esc(fit(r.label, labelW - 10))}</text>`
    out += `<rect x="${labelW}" y="${y}" width="${n2(Math.max(w, r.value > 0 ? 1 : 0))}" height="15" rx="2" fill="${r.color ?? COLORS.bar}"/>`
    out += `<text x="${n2(labelW + w + 6)}" y="${y + 12}" ${FONT} fill="${COLORS.muted}">${esc(r.value)}${r.note === undefined ? '' : ` · ${esc(r.note)}`}</text></g>`
  })
  return `${out}</svg>`
}

/**
 * Raw and adjusted average rating per product on a 1–5 axis: a grey dot for
 * the raw mean, a blue one for the mean without likely-fake reviews.
 *
 * @param rows Product, raw and adjusted ratings.
 * @param label Accessible name of the chart.
 * @returns An `<svg>` string.
 */
export function dumbbell(rows: { label: string; raw: number | null; adjusted: number | null }[], label: string): string {
  const labelW = 170
  const plotW = 400
  const rowH = 22
  const top = 18
  const width = labelW + plotW + 110
  const height = top + rows.length * rowH + 8
  const x = (stars: number) => labelW + ((stars - 1) / 4) * plotW
  let out = svgOpen(width, height, label)
  for (let s = 1; s <= 5; s++) {
    out += `<line x1="${x(s)}" y1="${top - 4}" x2="${x(s)}" y2="${height - 4}" stroke="${COLORS.grid}"/>`
    out += `<text x="${x(s)}" y="${top - 7}" text-anchor="middle" ${FONT} fill="${COLORS.muted}">${s}★</text>`
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH + 10
    out += `<g><title>${esc(r.label)}</title><text x="${labelW - 10}" y="${y + 4}" text-anchor="end" ${FONT} fill="${COLORS.ink}">${esc(fit(r.label, labelW - 12))}</text></g>`
    if (r.raw === null) return
    const adj = r.adjusted ?? r.raw
    out += `<g><title>${esc(`${r.label}: raw ${r.raw.toFixed(2)}★, adjusted ${adj.toFixed(2)}★`)}</title>`
    out += `<line x1="${n2(x(r.raw))}" y1="${y}" x2="${n2(x(adj))}" y2="${y}" stroke="${COLORS.muted}" stroke-width="2"/>`
    out += `<circle cx="${n2(x(r.raw))}" cy="${y}" r="5" fill="${COLORS.genuine}"/>`
    out += `<circle cx="${n2(x(adj))}" cy="${y}" r="5" fill="${COLORS.bar}"/>`
    const diff = adj - r.raw
    const note = Math.abs(diff) < 0.005 ? `${r.raw.toFixed(2)}★` : `${r.raw.toFixed(2)} → ${adj.toFixed(2)}★`
    out += `<text x="${labelW + plotW + 10}" y="${y + 4}" ${FONT} fill="${Math.abs(diff) >= 0.1 ? COLORS.negativeText : COLORS.muted}">${esc(note)}</text></g>`
  })
  return `${out}</svg>`
}

const DAY_MS = 86_400_000

/**
 * A burst window for people: "2024-06-14 10:02–12:29 UTC", or days. A window
 * of whole days ends at the midnight after its last day, which is not in it
 * (the detector's reason says "from 2024-06-14 to 2024-06-15" of one ending
 * at 2024-06-16T00:00).
 */
export function windowText(start: string, end: string): string {
  const day = (iso: string) => iso.slice(0, 10)
  const time = (iso: string) => (iso.length > 10 ? iso.slice(11, 16) : '')
  const [d0, t0, t1] = [day(start), time(start), time(end)]
  let d1 = day(end)
  if (t0 === '00:00' && t1 === '00:00' && d1 > d0) d1 = new Date(Date.parse(`${d1}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10)
  if (t0 === '' || (t0 === '00:00' && t1 === '00:00')) return d0 === d1 ? d0 : `${d0} – ${d1}`
  return d0 === d1 ? `${d0} ${t0}–${t1} UTC` : `${d0} ${t0} – ${d1} ${t1} UTC`
}

/** Longest series drawn one bar per day; longer ones are binned by week or more. */
export const MAX_TIMELINE_BARS = 400
/** Height of a line of burst labels above a timeline. */
const LABEL_LINE_PX = 12

/**
 * A product's daily review counts, flagged reviews overlaid, burst windows
 * shaded and labeled.
 *
 * @param series Start day, daily counts and flagged counts (same length).
 * @param bursts Burst windows (ISO dates or datetimes) with their review counts.
 * @param label Accessible name of the chart.
 * @returns An `<svg>` string.
 */
export function timeline(
  series: { start: string; counts: number[]; flagged: number[] },
  bursts: { start: string; end: string; reviews: number }[],
  label: string,
): string {
  const width = 1000
  const plotH = 70
  const days = series.counts.length
  const bin = Math.max(1, Math.ceil(days / MAX_TIMELINE_BARS))
  const bars = Math.ceil(days / bin)
  const counts = new Array<number>(bars).fill(0)
  const flagged = new Array<number>(bars).fill(0)
  for (let d = 0; d < days; d++) {
    counts[Math.floor(d / bin)]! += series.counts[d]!
    flagged[Math.floor(d / bin)]! += series.flagged[d]!
  }
  const max = Math.max(1, ...counts)
  const bw = width / bars
  const startMs = Date.parse(`${series.start}T00:00:00Z`)
  const xOf = (iso: string) => ((Date.parse(iso.length <= 10 ? `${iso}T00:00:00Z` : iso) - startMs) / DAY_MS / bin) * bw
  const placed = bursts.map((b) => {
    const x0 = Math.max(0, Math.floor(xOf(b.start) / bw) * bw)
    // The window's end is not in it: a window of whole days ends at the midnight after its last day.
    const x1 = Math.min(width, Math.max(x0 + Math.max(bw, 3), Math.ceil((xOf(b.end) - 0.001) / bw) * bw))
    const text = `burst · ${b.reviews} reviews · ${b.start.slice(0, 10)}`
    const w = text.length * LABEL_CHAR_PX
    // Whole within the chart, at its right end too.
    return { b, x0, x1, text, w, tx: Math.max(0, Math.min(Math.max(x0, 4), width - w)), line: 0 }
  })
  // Each label on the first line above the plot where it overlaps no other; the chart grows a line for each more.
  const ends: number[] = []
  for (const p of [...placed].sort((a, c) => a.tx - c.tx)) {
    let line = ends.findIndex((end) => end + 8 <= p.tx)
    if (line < 0) line = ends.push(0) - 1
    ends[line] = p.tx + p.w
    p.line = line
  }
  const top = 16 + LABEL_LINE_PX * Math.max(0, ends.length - 1)
  const height = top + plotH + 20
  let out = svgOpen(width, height, label)
  for (const { b, x0, x1, text, tx, line } of placed) {
    const up = LABEL_LINE_PX * line
    out += `<g><title>${esc(`burst: ${b.reviews} reviews, ${windowText(b.start, b.end)}`)}</title>`
    out += `<rect x="${n2(x0 - 2)}" y="${top - 14 - up}" width="${n2(x1 - x0 + 4)}" height="${plotH + 14 + up}" fill="${COLORS.burst}" opacity="0.25"/>`
    out += `<text x="${n2(tx)}" y="${top - 4 - up}" ${FONT} fill="#9a3412">${esc(text)}</text></g>`
  }
  out += `<line x1="0" y1="${top + plotH}" x2="${width}" y2="${top + plotH}" stroke="${COLORS.grid}"/>`
  let bars_ = ''
  for (let i = 0; i < bars; i++) {
    if (counts[i] === 0) continue
    const h = (counts[i]! / max) * plotH
    const fh = (flagged[i]! / max) * plotH
    const x = i * bw
    const w = Math.max(bw - (bw > 3 ? 1 : 0), 1)
    bars_ += `<rect x="${n2(x)}" y="${n2(top + plotH - h)}" width="${n2(w)}" height="${n2(h)}" fill="${COLORS.bar}"><title>${esc(`${dayLabel(startMs, i * bin, bin)}: ${counts[i]} reviews, ${flagged[i]} flagged`)}</title></rect>`
    if (fh > 0) bars_ += `<rect x="${n2(x)}" y="${n2(top + plotH - fh)}" width="${n2(w)}" height="${n2(fh)}" fill="${COLORS.flagged}" pointer-events="none"/>`
  }
  out += bars_
  const endDay = new Date(startMs + (days - 1) * DAY_MS).toISOString().slice(0, 10)
  out += `<text x="0" y="${height - 4}" ${FONT} fill="${COLORS.muted}">${esc(series.start)}</text>`
  out += `<text x="${width}" y="${height - 4}" text-anchor="end" ${FONT} fill="${COLORS.muted}">${esc(endDay)}</text>`
  out += `<text x="${width / 2}" y="${height - 4}" text-anchor="middle" ${FONT} fill="${COLORS.muted}">max ${max} per ${bin === 1 ? 'day' : `${bin} days`}</text>`
  return `${out}</svg>`
}

function dayLabel(startMs: number, offset: number, bin: number): string {
  const a = new Date(startMs + offset * DAY_MS).toISOString().slice(0, 10)
  if (bin === 1) return a
  return `${a} – ${new Date(startMs + (offset + bin - 1) * DAY_MS).toISOString().slice(0, 10)}`
}

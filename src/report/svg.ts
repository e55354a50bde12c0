/**
 * Hand-written SVG charts for the report page: no chart library, no network,
 * every label escaped. Each function returns one `<svg>` element as a string,
 * as wide as its container (up to a width of its own) with its labels at
 * 11 px, so a chart fits a phone's screen without scrolling sideways.
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

/** A share of the chart's width as an SVG length ("37.5%"): positions across scale with the container, text does not. */
function pc(share: number): string {
  return `${Math.round(share * 10000) / 100}%`
}

/**
 * The narrowest a chart is drawn, in pixels: a 360 px phone's content width,
 * less the page's margins. A line of labels is cut to fit this; a text
 * anchored at a share of the width that fits at this width fits at any wider one.
 */
export const NARROW_PX = 280
/**
 * Container width from which charts show their `wide` texts (a timeline's
 * whole burst labels, the shares in thinner segments) and hide their
 * `narrow` ones; the page's CSS switches them with a container query.
 */
export const WIDE_PX = 640

/**
 * An `<svg>` as wide as its container, up to `maxWidth`: it has no viewBox,
 * so shapes placed in shares of its width (`pc`) stretch or shrink while
 * its labels keep their 11 px. On a phone a chart fits its screen instead of
 * scrolling sideways, and its labels stay readable.
 */
function svgOpen(maxWidth: number | null, height: number, label: string): string {
  const style = maxWidth === null ? '' : ` style="max-width:${maxWidth}px"`
  return `<svg class="chart" width="100%" height="${height}"${style} role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">`
}

/**
 * A line of text: `left` at the chart's left edge, `right` at its right edge,
 * the left one cut so they never meet at `NARROW_PX`. Class `lab`: the page
 * rings them in white, as grid lines may cross them.
 */
function textLine(y: number, left: string, right: string | undefined, leftColor: string = COLORS.ink, rightColor: string = COLORS.muted): string {
  const rightPx = right === undefined ? 0 : right.length * LABEL_CHAR_PX + 12
  let out = left === '' ? '' : `<text class="lab" x="0" y="${y}" ${FONT} fill="${leftColor}">${esc(fit(left, NARROW_PX - rightPx))}</text>`
  if (right !== undefined) out += `<text class="lab" x="100%" y="${y}" text-anchor="end" ${FONT} fill="${rightColor}">${esc(right)}</text>`
  return out
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
 * A column chart with the value above each column and the label below. Its
 * columns share the width, up to 47 px each.
 *
 * @param columns The columns, left to right.
 * @param label Accessible name of the chart.
 * @returns An `<svg>` string.
 */
export function columnChart(columns: Column[], label: string): string {
  const top = 16
  const plotH = 110
  const slot = 1 / Math.max(1, columns.length)
  const height = top + plotH + 22
  const max = Math.max(1, ...columns.map((c) => c.value))
  let out = svgOpen(Math.max(200, columns.length * 47 + 9), height, label)
  out += `<line x1="0" y1="${top + plotH}" x2="100%" y2="${top + plotH}" stroke="${COLORS.grid}"/>`
  columns.forEach((c, i) => {
    const mid = pc((i + 0.5) * slot)
    const h = (c.value / max) * plotH
    const y = top + plotH - h
    out += `<g><title>${esc(c.title ?? `${c.label}: ${c.value}`)}</title>`
    out += `<rect x="${pc((i + 0.1) * slot)}" y="${n2(y)}" width="${pc(0.8 * slot)}" height="${n2(Math.max(h, c.value > 0 ? 1 : 0))}" rx="2" fill="${c.color}"/>`
    out += `<text x="${mid}" y="${n2(y - 4)}" text-anchor="middle" ${FONT} fill="${COLORS.ink}">${esc(c.value)}</text>`
    out += `<text x="${mid}" y="${top + plotH + 15}" text-anchor="middle" ${FONT} fill="${COLORS.muted}">${esc(c.label)}</text></g>`
  })
  return `${out}</svg>`
}

/** One segment of a stacked bar. */
export interface Segment {
  label: string
  value: number
  color: string
}

/** Width of a segment that holds its share written in it ("33%"). */
const SHARE_LABEL_PX = 30

/** A share in whole percent, "<1%" for a small one that is not none. */
function percent(value: number, total: number): string {
  const p = Math.round((value / total) * 100)
  return p === 0 && value > 0 ? '<1%' : `${p}%`
}

/**
 * Horizontal 100% stacked bars, one per row under a line with its label and
 * a note, with the share written in each segment wide enough to hold it. The
 * legend of a chart of one bar gives every share, however thin its segment.
 *
 * @param rows Label, segments and a right-hand note per row.
 * @param label Accessible name of the chart.
 * @param maxWidth Widest the chart is drawn, in pixels.
 * @returns An `<svg>` string.
 */
export function stackedBars(
  rows: { label: string; segments: Segment[]; note?: string }[],
  label: string,
  maxWidth = 760,
): string {
  const rowH = 38
  const barH = 18
  // The legend's items, on as many lines as they need at the narrowest width.
  const first = rows[0]?.segments ?? []
  const firstTotal = first.reduce((s, g) => s + g.value, 0)
  const items = first.map((s) => ({ s, text: rows.length === 1 && firstTotal > 0 ? `${s.label} ${percent(s.value, firstTotal)}` : s.label }))
  const legend: { s: Segment; text: string; x: number; line: number }[] = []
  let lx = 0
  let line = 0
  for (const { s, text } of items) {
    const w = 14 + text.length * LABEL_CHAR_PX
    if (lx > 0 && lx + w > NARROW_PX) [lx, line] = [0, line + 1]
    legend.push({ s, text, x: lx, line })
    lx += w + 12
  }
  const legendTop = rows.length * rowH + 8
  const height = legendTop + (line + 1) * 16
  let out = svgOpen(maxWidth, height, label)
  rows.forEach((r, i) => {
    const y = i * rowH
    const total = r.segments.reduce((s, g) => s + g.value, 0)
    out += textLine(y + 12, r.label, r.note)
    const by = y + 17
    let x = 0
    for (const s of r.segments) {
      if (total === 0 || s.value === 0) continue
      const share = s.value / total
      out += `<g><title>${esc(`${r.label === '' ? '' : `${r.label} · `}${s.label}: ${s.value} (${percent(s.value, total)})`)}</title><rect x="${pc(x)}" y="${by}" width="${pc(share)}" height="${barH}" fill="${s.color}"/>`
      // Written in a segment wide enough for it at the narrowest width, or at the width of the `wide` texts.
      const fits = share * NARROW_PX >= SHARE_LABEL_PX ? '' : share * Math.min(WIDE_PX, maxWidth) >= SHARE_LABEL_PX ? ' class="wide"' : null
      if (fits !== null) out += `<text${fits} x="${pc(x + share / 2)}" y="${by + 13}" text-anchor="middle" ${FONT} fill="${textOn(s.color)}">${percent(s.value, total)}</text>`
      out += '</g>'
      x += share
    }
    if (total === 0) out += `<rect x="0" y="${by}" width="100%" height="${barH}" fill="${COLORS.grid}"/>`
  })
  for (const { s, text, x, line } of legend) {
    const ly = legendTop + line * 16
    out += `<rect x="${x}" y="${ly}" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="${ly + 9}" ${FONT} fill="${COLORS.muted}">${esc(text)}</text>`
  }
  return `${out}</svg>`
}

/**
 * Horizontal bars of counts, longest first as given, each under a line with
 * its label, its count and a note.
 *
 * @param rows Label, value, colour and note per bar.
 * @param label Accessible name of the chart.
 * @returns An `<svg>` string.
 */
export function barList(rows: { label: string; value: number; color?: string; note?: string }[], label: string): string {
  const rowH = 32
  const height = Math.max(1, rows.length) * rowH
  const max = Math.max(1, ...rows.map((r) => r.value))
  let out = svgOpen(730, height, label)
  rows.forEach((r, i) => {
    const y = i * rowH
    const share = r.value / max
    out += `<g><title>${esc(`${r.label}: ${r.value}${r.note === undefined ? '' : ` (${r.note})`}`)}</title>`
    out += textLine(y + 12, r.label, `${r.value}${r.note === undefined ? '' : ` · ${r.note}`}`)
    out += `<rect x="0" y="${y + 17}" width="${r.value > 0 ? pc(Math.max(share, 0.004)) : 0}" height="11" rx="2" fill="${r.color ?? COLORS.bar}"/></g>`
  })
  return `${out}</svg>`
}

/**
 * Raw and adjusted average rating per product on a 1–5 axis: a grey dot for
 * the raw mean, a blue one for the mean without likely-fake reviews, under a
 * line with the product and both means.
 *
 * @param rows Product, raw and adjusted ratings.
 * @param label Accessible name of the chart.
 * @returns An `<svg>` string.
 */
export function dumbbell(rows: { label: string; raw: number | null; adjusted: number | null }[], label: string): string {
  const rowH = 34
  const top = 18
  const height = top + rows.length * rowH + 4
  // 1 and 5 stars a little inside the edges, so their dots and ticks are whole.
  const x = (stars: number) => pc(0.03 + ((stars - 1) / 4) * 0.94)
  let out = svgOpen(680, height, label)
  for (let s = 1; s <= 5; s++) {
    out += `<line x1="${x(s)}" y1="${top - 4}" x2="${x(s)}" y2="${height - 4}" stroke="${COLORS.grid}"/>`
    out += `<text x="${x(s)}" y="${top - 7}" text-anchor="middle" ${FONT} fill="${COLORS.muted}">${s}★</text>`
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH
    const cy = y + 24
    const adj = r.raw === null ? null : (r.adjusted ?? r.raw)
    const diff = adj === null || r.raw === null ? 0 : adj - r.raw
    const note = adj === null || r.raw === null ? undefined : Math.abs(diff) < 0.005 ? `${r.raw.toFixed(2)}★` : `${r.raw.toFixed(2)} → ${adj.toFixed(2)}★`
    out += `<g><title>${esc(adj === null || r.raw === null ? r.label : `${r.label}: raw ${r.raw.toFixed(2)}★, adjusted ${adj.toFixed(2)}★`)}</title>`
    out += textLine(y + 12, r.label, note, COLORS.ink, Math.abs(diff) >= 0.1 ? COLORS.negativeText : COLORS.muted)
    if (adj !== null && r.raw !== null) {
      out += `<line x1="${x(r.raw)}" y1="${cy}" x2="${x(adj)}" y2="${cy}" stroke="${COLORS.muted}" stroke-width="2"/>`
      out += `<circle cx="${x(r.raw)}" cy="${cy}" r="5" fill="${COLORS.genuine}"/>`
      out += `<circle cx="${x(adj)}" cy="${cy}" r="5" fill="${COLORS.bar}"/>`
    }
    out += '</g>'
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
/** Width of a timeline's bars and shading, in the units of its plot's viewBox (stretched to the chart's width). */
const PLOT_UNITS = 1000

/** A burst's label, anchored at the start of its window or, where it would run past the right edge, at its end. */
interface BurstLabel {
  text: string
  x: number
  anchor: 'start' | 'end'
  line: number
}

/**
 * Burst labels for a chart `px` wide, each on the first line above the plot
 * where it overlaps no other. Placed in shares of the width, labels apart at
 * `px` are apart at any wider width, as the gaps between them only grow.
 */
function placeBurstLabels(spans: { x0: number; x1: number; text: string }[], px: number): BurstLabel[] {
  const placed = spans.map(({ x0, x1, text }) => {
    const w = text.length * LABEL_CHAR_PX
    const start = x0 * px + w <= px
    // Whole within the chart: from the window's start, or ending where the window (or the chart) ends.
    const end = Math.max(x1, w / px)
    return { text, x: start ? x0 : end, anchor: start ? ('start' as const) : ('end' as const), line: 0, left: start ? x0 * px : end * px - w, w }
  })
  const ends: number[] = []
  for (const p of [...placed].sort((a, c) => a.left - c.left)) {
    let line = ends.findIndex((end) => end + 8 <= p.left)
    if (line < 0) line = ends.push(0) - 1
    ends[line] = p.left + p.w
    p.line = line
  }
  return placed.map(({ text, x, anchor, line }) => ({ text, x, anchor, line }))
}

/**
 * A product's daily review counts, flagged reviews overlaid, burst windows
 * shaded and labeled. Its bars stretch to the chart's width; its dates and
 * labels keep their size, a burst's whole label in a wide chart and its
 * count in a narrow one.
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
  const width = PLOT_UNITS
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
  const windows = bursts.map((b) => {
    const x0 = Math.max(0, Math.floor(xOf(b.start) / bw) * bw)
    // The window's end is not in it: a window of whole days ends at the midnight after its last day.
    const x1 = Math.min(width, Math.max(x0 + Math.max(bw, 3), Math.ceil((xOf(b.end) - 0.001) / bw) * bw))
    return { b, x0, x1 }
  })
  const spans = (text: (b: { start: string; reviews: number }) => string) => windows.map(({ b, x0, x1 }) => ({ x0: x0 / width, x1: x1 / width, text: text(b) }))
  const wide = placeBurstLabels(spans((b) => `burst · ${b.reviews} reviews · ${b.start.slice(0, 10)}`), WIDE_PX)
  const narrow = placeBurstLabels(spans((b) => `burst · ${b.reviews}`), NARROW_PX)
  const lines = Math.max(0, ...wide.map((l) => l.line + 1), ...narrow.map((l) => l.line + 1))
  const top = 16 + LABEL_LINE_PX * Math.max(0, lines - 1)
  const height = top + plotH + 20
  // The plot's shapes in a viewBox stretched to the chart's width; its texts outside it, unstretched.
  let plot = `<svg width="100%" height="${top + plotH}" viewBox="0 0 ${width} ${top + plotH}" preserveAspectRatio="none">`
  let labels = ''
  windows.forEach(({ b, x0, x1 }, i) => {
    const up = LABEL_LINE_PX * Math.max(wide[i]!.line, narrow[i]!.line)
    plot += `<rect x="${n2(x0 - 2)}" y="${top - 14 - up}" width="${n2(x1 - x0 + 4)}" height="${plotH + 14 + up}" fill="${COLORS.burst}" opacity="0.25"><title>${esc(`burst: ${b.reviews} reviews, ${windowText(b.start, b.end)}`)}</title></rect>`
    for (const [l, cls] of [[wide[i]!, 'wide'], [narrow[i]!, 'narrow']] as const) {
      labels += `<text class="${cls}" x="${pc(l.x)}" y="${top - 4 - LABEL_LINE_PX * l.line}"${l.anchor === 'end' ? ' text-anchor="end"' : ''} ${FONT} fill="#9a3412">${esc(l.text)}</text>`
    }
  })
  plot += `<line x1="0" y1="${top + plotH}" x2="${width}" y2="${top + plotH}" stroke="${COLORS.grid}"/>`
  for (let i = 0; i < bars; i++) {
    if (counts[i] === 0) continue
    const h = (counts[i]! / max) * plotH
    const fh = (flagged[i]! / max) * plotH
    const x = i * bw
    const w = Math.max(bw - (bw > 3 ? 1 : 0), 1)
    plot += `<rect x="${n2(x)}" y="${n2(top + plotH - h)}" width="${n2(w)}" height="${n2(h)}" fill="${COLORS.bar}"><title>${esc(`${dayLabel(startMs, i * bin, bin)}: ${counts[i]} reviews, ${flagged[i]} flagged`)}</title></rect>`
    if (fh > 0) plot += `<rect x="${n2(x)}" y="${n2(top + plotH - fh)}" width="${n2(w)}" height="${n2(fh)}" fill="${COLORS.flagged}" pointer-events="none"/>`
  }
  let out = `${svgOpen(null, height, label)}${plot}</svg>${labels}`
  const endDay = new Date(startMs + (days - 1) * DAY_MS).toISOString().slice(0, 10)
  out += `<text x="0" y="${height - 4}" ${FONT} fill="${COLORS.muted}">${esc(series.start)}</text>`
  out += `<text x="100%" y="${height - 4}" text-anchor="end" ${FONT} fill="${COLORS.muted}">${esc(endDay)}</text>`
  out += `<text x="50%" y="${height - 4}" text-anchor="middle" ${FONT} fill="${COLORS.muted}">max ${max} per ${bin === 1 ? 'day' : `${bin} days`}</text>`
  return `${out}</svg>`
}

function dayLabel(startMs: number, offset: number, bin: number): string {
  const a = new Date(startMs + offset * DAY_MS).toISOString().slice(0, 10)
  if (bin === 1) return a
  return `${a} – ${new Date(startMs + (offset + bin - 1) * DAY_MS).toISOString().slice(0, 10)}`
}

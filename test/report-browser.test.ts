/**
 * The sample dump's report in a real browser: headless Chromium opens the
 * page from disk, with no network, and it must load without console errors,
 * draw its charts, sort a table and jump from a flagged review to its reasons.
 * Needs the Debian `chromium` package and `playwright-core`; skips with a
 * message when either is missing, except in CI, where it fails.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildReport, renderReportHtml, runReport } from '../src/report/index.js'
import type { ReviewResult, Signal } from '../src/review/index.js'

const CHROMIUM = process.env.RECENSIO_CHROMIUM ?? '/usr/bin/chromium'
/** Where playwright-core is looked for: the project's devDependency, or a path given in the environment. */
const PLAYWRIGHT_PATHS = ['playwright-core', ...(process.env.RECENSIO_PLAYWRIGHT ? [process.env.RECENSIO_PLAYWRIGHT] : [])]
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

interface Playwright {
  chromium: {
    launchPersistentContext(dir: string, options: Record<string, unknown>): Promise<Context>
  }
}
interface Context {
  newPage(): Promise<Page>
  close(): Promise<void>
}
interface Page {
  on(event: string, listener: (arg: never) => void): void
  goto(url: string): Promise<unknown>
  /** Runs a JavaScript expression in the page (a string, so these tests need no DOM types). */
  evaluate<T>(expression: string): Promise<T>
  click(selector: string): Promise<void>
  focus(selector: string): Promise<void>
  keyboard: { press(key: string): Promise<void> }
  waitForTimeout(ms: number): Promise<void>
  emulateMedia(options: { media: 'print' | 'screen' }): Promise<void>
}

async function loadPlaywright(): Promise<Playwright | string> {
  const tried: string[] = []
  for (const spec of PLAYWRIGHT_PATHS) {
    try {
      const target = spec.startsWith('/') ? pathToFileURL(spec).href : spec
      if (spec.startsWith('/') && !existsSync(spec)) throw new Error('absent')
      const mod = (await import(/* @vite-ignore */ target)) as Playwright & { default?: Playwright }
      return mod.chromium === undefined ? mod.default! : mod
    } catch {
      tried.push(spec)
    }
  }
  return `playwright-core not found (tried ${tried.join(', ')})`
}

const playwright = existsSync(CHROMIUM) ? await loadPlaywright() : `no Chromium at ${CHROMIUM} (apt-get install chromium)`

/** A headless Chromium with its profile in `dir` and a window of this size. */
function launch(dir: string, viewport: { width: number; height: number }, options: { javaScriptEnabled?: boolean } = {}): Promise<Context> {
  return (playwright as Playwright).chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport, ...options })
}
/** A report's page, open in a headless Chromium (see `launch`) whose window has this size. */
async function openReport(dir: string, htmlPath: string, viewport: { width: number; height: number }): Promise<{ context: Context; page: Page }> {
  const context = await launch(dir, viewport)
  const page = await context.newPage()
  await page.goto(pathToFileURL(htmlPath).href)
  return { context, page }
}
const skip = typeof playwright === 'string'
// CI installs Chromium (.ci/run): there a missing browser is a failure, not a skip.
if (skip && process.env.CI) throw new Error(`report browser test cannot run in CI: ${playwright}`)
if (skip) console.warn(`report browser test skipped: ${playwright}`)

describe.skipIf(skip)('report page in headless Chromium', () => {
  const root = resolve(import.meta.dirname, '..')
  let context: Context
  let page: Page
  const errors: string[] = []
  const requests: string[] = []

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-browser-'))
    const { htmlPath } = await runReport({
      input: resolve(root, 'data/sample/reviews.jsonl'),
      out: join(dir, 'sample.html'),
      quiet: true,
    })
    context = await launch(dir, { width: 1280, height: 900 })
    page = await context.newPage()
    page.on('console', (m: { type(): string; text(): string }) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    page.on('pageerror', (e: Error) => errors.push(String(e)))
    page.on('request', (r: { url(): string }) => requests.push(r.url()))
    await page.goto(pathToFileURL(htmlPath!).href)
  })

  afterAll(async () => {
    await context?.close()
  })

  it('loads from disk without console errors or network requests', () => {
    expect(errors).toEqual([])
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([])
  })

  it('draws the charts at a visible size', async () => {
    const boxes = await page.evaluate<{ w: number; h: number; shapes: number }[]>(`
      Array.from(document.querySelectorAll('svg.chart')).map((s) => {
        const r = s.getBoundingClientRect()
        return { w: r.width, h: r.height, shapes: s.querySelectorAll('rect, circle').length }
      })`)
    // Rating, star index, NPS, CES, stages, adjusted ratings, timelines, verdicts, signals, languages.
    expect(boxes.length).toBeGreaterThanOrEqual(10)
    for (const b of boxes) {
      expect(b.w).toBeGreaterThan(100)
      expect(b.h).toBeGreaterThan(20)
      expect(b.shapes).toBeGreaterThan(0)
    }
  })

  it('fits every chart in its column, the languages chart in its half of the page too', async () => {
    const wide = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('figure')).filter((f) => f.scrollWidth > f.clientWidth).map((f) => (f.querySelector('svg')?.getAttribute('aria-label') ?? '') + ' ' + f.scrollWidth + ' > ' + f.clientWidth)`)
    expect(wide).toEqual([])
  })

  it('shows a timeline burst’s whole label on a wide screen', async () => {
    const labels = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('#timelines svg.chart text[fill="#9a3412"]')).filter((t) => t.getClientRects().length > 0).map((t) => t.textContent)`)
    expect(labels.length).toBeGreaterThan(0)
    for (const l of labels) expect(l).toMatch(/^burst · \d+ reviews · \d{4}-\d{2}-\d{2}$/)
  })

  it('shows the key numbers in the header', async () => {
    const labels = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('.kpi .k-label')).map((e) => e.textContent)`)
    expect(labels).toEqual(expect.arrayContaining(['Reviews analyzed', 'CSAT from stars', 'Star-based index', 'NPS (survey)', 'CES (survey)']))
  })

  it('sorts a table when a column header is clicked', async () => {
    await page.click('#product-table th:nth-child(2)')
    const column = `Array.from(document.querySelectorAll('#product-table tbody tr td:nth-child(2)')).map((c) => Number(c.getAttribute('data-v')))`
    const first = await page.evaluate<number[]>(column)
    expect(first).toEqual([...first].sort((a, b) => a - b))
    await page.click('#product-table th:nth-child(2)')
    const second = await page.evaluate<number[]>(column)
    expect(second).toEqual([...first].reverse())
  })

  it('sorts a table from the keyboard: each header is a tab stop that Enter sorts', async () => {
    const stops = await page.evaluate<number[]>(`Array.from(document.querySelectorAll('table.sortable th')).map((th) => th.tabIndex)`)
    expect(stops.length).toBeGreaterThan(0)
    for (const t of stops) expect(t).toBe(0)
    await page.focus('#product-table th:nth-child(3)')
    await page.keyboard.press('Enter')
    const column = `Array.from(document.querySelectorAll('#product-table tbody tr td:nth-child(3)')).map((c) => Number(c.getAttribute('data-v')))`
    const sorted = await page.evaluate<number[]>(column)
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b))
    expect(await page.evaluate<string | null>(`document.querySelector('#product-table th:nth-child(3)').getAttribute('aria-sort')`)).toBe('ascending')
    await page.keyboard.press(' ')
    expect(await page.evaluate<string | null>(`document.querySelector('#product-table th:nth-child(3)').getAttribute('aria-sort')`)).toBe('descending')
  })

  it('writes every text at 4.5:1 contrast or more on its background (3:1 for large text)', async () => {
    // WCAG 2 contrast of each element's own text, and of each chart label on the shape under it.
    const low = await page.evaluate<string[]>(`(() => {
      const rgb = (s) => {
        if (s.startsWith('#')) return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16)).concat(1)
        const m = s.match(/[\\d.]+/g).map(Number)
        return m.length > 3 ? m : m.concat(1)
      }
      const lum = (c) => c.slice(0, 3).map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0)
      const over = (c, bg, a) => c.slice(0, 3).map((v, i) => v * a + bg[i] * (1 - a))
      const backdrop = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor)
          // A plain gradient over the colour (the veil of a pale heatmap cell) counts as its first colour.
          const veil = getComputedStyle(e).backgroundImage.match(/rgba?\\([^)]*\\)/)
          if (c[3] > 0) return veil === null ? c : over(rgb(veil[0]), c, rgb(veil[0])[3]).concat(1)
        }
        return [255, 255, 255, 1]
      }
      const out = []
      for (const el of document.querySelectorAll('body *')) {
        const inSvg = el.closest('svg') !== null
        if (inSvg ? el.tagName !== 'text' : ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '')) continue
        if (el.getClientRects().length === 0) continue
        let bg = backdrop(el)
        let alpha = 1
        for (let e = el; e; e = e.parentElement) alpha *= Number(getComputedStyle(e).opacity)
        let fg = rgb(getComputedStyle(el)[inSvg ? 'fill' : 'color'])
        if (inSvg) {
          const t = el.getBoundingClientRect()
          const cx = t.left + t.width / 2, cy = t.top + t.height / 2
          for (const r of el.parentElement.querySelectorAll(':scope > rect')) {
            const b = r.getBoundingClientRect()
            if (cx < b.left || cx > b.right || cy < b.top || cy > b.bottom) continue
            bg = over(rgb(getComputedStyle(r).fill), bg, Number(r.getAttribute('opacity') ?? 1))
          }
        }
        const f = over(fg, bg, fg[3] * alpha)
        const [a, b] = [lum(f), lum(bg)]
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
        const cs = getComputedStyle(el)
        const size = parseFloat(cs.fontSize) * (inSvg ? el.getBoundingClientRect().height / el.getBBox().height : 1)
        const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700)
        if (ratio < (large ? 3 : 4.5)) out.push(el.tagName + '.' + (el.getAttribute('class') ?? '') + ' "' + el.textContent.trim().slice(0, 20) + '" ' + ratio.toFixed(2))
      }
      return [...new Set(out)].slice(0, 30)
    })()`)
    expect(low).toEqual([])
  })

  it('jumps from a flagged review to its reasons', async () => {
    const target = await page.evaluate<string | null>(`document.querySelector('#authenticity a.why')?.getAttribute('href') ?? null`)
    expect(target).not.toBeNull()
    await page.click(`#authenticity a.why[href="${target}"]`)
    await page.waitForTimeout(50)
    const shown = await page.evaluate<{ tag: string; reasons: number; hash: string } | null>(`(() => {
      const el = document.querySelector(':target')
      return el === null ? null : { tag: el.tagName, reasons: el.querySelectorAll('ul.reasons li').length, hash: location.hash }
    })()`)
    expect(shown).toMatchObject({ tag: 'ARTICLE', hash: target })
    expect(shown!.reasons).toBeGreaterThan(0)
  })
})

describe.skipIf(skip)('report page in a narrow window', () => {
  const root = resolve(import.meta.dirname, '..')
  let context: Context
  let page: Page

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-narrow-'))
    // A long path, as a checkout or an export folder has: the header names the file.
    const deep = join(dir, 'exports-from-the-shop-backend-for-the-quarterly-review', 'march-2024')
    mkdirSync(deep, { recursive: true })
    const input = join(deep, 'customer_reviews_export_all_channels.jsonl')
    copyFileSync(resolve(root, 'data/sample/reviews.jsonl'), input)
    const { htmlPath } = await runReport({ input, out: join(dir, 'sample.html'), quiet: true })
    ;({ context, page } = await openReport(dir, htmlPath!, { width: 390, height: 844 }))
  })

  afterAll(async () => {
    await context?.close()
  })

  it('fits the page to the window width: only wide tables scroll sideways, in their own box', async () => {
    const width = await page.evaluate<number>('document.documentElement.scrollWidth')
    expect(width).toBeLessThanOrEqual(390)
  })

  it('fits every chart to the screen: no figure scrolls sideways', async () => {
    const wide = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('figure')).filter((f) => f.scrollWidth > f.clientWidth || f.getBoundingClientRect().right > innerWidth).map((f) => (f.closest('section')?.id ?? '') + ' ' + (f.querySelector('svg')?.getAttribute('aria-label') ?? '') + ' ' + f.scrollWidth + ' > ' + f.clientWidth)`)
    // The charts kept four fifths of their width and scrolled: the NPS chart hid its 9 and 10, the timelines their last day.
    expect(wide).toEqual([])
  })

  it('writes chart labels at their full size, inside their chart and apart from each other', async () => {
    const bad = await page.evaluate<string[]>(`(() => {
      const out = []
      for (const svg of document.querySelectorAll('svg.chart')) {
        const box = svg.getBoundingClientRect()
        const name = svg.getAttribute('aria-label')
        const texts = Array.from(svg.querySelectorAll('text')).filter((t) => t.getClientRects().length > 0 && t.textContent.trim() !== '')
        const rects = texts.map((t) => t.getBoundingClientRect())
        texts.forEach((t, i) => {
          const r = rects[i]
          const scale = r.height / t.getBBox().height
          if (scale < 0.99) out.push(name + ': "' + t.textContent + '" drawn at ' + scale.toFixed(2) + ' of its size')
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(name + ': "' + t.textContent + '" cut at the edge')
          for (let j = 0; j < i; j++) {
            const o = rects[j]
            const w = Math.min(r.right, o.right) - Math.max(r.left, o.left), h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top)
            if (w > 1 && h > 1) out.push(name + ': "' + t.textContent + '" over "' + texts[j].textContent + '"')
          }
        })
      }
      return out
    })()`)
    expect(bad).toEqual([])
  })

  it('shows every share of the verdict bar on the screen, however thin its segment', async () => {
    const shares = await page.evaluate<{ text: string; left: number; right: number }[]>(`Array.from(document.querySelectorAll('svg[aria-label="Share of reviews per verdict"] text')).filter((t) => /%$/.test(t.textContent) && /[a-z]/.test(t.textContent)).map((t) => {
      const r = t.getBoundingClientRect()
      return { text: t.textContent, left: r.left, right: r.right }
    })`)
    expect(shares.map((s) => s.text.replace(/ \S+$/, ''))).toEqual(['genuine', 'suspicious', 'likely fake'])
    for (const s of shares) {
      expect(s.left).toBeGreaterThanOrEqual(0)
      expect(s.right).toBeLessThanOrEqual(390)
    }
  })

  it('shows each timeline’s first and last day on the screen', async () => {
    const days = await page.evaluate<number[][]>(`Array.from(document.querySelectorAll('#timelines svg.chart')).map((s) => Array.from(s.querySelectorAll('text')).filter((t) => /^\\d{4}-\\d{2}-\\d{2}$/.test(t.textContent)).map((t) => t.getBoundingClientRect().right))`)
    expect(days.length).toBeGreaterThan(0)
    for (const d of days) {
      expect(d).toHaveLength(2)
      for (const right of d) expect(right).toBeLessThanOrEqual(390)
    }
  })

  it('says so above each table that scrolls sideways, and only there', async () => {
    const boxes = await page.evaluate<{ scrolls: boolean; hint: string }[]>(`Array.from(document.querySelectorAll('.scroll')).map((b) => ({ scrolls: b.scrollWidth > b.clientWidth + 1, hint: getComputedStyle(b, '::before').content }))`)
    expect(boxes.some((b) => b.scrolls)).toBe(true)
    for (const b of boxes) expect(b.hint.includes('Scroll sideways')).toBe(b.scrolls)
  })

  it('keeps the first column of a table that scrolls sideways in view, scrolled to its end', async () => {
    const cells = await page.evaluate<{ box: number; first: number; covered: boolean }[]>(`Array.from(document.querySelectorAll('.scroll.more')).map((box) => {
      box.scrollLeft = box.scrollWidth
      const cell = box.querySelector('tbody tr > :first-child')
      cell.scrollIntoView({ block: 'center', inline: 'nearest' })
      box.scrollLeft = box.scrollWidth
      const r = cell.getBoundingClientRect()
      // The cell drawn at its own middle is itself (or inside it), not a column scrolled under it.
      const top = document.elementFromPoint(r.left + 4, r.top + r.height / 2)
      const result = { box: box.getBoundingClientRect().left, first: r.left, covered: !(top === cell || cell.contains(top)) }
      box.scrollLeft = 0
      return result
    })`)
    expect(cells.length).toBeGreaterThan(0)
    for (const c of cells) expect([Math.abs(c.first - c.box) <= 1, c.covered]).toEqual([true, false])
  })

  it('keeps the praised and complained-about phrases of the stage table in readable columns', async () => {
    const widths = await page.evaluate<number[]>(`Array.from(document.querySelectorAll('#journey table tbody td:nth-child(n+5)')).map((c) => c.getBoundingClientRect().width)`)
    expect(widths.length).toBeGreaterThan(0)
    // Squeezed to their widest chip, they put one phrase per line and stretch each row over a screen.
    for (const w of widths) expect(w).toBeGreaterThanOrEqual(200)
  })

  it('shows the stage table as a card per stage, its phrases under its figures, with nothing to scroll', async () => {
    const cards = await page.evaluate<{ scrolls: boolean; rows: { name: number; figures: number; phrases: number[]; labels: string[] }[] }>(`(() => {
      const box = document.querySelector('#journey .scroll')
      const rows = Array.from(box.querySelectorAll('tbody tr')).map((tr) => {
        const cells = Array.from(tr.children)
        const bottom = (c) => c.getBoundingClientRect().bottom
        return {
          name: bottom(cells[0]),
          figures: Math.max(...cells.slice(1, 4).map((c) => c.getBoundingClientRect().top)),
          phrases: cells.slice(4).map((c) => c.getBoundingClientRect().top),
          labels: cells.slice(1).map((c) => getComputedStyle(c, '::before').content),
        }
      })
      return { scrolls: box.scrollWidth > box.clientWidth + 1, rows }
    })()`)
    expect(cards.scrolls).toBe(false)
    expect(cards.rows.length).toBeGreaterThan(0)
    for (const r of cards.rows) {
      expect(r.figures).toBeGreaterThanOrEqual(r.name - 1)
      for (const top of r.phrases) expect(top).toBeGreaterThan(r.figures)
      // With the header row hidden, each cell says what it is.
      expect(r.labels).toEqual(['"Mentions "', '"Share of reviews "', '"Avg sentiment "', '"Praised"', '"Complained about"'])
    }
  })

  it('keeps each stage name of the stage table on one line', async () => {
    const lines = await page.evaluate<number[]>(`Array.from(document.querySelectorAll('#journey table tbody td:first-child')).map((c) => {
      const range = document.createRange()
      range.selectNodeContents(c)
      return range.getClientRects().length
    })`)
    // Squeezed by the phrase columns, "Discovery" broke as "Discover / y".
    expect(lines.length).toBeGreaterThan(0)
    for (const n of lines) expect(n).toBe(1)
  })

  it('writes a burst’s ids several to a line, beside its reason in a readable column', async () => {
    const cells = await page.evaluate<{ ids: number; lines: number; reason: number }[]>(`Array.from(document.querySelectorAll('#burst-table tbody tr')).map((tr) => {
      const links = Array.from(tr.querySelectorAll('td.ids > a, td.ids > span.id'))
      return { ids: links.length, lines: new Set(links.map((a) => Math.round(a.getBoundingClientRect().top))).size, reason: tr.lastElementChild.getBoundingClientRect().width }
    })`)
    // Squeezed to the width of one id, they stood one per line, and the reason a word per line: a screen per burst.
    expect(cells.length).toBeGreaterThan(0)
    for (const c of cells) {
      expect(c.lines).toBeLessThanOrEqual(Math.ceil(c.ids / 3))
      expect(c.reason).toBeGreaterThanOrEqual(200)
    }
  })

  it('keeps each date of the flagged reviews on one line', async () => {
    // The rows in view: those past the first few are folded (display: none), and have no lines at all.
    const dates = await page.evaluate<{ text: string; lines: number }[]>(`Array.from(document.querySelectorAll('#authenticity table tbody tr td:nth-child(3)')).filter((c) => c.checkVisibility()).map((c) => {
      const range = document.createRange()
      range.selectNodeContents(c)
      return { text: c.textContent, lines: range.getClientRects().length }
    })`)
    const shown = dates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.text))
    expect(shown.length).toBeGreaterThan(0)
    for (const d of shown) expect(d).toEqual({ text: d.text, lines: 1 })
  })
})

describe.skipIf(skip)('report page printed', () => {
  const root = resolve(import.meta.dirname, '..')
  let context: Context
  let page: Page

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-print-'))
    const { htmlPath } = await runReport({ input: resolve(root, 'data/sample/reviews.jsonl'), out: join(dir, 'sample.html'), quiet: true })
    // An A4 page less 12 mm margins is about 700 CSS pixels wide.
    ;({ context, page } = await openReport(dir, htmlPath!, { width: 700, height: 1000 }))
    await page.emulateMedia({ media: 'print' })
  })

  afterAll(async () => {
    await context?.close()
  })

  it('puts every chart and table within the page, as paper cannot scroll sideways', async () => {
    const cut = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('figure, .scroll, section')).filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => (b.closest('section')?.id ?? '') + ' ' + b.tagName + ' ' + b.scrollWidth + ' > ' + b.clientWidth)`)
    // The NPS chart lost its promoters' columns, and the stage table its complaints, past the page's edge.
    expect(cut).toEqual([])
  })
})

describe.skipIf(skip)('report page with long names in headless Chromium', () => {
  let context: Context
  let page: Page

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-browser-'))
    const long = 'Super-Ultra-Long-Product-Name-Without-Any-Spaces-'.repeat(4)
    const text = 'Great product, fast delivery, I love it and would buy it again.'
    const rows = Array.from({ length: 8 }, (_, i) => ({
      id: i % 2 === 0 ? `ID-${'y'.repeat(150)}${i}` : `r${i}`,
      product: i % 2 === 0 ? `${long}A` : 'short',
      author: `a${i}`,
      rating: 1 + (i % 5),
      text,
    }))
    const input = join(dir, 'long.jsonl')
    writeFileSync(input, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const { htmlPath } = await runReport({ input, out: join(dir, 'long.html'), quiet: true })
    ;({ context, page } = await openReport(dir, htmlPath!, { width: 1280, height: 900 }))
  })

  afterAll(async () => {
    await context?.close()
  })

  it('wraps a long product name or id in its cell or card instead of spilling out or widening the table', async () => {
    const spill = await page.evaluate<number[]>(`Array.from(document.querySelectorAll('.card, .flag')).map((c) => c.scrollWidth - c.clientWidth)`)
    expect(spill.length).toBeGreaterThan(0)
    for (const s of spill) expect(s).toBeLessThanOrEqual(1)
    const table = await page.evaluate<{ table: number; box: number }>(`(() => { const t = document.getElementById('product-table'); return { table: t.scrollWidth, box: t.parentElement.clientWidth } })()`)
    expect(table.table).toBeLessThanOrEqual(table.box)
  })

  it('cuts a long product name in a chart instead of clipping it at the chart’s left edge', async () => {
    const left = await page.evaluate<number[]>(`Array.from(document.querySelectorAll('#products svg.chart')).flatMap((s) => {
      const edge = s.getBoundingClientRect().left
      return Array.from(s.querySelectorAll('text')).map((t) => t.getBoundingClientRect().left - edge)
    })`)
    expect(left.length).toBeGreaterThan(0)
    for (const x of left) expect(x).toBeGreaterThanOrEqual(0)
  })
})

/**
 * Result rows of a 10,000-row dump, as a large dump's page shows them: 250
 * products of very unequal size, one review in 20 flagged (a third of those
 * likely fake), pairs of copies among them, and 12 bursts.
 */
function largeDump(): ReviewResult[] {
  const rows: ReviewResult[] = []
  for (let i = 1; i <= 10_000; i++) {
    const flagged = i % 20 === 0
    const fakeScore = flagged ? 0.4 + ((i * 37) % 59) / 100 : 0.05
    const signals: Signal[] = []
    if (flagged) signals.push({ type: 'unverified', strength: 1, reason: 'the platform says the purchase was not verified' })
    // Rows 20 and 40, 60 and 80 … are copies of each other.
    if (flagged) {
      const other = i % 40 === 0 ? i - 20 : i + 20
      signals.push({ type: 'duplicate', strength: 0.9, reason: `the same text as r${other} by another author`, related: [`r${other}`], cluster: `dup-${Math.ceil(i / 40)}`, similarity: 1 })
    }
    const burst = i % 800 >= 100 && i % 800 < 103 && i < 9600 ? Math.floor(i / 800) : null
    const day = burst === null ? 1 + (i % 28) : 10
    const month = burst === null ? 1 + (i % 12) : burst + 1
    const date = `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T00:00:00.000Z`
    if (burst !== null) {
      const end = `2024-${String(month).padStart(2, '0')}-11`
      signals.push({ type: 'burst', strength: 0.9, reason: `one of 3 reviews of P${burst} in 2 days`, window: { start: date.slice(0, 10), end } })
    }
    rows.push({
      id: `r${i}`,
      ok: true,
      row: i,
      language: { code: 'en', confidence: 0.9, source: 'detected' },
      sentiment: { score: 0.3, label: 'positive', stars: 4, confidence: 0.8 },
      journey: [],
      authenticity: { fakeScore, verdict: !flagged ? 'genuine' : fakeScore >= 0.7 ? 'likely_fake' : 'suspicious', signals },
      rating: 1 + (i % 5),
      date,
      author: `a${i}`,
      // A few products take most reviews, as in a real export.
      product: burst !== null ? `P${burst}` : `P${Math.floor(250 * ((i * 0.6180339887) % 1) ** 3)}`,
    })
  }
  return rows
}

/** The elements matching `selector` that are drawn (not folded away), as a page expression. */
function shownCount(selector: string): string {
  return `Array.from(document.querySelectorAll(${JSON.stringify(selector)})).filter((e) => e.checkVisibility()).length`
}

describe.skipIf(skip)('report page of a large dump in headless Chromium', () => {
  let dir: string
  let htmlPath: string
  let context: Context
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recensio-large-'))
    htmlPath = join(dir, 'large.html')
    writeFileSync(htmlPath, renderReportHtml(await buildReport(largeDump())))
    ;({ context, page } = await openReport(dir, htmlPath, { width: 1280, height: 900 }))
    page.on('pageerror', (e: Error) => errors.push(String(e)))
  })

  afterAll(async () => {
    await context?.close()
  })

  /** Reloads the page, its folds closed and its tables in their first order. */
  async function fresh(): Promise<void> {
    await page.goto(pathToFileURL(htmlPath).href)
  }

  it('keeps the page to a few screens: at most 12 screens of 900 px at 1280 px wide', async () => {
    await fresh()
    // Each of the 500 flagged reviews as a card, and 250 product rows, made it over 50 screens.
    expect(await page.evaluate<number>('document.documentElement.scrollHeight / 900')).toBeLessThanOrEqual(12)
  })

  it('shows 20 rows of the product table before its fold is opened', async () => {
    await fresh()
    expect(await page.evaluate<number>(shownCount('#product-table tbody tr'))).toBe(20)
  })

  it('shows 20 rows of the flagged table before its fold is opened', async () => {
    await fresh()
    expect(await page.evaluate<number>(shownCount('#flagged-table tbody tr'))).toBe(20)
  })

  it('shows 6 cards of reasons and 6 groups of copies before their folds are opened', async () => {
    await fresh()
    expect(await page.evaluate<number[]>(`[${shownCount('article.flag')}, ${shownCount('.card')}]`)).toEqual([6, 6])
  })

  it('shows 10 rows of the burst table before its fold is opened', async () => {
    await fresh()
    expect(await page.evaluate<number>(shownCount('#burst-table tbody tr'))).toBe(10)
  })

  it('says under each fold how much it holds', async () => {
    await fresh()
    const summaries = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('summary')).filter((s) => s.checkVisibility()).map((s) => s.innerText)`)
    expect(summaries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Show all \d+ products \(\d+ more\)$/),
        'Show all 12 bursts (2 more)',
        'Show the other 94 groups',
        'Show all 500 flagged reviews (480 more)',
        'Show the reasons of the other 494 reviews',
      ]),
    )
  })

  it('shows every row of the product table once its fold is opened', async () => {
    await fresh()
    await page.click('.fold:has(#product-table) > details > summary')
    const rows = await page.evaluate<number[]>(`[${shownCount('#product-table tbody tr')}, document.querySelectorAll('#product-table tbody tr').length]`)
    expect(rows[0]).toBe(rows[1])
  })

  it('keeps the header of the opened product table in view while its rows scroll', async () => {
    await fresh()
    await page.click('.fold:has(#product-table) > details > summary')
    const tops = await page.evaluate<{ box: number; header: number; boxHeight: number }>(`(() => {
      const box = document.querySelector('#product-table').parentElement
      box.scrollIntoView()
      box.scrollTop = 2000
      return { box: box.getBoundingClientRect().top, header: document.querySelector('#product-table th:nth-child(2)').getBoundingClientRect().top, boxHeight: box.clientHeight }
    })()`)
    expect(tops.boxHeight).toBeLessThanOrEqual(900)
    expect(Math.abs(tops.header - tops.box)).toBeLessThanOrEqual(1)
  })

  it('brings the first 20 by a clicked column into view, from all the rows', async () => {
    await fresh()
    // Flagged, twice: descending.
    await page.click('#product-table th:nth-child(9)')
    await page.click('#product-table th:nth-child(9)')
    const shown = await page.evaluate<number[]>(`Array.from(document.querySelectorAll('#product-table tbody tr')).filter((r) => r.checkVisibility()).map((r) => Number(r.children[8].getAttribute('data-v')))`)
    const all = await page.evaluate<number[]>(`Array.from(document.querySelectorAll('#product-table tbody tr')).map((r) => Number(r.children[8].getAttribute('data-v')))`)
    expect(shown).toEqual([...all].sort((a, b) => b - a).slice(0, 20))
  })

  it('opens the fold of a review’s reasons when its link in the table is followed', async () => {
    await fresh()
    // The 15th row is in view, its card folded.
    const href = await page.evaluate<string>(`document.querySelector('#flagged-table tbody tr:nth-child(15) a.why').getAttribute('href')`)
    const card = `document.getElementById(decodeURIComponent(${JSON.stringify(href)}.slice(1))).checkVisibility()`
    const before = await page.evaluate<boolean>(card)
    await page.click(`#flagged-table tbody tr:nth-child(15) a.why`)
    await page.waitForTimeout(50)
    expect([before, await page.evaluate<boolean>(card)]).toEqual([false, true])
  })

  it('opens the fold around the card the address names, for a browser that does not', async () => {
    await fresh()
    // Chromium opens it itself on a link; a hashchange alone, as another browser leaves it, tests the page's own script.
    const shown = await page.evaluate<boolean[]>(`(() => {
      const card = document.querySelectorAll('article.flag')[30]
      const before = card.checkVisibility()
      history.replaceState(null, '', '#' + card.id)
      dispatchEvent(new HashChangeEvent('hashchange'))
      return [before, card.checkVisibility()]
    })()`)
    expect(shown).toEqual([false, true])
  })

  it('runs without errors', () => {
    expect(errors).toEqual([])
  })
})

describe.skipIf(skip)('report page of a large dump with JavaScript off', () => {
  let context: Context
  let page: Page

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recensio-nojs-'))
    const htmlPath = join(dir, 'large.html')
    writeFileSync(htmlPath, renderReportHtml(await buildReport(largeDump())))
    context = await launch(dir, { width: 1280, height: 900 }, { javaScriptEnabled: false })
    page = await context.newPage()
    await page.goto(pathToFileURL(htmlPath).href)
  })

  afterAll(async () => {
    await context?.close()
  })

  it('folds the product table past its first 20 rows', async () => {
    expect(await page.evaluate<number>(shownCount('#product-table tbody tr'))).toBe(20)
  })

  it('opens the fold with a click, showing every row', async () => {
    await page.click('.fold:has(#flagged-table) > details > summary')
    expect(await page.evaluate<number>(shownCount('#flagged-table tbody tr'))).toBe(500)
  })
})

// Writes docs/report.png: the top of the sample dump's report in headless
// Chromium, for the README. Run after `npm run build`:
//   node scripts/report-screenshot.mjs [playwright-core path]
// Needs the Debian chromium package and playwright-core (a devDependency, or
// a path given as the argument).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '..')
const spec = process.argv[2] ?? 'playwright-core'
const { chromium } = await import(spec.startsWith('/') ? pathToFileURL(spec).href : spec)
const dir = mkdtempSync(join(tmpdir(), 'recensio-shot-'))
const html = join(dir, 'sample.html')
execFileSync(process.execPath, ['dist/cli.js', 'report', 'data/sample/reviews.jsonl', '--out', html, '--quiet', '--title', 'Sample dump: 300 reviews'], {
  cwd: root,
  stdio: 'inherit',
})

const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
  executablePath: process.env.RECENSIO_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 1700 },
})
const page = await context.newPage()
await page.goto(pathToFileURL(html).href)
mkdirSync(join(root, 'docs'), { recursive: true })
await page.screenshot({ path: join(root, 'docs/report.png'), clip: { x: 0, y: 0, width: 1280, height: 1700 } })
// A second view: where stages differ, products and timelines.
const y = await page.evaluate(() => document.querySelector('#where').getBoundingClientRect().top + window.scrollY - 10)
await page.screenshot({ path: join(root, 'docs/report-products.png'), fullPage: true, clip: { x: 0, y, width: 1280, height: 1700 } })
await context.close()
console.log('wrote docs/report.png and docs/report-products.png')

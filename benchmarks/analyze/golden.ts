/**
 * Golden outputs of the per-review stage: a safety net for speed work, which
 * must not change a single result.
 *
 *   npx tsx benchmarks/analyze/golden.ts --write   # record the outputs of the current code
 *   npx tsx benchmarks/analyze/golden.ts           # compare with the recording; exit 1 on any difference
 *
 * Runs `analyze` over every dev text of ../shared/data (the sentiment files,
 * amazon_verified with titles and its other fields, opspam, fake_generated,
 * journey_dev), each row three ways: without its `lang` and with
 * `explain: true`, without its `lang` and with the defaults, and as given
 * (`lang` known, detection skipped). It also runs `analyzeValid` for the
 * compact record the cross-review pass reads (minus the MinHash signature and
 * exact hash, which belong to the fingerprint part), and a set of malformed
 * rows derived from the dev rows, whose thrown errors must stay identical.
 *
 * Each output is compared as its JSON text (stricter than deep equality: key
 * order counts too, as it does for the CLI's output lines). The recording
 * holds one SHA-1 per output plus an overall digest in
 * benchmarks/.cache/analyze-golden.json (git-ignored, never shipped: it is
 * derived from the licensed rows), and the full JSON lines next to it so a
 * difference can be shown.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { analyze, analyzeValid, contextFor } from '../../src/analyze.js'
import { resolveOptions } from '../../src/review/index.js'

const root = resolve(import.meta.dirname, '../..')
const dataDir = resolve(root, '../shared/data')
const cacheDir = resolve(root, 'benchmarks/.cache')
const hashFile = resolve(cacheDir, 'analyze-golden.json')
const linesFile = resolve(cacheDir, 'analyze-golden.jsonl')

const FILES = [
  'sentiment_en.jsonl',
  'sentiment_es.jsonl',
  'sentiment_it.jsonl',
  'amazon_verified.jsonl',
  'opspam.jsonl',
  'fake_generated.jsonl',
  'journey_dev.jsonl',
]

/** How many differing outputs are printed in full. */
const MAX_SHOWN = 5

if (!existsSync(dataDir)) {
  console.log(`golden: skipped, ${dataDir} is absent`)
  process.exit(0)
}

const write = process.argv.includes('--write')
const explainOptions = { explain: true }

function readRows(file: string): Record<string, unknown>[] {
  return readFileSync(resolve(dataDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** The outcome of one call as JSON text: the result, or the error it threw. */
function outcome(run: () => unknown): string {
  try {
    return JSON.stringify(run())
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string; issues?: unknown }
    return JSON.stringify({ threw: err.name, code: err.code, message: err.message, issues: err.issues })
  }
}

/** The row without its `lang`, so the language is detected. */
function withoutLang(row: Record<string, unknown>): Record<string, unknown> {
  const { lang: _lang, ...rest } = row
  return rest
}

/**
 * Malformed and unusual variants of a row: each field given in the shapes
 * exports carry (and a few they must not), so the row validator's messages
 * are pinned too.
 */
function variants(row: Record<string, unknown>, k: number): Record<string, unknown>[] {
  const text = String(row.text)
  const base = withoutLang(row)
  const pick = <T>(list: readonly T[]): T => list[k % list.length]!
  return [
    { ...base, stars: pick(['4/5', '★★★★☆', 'five', 7, '', null, '8 out of 10', -1, '3,5', true]) },
    { ...base, date: pick(['2024-03-05 10:00', 1_700_000_000, 'yesterday', '2024-13-01', '', 1_700_000_000_000, {}, '2024/3/5']) },
    { ...base, verified: pick(['yes', 'no', 'maybe', 1, 0, 'Verified Purchase', null, 2]) },
    { ...base, id: pick([42, null, '', 'x'.repeat(50), ['a'], 3.5]) },
    { ...base, title: pick([7, null, '', ['t'], 'Great!', { a: 1 }]) },
    { ...base, text: pick([undefined, null, 12345, '', '   ', ['a'], { t: text }]) },
    { ...base, lang: pick(['ES', 'it-IT', 'fr', 'english', '', 3, 'en']) },
    { ...base, nps: pick([9, '10', 11, 'high', null]), csat: pick([5, '4', 0, 'ok']), ces: pick([7, '1', 8, 'x']) },
    { review: text, overall: pick([5, '2', 'bad']), reviewerID: 'u', asin: 'p', unixReviewTime: 1_600_000_000 },
    k % 3 === 0 ? (text as unknown as Record<string, unknown>) : pick([[text], 42, null] as unknown as Record<string, unknown>[]),
  ]
}

/** Step between rows whose malformed variants are included (every row would add little). */
const VARIANT_EVERY = 25

const lines: string[] = []
const hashes: string[] = []
function record(tag: string, json: string): void {
  const line = `${tag}\t${json}`
  lines.push(line)
  hashes.push(createHash('sha1').update(line).digest('hex'))
}

const explainCtx = contextFor(resolveOptions(explainOptions))
const started = process.hrtime.bigint()
for (const file of FILES) {
  const rows = readRows(file)
  rows.forEach((row, k) => {
    const tag = `${file}:${k}`
    const free = withoutLang(row)
    record(`${tag}:explain`, outcome(() => analyze(free as never, explainOptions)))
    record(`${tag}:defaults`, outcome(() => analyze(free as never)))
    record(`${tag}:given`, outcome(() => analyze(row as never)))
    record(
      `${tag}:record`,
      outcome(() => {
        const valid = explainCtx.validator.validate(free, k)
        if (!valid.ok) return valid
        const { signature: _signature, exact: _exact, ...rest } = analyzeValid(valid, explainCtx, k).record
        return rest
      }),
    )
    if (k % VARIANT_EVERY === 0) {
      variants(row, k / VARIANT_EVERY).forEach((v, j) => record(`${tag}:variant${j}`, outcome(() => analyze(v as never))))
    }
  })
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const digest = createHash('sha1').update(hashes.join('\n')).digest('hex')

if (write) {
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(hashFile, `${JSON.stringify({ digest, count: hashes.length, hashes }, null, 0)}\n`)
  writeFileSync(linesFile, `${lines.join('\n')}\n`)
  console.log(`golden: recorded ${hashes.length} outputs, digest ${digest} (${seconds.toFixed(1)} s)`)
  process.exit(0)
}

if (!existsSync(hashFile)) {
  console.error(`golden: no recording at ${hashFile}; run with --write on the reference code first`)
  process.exit(2)
}
const golden = JSON.parse(readFileSync(hashFile, 'utf8')) as { digest: string; count: number; hashes: string[] }
if (golden.digest === digest) {
  console.log(`golden: identical, ${hashes.length} outputs, digest ${digest} (${seconds.toFixed(1)} s)`)
  process.exit(0)
}
const goldenLines = existsSync(linesFile) ? readFileSync(linesFile, 'utf8').split('\n') : []
let differing = 0
for (let i = 0; i < Math.max(hashes.length, golden.hashes.length); i++) {
  if (hashes[i] === golden.hashes[i]) continue
  if (differing < MAX_SHOWN) {
    console.log(`--- expected  ${goldenLines[i] ?? '(none)'}`)
    console.log(`+++ got       ${lines[i] ?? '(none)'}`)
  }
  differing++
}
console.log(`golden: ${differing} of ${hashes.length} outputs differ (recorded ${golden.count}), digest ${digest} ≠ ${golden.digest}`)
process.exit(1)

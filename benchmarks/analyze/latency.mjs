/**
 * Per-call latency of `analyze` as a service calling it once per review sees
 * it: every review of the development corpora (text, title, stars) scored
 * once to warm up, then three more times, each call timed on its own.
 * Prints the percentiles of those calls, and the load and first calls of the
 * fresh process it runs in.
 *
 *   npm run build && node benchmarks/analyze/latency.mjs
 *
 * Needs ../shared/data (the corpora are not shipped).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const data = resolve(root, '../shared/data')
const FILES = ['sentiment_es', 'sentiment_it', 'sentiment_en', 'amazon_verified', 'opspam', 'journey_dev', 'fake_generated']
if (!FILES.every((f) => existsSync(join(data, `${f}.jsonl`)))) {
  console.log('latency: skipped (../shared/data is missing)')
  process.exit(0)
}

const loading = performance.now()
const { analyze } = await import(pathToFileURL(join(root, 'dist/index.js')).href)
const loadMs = performance.now() - loading
const firstCalls = ['Llegó tarde y la caja venía rota, pero la cafetera es una maravilla.', 'Prodotto ottimo, consegna veloce.', 'Great product, fast delivery.'].map((text) => {
  const t = performance.now()
  analyze(text)
  return performance.now() - t
})

const rows = FILES.flatMap((f) =>
  readFileSync(join(data, `${f}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .map((r) => ({ text: r.text, ...(r.title ? { title: r.title } : {}), ...(typeof r.stars === 'number' ? { rating: r.stars } : {}) })),
)
for (const r of rows) analyze(r)
const us = []
for (let pass = 0; pass < 3; pass++) {
  for (const r of rows) {
    const t = process.hrtime.bigint()
    analyze(r)
    us.push(Number(process.hrtime.bigint() - t) / 1000)
  }
}
us.sort((a, b) => a - b)
const at = (q) => Math.round(us[Math.min(us.length - 1, Math.floor(us.length * q))])
console.log(`load ${loadMs.toFixed(0)} ms; first calls (es, then it, then en) ${firstCalls.map((ms) => ms.toFixed(0)).join(' / ')} ms`)
console.log(`${us.length.toLocaleString('en-US')} calls on ${rows.length.toLocaleString('en-US')} reviews after a warm-up pass: p50 ${at(0.5)} µs · p90 ${at(0.9)} µs · p99 ${at(0.99)} µs · p99.9 ${at(0.999)} µs · max ${Math.round(us.at(-1))} µs`)

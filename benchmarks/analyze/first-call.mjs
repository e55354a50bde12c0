/**
 * What a process pays before `analyze` runs at its steady rate: the time to
 * import the built package, each of the first calls (one review per
 * language, in the order given), and the mean of the next 300 calls, in fresh
 * processes (a first call builds the shared tables and its language's).
 *
 *   npm run build && node benchmarks/analyze/first-call.mjs            # 5 processes per order, medians
 *   node benchmarks/analyze/first-call.mjs --runs 9 --dist /tmp/old/dist   # another build, to compare
 *   node benchmarks/analyze/first-call.mjs --lang-option   # each call given { lang }, as a service that knows it does
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const TEXTS = {
  it: 'La consegna è arrivata in ritardo ma il prodotto funziona benissimo, lo consiglio.',
  en: 'Great blender, but support never answered my emails.',
  es: 'El envío llegó tarde y la caja estaba rota.',
}

if (process.argv[2] === '--child') {
  const started = performance.now()
  const { analyze } = await import(process.argv[3])
  const ms = [performance.now() - started]
  const withLang = process.argv[4] === 'lang'
  let id = 0
  for (const lang of process.argv.slice(5)) {
    const t = performance.now()
    analyze({ id: String(++id), text: TEXTS[lang] }, withLang ? { lang } : undefined)
    ms.push(performance.now() - t)
  }
  const t = performance.now()
  for (let i = 0; i < 300; i++) analyze({ id: String(++id), text: `${TEXTS[['it', 'en', 'es'][i % 3]]} ${i}` })
  ms.push((performance.now() - t) / 300)
  console.log(JSON.stringify(ms))
} else {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, dist: { type: 'string', default: fileURLToPath(new URL('../../dist', import.meta.url)) }, 'lang-option': { type: 'boolean', default: false } } })
  const entry = pathToFileURL(resolve(values.dist, 'index.js')).href
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  for (const order of [['es', 'it', 'en'], ['it', 'en', 'es'], ['en', 'es', 'it']]) {
    const runs = Array.from({ length: Number(values.runs) }, () => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', entry, values['lang-option'] ? 'lang' : 'none', ...order], { encoding: 'utf8' })))
    const at = (k) => median(runs.map((r) => r[k]))
    const calls = order.map((lang, k) => `first ${lang} ${at(k + 1).toFixed(0)} ms`).join(', ')
    console.log(`import ${at(0).toFixed(0)} ms, ${calls}, then ${at(order.length + 1).toFixed(3)} ms per review`)
  }
}

/**
 * Fits the per-language α of the stage-sentiment squash x / √(x² + α) so that
 * a stage holding all of a review's sentiment evidence scores about like the
 * review itself: least squares against the review score, over the first
 * ROWS rows of ../shared/data/sentiment_{en,es,it}.jsonl that carry evidence.
 * Prints the values for STAGE_SQUASH_ALPHA in src/journey/tag.ts.
 *
 *   npx tsx scripts/fit-journey-squash.ts
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { scoreSentiment } from '../src/sentiment/index.js'
import { makeDoc } from '../src/text/index.js'

const ROWS = 1000
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out: Record<string, number> = {}
for (const lang of ['es', 'it', 'en'] as const) {
  const file = path.resolve(root, `../shared/data/sentiment_${lang}.jsonl`)
  if (!existsSync(file)) throw new Error(`${file} is missing`)
  const points: [number, number][] = []
  for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(0, ROWS)) {
    const { text } = JSON.parse(line) as { text: string }
    const doc = makeDoc(text)
    const s = scoreSentiment(doc, lang, { explain: false })
    let raw = 0
    for (const v of s.body) raw += v
    if (raw !== 0) points.push([raw, s.result.score])
  }
  let best = { alpha: 1, err: Infinity }
  for (let alpha = 0.25; alpha <= 40; alpha += 0.25) {
    let err = 0
    for (const [x, y] of points) err += (x / Math.sqrt(x * x + alpha) - y) ** 2
    if (err < best.err) best = { alpha, err }
  }
  out[lang] = best.alpha
  console.log(`${lang}: alpha ${best.alpha} (rmse ${Math.sqrt(best.err / points.length).toFixed(3)} over ${points.length} rows)`)
}
console.log(JSON.stringify(out))

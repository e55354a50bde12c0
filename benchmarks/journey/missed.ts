/**
 * For finding wording the cues miss: a seeded sample of unlabelled rows
 * (never a labelled row) of at least `minWords` words where one stage did
 * NOT fire, printed whole for reading against the rubric.
 *
 *   npx tsx benchmarks/journey/missed.ts sentiment_es.jsonl discovery 40 [seed] [minWords]
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { compileTaxonomy, tagJourney } from '../../src/journey/index.js'
import { scoreSentiment } from '../../src/sentiment/index.js'
import { makeDoc } from '../../src/text/index.js'
import { DATA_DIR, loadDevRows } from './dev.js'
import { drawExtra } from './extra.js'

const [file = 'sentiment_en.jsonl', stage = 'discovery', n = '30', seed = '7', minWords = '25'] = process.argv.slice(2)
if (file.startsWith('journey')) throw new Error('journey rows are not sampled here')
// Labelled rows (journey_dev.jsonl and the second set) are never shown here.
const labelled = new Set([...(loadDevRows() ?? []).map((r) => r.id), ...(drawExtra() ?? []).map((r) => r.id)])
const rows = readFileSync(path.join(DATA_DIR, file), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; lang: 'es' | 'it' | 'en'; text: string })
  .filter((r) => !labelled.has(r.id) && r.text.split(/\s+/).length >= Number(minWords))
let s = Number(seed) >>> 0 || 1
const rand = (): number => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32
const tax = compileTaxonomy()
const order = rows.map((r, i) => [rand(), i] as const).sort((a, b) => a[0] - b[0])
let shown = 0
for (const [, i] of order) {
  const r = rows[i]!
  const doc = makeDoc(r.text)
  if (tagJourney(doc, r.lang, scoreSentiment(doc, r.lang, { explain: false }), tax).some((t) => t.stage === stage)) continue
  console.log(`\n[${shown}] ${r.text.slice(0, 700)}`)
  if (++shown >= Number(n)) break
}

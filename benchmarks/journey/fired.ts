/**
 * For reading precision by eye: a seeded sample of unlabelled rows (never a labelled row) where one stage fired, each evidence shown in its context.
 *
 *   npx tsx benchmarks/journey/fired.ts sentiment_es.jsonl discovery 15 [seed]
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { compileTaxonomy, tagJourney } from '../../src/journey/index.js'
import { scoreSentiment } from '../../src/sentiment/index.js'
import { makeDoc } from '../../src/text/index.js'
import { DATA_DIR, loadDevRows } from './dev.js'
import { drawExtra } from './extra.js'

const [file = 'sentiment_en.jsonl', stage = 'discovery', n = '15', seed = '1'] = process.argv.slice(2)
if (file.startsWith('journey')) throw new Error('journey rows are not sampled here')
// Labelled rows (journey_dev.jsonl and the second set) are never shown here.
const labelled = new Set([...(loadDevRows() ?? []).map((r) => r.id), ...(drawExtra() ?? []).map((r) => r.id)])
const rows = readFileSync(path.join(DATA_DIR, file), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; lang: 'es' | 'it' | 'en'; text: string })
  .filter((r) => !labelled.has(r.id))
let s = Number(seed) >>> 0 || 1
const rand = (): number => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32
const tax = compileTaxonomy()
let fired = 0
const order = rows.map((r, i) => [rand(), i] as const).sort((a, b) => a[0] - b[0])
for (const [, i] of order) {
  const r = rows[i]!
  const doc = makeDoc(r.text)
  const tag = tagJourney(doc, r.lang, scoreSentiment(doc, r.lang, { explain: false }), tax).find((t) => t.stage === stage)
  if (tag === undefined) continue
  const ctx = tag.spans.map((sp) => `…${r.text.slice(Math.max(0, sp.start - 50), sp.start)}[[${r.text.slice(sp.start, sp.end)}]]${r.text.slice(sp.end, sp.end + 50)}…`.replace(/\s+/g, ' '))
  console.log(`\n${tag.confidence}\n  ${ctx.join('\n  ')}`)
  if (++fired >= Number(n)) break
}
let total = 0
for (const r of rows) {
  const doc = makeDoc(r.text)
  if (tagJourney(doc, r.lang, scoreSentiment(doc, r.lang, { explain: false }), tax).some((t) => t.stage === stage)) total++
}
console.log(`\n${stage} fired on ${total} of ${rows.length} rows (${((100 * total) / rows.length).toFixed(1)}%)`)

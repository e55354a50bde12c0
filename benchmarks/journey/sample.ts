/**
 * Prints the tags of a seeded random sample of an unlabelled review corpus
 * (sentiment_*.jsonl, opspam.jsonl), for reading the tagger's output against
 * the rubric. Labelled rows are never sampled here.
 *
 *   npx tsx benchmarks/journey/sample.ts sentiment_es.jsonl 30 [seed]
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { compileTaxonomy, tagJourney } from '../../src/journey/index.js'
import { scoreSentiment } from '../../src/sentiment/index.js'
import { makeDoc } from '../../src/text/index.js'
import { DATA_DIR, loadDevRows } from './dev.js'
import { drawExtra } from './extra.js'

const [file = 'sentiment_en.jsonl', n = '30', seed = '1'] = process.argv.slice(2)
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
for (let i = 0; i < Number(n); i++) {
  const r = rows[Math.floor(rand() * rows.length)]!
  const doc = makeDoc(r.text)
  const tags = tagJourney(doc, r.lang, scoreSentiment(doc, r.lang, { explain: false }), tax)
  console.log(`\n# ${r.text.slice(0, 600)}`)
  console.log(`  => ${tags.map((t) => `${t.stage}[${t.evidence.join(' | ')}]`).join('  ')}`)
}

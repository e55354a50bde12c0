/**
 * Prints the tags of a seeded random sample of an unlabelled review corpus
 * (sentiment_*.jsonl, opspam.jsonl), for reading the tagger's output against
 * the rubric. Labelled rows are never sampled here.
 *
 *   npx tsx benchmarks/journey/sample.ts sentiment_es.jsonl 30 [seed]
 */
import { compileTaxonomy } from '../../src/journey/index.js'
import { seededRandom, tagsOf, unlabelledRows } from './unlabelled.js'

const [file = 'sentiment_en.jsonl', n = '30', seed = '1'] = process.argv.slice(2)
const rows = unlabelledRows(file)
const rand = seededRandom(seed)
const tax = compileTaxonomy()
for (let i = 0; i < Number(n); i++) {
  const r = rows[Math.floor(rand() * rows.length)]!
  const tags = tagsOf(r, tax)
  console.log(`\n# ${r.text.slice(0, 600)}`)
  console.log(`  => ${tags.map((t) => `${t.stage}[${t.evidence.join(' | ')}]`).join('  ')}`)
}

/**
 * For finding wording the cues miss: a seeded sample of unlabelled rows
 * (never a labelled row) of at least `minWords` words where one stage did
 * NOT fire, printed whole for reading against the rubric.
 *
 *   npx tsx benchmarks/journey/missed.ts sentiment_es.jsonl discovery 40 [seed] [minWords]
 */
import { compileTaxonomy } from '../../src/journey/index.js'
import { seededOrder, tagsOf, unlabelledRows } from './unlabelled.js'

const [file = 'sentiment_en.jsonl', stage = 'discovery', n = '30', seed = '7', minWords = '25'] = process.argv.slice(2)
const rows = unlabelledRows(file).filter((r) => r.text.split(/\s+/).length >= Number(minWords))
const tax = compileTaxonomy()
let shown = 0
for (const r of seededOrder(rows, seed)) {
  if (tagsOf(r, tax).some((t) => t.stage === stage)) continue
  console.log(`\n[${shown}] ${r.text.slice(0, 700)}`)
  if (++shown >= Number(n)) break
}

/**
 * For reading precision by eye: a seeded sample of unlabelled rows (never a labelled row) where one stage fired, each evidence shown in its context.
 *
 *   npx tsx benchmarks/journey/fired.ts sentiment_es.jsonl discovery 15 [seed]
 */
import { compileTaxonomy } from '../../src/journey/index.js'
import { inContext, seededOrder, tagsOf, unlabelledRows } from './unlabelled.js'

const [file = 'sentiment_en.jsonl', stage = 'discovery', n = '15', seed = '1'] = process.argv.slice(2)
const rows = unlabelledRows(file)
const tax = compileTaxonomy()
let fired = 0
for (const r of seededOrder(rows, seed)) {
  const tag = tagsOf(r, tax).find((t) => t.stage === stage)
  if (tag === undefined) continue
  console.log(`\n${tag.confidence}\n  ${inContext(r.text, tag, 50).join('\n  ')}`)
  if (++fired >= Number(n)) break
}
let total = 0
for (const r of rows) {
  if (tagsOf(r, tax).some((t) => t.stage === stage)) total++
}
console.log(`\n${stage} fired on ${total} of ${rows.length} rows (${((100 * total) / rows.length).toFixed(1)}%)`)

/**
 * Lists the disagreements of the tagger with the gold stages on half A only
 * (the half the cue lists were refined on). Half B is never printed.
 *
 *   npx tsx benchmarks/journey/errors.ts [stage]
 */
import { compileTaxonomy, tagJourney } from '../../src/journey/index.js'
import { scoreSentiment } from '../../src/sentiment/index.js'
import { makeDoc } from '../../src/text/index.js'
import { halfOf, loadDevRows, scoreSets } from './dev.js'

const rows = loadDevRows()
if (rows === null) throw new Error('no shared data')
const only = process.argv[2]
const tax = compileTaxonomy()
const a = rows.filter((r) => halfOf(r.id) === 'A')
const preds: string[][] = []
for (const r of a) {
  const doc = makeDoc(r.text)
  const tags = tagJourney(doc, r.lang, scoreSentiment(doc, r.lang, { explain: false }), tax)
  const pred = tags.map((t) => t.stage)
  preds.push(pred)
  const fp = pred.filter((s) => !r.stages.includes(s) && (only === undefined || s === only))
  const fn = r.stages.filter((s) => !pred.includes(s) && (only === undefined || s === only))
  if (fp.length + fn.length === 0) continue
  console.log(`\n[${r.id}] ${r.lang} gold=${r.stages.join(',')} FP=${fp.join(',')} FN=${fn.join(',')}`)
  console.log(`  ${r.text}`)
  for (const t of tags) console.log(`  ${t.stage} ${t.confidence}: ${t.evidence.map((e) => JSON.stringify(e)).join(' ')}`)
}
const s = scoreSets(a.map((r) => r.stages), preds, tax.stages)
console.log(`\nhalf A (${a.length} rows): micro-F1 ${s.micro.f1.toFixed(3)} macro-F1 ${s.macroF1.toFixed(3)}`)
for (const [stage, v] of Object.entries(s.perStage)) console.log(`  ${stage.padEnd(10)} P ${v.precision.toFixed(2)} R ${v.recall.toFixed(2)} F1 ${v.f1.toFixed(2)} (tp ${v.tp} fp ${v.fp} fn ${v.fn})`)

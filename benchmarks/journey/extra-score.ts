/**
 * Scores the tagger on the second development set (extra-labels.jsonl).
 * `errors` lists the disagreements on half A only (the half tuned on); half B
 * rows are never printed.
 *
 *   npx tsx benchmarks/journey/extra-score.ts [A|B|all]
 *   npx tsx benchmarks/journey/extra-score.ts errors [stage]
 */
import { compileTaxonomy, tagJourney } from '../../src/journey/index.js'
import { scoreSentiment } from '../../src/sentiment/index.js'
import { makeDoc } from '../../src/text/index.js'
import { halfOf, scoreSets } from './dev.js'
import { loadExtraRows } from './extra.js'

const rows = loadExtraRows()
if (rows === null) throw new Error('no shared data or no labels')
const tax = compileTaxonomy()
const [mode = 'A', only] = process.argv.slice(2)
const pick = mode === 'errors' ? rows.filter((r) => halfOf(r.id) === 'A') : mode === 'all' ? rows : rows.filter((r) => halfOf(r.id) === mode)
const preds: string[][] = []
for (const r of pick) {
  const doc = makeDoc(r.text)
  const tags = tagJourney(doc, r.lang, scoreSentiment(doc, r.lang, { explain: false }), tax)
  const pred = tags.map((t) => t.stage)
  preds.push(pred)
  if (mode !== 'errors') continue
  const fp = pred.filter((s) => !r.stages.includes(s) && (only === undefined || s === only))
  const fn = r.stages.filter((s) => !pred.includes(s) && (only === undefined || s === only))
  if (fp.length + fn.length === 0) continue
  console.log(`\n[${r.id}] ${r.lang} gold=${r.stages.join(',')} FP=${fp.join(',')} FN=${fn.join(',')}`)
  console.log(`  ${r.text}`)
  for (const t of tags) console.log(`  ${t.stage} ${t.confidence}: ${t.evidence.map((e) => JSON.stringify(e)).join(' ')}`)
}
const s = scoreSets(pick.map((r) => r.stages), preds, tax.stages)
console.log(`\n${mode === 'errors' ? 'A' : mode} (${pick.length} rows): micro-F1 ${s.micro.f1.toFixed(3)} (P ${s.micro.precision.toFixed(3)} R ${s.micro.recall.toFixed(3)}) macro-F1 ${s.macroF1.toFixed(3)}`)
for (const [stage, v] of Object.entries(s.perStage)) console.log(`  ${stage.padEnd(10)} P ${v.precision.toFixed(2)} R ${v.recall.toFixed(2)} F1 ${v.f1.toFixed(2)} (tp ${v.tp} fp ${v.fp} fn ${v.fn})`)

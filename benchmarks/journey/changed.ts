/**
 * For reading what a cue edit changes: saves one stage's tags on every
 * unlabelled row (never a labelled row) of the dev corpora, then lists the
 * rows where the stage appeared or disappeared since, each evidence in its
 * context.
 *
 *   npx tsx benchmarks/journey/changed.ts save /tmp/discovery.json [stage]   # before the edit
 *   npx tsx benchmarks/journey/changed.ts diff /tmp/discovery.json [stage]   # after it
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { compileTaxonomy } from '../../src/journey/index.js'
import { inContext, tagsOf, unlabelledRows } from './unlabelled.js'

const CORPORA = ['sentiment_es.jsonl', 'sentiment_it.jsonl', 'sentiment_en.jsonl', 'amazon_verified.jsonl', 'opspam.jsonl']
const [cmd, file, stage = 'discovery'] = process.argv.slice(2)
if ((cmd !== 'save' && cmd !== 'diff') || file === undefined) throw new Error('usage: changed.ts save|diff <file.json> [stage]')
const tax = compileTaxonomy()
const tagged: Record<string, string[]> = {}
let total = 0
for (const corpus of CORPORA) {
  for (const r of unlabelledRows(corpus)) {
    total++
    const tag = tagsOf(r, tax).find((t) => t.stage === stage)
    if (tag === undefined) continue
    tagged[r.id] = inContext(r.text, tag, 60).map((line) => `${line} (${tag.confidence})`)
  }
}
if (cmd === 'save') {
  writeFileSync(file, JSON.stringify(tagged))
  console.log(`${stage} on ${Object.keys(tagged).length} of ${total} unlabelled rows, saved to ${file}`)
} else {
  const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>
  let gained = 0
  let lost = 0
  for (const id of Object.keys(tagged)) if (!(id in before)) console.log(`\n+ ${id}\n  ${tagged[id]!.join('\n  ')}`, gained++)
  for (const id of Object.keys(before)) if (!(id in tagged)) console.log(`\n- ${id}\n  ${before[id]!.join('\n  ')}`, lost++)
  console.log(`\n${stage}: +${gained} -${lost} rows; now on ${Object.keys(tagged).length} of ${total} unlabelled rows`)
}

/**
 * Journey benchmark: tagging throughput on tokens already made (median of
 * RUNS runs), next to the tokenizer and a one-Map-lookup-per-token ceiling,
 * and F1 tables on the two annotated sets: journey_dev.jsonl (half B, then
 * half A, each with an always-"usage" baseline) and the second development
 * set extra-labels.jsonl (half B: not read while refining the cues, the
 * reported figure; half A: the half they were refined on).
 * Prints markdown for benchmarks/results/journey.md.
 *
 *   nice npx tsx benchmarks/journey/run.ts [--halves A] [--extra-halves B,A]
 */
import { execSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import path from 'node:path'
import { compileTaxonomy, tagJourney } from '../../src/journey/index.js'
import type { LanguageCode } from '../../src/review/index.js'
import { type SentimentAnalysis, scoreSentiment } from '../../src/sentiment/index.js'
import { type Doc, makeDoc } from '../../src/text/index.js'
import { DATA_DIR, type DevRow, type Scores, halfOf, loadDevRows, scoreSets } from './dev.js'
import { loadExtraRows } from './extra.js'

const RUNS = 7
/** Each timed run tags the corpus this many times, so a run lasts long enough to time. */
const PASSES = 3
const CORPORA = ['sentiment_en.jsonl', 'sentiment_es.jsonl', 'sentiment_it.jsonl', 'opspam.jsonl']

const halvesArg = process.argv.indexOf('--halves')
const halves = halvesArg === -1 ? ['B', 'A'] : process.argv[halvesArg + 1]!.split(',')
const extraArg = process.argv.indexOf('--extra-halves')
const extraHalves = extraArg === -1 ? ['B', 'A'] : process.argv[extraArg + 1]!.split(',')

const dev = loadDevRows()
if (dev === null) {
  console.error(`${DATA_DIR} is absent: nothing to measure`)
  process.exit(0)
}

interface Item {
  doc: Doc
  lang: LanguageCode
  sentiment: SentimentAnalysis
}

// The rows to time: every unlabelled review corpus (real reviews, three languages, hotels).
const texts: { text: string; lang: LanguageCode }[] = []
for (const file of CORPORA) {
  const p = path.join(DATA_DIR, file)
  if (!existsSync(p)) continue
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const r = JSON.parse(line) as { text: string; lang: LanguageCode }
    texts.push({ text: r.text, lang: r.lang })
  }
}
const items: Item[] = texts.map(({ text, lang }) => {
  const doc = makeDoc(text)
  return { doc, lang, sentiment: scoreSentiment(doc, lang, { explain: false }) }
})
let tokens = 0
for (const it of items) tokens += it.doc.body.tokens.length
const taxonomy = compileTaxonomy()

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
function mad(xs: number[]): number {
  const m = median(xs)
  return median(xs.map((x) => Math.abs(x - m)))
}

interface Rates {
  /** Reviews per second of process CPU time (what one core does, whatever else shares the machine). */
  cpu: number[]
  /** Reviews per second of wall-clock time. */
  wall: number[]
}

/** Reviews per second of `work` over the corpus, one entry per run. */
function time(work: () => number, passes: number): Rates {
  work() // warm up
  const rates: Rates = { cpu: [], wall: [] }
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    let sink = 0
    for (let p = 0; p < passes; p++) sink += work()
    const ms = performance.now() - t0
    const c = process.cpuUsage(c0)
    if (sink === -1) console.log(sink)
    rates.cpu.push((items.length * passes) / ((c.user + c.system) / 1e6))
    rates.wall.push((items.length * passes) / (ms / 1000))
  }
  return rates
}

const tagRates = time(() => {
  let n = 0
  for (const it of items) n += tagJourney(it.doc, it.lang, it.sentiment, taxonomy).length
  return n
}, PASSES)

// Ceiling: the least a token pass can do, one Map lookup per word token.
const lexicon = new Map<string, number>([['delivery', 1]])
const ceilingRates = time(() => {
  let n = 0
  for (const it of items) for (const t of it.doc.body.tokens) if (t.kind === 'word' && lexicon.get(t.key) !== undefined) n++
  return n
}, PASSES)

const tokenizeRates = time(() => {
  let n = 0
  for (const { text } of texts) n += makeDoc(text).body.tokens.length
  return n
}, 1)

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')
const cpu = (() => {
  try {
    return execSync("lscpu | grep 'Model name'", { encoding: 'utf8' }).replace(/Model name:\s*/, '').trim()
  } catch {
    return 'unknown'
  }
})()

console.log(`## Throughput (tagging step, tokens already made)\n`)
console.log(`${items.length.toLocaleString('en-US')} reviews (${CORPORA.join(', ')}), ${fmt(tokens / items.length)} tokens per review on average; median of ${RUNS} runs of ${PASSES} passes, ± MAD.\n`)
console.log('| step | reviews/s (CPU time) | ± | reviews/s (wall) | ± | vs tagJourney (CPU) |')
console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
const tagMedian = median(tagRates.cpu)
for (const [name, rates] of [
  ['ceiling: one Map lookup per word token', ceilingRates],
  ['**recensio tagJourney**', tagRates],
  ['makeDoc (normalize + tokenize), for scale', tokenizeRates],
] as const) {
  const cpu = median(rates.cpu)
  console.log(`| ${name} | ${fmt(cpu)} | ${fmt(mad(rates.cpu))} | ${fmt(median(rates.wall))} | ${fmt(mad(rates.wall))} | ${(cpu / tagMedian).toFixed(2)}× |`)
}

function table(title: string, rows: DevRow[], predict: (r: DevRow) => string[]): Scores {
  const s = scoreSets(
    rows.map((r) => r.stages),
    rows.map(predict),
    taxonomy.stages,
  )
  console.log(`\n### ${title} (${rows.length} rows)\n`)
  console.log(`micro-F1 **${s.micro.f1.toFixed(3)}** (P ${s.micro.precision.toFixed(3)}, R ${s.micro.recall.toFixed(3)}), macro-F1 **${s.macroF1.toFixed(3)}**\n`)
  console.log('| stage | gold | P | R | F1 |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  for (const [stage, v] of Object.entries(s.perStage)) {
    console.log(`| ${stage} | ${v.tp + v.fn} | ${v.precision.toFixed(2)} | ${v.recall.toFixed(2)} | ${v.f1.toFixed(2)} |`)
  }
  return s
}

const tagged = (r: DevRow): string[] => {
  const doc = makeDoc(r.text)
  return tagJourney(doc, r.lang, scoreSentiment(doc, r.lang, { explain: false }), taxonomy).map((t) => t.stage)
}

console.log(`\n## Accuracy on journey_dev.jsonl\n`)
console.log('Split fixed before any row was read: FNV-1a of `id`, even → half A, odd → half B.')
const names: Record<string, string> = {
  B: 'Half B: rows never read while writing the cues (scored six times, see the notes)',
  A: 'Half A: the cues were refined while reading these rows (reference only)',
}
for (const h of halves) {
  const rows = dev.filter((r) => halfOf(r.id) === h)
  table(names[h]!, rows, tagged)
  table(`Baseline on half ${h}: always "usage"`, rows, () => ['usage'])
}
const extra = loadExtraRows()
if (extra !== null) {
  console.log(`\n## Accuracy on the second development set (benchmarks/journey/extra-labels.jsonl)\n`)
  console.log('300 reviews drawn by a seeded hash from the unlabelled corpora and labelled with the rubric before the tagger was run on them; split by the same FNV-1a rule.')
  const extraNames: Record<string, string> = {
    B: 'Second set, half B: not read while refining the cues (the reported figure)',
    A: 'Second set, half A: the cues were refined while reading these rows (reference only)',
  }
  for (const h of extraHalves) {
    const rows = extra.filter((r) => halfOf(r.id) === h)
    table(extraNames[h]!, rows, tagged)
    if (h === 'B') table('Baseline on the second set, half B: always "usage"', rows, () => ['usage'])
  }
}
console.log(`\nNode ${process.version}, ${cpu}, ${new Date().toISOString().slice(0, 10)}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}.`)

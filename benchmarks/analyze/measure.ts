/**
 * What `run.ts` bundles and runs: CPU time per review of `analyze` and of
 * each part of the per-review stage, plus wink-sentiment, on the same texts in
 * the same process. Run it through `run.ts` (it bundles this file with
 * esbuild first, so the code measured is what users run, not tsx's wrappers).
 *
 * Each part is timed standalone over every text, with its inputs made
 * beforehand (tokens, language, sentiment), so its figure is its own cost;
 * `analyze` is timed end to end on `{ id, text }` rows (validation included).
 * A pass times every contender once, in a fixed order; the figure is the
 * median over passes.
 */
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyze, contextFor } from '../../src/analyze.js'
import { combineSignals, contentSignals, exactHash, fingerprint } from '../../src/authenticity/index.js'
import { tagJourney } from '../../src/journey/index.js'
import { detectLanguage } from '../../src/language/index.js'
import { type LanguageCode, type Review, resolveOptions } from '../../src/review/index.js'
import { type SentimentAnalysis, scoreSentiment } from '../../src/sentiment/index.js'
import { type Doc, makeDoc } from '../../src/text/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
function arg(name: string, fallback: string): string {
  const i = args.indexOf(name)
  return i === -1 ? fallback : args[i + 1]!
}
const root = resolve(arg('--root', resolve(here, '../..')))
const dataDir = resolve(root, arg('--data', '../shared/data'))
const passes = Number(arg('--passes', '7'))
const only = arg('--only', '')

const texts: string[] = []
for (const lang of ['en', 'es', 'it']) {
  for (const line of readFileSync(resolve(dataDir, `sentiment_${lang}.jsonl`), 'utf8').split('\n')) {
    if (line.trim() !== '') texts.push((JSON.parse(line) as { text: string }).text)
  }
}
const rows = texts.map((text, i) => ({ id: String(i), text }))

const peerRequire = createRequire(resolve(root, 'benchmarks/package.json'))
const wink = peerRequire('wink-sentiment') as (text: string) => { score: number }

const options = resolveOptions(undefined)
const ctx = contextFor(options)
const explain = { explain: false }

// Inputs of each standalone part, made once (not when only analyze runs, so a
// profile of analyze holds nothing else).
const standalone = only === '' || !'analyze'.startsWith(only)
const docs: Doc[] = standalone ? texts.map((t) => makeDoc(t)) : []
const langs: LanguageCode[] = docs.map((d) => detectLanguage(d).code)
const sentiments: SentimentAnalysis[] = docs.map((d, i) => scoreSentiment(d, langs[i]!, explain))
const reviews: Review[] = texts.map((text) => ({ text }))
const signals = docs.map((d, i) => contentSignals(d, reviews[i]!, langs[i]!, sentiments[i]!.result))

// Results are folded into a sink so no call is dead code.
let sink = 0

interface Contender {
  name: string
  run: () => void
}

const contenders: Contender[] = [
  {
    name: 'analyze (whole per-review stage)',
    run: () => {
      for (let i = 0; i < rows.length; i++) sink += analyze(rows[i]!).sentiment.score
    },
  },
  {
    name: 'validation (zod row schema)',
    run: () => {
      for (let i = 0; i < rows.length; i++) sink += ctx.validator.validate(rows[i]!, i).row
    },
  },
  {
    name: 'makeDoc (normalize + tokenize)',
    run: () => {
      for (let i = 0; i < texts.length; i++) sink += makeDoc(texts[i]!).body.tokens.length
    },
  },
  {
    name: 'language',
    run: () => {
      for (let i = 0; i < docs.length; i++) sink += detectLanguage(docs[i]!).confidence
    },
  },
  {
    name: 'sentiment',
    run: () => {
      for (let i = 0; i < docs.length; i++) sink += scoreSentiment(docs[i]!, langs[i]!, explain).result.score
    },
  },
  {
    name: 'journey',
    run: () => {
      for (let i = 0; i < docs.length; i++) sink += tagJourney(docs[i]!, langs[i]!, sentiments[i]!, ctx.taxonomy).length
    },
  },
  {
    name: 'content signals',
    run: () => {
      for (let i = 0; i < docs.length; i++) sink += contentSignals(docs[i]!, reviews[i]!, langs[i]!, sentiments[i]!.result).length
    },
  },
  {
    name: 'verdict',
    run: () => {
      for (let i = 0; i < docs.length; i++) sink += combineSignals(signals[i]!, options).fakeScore
    },
  },
  {
    name: 'fingerprint + exact hash',
    run: () => {
      for (let i = 0; i < docs.length; i++) sink += (fingerprint(docs[i]!)?.length ?? 0) + exactHash(docs[i]!)
    },
  },
  {
    name: 'wink-sentiment 5.0.2 (peer)',
    run: () => {
      for (let i = 0; i < texts.length; i++) sink += wink(texts[i]!).score
    },
  },
]

const chosen = only === '' ? contenders : contenders.filter((c) => c.name.startsWith(only))

/** CPU µs (user + system) per text of one run. */
function timeCpu(run: () => void): number {
  const before = process.cpuUsage()
  run()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / texts.length
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

// Warm-up: one untimed pass so every contender is compiled and its caches are filled.
for (const c of chosen) c.run()
const samples = new Map<string, number[]>(chosen.map((c) => [c.name, []]))
for (let p = 0; p < passes; p++) for (const c of chosen) samples.get(c.name)!.push(timeCpu(c.run))

const out = {
  texts: texts.length,
  passes,
  node: process.version,
  results: chosen.map((c) => {
    const xs = samples.get(c.name)!
    const med = median(xs)
    return { name: c.name, median: med, mad: median(xs.map((x) => Math.abs(x - med))), samples: xs }
  }),
  sink,
}
console.log(JSON.stringify(out))

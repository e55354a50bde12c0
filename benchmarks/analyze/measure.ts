/**
 * What `run.ts` bundles and runs: CPU time per review of `analyze` and of
 * each part of the per-review stage, plus wink-sentiment, on the same texts in
 * the same process. Run it through `run.ts` (it bundles this file with
 * esbuild first, so the code measured is what users run, not tsx's wrappers).
 *
 * `analyze` is timed end to end on `{ id, text }` rows (validation
 * included); each part by the difference between the stage cut after it and
 * the stage cut before it (see `stageUpTo`). A pass times every contender
 * once, in a fixed order; the figure is the median over passes. Nothing but
 * the texts is held between calls, so the garbage collector sees what it
 * sees in a batch worker.
 */
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyze, contextFor } from '../../src/analyze.js'
import { combineSignals, contentSignals, exactHash, fingerprint } from '../../src/authenticity/index.js'
import { tagJourney } from '../../src/journey/index.js'
import { detectLanguage } from '../../src/language/index.js'
import { resolveOptions } from '../../src/review/index.js'
import * as sentimentPart from '../../src/sentiment/index.js'
import * as textPart from '../../src/text/index.js'

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
const { makeDoc } = textPart
const { scoreSentiment } = sentimentPart

/**
 * The reused storage analyzeValid lends the parts (token objects, sentiment
 * contributions), so the stage cuts do what analyze does. Looked up by name:
 * a --baseline build from before they existed has neither, and then the cuts
 * allocate as its analyze did.
 */
type Reusable = { new (): object } | undefined
const PoolClass = (textPart as Record<string, unknown>).TokenPool as Reusable
const BuffersClass = (sentimentPart as Record<string, unknown>).ContributionBuffers as Reusable
const pool = PoolClass === undefined ? null : new PoolClass()
const buffers = BuffersClass === undefined ? null : new BuffersClass()
const makeStageDoc = makeDoc as (text: string, title?: string | null, reuse?: object | null) => ReturnType<typeof makeDoc>
type ScoreArgs = Parameters<typeof scoreSentiment>
const scoreStage = scoreSentiment as (doc: ScoreArgs[0], lang: ScoreArgs[1], options: ScoreArgs[2], buffers: object | null) => ReturnType<typeof scoreSentiment>

// Results are folded into a sink so no call is dead code.
let sink = 0

/**
 * The stage cut after its first `depth` parts (in the order analyzeValid runs
 * them), on every row. Nothing is kept between rows, as in a batch, so each
 * part's figure is the difference between two depths: its cost inside the
 * stage, competing for the caches with the parts around it.
 */
function stageUpTo(depth: number): void {
  for (let i = 0; i < rows.length; i++) {
    const valid = ctx.validator.validate(rows[i]!, i)
    if (!valid.ok || depth === 1) {
      sink += valid.row
      continue
    }
    const review = valid.review
    const doc = makeStageDoc(review.text, review.title, pool)
    if (depth === 2) {
      sink += doc.body.tokens.length
      continue
    }
    const lang = detectLanguage(doc).code
    if (depth === 3) {
      sink += lang.length
      continue
    }
    const sentiment = scoreStage(doc, lang, explain, buffers)
    if (depth === 4) {
      sink += sentiment.result.score
      continue
    }
    sink += tagJourney(doc, lang, sentiment, ctx.taxonomy).length
    if (depth === 5) continue
    sink += combineSignals(contentSignals(doc, review, lang, sentiment.result), options).fakeScore
    if (depth === 6) continue
    sink += (fingerprint(doc)?.length ?? 0) + exactHash(doc)
  }
}

interface Contender {
  name: string
  run: () => void
}

/** The parts in stage order; each contender runs the stage up to and including its part. */
const PARTS = [
  'validation (zod row schema)',
  'makeDoc (normalize + tokenize)',
  'language',
  'sentiment',
  'journey',
  'content signals + verdict',
  'fingerprint + exact hash',
]

const contenders: Contender[] = [
  {
    name: 'analyze',
    run: () => {
      for (let i = 0; i < rows.length; i++) sink += analyze(rows[i]!).sentiment.score
    },
  },
  ...PARTS.map((name, k) => ({ name: `stage up to ${name}`, run: () => stageUpTo(k + 1) })),
  {
    name: 'wink-sentiment',
    run: () => {
      for (let i = 0; i < texts.length; i++) sink += wink(texts[i]!).score
    },
  },
]

const chosen = only === '' ? contenders : contenders.filter((c) => c.name.startsWith(only) || c.name.includes(`up to ${only}`))

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

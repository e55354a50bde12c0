/**
 * Fit the language detector's global parameters (src/language/detect.ts) with
 * two-fold cross-validation on the dev rows of scripts/language-corpus.ts.
 *
 * Rows: sentiment_en/es/it.jsonl and amazon_verified.jsonl bodies, amazon
 * titles, and the first 1–3 words of every body; fold = fnv1a(id) & 1. For each
 * fold the grid point with the best mean accuracy on the other fold's rows is
 * picked, under the constraint that every sample in data/language/samples.json
 * (written for recensio) is answered right. The temperature is then fitted for
 * log-loss the same way. Prints the per-fold choice and its held-out figures,
 * and the figures of the defaults. Accuracy alone always prefers
 * minConfidence 0 (never `und` on a tie); the default 0.55 is a deliberate
 * choice to answer `und` on near ties, and this script shows what it costs.
 *
 * Run: `nice npx tsx scripts/fit-language.ts`
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  DEFAULT_DETECT_PARAMS,
  type DetectParams,
  decideLanguage,
  scoreProfiles,
} from '../src/language/index.js'
import { type Doc, makeDoc } from '../src/text/index.js'
import {
  BUCKETS,
  type LabelledText,
  REPO_ROOT,
  bucketOf,
  corpusAvailable,
  loadLanguageCorpus,
  wordPrefixes,
} from './language-corpus.js'

interface Case {
  lang: string
  doc: Doc
  group: string
  fold: number
  /** Profile scores, computed once (they do not depend on the decision parameters). */
  scores?: Float64Array
}

/** Own samples: every one must come out right. */
function sampleCases(): Case[] {
  const s = JSON.parse(readFileSync(resolve(REPO_ROOT, 'data/language/samples.json'), 'utf8')) as {
    es: string[]
    it: string[]
    en: string[]
    und: Record<string, string[]>
  }
  const out: Case[] = []
  for (const lang of ['es', 'it', 'en'] as const)
    for (const t of s[lang]) out.push({ lang, doc: makeDoc(t), group: 'samples', fold: -1 })
  for (const list of Object.values(s.und)) for (const t of list) out.push({ lang: 'und', doc: makeDoc(t), group: 'samples', fold: -1 })
  return out
}

function toCases(texts: LabelledText[], group: (t: LabelledText) => string): Case[] {
  return texts.map((t) => ({ lang: t.lang, doc: makeDoc(t.text), group: group(t), fold: t.fold }))
}

const GROUPS = [...BUCKETS, 'first 1 word', 'first 2 words', 'first 3 words']

function scoreAll(cases: Case[], params: DetectParams): void {
  for (const c of cases) c.scores = Float64Array.from(scoreProfiles(c.doc, params))
}

function accuracy(cases: Case[], params: DetectParams, fold: number): Map<string, number> {
  const right = new Map<string, number>()
  const total = new Map<string, number>()
  for (const c of cases) {
    if (fold >= 0 && c.fold !== fold) continue
    const ok = decideLanguage(c.scores!, params).code === c.lang
    total.set(c.group, (total.get(c.group) ?? 0) + 1)
    if (ok) right.set(c.group, (right.get(c.group) ?? 0) + 1)
  }
  const acc = new Map<string, number>()
  for (const [g, n] of total) acc.set(g, (right.get(g) ?? 0) / n)
  return acc
}

function objective(acc: Map<string, number>): number {
  let sum = 0
  for (const g of GROUPS) sum += acc.get(g) ?? 0
  return sum / GROUPS.length
}

/** Mean negative log-likelihood of the right answer, reading `confidence` as its probability. */
function logLoss(cases: Case[], params: DetectParams, fold: number): number {
  let sum = 0
  let n = 0
  for (const c of cases) {
    if (c.fold !== fold) continue
    const r = decideLanguage(c.scores!, params)
    if (r.code === 'und') continue
    const p = Math.min(Math.max(r.code === c.lang ? r.confidence : 1 - r.confidence, 1e-4), 1 - 1e-4)
    sum -= Math.log(p)
    n++
  }
  return sum / n
}

function format(acc: Map<string, number>): string {
  return GROUPS.map((g) => `${g} ${((acc.get(g) ?? 0) * 100).toFixed(2)}%`).join(' | ')
}

function main(): void {
  if (!corpusAvailable()) {
    console.error('fit-language: ../shared/data is absent; nothing to fit.')
    process.exit(2)
  }
  const corpus = loadLanguageCorpus()
  const cases = [
    ...toCases(corpus, (t) => bucketOf(t.text)),
    ...toCases(wordPrefixes(corpus, 1), () => 'first 1 word'),
    ...toCases(wordPrefixes(corpus, 2), () => 'first 2 words'),
    ...toCases(wordPrefixes(corpus, 3), () => 'first 3 words'),
  ]
  const samples = sampleCases()
  const grid: DetectParams[] = []
  for (const wordBonus of [0, 50, 100, 150, 200])
    for (const otherPrior of [0, 100, 200, 300, 400])
      for (const minConfidence of [0, 0.45, 0.5, 0.55])
        grid.push({ ...DEFAULT_DETECT_PARAMS, wordBonus, otherPrior, minConfidence })

  // Scores depend on wordBonus only (priors and thresholds are applied in the decision).
  const byBonus = new Map<number, DetectParams[]>()
  for (const p of grid) byBonus.set(p.wordBonus, [...(byBonus.get(p.wordBonus) ?? []), p])
  const results: { params: DetectParams; acc: [Map<string, number>, Map<string, number>]; samplesOk: boolean }[] = []
  for (const [, points] of byBonus) {
    scoreAll(cases, points[0]!)
    scoreAll(samples, points[0]!)
    for (const params of points) {
      const samplesOk = samples.every((c) => decideLanguage(c.scores!, params).code === c.lang)
      results.push({ params, acc: [accuracy(cases, params, 0), accuracy(cases, params, 1)], samplesOk })
    }
  }
  const describe = (p: DetectParams) =>
    `wordBonus ${p.wordBonus}, otherPrior ${p.otherPrior}, minConfidence ${p.minConfidence}`
  for (const fit of [0, 1]) {
    const held = 1 - fit
    const allowed = results.filter((r) => r.samplesOk)
    allowed.sort((a, b) => objective(b.acc[fit]!) - objective(a.acc[fit]!))
    const pick = allowed[0]!
    console.log(`fit on fold ${fit}: ${describe(pick.params)}`)
    console.log(`  fold ${fit} (fitted):   ${format(pick.acc[fit]!)}`)
    console.log(`  fold ${held} (held out): ${format(pick.acc[held]!)}`)
    // Temperature for calibration, at the picked point.
    scoreAll(cases, pick.params)
    let bestT = 0
    let bestLoss = Infinity
    for (const temperature of [20, 30, 40, 50, 60, 80, 100, 130]) {
      const loss = logLoss(cases, { ...pick.params, temperature }, fit)
      if (loss < bestLoss) {
        bestLoss = loss
        bestT = temperature
      }
    }
    const heldLoss = logLoss(cases, { ...pick.params, temperature: bestT }, held)
    console.log(`  temperature ${bestT}: log-loss fold ${fit} ${bestLoss.toFixed(4)}, fold ${held} ${heldLoss.toFixed(4)}`)
  }
  const failing = results.filter((r) => !r.samplesOk).length
  console.log(`${failing} of ${results.length} grid points miss an own sample (excluded).`)
  const current = results.find(
    (r) =>
      r.params.wordBonus === DEFAULT_DETECT_PARAMS.wordBonus &&
      r.params.otherPrior === DEFAULT_DETECT_PARAMS.otherPrior &&
      r.params.minConfidence === DEFAULT_DETECT_PARAMS.minConfidence,
  )
  if (current !== undefined) {
    console.log(`defaults (${describe(current.params)}), samples ${current.samplesOk ? 'all right' : 'NOT all right'}:`)
    console.log(`  fold 0: ${format(current.acc[0])}`)
    console.log(`  fold 1: ${format(current.acc[1])}`)
  }
}

main()

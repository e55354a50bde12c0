/**
 * Fit the generated_text style models: L2-regularized logistic regression over
 * the style features of src/authenticity/style.ts (global parameters, one
 * weight per feature), on the dev files
 *   - ../shared/data/fake_generated.jsonl: machine-generated (CG) vs original (OR) → "machine"
 *   - ../shared/data/opspam.jsonl: crowd-written deceptive vs truthful hotel reviews → "fabricated"
 * Reports k-fold cross-validated ROC AUC (fake_generated: 5 folds by a hash of
 * the id; opspam: its own folds 1–3, which are hotel-disjoint), then fits on
 * all rows and writes src/authenticity/generated/style-models.ts.
 *
 *   npx tsx scripts/fit-generated.ts            # fit and write
 *   npx tsx scripts/fit-generated.ts --cv-only  # report only
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STYLE_FEATURES, type StyleModel, styleFeatures, styleProbability } from '../src/authenticity/style.js'
import { scoreSentiment } from '../src/sentiment/index.js'
import { type Doc, makeDoc } from '../src/text/index.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DATA = resolve(ROOT, '../shared/data')
const OUT = resolve(ROOT, 'src/authenticity/generated/style-models.ts')

/** L2 penalty on standardized weights (chosen by the cross-validated AUC below among 0.1–400). */
const LAMBDA = 30
const FOLDS_GENERATED = 5

interface Example {
  id: string
  x: Float64Array
  y: number
  fold: number
}

function fnv(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Style features with the sentiment score recensio gives the text (as at run time). */
function featuresOf(text: string): Float64Array {
  const doc: Doc = makeDoc(text)
  return styleFeatures(doc, scoreSentiment(doc, 'en', { explain: false }).result.score)
}

function load(stem: string): Record<string, unknown>[] {
  return readFileSync(resolve(DATA, `${stem}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

/** Examples of the machine set (fake_generated) and the fabricated set (opspam). */
export function loadSets(): { machine: Example[]; fabricated: Example[] } {
  const machine = load('fake_generated').map((r) => ({
    id: String(r.id),
    x: featuresOf(String(r.text)),
    y: r.fake === true ? 1 : 0,
    fold: fnv(String(r.id)) % FOLDS_GENERATED,
  }))
  const fabricated = load('opspam').map((r) => ({
    id: String(r.id),
    x: featuresOf(String(r.text)),
    y: r.deceptive === true ? 1 : 0,
    fold: Number(r.fold) - 1,
  }))
  return { machine, fabricated }
}

function solve(A: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length
  const M = A.map((row, i) => {
    const r = new Float64Array(n + 1)
    r.set(row)
    r[n] = b[i]!
    return r
  })
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r
    ;[M[c], M[p]] = [M[p]!, M[c]!]
    const piv = M[c]![c]!
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = M[r]![c]! / piv
      if (f === 0) continue
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!
    }
  }
  return Float64Array.from(M.map((row, i) => row[n]! / row[i]!))
}

/** Fit a logistic model (Newton's method, L2 on the standardized weights). */
export function fitLogistic(train: Example[], lambda = LAMBDA): StyleModel {
  const d = STYLE_FEATURES.length
  const mean = new Array<number>(d).fill(0)
  const scale = new Array<number>(d).fill(0)
  for (const e of train) for (let i = 0; i < d; i++) mean[i]! += e.x[i]! / train.length
  for (const e of train) for (let i = 0; i < d; i++) scale[i]! += (e.x[i]! - mean[i]!) ** 2 / train.length
  for (let i = 0; i < d; i++) scale[i] = Math.sqrt(scale[i]!) || 1
  const X = train.map((e) => {
    const z = new Float64Array(d + 1)
    for (let i = 0; i < d; i++) z[i] = (e.x[i]! - mean[i]!) / scale[i]!
    z[d] = 1
    return z
  })
  const w = new Float64Array(d + 1)
  for (let iter = 0; iter < 30; iter++) {
    const g = new Float64Array(d + 1)
    const H = Array.from({ length: d + 1 }, () => new Float64Array(d + 1))
    X.forEach((z, n) => {
      let s = 0
      for (let i = 0; i <= d; i++) s += w[i]! * z[i]!
      const p = 1 / (1 + Math.exp(-s))
      const r = p - train[n]!.y
      const v = p * (1 - p)
      for (let i = 0; i <= d; i++) {
        g[i]! += r * z[i]!
        const vi = v * z[i]!
        for (let j = i; j <= d; j++) H[i]![j]! += vi * z[j]!
      }
    })
    for (let i = 0; i <= d; i++) {
      for (let j = 0; j < i; j++) H[i]![j] = H[j]![i]!
      if (i < d) {
        g[i]! += lambda * w[i]!
        H[i]![i]! += lambda
      } else H[i]![i]! += 1e-6
    }
    const step = solve(H, g)
    let moved = 0
    for (let i = 0; i <= d; i++) {
      w[i]! -= step[i]!
      moved = Math.max(moved, Math.abs(step[i]!))
    }
    if (moved < 1e-7) break
  }
  const round = (x: number) => Number(x.toPrecision(6))
  return { mean: mean.map(round), scale: scale.map(round), weights: Array.from(w.subarray(0, d), round), bias: round(w[d]!) }
}

/** ROC AUC (ties count half). */
export function auc(scores: number[], labels: number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!)
  let rankSum = 0
  let pos = 0
  for (let i = 0; i < idx.length; ) {
    let j = i
    while (j < idx.length && scores[idx[j]!] === scores[idx[i]!]) j++
    for (let k = i; k < j; k++) if (labels[idx[k]!] === 1) rankSum += (i + j + 1) / 2
    i = j
  }
  for (const y of labels) pos += y
  const neg = labels.length - pos
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg)
}

/** Cross-validated AUC: out-of-fold probabilities of every row. */
export function crossValidate(set: Example[], lambda = LAMBDA): { auc: number; perFold: number[] } {
  const folds = [...new Set(set.map((e) => e.fold))].sort((a, b) => a - b)
  const scores = new Array<number>(set.length)
  const perFold: number[] = []
  for (const f of folds) {
    const model = fitLogistic(
      set.filter((e) => e.fold !== f),
      lambda,
    )
    const test = set.map((e, i) => [e, i] as const).filter(([e]) => e.fold === f)
    for (const [e, i] of test) scores[i] = styleProbability(e.x, model)
    perFold.push(
      auc(
        test.map(([, i]) => scores[i]!),
        test.map(([e]) => e.y),
      ),
    )
  }
  return { auc: auc(scores, set.map((e) => e.y)), perFold }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(resolve(DATA, 'fake_generated.jsonl'))) {
    console.log('skipped: ../shared/data is absent')
    process.exit(0)
  }
  const { machine, fabricated } = loadSets()
  const cvM = crossValidate(machine)
  const cvF = crossValidate(fabricated)
  console.log(`machine (fake_generated, ${machine.length} rows, ${FOLDS_GENERATED}-fold): AUC ${cvM.auc.toFixed(4)}  folds ${cvM.perFold.map((a) => a.toFixed(3)).join(' ')}`)
  console.log(`fabricated (opspam, ${fabricated.length} rows, folds 1–3): AUC ${cvF.auc.toFixed(4)}  folds ${cvF.perFold.map((a) => a.toFixed(3)).join(' ')}`)
  if (process.argv.includes('--cv-only')) process.exit(0)
  const models = { machine: fitLogistic(machine), fabricated: fitLogistic(fabricated) }
  const src = [
    '// generated by scripts/fit-generated.ts, do not edit',
    `// Fitted on all rows of ../shared/data/fake_generated.jsonl (${machine.length}, machine) and`,
    `// ../shared/data/opspam.jsonl (${fabricated.length}, fabricated); L2 = ${LAMBDA} on standardized weights.`,
    `// Cross-validated ROC AUC: machine ${cvM.auc.toFixed(4)} (${FOLDS_GENERATED}-fold by id hash),`,
    `// fabricated ${cvF.auc.toFixed(4)} (the corpus's hotel-disjoint folds 1–3).`,
    "import type { StyleModel } from '../style.js'",
    '',
    `/** Feature names the weights follow (a test checks they match STYLE_FEATURES). */`,
    `export const FEATURES: string[] = ${JSON.stringify(STYLE_FEATURES)}`,
    '',
    '/** Machine-generated (GPT-2) vs original Amazon reviews. */',
    `export const MACHINE: StyleModel = ${JSON.stringify(models.machine)}`,
    '',
    '/** Crowd-written deceptive vs truthful hotel reviews. */',
    `export const FABRICATED: StyleModel = ${JSON.stringify(models.fabricated)}`,
    '',
    `/** Cross-validated ROC AUC of each model on its dev file. */`,
    `export const CV_AUC = { machine: ${cvM.auc.toFixed(4)}, fabricated: ${cvF.auc.toFixed(4)} }`,
    '',
  ].join('\n')
  writeFileSync(OUT, src)
  console.log(`wrote ${OUT}`)
}

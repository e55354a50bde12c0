/**
 * The annotated journey rows (../shared/data/journey_dev.jsonl, read at run
 * time, never shipped), their fixed split into half A (cues refined while
 * looking at it) and half B (untouched, the reported figure), and the F1
 * arithmetic shared by the benchmark and the accuracy test.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fnv1a } from '../../src/text/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
/** Where the shared dev data lives (next to the repository). */
export const DATA_DIR = path.resolve(here, '../..', '../shared/data')
/** The annotated rows. */
export const DEV_FILE = path.join(DATA_DIR, 'journey_dev.jsonl')

export interface DevRow {
  id: string
  lang: 'es' | 'it' | 'en'
  text: string
  rating: number | null
  stages: string[]
}

/** Half of a row, fixed before any row was read: FNV-1a of the id, even → A, odd → B. */
export function halfOf(id: string): 'A' | 'B' {
  return fnv1a(id) % 2 === 0 ? 'A' : 'B'
}

/** The dev rows, or null when the shared data folder is absent. */
export function loadDevRows(): DevRow[] | null {
  if (!existsSync(DEV_FILE)) return null
  return readFileSync(DEV_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as DevRow)
}

export interface StageScore {
  tp: number
  fp: number
  fn: number
  precision: number
  recall: number
  f1: number
}

export interface Scores {
  rows: number
  micro: StageScore
  macroF1: number
  perStage: Record<string, StageScore>
}

function score(tp: number, fp: number, fn: number): StageScore {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp)
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { tp, fp, fn, precision, recall, f1 }
}

/** Micro and macro F1 of predicted stage sets against gold ones, over the given stages. */
export function scoreSets(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[], stages: readonly string[]): Scores {
  const counts = new Map(stages.map((s) => [s, { tp: 0, fp: 0, fn: 0 }]))
  gold.forEach((g, i) => {
    const p = predicted[i]!
    for (const s of stages) {
      const c = counts.get(s)!
      const inG = g.includes(s)
      const inP = p.includes(s)
      if (inG && inP) c.tp++
      else if (inP) c.fp++
      else if (inG) c.fn++
    }
  })
  let tp = 0
  let fp = 0
  let fn = 0
  const perStage: Record<string, StageScore> = {}
  for (const [s, c] of counts) {
    perStage[s] = score(c.tp, c.fp, c.fn)
    tp += c.tp
    fp += c.fp
    fn += c.fn
  }
  const macroF1 = stages.reduce((a, s) => a + perStage[s]!.f1, 0) / stages.length
  return { rows: gold.length, micro: score(tp, fp, fn), macroF1, perStage }
}

/**
 * The dev corpora, read at run time from ../shared/data (never shipped), and a
 * seeded random source for the injection benchmark.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** The dev corpora; RECENSIO_DATA_DIR overrides it for a bundled copy of a benchmark run from elsewhere. */
export const DATA_DIR = process.env.RECENSIO_DATA_DIR ?? resolve(REPO_ROOT, '../shared/data')

/** One row of a dev corpus (the fields each file has, all optional but id/lang/text). */
export interface DevRow {
  id: string
  lang: string
  text: string
  title?: string
  stars?: number | null
  date?: string
  user?: string
  product?: string
  verified?: boolean
  fake?: boolean
  deceptive?: boolean
  fold?: number
  polarity?: string
  hotel?: string
}

/** True when the dev corpora are present. */
export function hasDevData(): boolean {
  return existsSync(resolve(DATA_DIR, 'amazon_verified.jsonl'))
}

/** Read one dev corpus by file stem ("opspam"). */
export function readCorpus(stem: string): DevRow[] {
  const text = readFileSync(resolve(DATA_DIR, `${stem}.jsonl`), 'utf8')
  const out: DevRow[] = []
  for (const line of text.split('\n')) if (line.trim() !== '') out.push(JSON.parse(line) as DevRow)
  return out
}

/** Texts of every dev corpus except journey_dev (whose rows repeat the others). */
export const TEXT_CORPORA = ['sentiment_en', 'sentiment_es', 'sentiment_it', 'fake_generated', 'opspam', 'amazon_verified']

/** Mulberry32: a small seeded generator, so every benchmark run injects the same rows. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** ROC AUC of scores for positives vs negatives (ties count half). */
export function rocAuc(pos: number[], neg: number[]): number {
  const all = [...pos.map((s) => ({ s, p: 1 })), ...neg.map((s) => ({ s, p: 0 }))].sort((a, b) => a.s - b.s)
  let rankSum = 0
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j < all.length && all[j]!.s === all[i]!.s) j++
    const avg = (i + j + 1) / 2
    for (let k = i; k < j; k++) if (all[k]!.p === 1) rankSum += avg
    i = j
  }
  const np = pos.length
  const nn = neg.length
  return (rankSum - (np * (np + 1)) / 2) / (np * nn)
}

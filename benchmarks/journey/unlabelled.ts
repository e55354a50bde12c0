/**
 * Unlabelled corpus rows for reading the tagger's output against the rubric
 * (sample.ts, fired.ts, missed.ts): labelled rows (journey_dev.jsonl and the
 * second set) are never among them.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { type CompiledTaxonomy, tagJourney } from '../../src/journey/index.js'
import type { JourneyTag } from '../../src/review/types.js'
import { scoreSentiment } from '../../src/sentiment/index.js'
import { makeDoc } from '../../src/text/index.js'
import { DATA_DIR, loadDevRows } from './dev.js'
import { drawExtra } from './extra.js'

export interface CorpusRow {
  id: string
  lang: 'es' | 'it' | 'en'
  text: string
}

/** The rows of a corpus file under ../shared/data that no journey label covers. */
export function unlabelledRows(file: string): CorpusRow[] {
  if (file.startsWith('journey')) throw new Error('journey rows are not sampled here')
  const labelled = new Set([...(loadDevRows() ?? []).map((r) => r.id), ...(drawExtra() ?? []).map((r) => r.id)])
  return readFileSync(path.join(DATA_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CorpusRow)
    .filter((r) => !labelled.has(r.id))
}

/** A seeded generator of numbers in [0, 1). */
export function seededRandom(seed: string): () => number {
  let s = Number(seed) >>> 0 || 1
  return () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32
}

/** The rows in a seeded random order (each reading of a stage walks its own). */
export function seededOrder<T>(rows: readonly T[], seed: string): T[] {
  const rand = seededRandom(seed)
  return rows
    .map((r, i) => [rand(), i] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, i]) => rows[i]!)
}

/** Each span of a tag's evidence with `width` characters of text either side, on one line. */
export function inContext(text: string, tag: JourneyTag, width: number): string[] {
  return tag.spans.map((sp) => `…${text.slice(Math.max(0, sp.start - width), sp.start)}[[${text.slice(sp.start, sp.end)}]]${text.slice(sp.end, sp.end + width)}…`.replace(/\s+/g, ' '))
}

/** The journey tags of a row, as the pipeline gives them. */
export function tagsOf(r: CorpusRow, tax: CompiledTaxonomy): JourneyTag[] {
  const doc = makeDoc(r.text)
  return tagJourney(doc, r.lang, scoreSentiment(doc, r.lang, { explain: false }), tax)
}

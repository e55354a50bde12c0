/**
 * The near-duplicate benchmark set: every dev text plus injected edited copies,
 * with exact all-pairs word-3-gram Jaccard as ground truth.
 */
import { makeDoc } from '../../src/text/index.js'
import { FINGERPRINT_MIN_WORDS, shinglesOf } from '../../src/authenticity/fingerprint.js'
import { type DevRow, TEXT_CORPORA, readCorpus, seededRandom } from './corpus.js'
import { type EditKind, type EditLevel, editedCopy } from './inject.js'

export interface DupText {
  id: string
  lang: string
  text: string
  /** For injected copies: the index of the source text and the edits made. */
  source?: number
  level?: EditLevel
  edits?: EditKind[]
}

/** Share of injected copies per edit level. */
const LEVELS: [EditLevel, number][] = [
  ['exact', 0.1],
  ['light', 0.3],
  ['medium', 0.3],
  ['hard', 0.3],
]

/** Dev texts plus `copies` injected edited copies of random dev texts (seeded). */
export function duplicateSet(copies: number, seed = 7): DupText[] {
  const rng = seededRandom(seed)
  const texts: DupText[] = []
  for (const stem of TEXT_CORPORA) for (const r of readCorpus(stem) as DevRow[]) texts.push({ id: r.id, lang: r.lang, text: r.text })
  const originals = texts.length
  for (let c = 0; c < copies; c++) {
    let src: number
    do src = Math.floor(rng() * originals)
    while (texts[src]!.text.split(/\s+/).length < 8)
    let u = rng()
    let level: EditLevel = 'hard'
    for (const [l, p] of LEVELS) {
      if (u < p) {
        level = l
        break
      }
      u -= p
    }
    const s = texts[src]!
    const copy = level === 'hard' ? hardCopy(s.text, s.lang, rng) : editedCopy(s.text, s.lang, rng, level)
    texts.push({ id: `copy-${c}`, lang: s.lang, text: copy.text, source: src, level, edits: copy.edits })
  }
  return texts
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  const s = new Set(a)
  let n = 0
  for (const x of b) if (s.has(x)) n++
  return n / (a.length + b.length - n)
}

/**
 * A copy edited until its word-3-gram Jaccard with the source falls below a
 * target drawn uniformly from 0.5–0.8, never below 0.5 (the "edited
 * harder" copies).
 */
export function hardCopy(text: string, lang: string, rng: () => number): { text: string; edits: EditKind[] } {
  const base = shinglesOf(makeDoc(text))
  const target = 0.5 + 0.3 * rng()
  let cur = text
  const edits: EditKind[] = []
  for (let attempt = 0; attempt < 40; attempt++) {
    const next = editedCopy(cur, lang, rng, 'light')
    const j = jaccard(base, shinglesOf(makeDoc(next.text)))
    if (j < 0.5) continue
    cur = next.text
    edits.push(...next.edits)
    if (j < target) break
  }
  return { text: cur, edits }
}

/** Distinct word-3-gram shingle sets, or null for texts under FINGERPRINT_MIN_WORDS words. */
export function shingleSets(texts: DupText[]): (Uint32Array | null)[] {
  return texts.map((t) => {
    const doc = makeDoc(t.text)
    let words = 0
    for (const tok of doc.body.tokens) if (tok.kind === 'word' || tok.kind === 'number') words++
    return words < FINGERPRINT_MIN_WORDS ? null : shinglesOf(doc)
  })
}

/**
 * Exact all-pairs Jaccard ≥ `floor` over shingle sets (inverted index with a
 * per-document intersection counter). Returns pairs i < j with their Jaccard.
 */
export function exactPairs(sets: (Uint32Array | null)[], floor: number): { i: number; j: number; jaccard: number }[] {
  const postings = new Map<number, number[]>()
  sets.forEach((s, i) => {
    if (s === null) return
    for (const h of s) {
      let list = postings.get(h)
      if (list === undefined) postings.set(h, (list = []))
      list.push(i)
    }
  })
  const counts = new Int32Array(sets.length)
  const touched: number[] = []
  const out: { i: number; j: number; jaccard: number }[] = []
  for (let i = 0; i < sets.length; i++) {
    const s = sets[i]
    if (s === null) continue
    for (const h of s) {
      for (const j of postings.get(h)!) {
        if (j <= i) continue
        if (counts[j] === 0) touched.push(j)
        counts[j]++
      }
    }
    for (const j of touched) {
      const inter = counts[j]!
      const jac = inter / (s.length + sets[j]!.length - inter)
      if (jac >= floor) out.push({ i, j, jaccard: jac })
      counts[j] = 0
    }
    touched.length = 0
  }
  return out
}

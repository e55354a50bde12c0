/**
 * Multi-label journey tagging over the shared tokens: leftmost-longest cue
 * matches per field, a noisy-OR of cue weights per stage against its
 * threshold, evidence as exact input substrings, and each stage's sentiment
 * from the clauses that carry its cues.
 */
import type { JourneyTag, LanguageCode, Span } from '../review/index.js'
import { type SentimentAnalysis, labelOf } from '../sentiment/index.js'
import { type Doc, type FieldText, spanOf } from '../text/index.js'
import { CONTRAST, type Matcher, type WordInfo, longestAt, matchedNodes } from './matcher.js'
import type { CompiledTaxonomy } from './taxonomy.js'

export type { CompiledTaxonomy } from './taxonomy.js'
export { compileTaxonomy } from './taxonomy.js'

/**
 * Squashes a stage's summed token contributions into [-1, 1]: x / √(x² + α),
 * the VADER normalization, so one mildly positive word gives about 0.25 and
 * three strong ones saturate near 0.9.
 */
export const STAGE_SQUASH_ALPHA = 15
/** Evidence strings kept per stage, at most. */
export const MAX_EVIDENCE = 6

// Per-call scratch, reused (one tagging runs at a time per thread).
let infos: WordInfo[] = []
let boundary = new Uint8Array(256)
let conf = new Float64Array(8)
let raw = new Float64Array(8)
// Matches: stage, field (0 body, 1 title), first token, last token, clause start.
let mStage = new Int32Array(64)
let mField = new Uint8Array(64)
let mFrom = new Int32Array(64)
let mTo = new Int32Array(64)
let mClause = new Int32Array(64)
let count = 0
// Number of the current tagging call, stamped on the cues it counts.
let call = 0

function growMatches(): void {
  const n = mStage.length * 2
  const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const b = make(n)
    b.set(a)
    return b
  }
  mStage = grow(mStage, (k) => new Int32Array(k))
  mField = grow(mField, (k) => new Uint8Array(k))
  mFrom = grow(mFrom, (k) => new Int32Array(k))
  mTo = grow(mTo, (k) => new Int32Array(k))
  mClause = grow(mClause, (k) => new Int32Array(k))
}

function scanField(field: FieldText, fieldId: number, matcher: Matcher, contributions: Float32Array | null): void {
  const tokens = field.tokens
  const n = tokens.length
  if (n === 0) return
  if (boundary.length < n) boundary = new Uint8Array(n * 2)
  if (infos.length < n) infos.length = n
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!
    infos[i] = matcher.infoOf(t)
    boundary[i] = t.kind === 'punct' ? 1 : 0
  }
  const first = count
  const root = matcher.root
  for (let i = 0; i < n; ) {
    if (infos[i]!.ids.length === 0) {
      i++
      continue
    }
    const end = longestAt(tokens, infos, i, root)
    if (end < 0) {
      i++
      continue
    }
    const here = count
    for (const node of matchedNodes()) {
      const fresh = node.stamp !== call
      node.stamp = call
      for (const out of node.out!) {
        if (out.stage === CONTRAST) boundary[i] = 1
        if (out.stage < 0 || sameStage(here, out.stage)) continue
        if (count === mStage.length) growMatches()
        mStage[count] = out.stage
        mField[count] = fieldId
        mFrom[count] = i
        mTo[count] = end
        count++
        if (fresh) conf[out.stage] = 1 - (1 - conf[out.stage]!) * (1 - out.weight)
      }
    }
    i = end + 1
  }
  // Each stage's sentiment: the contributions of the clauses that carry its cues, each clause once.
  for (let k = first; k < count; k++) {
    let start = mFrom[k]!
    while (start > 0 && boundary[start - 1] === 0) start--
    mClause[k] = start
    if (contributions === null) continue
    let seen = false
    for (let j = first; j < k; j++) {
      if (mStage[j] === mStage[k] && mClause[j] === start) {
        seen = true
        break
      }
    }
    if (seen) continue
    let end = mTo[k]!
    while (end + 1 < n && boundary[end + 1] === 0) end++
    let sum = 0
    const top = Math.min(end + 1, contributions.length)
    for (let j = start; j < top; j++) sum += contributions[j]!
    raw[mStage[k]!] += sum
  }
}

/** Whether a match from `from` on already tagged `stage` (two cues of one stage on the same words count once). */
function sameStage(from: number, stage: number): boolean {
  for (let k = from; k < count; k++) if (mStage[k] === stage) return true
  return false
}

/** Squash a raw stage score into [-1, 1]. */
function squash(x: number): number {
  return x === 0 ? 0 : x / Math.sqrt(x * x + STAGE_SQUASH_ALPHA)
}

/**
 * Journey stages a review talks about, each with its evidence and the sentiment of its clauses.
 *
 * @param doc The review's tokens (body and title).
 * @param lang The review language (`und` matches every language's cues).
 * @param sentiment The sentiment analysis, for each token's contribution.
 * @param taxonomy From `compileTaxonomy`.
 * @returns One tag per stage whose confidence reaches its threshold, in taxonomy order.
 */
export function tagJourney(doc: Doc, lang: LanguageCode, sentiment: SentimentAnalysis, taxonomy: CompiledTaxonomy): JourneyTag[] {
  const matcher = taxonomy.matcherFor(lang)
  const stages = taxonomy.stages.length
  if (conf.length < stages) {
    conf = new Float64Array(stages)
    raw = new Float64Array(stages)
  } else {
    conf.fill(0, 0, stages)
    raw.fill(0, 0, stages)
  }
  count = 0
  call = (call + 1) | 0 || 1
  if (doc.title !== null) scanField(doc.title, 1, matcher, sentiment.title)
  scanField(doc.body, 0, matcher, sentiment.body)
  if (count === 0) return []

  const tags: JourneyTag[] = []
  const thresholds = taxonomy.thresholds
  for (let s = 0; s < stages; s++) {
    const c = conf[s]!
    if (c === 0 || c < thresholds[s]!) continue
    const evidence: string[] = []
    const spans: Span[] = []
    for (let k = 0; k < count && evidence.length < MAX_EVIDENCE; k++) {
      if (mStage[k] !== s) continue
      const field = mField[k] === 1 ? doc.title! : doc.body
      const span = spanOf(field, field.tokens[mFrom[k]!]!, field.tokens[mTo[k]!]!)
      const name = mField[k] === 1 ? 'title' : 'text'
      if (spans.some((p) => p.field === name && p.start === span.start && p.end === span.end)) continue
      evidence.push(span.text)
      spans.push({ field: name, start: span.start, end: span.end })
    }
    const score = Math.round(squash(raw[s]!) * 1000) / 1000
    tags.push({
      stage: taxonomy.stages[s]!,
      confidence: Math.round(c * 100) / 100,
      evidence,
      spans,
      sentiment: { score, label: labelOf(score) },
    })
  }
  return tags
}

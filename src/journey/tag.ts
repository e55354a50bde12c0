/**
 * Multi-label journey tagging over the shared tokens: leftmost-longest cue
 * matches per field, a noisy-OR of cue weights per stage against its
 * threshold, evidence as exact input substrings, and each stage's sentiment
 * from the clauses that carry its cues.
 */
import type { JourneyTag, LanguageCode, Span } from '../review/index.js'
import { type SentimentAnalysis, labelOf } from '../sentiment/index.js'
import { type Doc, type FieldText, spanOf } from '../text/index.js'
import { CONTRAST, type Matcher, type Node, type WordInfo, longestAt, matchedCount, matchedNode } from './matcher.js'
import type { CompiledTaxonomy } from './taxonomy.js'

export type { CompiledTaxonomy } from './taxonomy.js'
export { compileTaxonomy } from './taxonomy.js'

/**
 * α of the stage-sentiment squash x / √(x² + α), per review language: fitted
 * by scripts/fit-journey-squash.ts so that a stage holding all of a review's
 * sentiment evidence scores about like the review (least squares against the
 * review score on the first 1,000 rows of sentiment_{es,it,en}.jsonl; `und`
 * takes their middle value).
 */
export const STAGE_SQUASH_ALPHA: Readonly<Record<LanguageCode, number>> = { es: 9.75, it: 8.5, en: 11, und: 9.75 }
/** Evidence strings kept per stage, at most. */
export const MAX_EVIDENCE = 6
/**
 * Context rule: a weak cue (generic praise, "product", "bought") right next to
 * a strong cue of a stage that claims praise belongs to that stage's topic
 * ("terrible customer service", "consegna veloce"), so it neither tags its own
 * stage nor lends it the clause's sentiment. Weak: weight at most this.
 */
export const WEAK_CUE_WEIGHT = 0.35
/** Weight from which a cue claims the weak cues next to it. */
export const STRONG_CUE_WEIGHT = 0.6
/** Tokens allowed between a weak cue and the strong cue that claims it ("service was terrible"). */
export const CLAIM_GAP = 1

// Per-call scratch, reused (one tagging runs at a time per thread).
let infos: WordInfo[] = []
const NO_INFO: WordInfo = { ids: [], flags: 0, leaf: null, starts: null }
let boundary = new Uint8Array(256)
let starts = new Int32Array(256)
let conf = new Float64Array(8)
let claimsOf: Uint8Array = new Uint8Array(0)
// Per stage, the last clause whose sentiment it took (see `clauseMark`).
let stageMarks = new Int32Array(8)
let clauseMark = 0
let raw = new Float64Array(8)
// Matches: stage, weight, field (0 body, 1 title), first and last token, clause
// start, whether the context rule dropped it, and the cue's trie node.
let mStage = new Int32Array(64)
let mWeight = new Float64Array(64)
let mField = new Uint8Array(64)
let mFrom = new Int32Array(64)
let mTo = new Int32Array(64)
let mClause = new Int32Array(64)
let mDrop = new Uint8Array(64)
const mNode: Node[] = []
let count = 0
// Number of the current tagging call, stamped on the cues it counts.
let call = 0

function growMatches(): void {
  const n = mStage.length * 2
  const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, b: T): T => {
    b.set(a)
    return b
  }
  mStage = grow(mStage, new Int32Array(n))
  mWeight = grow(mWeight, new Float64Array(n))
  mField = grow(mField, new Uint8Array(n))
  mFrom = grow(mFrom, new Int32Array(n))
  mTo = grow(mTo, new Int32Array(n))
  mClause = grow(mClause, new Int32Array(n))
  mDrop = grow(mDrop, new Uint8Array(n))
}

function scanField(field: FieldText, fieldId: number, matcher: Matcher, contributions: Float32Array | null): void {
  const tokens = field.tokens
  const n = tokens.length
  if (n === 0) return
  if (boundary.length < n) boundary = new Uint8Array(n * 2)
  // Grow by pushing: setting a large length would turn the array into a slow dictionary.
  while (infos.length < n) infos.push(NO_INFO)
  if (starts.length < n) starts = new Int32Array(n * 2)
  // One pass: each token's cue info and whether it ends a clause; remember where cues may start.
  let nStarts = 0
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!
    const kind = t.kind
    let info: WordInfo
    if (kind === 'word') {
      info = matcher.resolveWord(t.key, t.id)
      boundary[i] = 0
    } else {
      info = matcher.infoOf(t)
      boundary[i] = kind === 'punct' ? 1 : 0
    }
    infos[i] = info
    if (info.ids.length !== 0) starts[nStarts++] = i
  }
  const first = count
  const root = matcher.root
  let free = 0
  for (let q = 0; q < nStarts; q++) {
    const i = starts[q]!
    if (i < free) continue
    const end = longestAt(tokens, infos, i, root)
    if (end < 0) continue
    const here = count
    for (let m = matchedCount(), p = 0; p < m; p++) {
      const node = matchedNode(p)
      const outs = node.out!
      for (let o = 0; o < outs.length; o++) {
        const out = outs[o]!
        if (out.stage === CONTRAST) boundary[i] = 1
        if (out.stage < 0 || sameStage(here, out.stage)) continue
        if (count === mStage.length) growMatches()
        mStage[count] = out.stage
        mWeight[count] = out.weight
        mField[count] = fieldId
        mFrom[count] = i
        mTo[count] = end
        mDrop[count] = 0
        mNode[count] = node
        count++
      }
    }
    free = end + 1
  }
  // Clause of each match: matches are in token order, so clauses are too, and
  // a match with no boundary since the previous one shares its clause.
  for (let k = first; k < count; k++) {
    const floor = k > first ? mFrom[k - 1]! : 0
    let start = mFrom[k]!
    while (start > floor && boundary[start - 1] === 0) start--
    mClause[k] = start === floor && k > first && boundary[start - 1] !== 1 ? mClause[k - 1]! : start
  }
  for (let g = first; g < count; ) {
    const clause = mClause[g]!
    let h = g + 1
    while (h < count && mClause[h] === clause) h++
    // The context rule, within the clause [g, h). Matches are in token order
    // and do not overlap across start tokens, so both their first and last
    // tokens ascend: the strong cues near a weak one sit next to it, and a
    // clause of thousands of cues ("bien bien bien …") stays linear.
    for (let k = g; k < h; k++) {
      if (mWeight[k]! > WEAK_CUE_WEIGHT) continue
      if (claimedFrom(k, g, h)) mDrop[k] = 1
    }
    if (contributions !== null) {
      // The clause's sentiment, added once to each stage it carries.
      let end = mTo[g]!
      for (let k = g + 1; k < h; k++) if (mTo[k]! > end) end = mTo[k]!
      while (end + 1 < n && boundary[end + 1] === 0) end++
      let sum = 0
      const top = Math.min(end + 1, contributions.length)
      for (let j = clause; j < top; j++) sum += contributions[j]!
      if (sum !== 0) {
        // Once per stage the clause carries (a stamp per stage, not a look back over the clause).
        clauseMark = (clauseMark + 1) | 0
        if (clauseMark === 0) {
          stageMarks.fill(0)
          clauseMark = 1
        }
        for (let k = g; k < h; k++) {
          if (mDrop[k] === 1) continue
          const s = mStage[k]!
          if (stageMarks[s] === clauseMark) continue
          stageMarks[s] = clauseMark
          raw[s] += sum
        }
      }
    }
    g = h
  }
}

/**
 * Whether a strong cue of another stage that claims praise sits within
 * CLAIM_GAP tokens of weak match `k` in the clause's matches [g, h). Matches
 * before `k` end no later than it starts past the gap once one does; those
 * after it start no earlier: the scan stops there.
 */
function claimedFrom(k: number, g: number, h: number): boolean {
  const from = mFrom[k]!
  const to = mTo[k]!
  for (let j = k - 1; j >= g && from - mTo[j]! - 1 <= CLAIM_GAP; j--) if (claims(j, k)) return true
  for (let j = k + 1; j < h && mFrom[j]! - to - 1 <= CLAIM_GAP; j++) if (claims(j, k)) return true
  return false
}

/** Whether match `j` is a strong cue of another stage that claims the weak cues next to it (`k`'s). */
function claims(j: number, k: number): boolean {
  return mStage[j] !== mStage[k] && mWeight[j]! >= STRONG_CUE_WEIGHT && claimsOf[mStage[j]!] !== 0
}

/** Whether an earlier kept match counted the same cue for the same stage. */
function countedBefore(k: number): boolean {
  for (let j = 0; j < k; j++) if (mNode[j] === mNode[k] && mStage[j] === mStage[k] && mDrop[j] === 0) return true
  return false
}

/** Whether a match from `from` on already tagged `stage` (two cues of one stage on the same words count once). */
function sameStage(from: number, stage: number): boolean {
  for (let k = from; k < count; k++) if (mStage[k] === stage) return true
  return false
}

function hasSpan(spans: readonly Span[], field: Span['field'], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i++) {
    const p = spans[i]!
    if (p.start === start && p.end === end && p.field === field) return true
  }
  return false
}

/** Squash a raw stage score into [-1, 1]. */
function squash(x: number, alpha: number): number {
  return x === 0 ? 0 : x / Math.sqrt(x * x + alpha)
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
  claimsOf = taxonomy.claims
  if (stageMarks.length < stages) stageMarks = new Int32Array(stages)
  call = (call + 1) | 0 || 1
  if (doc.title !== null) scanField(doc.title, 1, matcher, sentiment.title)
  scanField(doc.body, 0, matcher, sentiment.body)
  if (count === 0) return []
  // A cue repeated in one review counts once (the stamp makes the common case a field read).
  for (let k = 0; k < count; k++) {
    if (mDrop[k] === 1) continue
    const node = mNode[k]!
    if (node.stamp === call && countedBefore(k)) continue
    node.stamp = call
    const s = mStage[k]!
    conf[s] = 1 - (1 - conf[s]!) * (1 - mWeight[k]!)
  }

  const tags: JourneyTag[] = []
  const alpha = STAGE_SQUASH_ALPHA[lang]
  const thresholds = taxonomy.thresholds
  for (let s = 0; s < stages; s++) {
    const c = conf[s]!
    if (c === 0 || c < thresholds[s]!) continue
    const evidence: string[] = []
    const spans: Span[] = []
    for (let k = 0; k < count && evidence.length < MAX_EVIDENCE; k++) {
      if (mStage[k] !== s || mDrop[k] === 1) continue
      const field = mField[k] === 1 ? doc.title! : doc.body
      const span = spanOf(field, field.tokens[mFrom[k]!]!, field.tokens[mTo[k]!]!)
      const name = mField[k] === 1 ? 'title' : 'text'
      if (hasSpan(spans, name, span.start, span.end)) continue
      evidence.push(span.text)
      spans.push({ field: name, start: span.start, end: span.end })
    }
    const score = Math.round(squash(raw[s]!, alpha) * 1000) / 1000
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

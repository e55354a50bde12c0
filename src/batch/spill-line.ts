/**
 * The spill line: one row's output between the per-review stage and the
 * final write. An ok row is four tab-separated JSON parts,
 *
 *   head \t authenticity \t tail \t facts
 *
 * where `head + ',"authenticity":' + authenticity + tail` is the output line,
 * so the cross-review pass can replace the authenticity part without parsing
 * the rest, and `facts` is what the summary needs. An error row is its output
 * line as is. JSON never holds a raw tab or newline, so the split is exact.
 */
import type { ErrorRow, JourneyTag, LanguageCode, ReviewResult, SentimentLabel, Verdict } from '../review/index.js'

/** A journey tag as the summary sees it (no evidence text). */
export type TagFact = Pick<JourneyTag, 'stage' | 'confidence' | 'sentiment'>

/** What the summary reads from one ok row. */
export interface RowFacts {
  language: LanguageCode
  score: number
  label: SentimentLabel
  verdict: Verdict
  journey: TagFact[]
}

const AUTH_KEY = ',"authenticity":'

/** Serialize an ok result as a spill line (without the newline). */
export function okSpillLine(result: ReviewResult): string {
  const before: Record<string, unknown> = {}
  const after: Record<string, unknown> = {}
  let seen = false
  for (const key of Object.keys(result)) {
    if (key === 'authenticity') seen = true
    else (seen ? after : before)[key] = (result as unknown as Record<string, unknown>)[key]
  }
  const head = JSON.stringify(before).slice(0, -1)
  const rest = JSON.stringify(after)
  const tail = rest === '{}' ? '}' : `,${rest.slice(1)}`
  const journey: TagFact[] = result.journey.map((t) => ({ stage: t.stage, confidence: t.confidence, sentiment: t.sentiment }))
  const facts = [result.language.code, result.sentiment.score, result.sentiment.label, result.authenticity.verdict, journey]
  return `${head}\t${JSON.stringify(result.authenticity)}\t${tail}\t${JSON.stringify(facts)}`
}

/** Serialize an error row as a spill line (without the newline). */
export function errorSpillLine(row: ErrorRow): string {
  return JSON.stringify(row)
}

/** An ok row's parts, split back out of its spill line. */
export interface OkParts {
  head: string
  auth: string
  tail: string
  facts: RowFacts
}

/** Split a spill line; null for an error row. */
export function splitSpillLine(line: string): OkParts | null {
  const a = line.indexOf('\t')
  if (a < 0) return null
  const b = line.indexOf('\t', a + 1)
  const c = line.indexOf('\t', b + 1)
  const f = JSON.parse(line.slice(c + 1)) as [LanguageCode, number, SentimentLabel, Verdict, TagFact[]]
  return {
    head: line.slice(0, a),
    auth: line.slice(a + 1, b),
    tail: line.slice(b + 1, c),
    facts: { language: f[0], score: f[1], label: f[2], verdict: f[3], journey: f[4] },
  }
}

/** The output line of an ok row with the given authenticity JSON. */
export function joinOutputLine(head: string, auth: string, tail: string): string {
  return head + AUTH_KEY + auth + tail
}

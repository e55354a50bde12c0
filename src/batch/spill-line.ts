/**
 * The spill line: one row's output between the per-review stage and the
 * final write. An ok row is tab-separated parts,
 *
 *   head \t authenticity \t tail \t facts…
 *
 * where `head + ',"authenticity":' + authenticity + tail` is the output line,
 * so the cross-review pass can replace the authenticity part without parsing
 * the rest, and the facts are what the summary needs (language, score, label,
 * verdict, then stage, confidence, score, label per journey tag). An error row
 * is its output line as is. JSON never holds a raw tab or newline, and stage
 * ids are `[a-z0-9_-]`, so the split is exact.
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
/** What `joinOutputLine` puts between the head and the authenticity, as bytes. */
export const AUTH_KEY_BYTES: Uint8Array = new TextEncoder().encode(AUTH_KEY)

function splitByObjects(result: ReviewResult): [string, string] {
  const before: Record<string, unknown> = {}
  const after: Record<string, unknown> = {}
  let seen = false
  for (const key of Object.keys(result)) {
    if (key === 'authenticity') seen = true
    else (seen ? after : before)[key] = (result as unknown as Record<string, unknown>)[key]
  }
  const rest = JSON.stringify(after)
  return [JSON.stringify(before).slice(0, -1), rest === '{}' ? '}' : `,${rest.slice(1)}`]
}

/** Serialize an ok result as a spill line (without the newline). */
export function okSpillLine(result: ReviewResult): string {
  const authenticity = result.authenticity
  const auth = JSON.stringify(authenticity)
  // Stringify once with a one-character stand-in for the authenticity. No key
  // before it is named so, and JSON strings escape quotes, so the first match
  // is the top-level key; checked, with a slower fallback.
  const holder = result as unknown as { authenticity: unknown }
  holder.authenticity = 0
  const full = JSON.stringify(result)
  holder.authenticity = authenticity
  const at = full.indexOf(AUTH_KEY)
  let head: string
  let tail: string
  if (at > 0 && full.charCodeAt(at + AUTH_KEY.length) === 0x30 && full.indexOf(AUTH_KEY, at + 1) < 0) {
    head = full.slice(0, at)
    tail = full.slice(at + AUTH_KEY.length + 1)
  } else [head, tail] = splitByObjects(result)
  let facts = `${result.language.code}\t${result.sentiment.score}\t${result.sentiment.label}\t${authenticity.verdict}`
  for (const t of result.journey) facts += `\t${t.stage}\t${t.confidence}\t${t.sentiment.score}\t${t.sentiment.label}`
  return `${head}\t${auth}\t${tail}\t${facts}`
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
  return { head: line.slice(0, a), auth: line.slice(a + 1, b), tail: line.slice(b + 1, c), facts: parseFacts(line.slice(c + 1)) }
}

/** An ok row's facts from the part of its spill line after the third tab. */
export function parseFacts(text: string): RowFacts {
  const f = text.split('\t')
  const journey: TagFact[] = []
  for (let i = 4; i + 3 < f.length; i += 4) {
    journey.push({ stage: f[i]!, confidence: Number(f[i + 1]), sentiment: { score: Number(f[i + 2]), label: f[i + 3] as SentimentLabel } })
  }
  return { language: f[0] as LanguageCode, score: Number(f[1]), label: f[2] as SentimentLabel, verdict: f[3] as Verdict, journey }
}

/** The output line of an ok row with the given authenticity JSON. */
export function joinOutputLine(head: string, auth: string, tail: string): string {
  return head + AUTH_KEY + auth + tail
}

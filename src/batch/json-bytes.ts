/** Bytes and grammar states shared by the JSON readers (json-array.ts, json-wrapper.ts). */

export const NEWLINE = 0x0a
export const QUOTE = 0x22
export const BACKSLASH = 0x5c
export const COMMA = 0x2c
export const COLON = 0x3a
export const OPEN_BRACKET = 0x5b
export const CLOSE_BRACKET = 0x5d
export const OPEN_BRACE = 0x7b
export const CLOSE_BRACE = 0x7d

/** What may come next, by JSON's grammar (strings aside: they are followed byte by byte); `Unchecked` past the nesting a reader checks. */
export const Expect = { Value: 0, ValueOrEnd: 1, Key: 2, KeyOrEnd: 3, Colon: 4, AfterValue: 5, Literal: 6, Unchecked: 7 } as const
export type Expect = (typeof Expect)[keyof typeof Expect]

/** Kinds of open container. */
export const OBJECT = 1
export const ARRAY = 2

/** Whether a byte can go on a number or a `true` / `false` / `null` (a loose check: JSON.parse has the last word). */
export function isLiteralByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b === 0x2e || b === 0x2b || b === 0x2d || b === 0x45
}

/** JSON's white space. */
export function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
}

const ID_IN_JSON_HEAD = /"(?:id|review_id|reviewId)"\s*:\s*(?:"((?:[^"\\]|\\.){1,200})"|(\d{1,30}))/

/**
 * The id in the first 4 KB of a JSON row that cannot be parsed whole (broken,
 * cut off, or over the size limit), when an `id` key comes whole there; null
 * when none does. Its error row then names the review, not only its line.
 */
export function idInJsonHead(text: string): string | null {
  const m = ID_IN_JSON_HEAD.exec(text.length > 4096 ? text.slice(0, 4096) : text)
  if (m === null) return null
  if (m[2] !== undefined) return m[2]
  try {
    return JSON.parse(`"${m[1]}"`) as string
  } catch {
    return null
  }
}

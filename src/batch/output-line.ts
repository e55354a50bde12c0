/**
 * Finding the authenticity in an ok row's output line, so the final write
 * can replace it for the rows the cross-review pass has batch signals for
 * and copy every other byte as the per-review stage wrote it.
 *
 * The line is `JSON.stringify` of a `ReviewResult`, whose keys before
 * `authenticity` (id, ok, row, language, sentiment, journey) are recensio's
 * own: a key named so further on (a kept field) comes later, and a string
 * never holds `,"` with the quote unescaped. So the first `,"authenticity":`
 * in the line is the result's own.
 */

const AUTH_KEY = ',"authenticity":'
const AUTH_KEY_BYTES = Buffer.from(AUTH_KEY)

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

/**
 * Where the authenticity object sits in an ok row's output line.
 *
 * @param line Bytes holding the line.
 * @param from Where the line starts in `line`.
 * @param to Where the line ends (its newline, or the end).
 * @returns The object's first byte (`{`) and the byte after its last (`}`).
 * @throws Error when the line has no authenticity object (it is not an ok row's line).
 */
export function authenticitySpan(line: Buffer, from: number, to: number): [start: number, end: number] {
  const key = line.indexOf(AUTH_KEY_BYTES, from)
  const start = key + AUTH_KEY_BYTES.length
  if (key < 0 || start >= to || line[start] !== OPEN_BRACE) throw new Error(`no authenticity in the output line at byte ${from}`)
  let depth = 0
  for (let i = start; i < to; i++) {
    const b = line[i]
    if (b === QUOTE) {
      // Skip the string; an escaped character is skipped whole. UTF-8 never
      // holds an ASCII byte inside a longer character.
      for (i++; i < to && line[i] !== QUOTE; i++) if (line[i] === BACKSLASH) i++
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++
    else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && --depth === 0) return [start, i + 1]
  }
  throw new Error(`the authenticity in the output line at byte ${from} is cut short`)
}

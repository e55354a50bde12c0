/**
 * Repair of UTF-8 text that was decoded with a single-byte code page
 * (Windows-1252 / Latin-1: "Ã©" → "é", "ðŸ˜€" → "😀"; Windows-1251: "kГ¶pa" →
 * "köpa"). Each run of non-ASCII characters is turned back into the bytes the
 * code page would have produced and decoded as UTF-8; only well-formed UTF-8
 * sequences are accepted, so ordinary accented or Cyrillic text is left alone.
 */
import type { Edit } from './edits.js'

// Windows-1252 bytes 0x80–0x9F. Undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D)
// survive decoding as the C1 control of the same value, which the fallback covers.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'

// Windows-1251 bytes 0x80–0xFF.
const CP1251_HIGH =
  'ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—\u0098™љ›њќћџ\u00A0ЎўЈ¤Ґ¦§Ё©Є«¬\u00AD®Ї°±Ііґµ¶·ё№є»јЅѕї' +
  'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя'

function table(high: string, start: number, latin1: boolean): Map<number, number> {
  const map = new Map<number, number>()
  if (latin1) for (let b = 0x80; b <= 0xff; b++) map.set(b, b)
  for (let i = 0; i < high.length; i++) map.set(high.charCodeAt(i), start + i)
  return map
}

const CP1252 = table(CP1252_HIGH, 0x80, true)
const CP1251 = table(CP1251_HIGH, 0x80, false)
// C1 controls left by a Latin-1 decoder map to their own byte in 1251 too.
for (let b = 0x80; b <= 0x9f; b++) if (!CP1251.has(b)) CP1251.set(b, b)

// A lead byte's character followed by a continuation byte's character.
const CP1252_HINT = /[\u00C2-\u00F4][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]/
const CP1251_HINT = /[\u0412\u0413\u0420\u0421\u0422\u0430-\u0433][\u0080-\u00BF\u0402-\u040F\u0452-\u045F\u0490\u0491\u2013-\u2122]/

const NON_ASCII_RUN = /[^\x00-\x7F]+/g

/**
 * Decode a stretch of characters that all have a byte in the code page as
 * UTF-8, adding one edit per well-formed sequence: each repaired character
 * replaces exactly the characters it came from, so offsets stay exact.
 * Bytes that do not start a valid sequence are left as they are.
 */
function decodeStretch(start: number, bytes: number[], edits: Edit[]): void {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    let need = 0
    let cp = 0
    let min = 0
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      cp = b & 0x1f
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      cp = b & 0x0f
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      cp = b & 0x07
      min = 0x10000
    }
    let ok = need > 0 && i + need < bytes.length
    if (ok) {
      for (let k = 1; k <= need; k++) {
        const c = bytes[i + k]!
        if (c < 0x80 || c > 0xbf) {
          ok = false
          break
        }
        cp = (cp << 6) | (c & 0x3f)
      }
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      edits.push({ start: start + i, end: start + i + need + 1, text: String.fromCodePoint(cp) })
      i += need + 1
    } else i++
  }
}

function repairWith(text: string, codepage: Map<number, number>): Edit[] {
  const edits: Edit[] = []
  NON_ASCII_RUN.lastIndex = 0
  for (let m = NON_ASCII_RUN.exec(text); m !== null; m = NON_ASCII_RUN.exec(text)) {
    const run = m[0]
    if (run.length < 2) continue
    // A run may mix encodable and other characters: decode each encodable stretch.
    // Surrogate halves are in no table, so emoji split stretches too.
    const bytes: number[] = []
    let from = 0
    for (let i = 0; i <= run.length; i++) {
      const byte = i < run.length ? codepage.get(run.charCodeAt(i)) : undefined
      if (byte !== undefined) {
        if (bytes.length === 0) from = m.index + i
        bytes.push(byte)
        continue
      }
      if (bytes.length >= 2) decodeStretch(from, bytes, edits)
      bytes.length = 0
    }
  }
  return edits
}

/** Edits that undo mojibake in `text`, or an empty list when there is none. */
export function mojibakeEdits(text: string): Edit[] {
  if (CP1252_HINT.test(text)) {
    const edits = repairWith(text, CP1252)
    if (edits.length > 0) return edits
  }
  if (CP1251_HINT.test(text)) return repairWith(text, CP1251)
  return []
}

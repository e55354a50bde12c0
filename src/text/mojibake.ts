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
 * Whether a repaired character is believable. Real text also has an accented
 * capital right before a quote or a symbol ("FUNCIONÓ”", "PIÙ»", "COSÌ…"),
 * which reads as a valid 2-byte sequence of a rare block (Ӕ, ٻ, U+0305), so a
 * stretch is repaired only when every character it decodes to is one a
 * mis-decoded review plausibly held. Mojibake of scripts outside this list
 * (Arabic, Hebrew, CJK) is left as it is.
 */
function plausible(cp: number): boolean {
  return (
    (cp >= 0x80 && cp <= 0x17f) || // C1 controls (bytes a first wrong decoding kept), Latin-1, Latin Extended-A
    cp === 0x192 || // ƒ (not Romanian ș ț: "È™" is more likely Italian "È" and ™)
    cp === 0x2c6 || cp === 0x2c7 || (cp >= 0x2d8 && cp <= 0x2dd) || // spacing accents ˆ ˇ ˘ ˙ ˚ ˛ ˜ ˝
    (cp >= 0x300 && cp <= 0x303) || cp === 0x308 || cp === 0x30a || cp === 0x30c || cp === 0x327 || // accents of decomposed (NFD) Latin
    (cp >= 0x386 && cp <= 0x3ce) || // Greek letters
    (cp >= 0x400 && cp <= 0x45f) || // Cyrillic (not ґ: "Ò‘" is more likely Italian "PERÒ‘")
    (cp >= 0x2000 && cp <= 0x2bff) || // punctuation, currency, letterlike, arrows, symbols, dingbats
    (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff01 && cp <= 0xff65) || // CJK and full-width punctuation ("！")
    cp === 0xfe0f || cp === 0xfeff || // emoji presentation selector, BOM
    (cp >= 0x10000 && cp <= 0x3ffff) || // emoji and the rest of planes 1–3
    (cp >= 0xe0000 && cp <= 0xe007f) // tag characters of flag emoji
  )
}

const LETTER = /\p{L}/u

/**
 * Decode a stretch of characters that all have a byte in the code page as
 * UTF-8, adding one edit per well-formed sequence: each repaired character
 * replaces exactly the characters it came from, so offsets stay exact.
 * The stretch is left alone when a letter in it does not take part in a
 * sequence ("Він": "Ві" is valid UTF-8 in 1251, "н" is not) or when it decodes
 * to a character that is not `plausible`.
 */
function decodeStretch(text: string, start: number, bytes: number[], edits: Edit[]): void {
  const found: Edit[] = []
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
      if (!plausible(cp)) return
      found.push({ start: start + i, end: start + i + need + 1, text: String.fromCodePoint(cp) })
      i += need + 1
    } else {
      if (LETTER.test(text[start + i]!)) return
      i++
    }
  }
  for (const edit of found) edits.push(edit)
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
      if (bytes.length >= 2) decodeStretch(text, from, bytes, edits)
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

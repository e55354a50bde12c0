/** Accent folding ("pésimo" → "pesimo", "perché" → "perche") with a table built once. */

const FOLD = new Map<number, string>()
for (let cp = 0xc0; cp <= 0x24f; cp++) {
  const ch = String.fromCharCode(cp)
  const base = ch.normalize('NFD').replace(/\p{M}+/gu, '')
  if (base !== ch && base.length > 0) FOLD.set(cp, base)
}
FOLD.set(0xdf, 'ss') // ß
FOLD.set(0xf8, 'o') // ø
FOLD.set(0xe6, 'ae') // æ
FOLD.set(0x153, 'oe') // œ
FOLD.set(0x131, 'i') // dotless i

/** Fold accents of an already lower-cased string. ASCII input is returned as is. */
export function foldAccents(s: string): string {
  let i = 0
  for (; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) break
  if (i === s.length) return s
  let out = s.slice(0, i)
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) out += s[i]
    else if (c >= 0x300 && c <= 0x36f) continue // stray combining mark
    else out += FOLD.get(c) ?? s[i]
  }
  return out
}

/** Squeeze runs of 3+ equal characters to 2 ("soooo" → "soo"); null when there are none. */
export function squeezeElongation(s: string): string | null {
  let run = 1
  let found = false
  for (let i = 1; i < s.length; i++) {
    if (s.charCodeAt(i) === s.charCodeAt(i - 1)) {
      if (++run === 3) {
        found = true
        break
      }
    } else run = 1
  }
  if (!found) return null
  let out = ''
  run = 0
  let prev = -1
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    run = c === prev ? run + 1 : 1
    prev = c
    if (run <= 2) out += s[i]
  }
  return out
}

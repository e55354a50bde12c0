/** Accent folding ("pésimo" → "pesimo", "perché" → "perche") with a table built once. */

// Folded form of each code point below 0x250 that has one.
const FOLD: (string | undefined)[] = new Array(0x250)
for (let cp = 0xc0; cp < 0x250; cp++) {
  const ch = String.fromCharCode(cp)
  const base = ch.normalize('NFD').replace(/\p{M}+/gu, '')
  if (base !== ch && base.length > 0) FOLD[cp] = base
}
FOLD[0xdf] = 'ss' // ß
FOLD[0xf8] = 'o' // ø
FOLD[0xe6] = 'ae' // æ
FOLD[0x153] = 'oe' // œ
FOLD[0x131] = 'i' // dotless i

/** Fold accents of an already lower-cased string. ASCII input is returned as is. */
export function foldAccents(s: string): string {
  let out = ''
  let last = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xc0) continue
    let rep: string | undefined
    if (c < 0x250) rep = FOLD[c]
    else if (c >= 0x300 && c <= 0x36f) rep = '' // stray combining mark
    if (rep === undefined) continue
    out += s.slice(last, i) + rep
    last = i + 1
  }
  return last === 0 ? s : out + s.slice(last)
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

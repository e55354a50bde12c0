/**
 * Property tests of the text core: the normalizer and its offset map, the
 * mojibake repair and the tokenizer, on generated text (fast-check, fixed seed).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type FieldText, foldAccents, makeField, normalizeText, spanOf, squeezeElongation, tokenize } from '../src/text/index.js'

const SEED = 42
/** The dev corpora, read at run time only (see shared/data/SOURCES.md). */
const DATA = resolve(import.meta.dirname, '../../shared/data')
if (!existsSync(DATA)) console.warn(`skipping the dev-corpus mojibake test: ${DATA} is absent`)

// ---------------------------------------------------------------------------
// Generators

const WORDS = [
  // es
  'pésimo', 'envío', 'llegó', 'niño', 'año', 'también', 'atención', 'qué', 'está', 'aquí', 'cómodo', 'pingüino', 'ESTÁ', 'FUNCIONÓ', 'AQUÍ', 'Ñandú',
  // it
  'perché', 'così', 'più', 'però', 'città', 'qualità', 'è', 'È', 'PERCHÉ', 'PERÒ', 'PIÙ', "l'acqua", "c'è", "dell'ordine", "un'ottima",
  // en
  'great', 'terrible', "don't", "it's", "I'm", 'product', 'GREAT', 'Awful', 'soooo', 'goooood', 'BUENÍSIMOOO',
  // other Latin-script reviews end up in dumps too
  'über', 'Straße', 'Ça', 'coûte', 'São', 'ação', 'Łódź', 'žluťoučký', 'Ærø', 'œuvre',
]
const LATIN1_LETTERS = [...Array.from({ length: 0x100 - 0xc0 }, (_, i) => String.fromCharCode(0xc0 + i))].filter((c) => c !== '×' && c !== '÷')
const EMOJI = ['😀', '👍', '👍🏽', '❤️', '👨\u200D👩\u200D👧', '🇪🇸', '⭐', '★', '☆', '💩', '🙏']
const PUNCT = [' ', ' ', ' ', '. ', ', ', '!', '!!!', '?', '¿', '¡', '…', '«', '»', '"', "'", '“', '”', '—', ' - ', '-', '(', ')', ':', ';', '\n', '\t']
const SHAPES = [
  'https://shop.com/a?b=1', 'www.tienda.es', 'amazon.it', 'mario.rossi@mail.it', '+34 600 123 456', '600123456', '4,5', '10%', '3/5', '2024-03-05',
  ':)', ':-(', ';)', 'xD', 'XD', '<3', '^^', '-_-', 'T_T', '=D', '8)', '@juan', '#top', '5€', '24shop.com',
]
const NOISE = [
  '<br>', '<p>', '</p>', '<b>', '</b>', '<div class="x">', '&amp;', '&eacute;', '&#233;', '&#xE9;', '&nbsp;', '&hellip;', '&bogus;', '&#0;', '&#xD800;', '&#8203;', '&#769;', '&#195;&#169;', '&#127881;',
  '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u0000', '\u0001', '\u001F', '\u007F', '\u0085', '\u0094',
  'e\u0301', 'a\u0300', 'n\u0303', '\u0301', '\u0308\u0301', 'a\u0323\u0302', 'o\u0328\u0301', '’', '‘', '´', '`', 'ʼ', '′',
  '\uD800', '\uDC00', '\uDBFF\uDFFF', '𝐀𝐁', '𐐀', 'İ', 'ß', 'ﬁ', 'ǅ', 'ΑΣ', 'Σ',
]

const word = fc.constantFrom(...WORDS)
const asciiWord = fc.stringMatching(/^[A-Za-z]{1,8}$/)
const latin1Word = fc.array(fc.constantFrom(...LATIN1_LETTERS, 'a', 'e', 'o', 'r', 's'), { minLength: 1, maxLength: 6 }).map((a) => a.join(''))

/** Review-like text with every shape the normalizer and tokenizer handle, and garbage. */
const mixedText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: word },
      { weight: 4, arbitrary: asciiWord },
      { weight: 2, arbitrary: latin1Word },
      { weight: 6, arbitrary: fc.constantFrom(...PUNCT) },
      { weight: 2, arbitrary: fc.constantFrom(...EMOJI) },
      { weight: 2, arbitrary: fc.constantFrom(...SHAPES) },
      { weight: 3, arbitrary: fc.constantFrom(...NOISE) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 3 }) },
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''))

/** Any UTF-16 string, lone surrogates included. */
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 })

/**
 * Real text that is also valid mojibake, so no repair can tell: a Latin-1
 * letter that leads a UTF-8 sequence of a block the repair accepts (Â Ã Ä Å Æ:
 * Latin; Ë: spacing accents; Ì: combining accents; Î Ï: Greek; Ð Ñ: Cyrillic)
 * followed by a character that is a continuation byte in Windows-1252
 * ("Ã…" is "Å", "Ä—" is "ė", "COSÌ€" is "COS" + U+0300). Generators avoid it.
 */
const AMBIGUOUS = /[ÂÃÄÅÆËÌÎÏÐÑ][\u0080-\u00BF€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/
const unambiguous = (s: string) => !AMBIGUOUS.test(s)

/** Text with nothing to repair: words, Latin-1 letters, plain punctuation, emoji. */
const cleanText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: word },
      { weight: 4, arbitrary: asciiWord },
      { weight: 2, arbitrary: latin1Word },
      { weight: 4, arbitrary: fc.constantFrom(' ', ' ', '. ', ', ', '!', '?', '¿', '¡', '…', '"', "'", '—', '-', '(', ')', ':', '\n') },
      { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
      { weight: 1, arbitrary: fc.constantFrom(...SHAPES) },
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''))
  .filter(unambiguous)

// ---------------------------------------------------------------------------
// Mojibake: UTF-8 bytes read back as Windows-1252 (as a WHATWG decoder does:
// the five undefined bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D become C1 controls).
// A decoder that drops those bytes or writes "?" or U+FFFD loses information:
// "Á Í Ï Ð Ý" (C3 81/8D/8F/90/9D), "”" (E2 80 9D) and emoji such as 👍
// (F0 9F 91 8D) cannot come back; see the lossy-decoder test below.

const CP1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'

function utf8Bytes(s: string): number[] {
  const out: number[] = []
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (cp < 0x80) out.push(cp)
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f))
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
  }
  return out
}

/** `s` as UTF-8 bytes decoded as Windows-1252. */
function asCp1252(s: string): string {
  let out = ''
  for (const b of utf8Bytes(s)) out += b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : String.fromCharCode(b)
  return out
}

const MOJIBAKE_WORDS = [
  'pésimo', 'envío', 'llegó', 'niño', 'año', 'también', 'atención', 'qué', 'cómodo', 'pingüino', '¿Qué?', '¡Olé!',
  'perché', 'così', 'più', 'però', 'città', 'è', 'È', 'Perché', 'l’acqua', 'c’è', '«Ottimo»', '“great”', '5 €', '30 °C', 'Ñandú',
]
const mojibakeSource = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...MOJIBAKE_WORDS) },
      { weight: 3, arbitrary: latin1Word },
      { weight: 3, arbitrary: asciiWord },
      { weight: 2, arbitrary: fc.constantFrom(...EMOJI) },
      { weight: 4, arbitrary: fc.constantFrom(' ', ' ', '. ', ', ', '!', '?', '\n') },
    ),
    { minLength: 1, maxLength: 20 },
  )
  .map((parts) => parts.join(''))
  .filter(unambiguous)

/** Correctly encoded text in the languages (and scripts) review dumps carry. */
const REAL_WORDS = [
  ...WORDS.filter((w) => !w.includes("'")),
  'ESPAÑA', 'AÑO', 'PAGUÉ', 'ENVÍO', 'CAFÉ', 'SÍ', 'ÚTIL', 'DEVOLUCIÓN', 'CITTÀ', 'COSÌ', 'È', 'PERCHÉ', 'PERÒ', 'PIÙ', 'NÉ', 'QUALITÀ', 'ÇA', 'GROß', 'ÜBER',
  'Привет', 'как', 'дела', 'ВСЁ', 'Отлично', 'доставка', 'Він', 'Рік', 'вірний', 'Сім', 'гість', 'Їжак', 'Україна', 'Добрий', 'ґанок', 'Ђорђе', 'Љубав', 'Њ',
  'Καλημέρα', 'ΠΟΛΥ', 'καλό', 'προϊόν', 'ΟΔΟΣ', 'Ελλάδα',
]
const REAL_PUNCT = [' ', ' ', ', ', '. ', '!', '?', '«', '»', '“', '”', '‘', '’', '„', '—', '–', '…', '°', 'º', 'ª', '·', '€', '£', '™', '©', '®', '¡', '¿', '±', '½', '²', '"', '(', ')']
const realText = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...REAL_WORDS) }, { weight: 2, arbitrary: fc.constantFrom(...REAL_PUNCT) }), { minLength: 1, maxLength: 16 })
  .map((parts) => parts.join(''))
  .filter(unambiguous)

// ---------------------------------------------------------------------------
// Checks shared by several properties

const TEXT_KINDS = new Set(['word', 'url', 'email', 'mention', 'hashtag'])

/** Every way the field's tokens break the tokenizer's contract (empty when none). */
function tokenProblems(field: FieldText): string[] {
  const { clean, tokens } = field
  const problems: string[] = []
  let prevEnd = 0
  for (const t of tokens) {
    const surface = clean.slice(t.start, t.end)
    const at = `${t.kind} ${JSON.stringify(surface)} at ${t.start}`
    if (t.start < prevEnd) problems.push(`${at}: overlaps or precedes the previous token`)
    if (t.end <= t.start) problems.push(`${at}: empty`)
    if (t.start < 0 || t.end > clean.length) problems.push(`${at}: out of range`)
    prevEnd = Math.max(prevEnd, t.end)
    if (TEXT_KINDS.has(t.kind) && t.norm !== t.norm.toLowerCase()) problems.push(`${at}: norm ${JSON.stringify(t.norm)} is not lower-case`)
    const key = t.kind === 'word' ? foldAccents(t.norm) : t.norm
    if (t.key !== key) problems.push(`${at}: key ${JSON.stringify(t.key)}, expected ${JSON.stringify(key)}`)
    if (t.kind !== 'phone' && /\s/u.test(surface)) problems.push(`${at}: contains whitespace`)
    if (t.kind === 'word') {
      // Σ lower-cases by context (σ, or ς at a word's end): compare without that difference.
      const lowered = surface.toLowerCase().replace(/ς/g, 'σ')
      const squeezed = squeezeElongation(lowered)
      if (t.norm.replace(/ς/g, 'σ') !== (squeezed ?? lowered)) problems.push(`${at}: norm ${JSON.stringify(t.norm)}, expected ${JSON.stringify(squeezed ?? lowered)}`)
      if (t.elongated !== (squeezed !== null)) problems.push(`${at}: elongated is ${t.elongated}`)
      const lowerLetters = [...surface].filter((ch) => ch.toLowerCase() === ch && ch.toUpperCase() !== ch)
      if (t.caps && lowerLetters.length > 0) problems.push(`${at}: caps with lower-case ${lowerLetters.join('')}`)
    }
  }
  return problems
}

/** Every way `spanOf` breaks its contract on the field's tokens (empty when none). */
function spanProblems(field: FieldText): string[] {
  const { original, tokens } = field
  const problems: string[] = []
  let prev: { start: number; end: number } | null = null
  for (const t of tokens) {
    const span = spanOf(field, t)
    const at = `${t.kind} ${JSON.stringify(field.clean.slice(t.start, t.end))} → [${span.start}, ${span.end})`
    if (original.slice(span.start, span.end) !== span.text) problems.push(`${at}: text is not the original substring`)
    if (!(span.start >= 0 && span.start <= span.end && span.end <= original.length)) problems.push(`${at}: bad offsets`)
    if (span.end === span.start) problems.push(`${at}: empty span`)
    if (prev !== null && span.start < prev.end) problems.push(`${at}: goes back before the previous span's end ${prev.end}`)
    prev = span
  }
  if (tokens.length >= 2) {
    const whole = spanOf(field, tokens[0]!, tokens[tokens.length - 1]!)
    if (whole.start !== spanOf(field, tokens[0]!).start || whole.end !== spanOf(field, tokens[tokens.length - 1]!).end) {
      problems.push('the span of all tokens does not run from the first token to the last')
    }
  }
  return problems
}

// ---------------------------------------------------------------------------

describe('tokenizer properties', () => {
  it('gives ordered, non-empty, in-range tokens with lower-case norms and folded keys', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, anyUtf16), (text) => {
        expect(tokenProblems(makeField(text))).toEqual([])
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it('splits words with repeated clitic apostrophes', () => {
    // Found by the property above: "it's'a" looped forever, pushing tokens.
    for (const text of ["it's'a", "I'm's'x", "l'a's't", "don't's'a"]) {
      const field = makeField(text)
      expect(tokenProblems(field)).toEqual([])
      const letters = (s: string) => s.toLowerCase().replace(/'/g, '')
      expect(letters(field.tokens.map((t) => t.norm).join(''))).toBe(letters(text))
    }
  })

  it('reads an emoji after a lone surrogate', () => {
    // Found by the property above (seed 9): the lone "\ud800" skipped two code
    // units, and the emoji regex, started inside the pair, backed up to its start.
    const field = makeField('\ud800😀 ok')
    expect(tokenProblems(field)).toEqual([])
    expect(field.tokens.map((t) => [t.kind, t.start, t.end])).toEqual([
      ['emoji', 1, 3],
      ['word', 4, 6],
    ])
  })

  it('tokenizes the same with and without the lower-cased copy', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const { clean } = normalizeText(text)
        const lowered = clean.toLowerCase()
        // Σ lower-cases by context (σ inside a word, ς at its end), so a token
        // lower-cased alone may differ from its slice of the lower-cased text ("ΑΣ'p").
        fc.pre(lowered.length === clean.length && !clean.includes('Σ'))
        expect(tokenize(clean, null)).toEqual(tokenize(clean, lowered))
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it('finishes on 200k characters of mixed content', () => {
    const parts = fc.sample(fc.oneof(mixedText, anyUtf16), { seed: SEED, numRuns: 400 })
    let text = ''
    for (let i = 0; text.length < 200_000; i++) text += parts[i % parts.length] + ' '
    const field = makeField(text)
    expect(field.tokens.length).toBeGreaterThan(10_000)
    expect(tokenProblems(field)).toEqual([])
  })

  it('finishes on 100k characters of each pathological repetition', () => {
    for (const unit of ['a', 'á', ':', '-', '.', '1.', '1 ', 'a.', "a'", '@a', 'http', 'www.a', 'a@', '+1 ', '&#1', '<a ', 'e\u0301', '\u200D', 'Ã©', 'ð']) {
      const text = unit.repeat(Math.ceil(100_000 / unit.length))
      const field = makeField(text)
      expect(field.clean.length).toBeGreaterThan(0)
      expect(tokenProblems(field)).toEqual([])
    }
  })
})

describe('normalizer and offset map properties', () => {
  it('maps every token back to an exact, forward-moving substring of the original', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, anyUtf16), (text) => {
        expect(spanProblems(makeField(text))).toEqual([])
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it('leaves text with nothing to repair unchanged, without an offset map', () => {
    fc.assert(
      fc.property(cleanText, (text) => {
        const n = normalizeText(text)
        expect(n.clean).toBe(text)
        expect(n.origin).toBeNull()
        expect(n.repairs).toEqual([])
      }),
      { seed: SEED, numRuns: 1000 },
    )
  })

  it('leaves no control, zero-width or decomposed characters in the clean text', () => {
    fc.assert(
      fc.property(fc.oneof(mixedText, anyUtf16), (text) => {
        const { clean } = normalizeText(text)
        expect(clean).not.toMatch(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u200B\u200C\u2060\uFEFF\u00AD]/)
        expect(clean).not.toMatch(/\p{L}\u200D|\u200D\p{L}/u)
        // Letters with Latin combining accents are composed. Not checked: singletons ("豈", "Ω")
        // and other scripts' marks ("か\u3099"), which the normalizer leaves as they are.
        for (const [cluster] of clean.matchAll(/\P{M}\p{M}+/gu)) {
          if (/[\u0300-\u036F]/.test(cluster)) expect(cluster.normalize('NFC')).toBe(cluster)
        }
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it('repairs what HTML entities bring in', () => {
    // Found by the idempotence property: "Ï&hellip;" became "Ï…", which only a
    // second pass repaired; entities of zero-width or combining characters
    // were kept because the text had looked ASCII.
    expect(normalizeText('&#195;&#169;xito').clean).toBe('éxito')
    expect(normalizeText('gran&#8203;de').clean).toBe('grande')
    expect(normalizeText('cafe&#769;').clean).toBe('café')
  })

  it('is idempotent on its own output', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        const once = normalizeText(text).clean
        // Escaped markup ("&amp;lt;" → "&lt;") is decoded one level per pass by design.
        fc.pre(!/[<&]/.test(once))
        expect(normalizeText(once).clean).toBe(once)
      }),
      { seed: SEED, numRuns: 800 },
    )
  })
})

describe('mojibake repair properties', () => {
  it('maps each repaired character to its own mojibake', () => {
    // Found by the span property: one edit per run made "À" and "😀" (one run
    // "Ã€ðŸ˜€") both point at the whole run.
    const field = makeField(asCp1252('À😀 perché'))
    expect(field.clean).toBe('À😀 perché')
    expect(field.tokens.map((t) => spanOf(field, t).text)).toEqual(['Ã€', 'ðŸ˜€', 'perchÃ©'])
  })

  it('repairs the rest when a lossy decoder dropped an undefined byte', () => {
    const lossy = (s: string) => asCp1252(s).replace(/[\u0081\u008D\u008F\u0090\u009D]/g, '\uFFFD')
    expect(normalizeText(lossy('Ágil y rápido')).clean).toBe('Ã\uFFFDgil y rápido')
    expect(normalizeText(lossy('“great” 👍 perché')).clean).toBe('“greatâ€\uFFFD ðŸ\'\uFFFD perché')
  })

  it('leaves an accented capital before a quote or symbol alone', () => {
    // Found by the properties below: each read as one valid 2-byte sequence.
    for (const text of ['“NO FUNCIONÓ”', '«PIÙ»', 'È COSÌ…', 'PERCHÉ»', 'È™', 'PERÒ‘', 'Ì—', 'Він', 'Рік була', 'Гість', 'Рік®©']) {
      expect(normalizeText(text).clean).toBe(text.replace('‘', "'"))
    }
  })

  it('repairs UTF-8 read as Windows-1252 back to the original text', () => {
    fc.assert(
      fc.property(mojibakeSource, (s) => {
        const expected = normalizeText(s).clean
        expect(normalizeText(asCp1252(s)).clean).toBe(expected)
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it('repairs text decoded twice', () => {
    fc.assert(
      fc.property(mojibakeSource, (s) => {
        expect(normalizeText(asCp1252(asCp1252(s))).clean).toBe(normalizeText(s).clean)
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it('maps repaired tokens to the mojibake they came from', () => {
    fc.assert(
      fc.property(mojibakeSource, (s) => {
        const source = makeField(s)
        const broken = makeField(asCp1252(s))
        expect(spanProblems(broken)).toEqual([])
        expect(broken.tokens).toEqual(source.tokens)
        expect(broken.tokens.map((t) => spanOf(broken, t).text)).toEqual(source.tokens.map((t) => asCp1252(spanOf(source, t).text)))
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it.skipIf(!existsSync(DATA))('repairs every dev-corpus review read back as Windows-1252, and leaves them alone otherwise', () => {
    const problems: string[] = []
    for (const file of readdirSync(DATA).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(DATA, file), 'utf8').split('\n')) {
        if (line === '') continue
        const { id, text } = JSON.parse(line) as { id: string; text: string }
        const n = normalizeText(text)
        if (n.repairs.includes('mojibake')) problems.push(`${id}: repaired as mojibake`)
        if (normalizeText(asCp1252(text)).clean !== n.clean) problems.push(`${id}: not repaired once`)
        if (normalizeText(asCp1252(asCp1252(text))).clean !== n.clean) problems.push(`${id}: not repaired twice`)
      }
    }
    expect(problems).toEqual([])
  })

  it('leaves real accented, Cyrillic and Greek text alone', () => {
    fc.assert(
      fc.property(realText, (text) => {
        const n = normalizeText(text)
        expect(n.repairs).not.toContain('mojibake')
        expect(n.clean).toBe(text.replace(/[‘’]/g, "'"))
      }),
      { seed: SEED, numRuns: 800 },
    )
  })
})

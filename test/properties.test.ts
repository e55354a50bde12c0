/**
 * Property tests of the input contract (coercions, row schema, options) and of
 * `analyze` (never throws on a string, scores in range, deterministic, evidence
 * is an exact substring of the input), on generated input (fast-check, fixed seed).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RecensioError, analyze, analyzeBatch } from '../src/index.js'
import type { Options, ResultRow, ReviewResult, Span } from '../src/index.js'
import {
  Failure,
  RowValidator,
  coerceBoolean,
  coerceDate,
  coerceLang,
  coerceRating,
  coerceScore,
  coerceString,
  coerceText,
  resolveOptions,
} from '../src/review/index.js'
import { fnv1a, makeField, tokenHashes, wordShingles } from '../src/text/index.js'

const SEED = 42

// ---------------------------------------------------------------------------
// Generators

/** Values users' exports put in rating, date and flag columns, and anything else JSON allows. */
const FIELD_STRINGS = [
  '4', '4.5', '4,5', '0', '-1', '6', '4/5', '8/10', '0/0', '5/0', '-1/5', '4 out of 5', '4.0 out of 5 stars', '3 estrellas', '4 su 5', '10 de 10',
  '★★★★☆', '★★★★★', '☆☆☆☆☆', '★', '⭐⭐⭐', '★★★★★★☆', ' ', '', 'five', 'NaN', 'Infinity', '1e3', '0x10',
  'yes', 'no', 'Sí', 'TRUE', 'verified purchase', 'maybe',
  '2024-03-05', '2024-03-05 10:00', '2024-03-05T10:00:00.123Z', '2024-03-05T10:00+02:00', '2024-02-30', '2024-13-01', '2024-01-01 24:00', '2024-01-01 10:99',
  '0000-01-01', '9999-12-31T23:59:59Z', '1709632800', '1709632800000', '99999999999999', 'Jan 25, 2018', 'Mon, 05 Mar 2024 10:00:00 GMT', 'yesterday',
  'es', 'ES-mx', 'spa', 'Italiano', 'en_GB', 'fr', 'xx-yy',
]
const NUMBERS = [0, -0, 1, 5, 4.5, -1, 10, 1e11, 1e15, 8.64e15, 8.64e15 + 1, 1e16, 1e20, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON]

const fieldValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue() },
  { weight: 3, arbitrary: fc.constantFrom(...FIELD_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
)

const FIELD_NAMES = ['id', 'text', 'title', 'rating', 'date', 'author', 'product', 'verified', 'lang', 'channel', 'segment', 'nps', 'ces', 'csat', 'reviewText', 'stars', 'overall', 'review_id', 'summary', 'unixReviewTime', 'other']

/** A row: canonical and alias keys with any value, or any JSON value at all. */
const rowValue = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), fieldValue, { maxKeys: 8 }) },
  { weight: 3, arbitrary: fc.record({ text: fc.string({ maxLength: 40 }) }, { requiredKeys: [] }).chain((r) => fc.dictionary(fc.constantFrom(...FIELD_NAMES), fieldValue, { maxKeys: 5 }).map((d) => ({ ...r, ...d }))) },
  { weight: 1, arbitrary: fc.jsonValue() },
)

const SCALES = [{ min: 1, max: 5 }, { min: 0, max: 10 }, { min: 1, max: 7 }, { min: -3, max: 3 }, { min: 0.5, max: 1 }]

const PHRASES = {
  es: [
    'el envío llegó tarde', 'no me gustó nada', 'muy bueno', 'pésimo', 'lo recomiendo', 'la atención al cliente fue horrible', 'pedí la devolución', 'sin reembolso',
    'la calidad es mala', 'buen precio', 'pero', 'no funciona', 'llegó roto', 'volveré a comprar', 'nunca más', 'la caja venía abierta', 'me encanta', 'es una estafa',
  ],
  it: [
    'la spedizione è stata veloce', 'non funziona', 'ottimo prodotto', 'pessimo', 'lo consiglio', "l'assistenza clienti non risponde", 'ho fatto il reso', 'nessun rimborso',
    'ma', 'la qualità è scarsa', 'prezzo onesto', 'è arrivato rotto', 'non lo ricomprerei', 'perché è così caro', 'sono soddisfatto', 'una truffa',
  ],
  en: [
    'arrived late', 'not good at all', 'great product', 'terrible', 'highly recommend', 'customer service was rude', 'I asked for a refund', 'returned it', 'but',
    'the quality is poor', 'good value for money', "doesn't work", 'broke after a week', 'will buy again', 'never again', 'the box was damaged', 'love it', "it's a scam",
  ],
} as const
const GLUE = [' ', ' ', ', ', '. ', '! ', '!!! ', '? ', '… ', ' 😀 ', ' 👍 ', ' 😡 ', ' :) ', ' :( ', '\n', ' - ']
const NOISE = ['<br>', '&amp;', '&eacute;', '\u200B', '\u00AD', '\u0001', 'e\u0301', '’', '\uD800', '\uDC00', 'https://shop.com/x', 'a@b.com', '+34 600 123 456', 'SOOOO', '5€', '4/5', '#top']

/** A review-like text in one language, with punctuation, emoji and some noise. */
const reviewText = fc.constantFrom('es', 'it', 'en').chain((lang) =>
  fc
    .array(
      fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...PHRASES[lang as keyof typeof PHRASES]) },
        { weight: 4, arbitrary: fc.constantFrom(...GLUE) },
        { weight: 1, arbitrary: fc.constantFrom(...NOISE) },
      ),
      { minLength: 1, maxLength: 24 },
    )
    .map((parts) => parts.join('')),
)

/** Clean review text (no noise), for comparisons with its mojibake form. */
const plainReview = fc.constantFrom('es', 'it', 'en').chain((lang) =>
  fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PHRASES[lang as keyof typeof PHRASES]) }, { weight: 2, arbitrary: fc.constantFrom(...GLUE) }), {
      minLength: 1,
      maxLength: 16,
    })
    .map((parts) => parts.join('')),
)

/** Any UTF-16 string: lone surrogates, controls, everything. */
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 })

const anyText = fc.oneof(
  { weight: 3, arbitrary: reviewText },
  { weight: 2, arbitrary: anyUtf16 },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
)

// ---------------------------------------------------------------------------
// Mojibake: UTF-8 bytes read back as Windows-1252 (undefined bytes as C1 controls).

const CP1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'

function asCp1252(s: string): string {
  let out = ''
  for (const b of new TextEncoder().encode(s)) out += b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : String.fromCharCode(b)
  return out
}

// ---------------------------------------------------------------------------
// Checks

const inRange = (x: unknown, lo: number, hi: number) => typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi

/** Every way a result breaks DESIGN's output row ranges (empty when none). */
function rangeProblems(r: ReviewResult): string[] {
  const p: string[] = []
  if (r.ok !== true) p.push('ok is not true')
  if (!['es', 'it', 'en', 'und'].includes(r.language.code)) p.push(`language.code ${r.language.code}`)
  if (!inRange(r.language.confidence, 0, 1)) p.push(`language.confidence ${r.language.confidence}`)
  if (!inRange(r.sentiment.score, -1, 1)) p.push(`sentiment.score ${r.sentiment.score}`)
  if (!inRange(r.sentiment.stars, 1, 5)) p.push(`sentiment.stars ${r.sentiment.stars}`)
  if (!inRange(r.sentiment.confidence, 0, 1)) p.push(`sentiment.confidence ${r.sentiment.confidence}`)
  if (!['negative', 'neutral', 'positive'].includes(r.sentiment.label)) p.push(`sentiment.label ${r.sentiment.label}`)
  for (const tag of r.journey) {
    if (!inRange(tag.confidence, 0, 1)) p.push(`journey ${tag.stage} confidence ${tag.confidence}`)
    if (!inRange(tag.sentiment.score, -1, 1)) p.push(`journey ${tag.stage} sentiment ${tag.sentiment.score}`)
    if (tag.evidence.length !== tag.spans.length) p.push(`journey ${tag.stage}: ${tag.evidence.length} evidence, ${tag.spans.length} spans`)
  }
  if (!inRange(r.authenticity.fakeScore, 0, 1)) p.push(`fakeScore ${r.authenticity.fakeScore}`)
  if (!['genuine', 'suspicious', 'likely_fake'].includes(r.authenticity.verdict)) p.push(`verdict ${r.authenticity.verdict}`)
  for (const s of r.authenticity.signals) if (!inRange(s.strength, 0, 1)) p.push(`signal ${s.type} strength ${s.strength}`)
  return p
}

/** Every piece of evidence that is not the input substring at its offsets (empty when none). */
function evidenceProblems(r: ReviewResult, text: string, title: string | undefined, halves: { pros?: string | undefined; cons?: string | undefined } = {}): string[] {
  const p: string[] = []
  const source = (field: Span['field']) => (field === 'text' ? text : field === 'title' ? (title ?? '') : (halves[field] ?? ''))
  const check = (where: string, field: Span['field'], start: number, end: number, shown: string) => {
    const s = source(field)
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= s.length)) {
      p.push(`${where}: bad offsets [${start}, ${end}) in ${field} of length ${s.length}`)
    } else if (s.slice(start, end) !== shown) {
      p.push(`${where}: ${JSON.stringify(shown)} is not ${field}[${start}, ${end}) = ${JSON.stringify(s.slice(start, end))}`)
    }
  }
  for (const tag of r.journey) {
    tag.spans.forEach((span, i) => check(`journey ${tag.stage} evidence ${i}`, span.field, span.start, span.end, tag.evidence[i] ?? ''))
  }
  for (const [i, e] of (r.sentiment.explain ?? []).entries()) check(`explain ${i}`, e.field, e.start, e.end, e.text)
  return p
}

// ---------------------------------------------------------------------------

describe('coercion properties', () => {
  const outcome = (x: unknown) => x === undefined || x instanceof Failure || typeof x

  it('never throw, and return a value, undefined or a Failure with a code and message', () => {
    fc.assert(
      fc.property(fieldValue, fc.constantFrom(...SCALES), (value, scale) => {
        const results = [
          coerceRating(value, scale),
          coerceBoolean(value),
          coerceDate(value),
          coerceString(value),
          coerceText(value, 100),
          coerceLang(value),
          coerceScore(value, scale),
        ]
        for (const r of results) {
          if (r instanceof Failure) {
            expect(typeof r.code).toBe('string')
            expect(r.message.length).toBeGreaterThan(0)
          }
        }
        expect(['number', 'undefined', true].includes(outcome(results[0]) as string | boolean)).toBe(true)
      }),
      { seed: SEED, numRuns: 1000 },
    )
  })

  it('read ratings as stars on 1–5, whatever the scale', () => {
    fc.assert(
      fc.property(fieldValue, fc.constantFrom(...SCALES), (value, scale) => {
        const stars = coerceRating(value, scale)
        if (typeof stars === 'number') expect(inRange(stars, 1, 5), `${JSON.stringify(value)} → ${stars}`).toBe(true)
        else expect(stars === undefined || stars instanceof Failure).toBe(true)
      }),
      { seed: SEED, numRuns: 1000 },
    )
  })

  it('read dates as epoch milliseconds a Date can hold', () => {
    fc.assert(
      fc.property(fieldValue, (value) => {
        const ms = coerceDate(value)
        if (typeof ms === 'number') {
          expect(Number.isInteger(ms), `${String(value)} → ${ms}`).toBe(true)
          expect(() => new Date(ms).toISOString(), `${String(value)} → ${ms}`).not.toThrow()
        } else expect(ms === undefined || ms instanceof Failure).toBe(true)
      }),
      { seed: SEED, numRuns: 1000 },
    )
  })

  it('read ISO 8601 dates to the instant they name, and reject impossible ones', () => {
    const two = (n: number) => String(n).padStart(2, '0')
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 0, max: 9999 }),
          mo: fc.integer({ min: 0, max: 13 }),
          d: fc.integer({ min: 0, max: 32 }),
          time: fc.option(fc.record({ h: fc.integer({ min: 0, max: 25 }), mi: fc.integer({ min: 0, max: 61 }), s: fc.option(fc.integer({ min: 0, max: 61 }), { nil: undefined }) }), { nil: undefined }),
          zone: fc.option(fc.record({ sign: fc.constantFrom(1, -1), h: fc.integer({ min: 0, max: 25 }), mi: fc.integer({ min: 0, max: 61 }) }), { nil: undefined }),
        }),
        ({ y, mo, d, time, zone }) => {
          let text = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}`
          if (time !== undefined) text += `T${two(time.h)}:${two(time.mi)}${time.s === undefined ? '' : `:${two(time.s)}`}`
          if (zone !== undefined) text += `${zone.sign > 0 ? '+' : '-'}${two(zone.h)}:${two(zone.mi)}`
          // The instant, built without Date.UTC's "years 0–99 mean 1900–1999".
          const at = new Date(0)
          at.setUTCFullYear(y, mo - 1, d)
          at.setUTCHours(time?.h ?? 0, time?.mi ?? 0, time?.s ?? 0, 0)
          const valid =
            mo >= 1 && mo <= 12 && at.getUTCDate() === d && (time === undefined || (time.h <= 23 && time.mi <= 59 && (time.s ?? 0) <= 59)) &&
            (zone === undefined || (zone.h <= 23 && zone.mi <= 59))
          const ms = coerceDate(text)
          if (!valid) expect(ms, text).toBeInstanceOf(Failure)
          else expect(ms, text).toBe(at.getTime() - (zone === undefined ? 0 : zone.sign * (zone.h * 60 + zone.mi) * 60_000))
        },
      ),
      { seed: SEED, numRuns: 1000 },
    )
  })

  it('keep the other fields in their types', () => {
    fc.assert(
      fc.property(fieldValue, fc.constantFrom(...SCALES), (value, scale) => {
        const flag = coerceBoolean(value)
        expect(flag === undefined || typeof flag === 'boolean' || flag instanceof Failure).toBe(true)
        const s = coerceString(value)
        expect(s === undefined || (typeof s === 'string' && s.length > 0 && s === s.trim()) || s instanceof Failure).toBe(true)
        const lang = coerceLang(value)
        expect(lang === undefined || ['es', 'it', 'en'].includes(lang as string) || lang instanceof Failure).toBe(true)
        const score = coerceScore(value, scale)
        if (typeof score === 'number') expect(inRange(score, scale.min, scale.max)).toBe(true)
        else expect(score === undefined || score instanceof Failure).toBe(true)
        const text = coerceText(value, 100)
        expect((typeof text === 'string' && text.trim() !== '' && text.length <= 100) || text instanceof Failure).toBe(true)
      }),
      { seed: SEED, numRuns: 1000 },
    )
  })
})

describe('row validation properties', () => {
  const validator = new RowValidator(resolveOptions({ keep: ['other'] }))

  it('never throws, and gives a review or an error row that names the row and field', () => {
    fc.assert(
      fc.property(rowValue, fc.nat(1_000_000), (raw, row) => {
        const out = validator.validate(raw, row)
        expect(out.row).toBe(row)
        if (out.ok) {
          expect(typeof out.id).toBe('string')
          expect(typeof out.review.text).toBe('string')
          expect(out.review.text.trim()).not.toBe('')
          expect(out.fields).toHaveProperty('other')
        } else {
          expect(out.id === null || typeof out.id === 'string').toBe(true)
          expect(typeof out.error.field).toBe('string')
          expect(out.error.field.length).toBeGreaterThan(0)
          expect(typeof out.error.code).toBe('string')
          expect(typeof out.error.message).toBe('string')
          expect(out.error.message.length).toBeGreaterThan(0)
        }
      }),
      { seed: SEED, numRuns: 800 },
    )
  })

  it('accepts every row with a non-blank text and no other field', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        fc.pre(text.trim() !== '')
        const out = validator.validate({ text }, 1)
        expect(out.ok).toBe(true)
      }),
      { seed: SEED, numRuns: 250 },
    )
  })
})

describe('options properties', () => {
  it('resolve or throw a RecensioError naming the option, for any JSON value', () => {
    const optionLike = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(
        fc.constantFrom('map', 'keep', 'lang', 'ratingScale', 'cesScale', 'maxTextLength', 'explain', 'taxonomy', 'authenticity', 'workers', 'chunkSize', 'format', 'bogus'),
        fc.oneof(fc.jsonValue(), fc.constantFrom('1-5', '0-10', '5-1', 'es', 'csv', 0, 1, 256, -1, 1.5), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 })),
        { maxKeys: 4 },
      ),
    )
    fc.assert(
      fc.property(optionLike, (options) => {
        try {
          const resolved = resolveOptions(options as Options)
          expect(resolved.schema.maxTextLength).toBeGreaterThan(0)
          expect(resolved.thresholds.suspicious).toBeLessThanOrEqual(resolved.thresholds.likelyFake)
        } catch (error) {
          expect(error).toBeInstanceOf(RecensioError)
          const e = error as RecensioError
          expect(e.code).toBe('invalid_option')
          expect(e.message.length).toBeGreaterThan(0)
        }
      }),
      { seed: SEED, numRuns: 800 },
    )
  })
})

describe('analyze properties', () => {
  const analyzeOptions = fc.record({ explain: fc.boolean(), lang: fc.constantFrom('es', 'it', 'en') }, { requiredKeys: ['explain'] })

  it('never throws on a string and keeps every score in range', () => {
    fc.assert(
      fc.property(anyText, analyzeOptions, (text, options) => {
        const r = analyze(text, options)
        expect(rangeProblems(r)).toEqual([])
        expect(evidenceProblems(r, text, undefined)).toEqual([])
      }),
      { seed: SEED, numRuns: 250 },
    )
  })

  it('never throws on a 100k-character string', () => {
    const parts = fc.sample(anyText, { seed: SEED, numRuns: 300 })
    let text = ''
    for (let i = 0; text.length < 100_000; i++) text += parts[i % parts.length] + ' '
    text = text.slice(0, 100_000)
    const r = analyze(text, { explain: true })
    expect(rangeProblems(r)).toEqual([])
    expect(evidenceProblems(r, text, undefined)).toEqual([])
    // One character past the cap is analyzed up to the cap, with a warning.
    expect(analyze(text + 'x').warnings).toContain('text capped at 100000 characters (maxTextLength)')
  })

  it('either returns or throws a RecensioError for any row', () => {
    fc.assert(
      fc.property(rowValue, (raw) => {
        let result: ReviewResult | undefined
        try {
          result = analyze(raw as never)
        } catch (error) {
          expect(error).toBeInstanceOf(RecensioError)
          return
        }
        expect(rangeProblems(result)).toEqual([])
      }),
      { seed: SEED, numRuns: 300 },
    )
  })

  it('gives the same output for the same input and options', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.string({ maxLength: 30 }), { nil: undefined }), fc.boolean(), (text, title, explain) => {
        const review = title === undefined ? { text: text.trim() === '' ? 'x' : text } : { text: text.trim() === '' ? 'x' : text, title }
        const first = analyze(review, { explain })
        expect(analyze(review, { explain })).toEqual(first)
        expect(analyze({ ...review }, { explain })).toEqual(first)
      }),
      { seed: SEED, numRuns: 120 },
    )
  })

  it('gives evidence and explanations that are exact substrings of the input', () => {
    fc.assert(
      fc.property(reviewText, fc.option(reviewText, { nil: undefined }), (text, title) => {
        fc.pre(text.trim() !== '')
        const review = title === undefined ? { text } : { text, title }
        const r = analyze(review, { explain: true })
        expect(evidenceProblems(r, text, title)).toEqual([])
      }),
      { seed: SEED, numRuns: 250 },
    )
  })

  it('gives the evidence of a review in halves as exact substrings of the half it is in', () => {
    const half = fc.option(reviewText, { nil: undefined })
    const words = (s: string | undefined) => s !== undefined && /[\p{L}\p{N}]/u.test(s)
    fc.assert(
      fc.property(half, half, half, (text, pros, cons) => {
        fc.pre(words(pros) || words(cons))
        const r = analyze({ text, pros, cons }, { explain: true })
        expect(evidenceProblems(r, text ?? '', undefined, { pros, cons })).toEqual([])
      }),
      { seed: SEED, numRuns: 250 },
    )
  })

  it('gives exact evidence for the cues of a user taxonomy', () => {
    fc.assert(
      fc.property(reviewText, fc.integer({ min: 0, max: 1000 }), fc.constantFrom('extend', 'replace'), (text, pick, mode) => {
        fc.pre(text.trim() !== '')
        // Cues taken from the text's own words, so they match: a word and a two-word phrase.
        const field = makeField(text)
        const words = field.tokens.filter((t) => t.kind === 'word' && /^\p{L}+$/u.test(t.norm)).map((t) => t.norm)
        fc.pre(words.length >= 2)
        const i = pick % (words.length - 1)
        const cues = [words[i]!, `${words[i]} ${words[i + 1]}`]
        const taxonomy: NonNullable<Options['taxonomy']> = { mode, stages: [{ id: 'custom_stage', cues: { es: cues, it: cues, en: cues } }] }
        const r = analyze(text, { taxonomy, explain: true })
        expect(rangeProblems(r)).toEqual([])
        expect(evidenceProblems(r, text, undefined)).toEqual([])
        // With the default stages too, a longer default cue may claim the words first.
        if (mode === 'replace') expect(r.journey.map((t) => t.stage)).toEqual(['custom_stage'])
      }),
      { seed: SEED, numRuns: 80 },
    )
  })

  it('keeps evidence exact when the input is mojibake', () => {
    fc.assert(
      fc.property(plainReview, plainReview, (text, title) => {
        fc.pre(text.trim() !== '')
        const broken = { text: asCp1252(text), title: asCp1252(title) }
        const r = analyze(broken, { explain: true })
        expect(evidenceProblems(r, broken.text, broken.title)).toEqual([])
      }),
      { seed: SEED, numRuns: 150 },
    )
  })

  it('reads a text and its mojibake form the same way', () => {
    fc.assert(
      fc.property(plainReview, (text) => {
        const a = analyze(text)
        const b = analyze(asCp1252(text))
        expect(b.language.code).toBe(a.language.code)
        expect(b.sentiment.label).toBe(a.sentiment.label)
        expect(b.sentiment.score).toBe(a.sentiment.score)
        expect(b.journey.map((t) => t.stage)).toEqual(a.journey.map((t) => t.stage))
      }),
      { seed: SEED, numRuns: 300 },
    )
  })

  it('analyzes text over maxTextLength up to the cap', () => {
    fc.assert(
      fc.property(reviewText, fc.integer({ min: 1, max: 120 }), (text, max) => {
        fc.pre(text.length > max)
        const { warnings, ...capped } = analyze(text, { maxTextLength: max })
        const { warnings: _, ...direct } = analyze(text.slice(0, max), { maxTextLength: max })
        expect(capped).toEqual(direct)
        expect(warnings).toContain(`text capped at ${max} characters (maxTextLength)`)
      }),
      { seed: SEED, numRuns: 100 },
    )
  })
})

describe('batch properties', () => {
  async function collect(rows: unknown[], options: Options): Promise<ResultRow[]> {
    const out: ResultRow[] = []
    for await (const r of analyzeBatch(rows, options)) out.push(r)
    return out
  }

  const rows = fc.array(fc.oneof({ weight: 3, arbitrary: reviewText.map((text) => ({ text })) }, { weight: 1, arbitrary: rowValue }), { maxLength: 12 })

  it('gives one row per input row, in order, whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(rows, fc.integer({ min: 1, max: 5 }), async (input, chunkSize) => {
        const out = await collect(input, { chunkSize, workers: 1 })
        expect(out.map((r) => r.row)).toEqual(input.map((_, i) => i + 1))
        expect(await collect(input, { chunkSize: 256, workers: 1 })).toEqual(out)
      }),
      { seed: SEED, numRuns: 30 },
    )
  })

  it('gives each valid row the per-review result analyze gives', async () => {
    await fc.assert(
      fc.asyncProperty(rows, async (input) => {
        const out = await collect(input, { workers: 1 })
        out.forEach((r, i) => {
          if (typeof input[i] === 'string') {
            // analyze() takes a bare string as the text; a batch row must be an object.
            expect(r.ok ? null : r.error.code).toBe('invalid_row')
            return
          }
          let single: ReviewResult | RecensioError
          try {
            single = analyze(input[i] as never)
          } catch (error) {
            single = error as RecensioError
          }
          if (!r.ok) {
            expect(single).toBeInstanceOf(RecensioError)
            const row = input[i]
            if (typeof row !== 'object' || row === null || Array.isArray(row)) {
              // Not an object: analyze names its argument ("review"), where the batch names the row.
              expect((single as RecensioError).issues[0]).toMatchObject({ field: 'review', code: r.error.code })
            } else expect((single as RecensioError).issues[0]).toEqual(r.error)
          } else {
            expect(single).not.toBeInstanceOf(RecensioError)
            const s = JSON.parse(JSON.stringify(single)) as ReviewResult
            expect({ language: r.language, sentiment: r.sentiment, journey: r.journey }).toEqual({ language: s.language, sentiment: s.sentiment, journey: s.journey })
          }
        })
      }),
      { seed: SEED, numRuns: 30 },
    )
  })
})

describe('fingerprint properties', () => {
  const hashes = (s: string) => Array.from(wordShingles(tokenHashes(makeField(s).tokens)))

  it('does not change with case, accents or spacing', () => {
    fc.assert(
      fc.property(plainReview, (text) => {
        const folded = text.normalize('NFD').replace(/\p{M}/gu, '')
        const spaced = text.replace(/ /g, '  ')
        expect(hashes(text.toUpperCase())).toEqual(hashes(text))
        expect(hashes(folded)).toEqual(hashes(text))
        expect(hashes(spaced)).toEqual(hashes(text))
      }),
      { seed: SEED, numRuns: 300 },
    )
  })

  it('hashes with FNV-1a to 32-bit unsigned integers', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        const h = fnv1a(s)
        expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true)
      }),
      { seed: SEED, numRuns: 300 },
    )
  })
})

/**
 * The authenticity data and fingerprints: the generated modules match their
 * sources, fingerprints ignore what should not count (case, accents,
 * punctuation) and estimate similarity close to the exact Jaccard.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { OUT, buildCues } from '../scripts/build-authenticity.js'
import {
  BANDS,
  FINGERPRINT_MIN_WORDS,
  SIGNATURE_WORDS,
  STORED_WORDS,
  estimateSimilarity,
  exactHash,
  fingerprint,
  shinglesOf,
} from '../src/authenticity/fingerprint.js'
import { FEATURES } from '../src/authenticity/generated/style-models.js'
import { FITTED_WEIGHTS } from '../src/authenticity/generated/weights.js'
import { STYLE_FEATURES } from '../src/authenticity/style.js'
import { DEFAULT_WEIGHTS } from '../src/authenticity/verdict.js'
import { makeDoc, tokenHashes, wordShingles } from '../src/text/index.js'

/** A seeded linear congruential generator in [0, 1), for the fingerprint tests' random texts. */
function lcg(seed: number): () => number {
  let state = seed
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 32
  }
}

describe('generated modules', () => {
  it('cues.ts is what scripts/build-authenticity.ts makes from data/authenticity', () => {
    expect(readFileSync(OUT, 'utf8')).toBe(buildCues())
  })
  it('the style models follow the current feature list', () => {
    expect(FEATURES).toEqual([...STYLE_FEATURES])
  })
  it('the default weights are the fitted ones, with cross_listed at 0', () => {
    expect(DEFAULT_WEIGHTS).toEqual({ ...FITTED_WEIGHTS, cross_listed: 0 })
  })
})

function sim(a: string, b: string): number {
  const x = fingerprint(makeDoc(a))!
  const y = fingerprint(makeDoc(b))!
  return estimateSimilarity(x, 1, x[0]!, y, 1, y[0]!)
}

function jaccard(a: string, b: string): number {
  const x = new Set(shinglesOf(makeDoc(a)))
  const y = shinglesOf(makeDoc(b))
  let inter = 0
  for (const h of y) if (x.has(h)) inter++
  return inter / (x.size + y.length - inter)
}

const TEXT =
  'La cafetera calienta en menos de un minuto y el espumador deja la leche cremosa. El depósito se llena por arriba y la limpieza es sencilla, aunque la bandeja es pequeña.'

describe('fingerprint', () => {
  it('is a Uint32Array of SIGNATURE_WORDS words, and null under FINGERPRINT_MIN_WORDS words', () => {
    const sig = fingerprint(makeDoc(TEXT))
    expect(sig).toBeInstanceOf(Uint32Array)
    expect(sig!.length).toBe(SIGNATURE_WORDS)
    expect(fingerprint(makeDoc('uno dos tres cuatro'.split(' ').slice(0, FINGERPRINT_MIN_WORDS - 1).join(' ')))).toBeNull()
  })
  it('ignores case, accents, punctuation and spacing', () => {
    const noisy = TEXT.toUpperCase().replace(/á/g, 'a').replace(/[.,]/g, ' ;  ')
    expect(sim(TEXT, noisy)).toBe(1)
    expect(exactHash(makeDoc(noisy))).toBe(exactHash(makeDoc(TEXT)))
    expect(exactHash(makeDoc(`${TEXT} Extra.`))).not.toBe(exactHash(makeDoc(TEXT)))
  })
  it('estimates the word-3-gram Jaccard of edited copies within a few points', () => {
    const edits = [
      TEXT.replace('cremosa', 'espumosa'),
      TEXT.replace('en menos de un minuto', 'muy rápido'),
      `${TEXT} La recomiendo.`,
      TEXT.replace('El depósito se llena por arriba y la limpieza es sencilla, ', ''),
    ]
    for (const e of edits) expect(Math.abs(sim(TEXT, e) - jaccard(TEXT, e))).toBeLessThan(0.08)
  })
  it('gives unrelated texts a low similarity', () => {
    expect(sim(TEXT, 'Gli auricolari si collegano subito al telefono e la batteria dura tutto il giorno senza problemi di audio.')).toBeLessThan(0.2)
  })
  it('shingles the token keys exactly as the text module does', () => {
    const texts = [
      TEXT,
      'ÉSTE Café es BUENÍSIMOOO y cuesta 12,50 € :D ¡¡Lo recomiendo!! Perfettooo, però caro: 3/4 stelle.',
      'The staff were soooo nice :) and the room had 2 beds, WiFi and a view. Would stay again!!!',
    ]
    for (const t of texts) {
      const doc = makeDoc(t)
      expect(shinglesOf(doc)).toEqual(wordShingles(tokenHashes(doc.body.tokens)).sort())
    }
  })
  it('counts each distinct shingle once: the count, and one sketch bit flip per shingle', () => {
    for (const t of [TEXT, `${TEXT} ${TEXT}`, 'uno dos tres cuatro cinco uno dos tres cuatro cinco uno dos tres']) {
      const doc = makeDoc(t)
      const sig = fingerprint(doc)!
      expect(sig[0]).toBe(shinglesOf(doc).length)
      let ones = 0
      for (let w = 1 + BANDS; w < SIGNATURE_WORDS; w++) for (let x = sig[w]!; x !== 0; x >>>= 1) ones += x & 1
      // Flips of distinct shingles cancel only in pairs, so the parity follows the count.
      expect(ones % 2).toBe(sig[0]! % 2)
    }
    expect(fingerprint(makeDoc(`${TEXT} ${TEXT}`))).toEqual(fingerprint(makeDoc(`${TEXT} ${TEXT} ${TEXT}`)))
    expect(SIGNATURE_WORDS).toBe(1 + STORED_WORDS)
  })
  it('makes short copies with one word changed LSH candidates as often as independent MinHash bands would', () => {
    const rnd = lcg(7)
    const vocabulary = Array.from({ length: 2000 }, (_, i) => `v${i.toString(36)}`)
    let candidates = 0
    const pairs = 1000
    for (let k = 0; k < pairs; k++) {
      const words = Array.from({ length: 10 }, () => vocabulary[Math.floor(rnd() * vocabulary.length)]!)
      const edited = words.slice()
      edited[4 + Math.floor(rnd() * 2)] = vocabulary[Math.floor(rnd() * vocabulary.length)]!
      const x = fingerprint(makeDoc(words.join(' ')))!
      const y = fingerprint(makeDoc(edited.join(' ')))!
      let shared = false
      for (let b = 1; b <= BANDS; b++) if (x[b] === y[b]) shared = true
      if (shared) candidates++
    }
    // 8 shingles each, 5 shared: Jaccard 5/11; 12 bands of 2 independent values give 1 − (1 − J²)^12 = 0.938.
    // Bins left empty by so few shingles must not copy each other (that gave 0.925).
    const j = 5 / 11
    expect(candidates / pairs).toBeGreaterThanOrEqual(1 - (1 - j * j) ** 12 - 0.01)
  })
  it('answers "at least the floor?" the same with and without the floor shortcut', () => {
    const rnd = lcg(5)
    const vocabulary = Array.from({ length: 300 }, (_, i) => `u${i.toString(36)}`)
    let below = 0
    let above = 0
    for (let k = 0; k < 400; k++) {
      const words = Array.from({ length: 6 + Math.floor(rnd() * 80) }, () => vocabulary[Math.floor(rnd() * vocabulary.length)]!)
      // From a light edit to an unrelated text, so pairs land on both sides of every floor.
      const edited = words.map((w) => (rnd() < k / 400 ? vocabulary[Math.floor(rnd() * vocabulary.length)]! : w))
      const x = fingerprint(makeDoc(words.join(' ')))!
      const y = fingerprint(makeDoc(edited.join(' ')))!
      const exact = estimateSimilarity(x, 1, x[0]!, y, 1, y[0]!)
      expect(exact).toBeGreaterThanOrEqual(0)
      expect(exact).toBeLessThanOrEqual(1)
      for (const floor of [0.3, 0.45, 0.6, 0.8]) {
        const fast = estimateSimilarity(x, 1, x[0]!, y, 1, y[0]!, floor)
        expect(fast >= floor).toBe(exact >= floor)
        if (exact >= floor) expect(fast).toBe(exact)
        else expect(fast).toBeGreaterThanOrEqual(exact)
        if (floor === 0.45) exact >= floor ? above++ : below++
      }
    }
    expect(Math.min(below, above)).toBeGreaterThan(50)
  })
  it('estimates the Jaccard of edited random texts of 10 to 600 words closely', () => {
    const rnd = lcg(11)
    const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`)
    let sumError = 0
    let worst = 0
    const pairs = 150
    for (let k = 0; k < pairs; k++) {
      const words = Array.from({ length: 10 + Math.floor(rnd() * 590) }, () => vocabulary[Math.floor(rnd() * vocabulary.length)]!)
      const edited = words.slice()
      const edits = Math.floor(rnd() * 0.12 * words.length) + 1
      for (let e = 0; e < edits; e++) edited[Math.floor(rnd() * edited.length)] = vocabulary[Math.floor(rnd() * vocabulary.length)]!
      const a = words.join(' ')
      const b = edited.join(' ')
      const error = Math.abs(sim(a, b) - jaccard(a, b))
      sumError += error
      worst = Math.max(worst, error)
    }
    expect(sumError / pairs).toBeLessThan(0.015)
    expect(worst).toBeLessThan(0.08)
  })
})


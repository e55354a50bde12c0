/**
 * The authenticity data and fingerprints: the generated modules match their
 * sources, fingerprints ignore what should not count (case, accents,
 * punctuation) and estimate similarity close to the exact Jaccard.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { OUT, buildCues } from '../scripts/build-authenticity.js'
import { FINGERPRINT_MIN_WORDS, SIGNATURE_WORDS, estimateSimilarity, exactHash, fingerprint, shinglesOf } from '../src/authenticity/fingerprint.js'
import { FEATURES } from '../src/authenticity/generated/style-models.js'
import { FITTED_WEIGHTS } from '../src/authenticity/generated/weights.js'
import { STYLE_FEATURES } from '../src/authenticity/style.js'
import { DEFAULT_WEIGHTS } from '../src/authenticity/verdict.js'
import { makeDoc } from '../src/text/index.js'

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
})

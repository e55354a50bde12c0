import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyze } from '../src/index.js'
import { NO_WORD_ID, fnv1a, hashOf, keyIdOf, limitWordIds, makeField, wordIdCount, wordOf } from '../src/text/index.js'

const DATA = resolve(import.meta.dirname, '../../shared/data')

const words = (text: string) => makeField(text).tokens.filter((t) => t.kind === 'word')

describe('word ids', () => {
  it('gives one id per word form, whatever the case or the text around it', () => {
    const [a, b, c] = [words('Pésimo servicio')[0]!, words('muy PÉSIMO.')[1]!, words('pésimo')[0]!]
    expect(a.normId).not.toBe(NO_WORD_ID)
    expect(b.normId).toBe(a.normId)
    expect(c.normId).toBe(a.normId)
    expect(wordOf(a.normId)).toBe('pésimo')
  })

  it('points the key id at the accent-folded form', () => {
    const [accented, plain] = [words('pésimo')[0]!, words('pesimo')[0]!]
    expect(accented.id).toBe(plain.id)
    expect(accented.id).toBe(keyIdOf(accented.normId))
    expect(wordOf(accented.id)).toBe('pesimo')
    expect(plain.normId).toBe(plain.id)
  })

  it('keeps the FNV-1a hash of each word', () => {
    for (const t of words('Perché così tanto? Ottimo caffè, grazie')) {
      expect(hashOf(t.id) >>> 0).toBe(fnv1a(t.key))
      expect(hashOf(t.normId) >>> 0).toBe(fnv1a(t.norm))
    }
  })

  it('gives an elongated word the id of its squeezed form', () => {
    const [long, squeezed] = [words('buenooooo')[0]!, words('buenoo')[0]!]
    expect(long.elongated).toBe(true)
    expect(long.norm).toBe('buenoo')
    expect(long.normId).toBe(squeezed.normId)
  })

  it('gives no id to words past the length bound', () => {
    const [w] = words('a'.repeat(10) + 'bcdefghij'.repeat(8))
    expect(w!.id).toBe(NO_WORD_ID)
    expect(w!.normId).toBe(NO_WORD_ID)
  })

  it('gives the same results when the word table is full', () => {
    const texts = [
      'No me gustó nada, llegó tarde y roto. ¡Pésimo servicio! Nunca más.',
      'Prodotto ottimo, consegna velocissima. Lo consiglio a tutti!!! 5 stelle',
      "Doesn't work. Customer service was terrible and the refund took 3 weeks :(",
      'BUENÍSIMOOOO el café, aunque caro. Lo volvería a comprar.',
      'Sono rimasto deluso: si è rotto dopo una settimana, ma il reso è stato facile.',
    ]
    if (existsSync(DATA)) {
      for (const file of ['sentiment_es.jsonl', 'sentiment_it.jsonl', 'sentiment_en.jsonl']) {
        const lines = readFileSync(resolve(DATA, file), 'utf8').split('\n').filter((l) => l.trim() !== '')
        for (const line of lines.slice(0, 150)) texts.push((JSON.parse(line) as { text: string }).text)
      }
    }
    const options = { explain: true }
    // Full from the start: no word of these texts gets an id, every part reads them by string.
    limitWordIds(wordIdCount())
    const withoutIds = texts.map((t) => analyze(t, options))
    expect(words(texts[0]!).filter((t) => t.id === NO_WORD_ID).length).toBeGreaterThan(5)
    limitWordIds(Number.MAX_SAFE_INTEGER)
    const withIds = texts.map((t) => analyze(t, options))
    expect(words(texts[0]!).every((t) => t.id !== NO_WORD_ID)).toBe(true)
    expect(withIds).toEqual(withoutIds)
    // Full again after the lexicons were built with ids: new words are read by string beside them.
    const fresh = texts.map((t) => `${t} zqxunseen${t.length}`)
    limitWordIds(wordIdCount())
    const lateWithout = fresh.map((t) => analyze(t, options))
    expect(words(fresh[0]!).some((t) => t.id === NO_WORD_ID)).toBe(true)
    limitWordIds(Number.MAX_SAFE_INTEGER)
    expect(words(fresh[0]!).some((t) => t.id === NO_WORD_ID)).toBe(false)
    expect(fresh.map((t) => analyze(t, options))).toEqual(lateWithout)
  })
})

import { describe, expect, it } from 'vitest'
import { TokenPool, makeDoc } from '../src/text/index.js'

const TEXTS = [
  'No me gustó nada, llegó tarde y roto. ¡Pésimo servicio! Nunca más :( www.example.com',
  'Ottimo!!! 5 stelle ★★★★★ — consegna velocissima, 3,5 kg, +39 333 123 4567',
  "Doesn't work. WORST purchase everrr 😡 #fail @brand",
]

describe('token pool', () => {
  it('gives the same tokens as fresh ones', () => {
    const pool = new TokenPool()
    for (const text of TEXTS) {
      const pooled = makeDoc(text, 'Title here', pool)
      const fresh = makeDoc(text, 'Title here')
      expect(pooled.body.tokens).toEqual(fresh.body.tokens)
      expect(pooled.title!.tokens).toEqual(fresh.title!.tokens)
    }
  })

  it('reuses the token objects of the previous doc', () => {
    const pool = new TokenPool()
    const first = makeDoc(TEXTS[0]!, null, pool).body.tokens[0]!
    const second = makeDoc(TEXTS[1]!, null, pool).body.tokens[0]!
    expect(second).toBe(first)
    expect(makeDoc(TEXTS[1]!).body.tokens[0]).not.toBe(first)
  })
})

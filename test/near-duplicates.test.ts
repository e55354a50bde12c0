/**
 * `NearDuplicateIndex`: reviews screened one at a time against the ones
 * added before, with the batch's fingerprint and similarity estimate.
 */
import { describe, expect, it } from 'vitest'
import { NearDuplicateIndex, RecensioError } from '../src/index.js'
import { estimateSimilarity, fingerprint } from '../src/authenticity/fingerprint.js'
import { makeDoc } from '../src/text/index.js'
import { prng } from './batch-util.js'

const BLENDER = 'The blender crushes ice in seconds and the jar is easy to clean after smoothies.'
const EDITED = 'The blender crushes ice in seconds and the jar is really easy to clean after my smoothies!'
const OTHER = 'La cafetera llegó rota y el servicio de atención nunca respondió a mis correos.'

function pairSimilarity(a: string, b: string): number {
  const x = fingerprint(makeDoc(a))!
  const y = fingerprint(makeDoc(b))!
  return estimateSimilarity(x, 1, x[0]!, y, 1, y[0]!)
}

describe('NearDuplicateIndex', () => {
  it('finds exact and edited copies of earlier reviews, and nothing for an unrelated one', () => {
    const index = new NearDuplicateIndex()
    expect(index.add('r1', BLENDER)).toEqual([])
    expect(index.add('r2', OTHER)).toEqual([])
    expect(index.match(BLENDER)).toEqual([{ id: 'r1', similarity: 1 }])
    const edited = index.match(EDITED)
    expect(edited.map((m) => m.id)).toEqual(['r1'])
    expect(edited[0]!.similarity).toBeGreaterThanOrEqual(0.45)
    expect(edited[0]!.similarity).toBeLessThan(1)
    expect(edited[0]!.similarity).toBe(Math.round(pairSimilarity(EDITED, BLENDER) * 1000) / 1000)
    expect(index.match('Il frullatore è arrivato in tempo ma il coperchio non chiude bene per niente.')).toEqual([])
  })

  it('screens and stores in one call: add returns what the review repeats, then later reviews find it', () => {
    const index = new NearDuplicateIndex()
    index.add('a', BLENDER)
    expect(index.add('b', EDITED).map((m) => m.id)).toEqual(['a'])
    const both = index.match(BLENDER)
    expect(both.map((m) => m.id)).toEqual(['a', 'b'])
    expect(both[0]!.similarity).toBe(1)
    expect(index.match(BLENDER, 1)).toHaveLength(1)
    expect(index.size).toBe(2)
  })

  it('replaces the text of an id added again: no review copies itself, and matches name each id once', () => {
    const index = new NearDuplicateIndex()
    index.add('a', BLENDER)
    // The same review submitted twice is not its own copy, and is stored once.
    expect(index.add('a', BLENDER)).toEqual([])
    expect(index.match(BLENDER).map((m) => m.id)).toEqual(['a'])
    expect(index.size).toBe(1)
    // Edited under the same id: its earlier text is no longer matched, the new one is.
    const other = 'Il frullatore è arrivato in tempo ma il coperchio non chiude bene per niente.'
    expect(index.add('a', other)).toEqual([])
    expect(index.match(BLENDER)).toEqual([])
    expect(index.match(other).map((m) => m.id)).toEqual(['a'])
    // Another review copying it is still found.
    expect(index.add('b', other).map((m) => m.id)).toEqual(['a'])
    expect(index.size).toBe(2)
    // Edited down to a text too short to fingerprint: the earlier text goes, and the short one is not stored.
    expect(index.add('b', 'ok!')).toEqual([])
    expect(index.match(other).map((m) => m.id)).toEqual(['a'])
    expect(index.size).toBe(1)
    expect(index.add('b', other).map((m) => m.id)).toEqual(['a'])
  })

  it('leaves out the stored text of the id given to match, so an edit is not its own copy', () => {
    const index = new NearDuplicateIndex()
    index.add('pub-1', BLENDER)
    index.add('pub-2', OTHER)
    // Without the id the edited review finds its own published text.
    expect(index.match(EDITED).map((m) => m.id)).toEqual(['pub-1'])
    expect(index.match(EDITED, { id: 'pub-1' })).toEqual([])
    // A real copy by another review is still found, and not hidden behind the own text by a small limit.
    index.add('pub-3', EDITED)
    expect(index.match(BLENDER, 1).map((m) => m.id)).toEqual(['pub-1'])
    expect(index.match(BLENDER, { id: 'pub-1', limit: 1 }).map((m) => m.id)).toEqual(['pub-3'])
    // An id never added leaves nothing out.
    expect(index.match(BLENDER, { id: 'new' }).map((m) => m.id)).toEqual(['pub-1', 'pub-3'])
    // Nothing was stored by looking.
    expect(index.size).toBe(3)
  })

  it('forgets a deleted review: it is no longer matched, and its id can be added again', () => {
    const index = new NearDuplicateIndex()
    index.add('a', BLENDER)
    index.add('b', OTHER)
    expect(index.delete('a')).toBe(true)
    expect(index.size).toBe(1)
    expect(index.match(BLENDER)).toEqual([])
    expect(index.match(EDITED)).toEqual([])
    expect(index.add('c', BLENDER)).toEqual([])
    expect(index.delete('a')).toBe(false)
    expect(index.delete('never')).toBe(false)
    expect(index.add('a', EDITED).map((m) => m.id)).toEqual(['c'])
    expect(index.match(BLENDER).map((m) => m.id)).toEqual(['c', 'a'])
    expect(() => index.delete('')).toThrow(/NearDuplicateIndex.delete: expected a non-empty string id/)
  })

  it('keeps memory to the stored reviews however often they are edited or deleted, with the same matches', () => {
    const rand = prng(7)
    const words = 'pedido caja envío cafetera molinillo filtro agua vapor taza rápido roto lento barato caro bueno malo'.split(' ')
    const text = () => Array.from({ length: 12 }, () => words[Math.floor(rand() * words.length)]!).join(' ')
    const index = new NearDuplicateIndex()
    const live = new Map<string, string>()
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 100; i++) {
        const id = `t${i}`
        if (rand() < 0.1) {
          index.delete(id)
          live.delete(id)
        } else {
          const t = text()
          index.add(id, t)
          live.set(id, t)
        }
      }
    }
    const held = (index as unknown as { ids: string[] }).ids.length
    expect(index.size).toBe(live.size)
    // 4,000 calls on 100 ids: without compaction every old text would still be held.
    expect(held).toBeLessThanOrEqual(2 * live.size + 1024)
    const fresh = new NearDuplicateIndex()
    for (const [id, t] of live) fresh.add(id, t)
    for (const t of [...live.values()].slice(0, 20)) expect(index.match(t, 100)).toEqual(fresh.match(t, 100))
  })

  it('names a bad option of match', () => {
    const index = new NearDuplicateIndex()
    expect(() => index.match(BLENDER, { limit: 0 })).toThrow(/limit must be a whole number/)
    expect(() => index.match(BLENDER, { id: '' })).toThrow(/NearDuplicateIndex.match: expected a non-empty string id/)
    expect(() => index.match(BLENDER, { except: 'a' } as never)).toThrow(/unknown option "except"/)
    expect(() => index.match(BLENDER, null as never)).toThrow(/expected a limit or \{ limit, id \}, got null/)
  })

  it('neither matches nor stores texts too short to fingerprint', () => {
    const index = new NearDuplicateIndex()
    expect(index.add('s1', 'Great product!')).toEqual([])
    expect(index.add('s2', 'Great product!')).toEqual([])
    expect(index.size).toBe(0)
  })

  it('finds the near-duplicate pairs an all-pairs comparison finds, on edited copies', () => {
    const rand = prng(99)
    const words = 'blender jar ice smoothie lid motor blade speed noise power button glass clean fast slow cheap sturdy'.split(' ')
    const base = Array.from({ length: 40 }, () => Array.from({ length: 18 }, () => words[Math.floor(rand() * words.length)]!))
    const texts: string[] = []
    for (const b of base) {
      texts.push(b.join(' '))
      const copy = [...b]
      copy[Math.floor(rand() * copy.length)] = 'really'
      texts.push(copy.join(' '))
    }
    const index = new NearDuplicateIndex()
    let expected = 0
    let found = 0
    texts.forEach((t, k) => {
      const matched = new Set(index.add(String(k), t).map((m) => Number(m.id)))
      for (let j = 0; j < k; j++) {
        if (pairSimilarity(t, texts[j]!) < 0.45) continue
        expected++
        if (matched.has(j)) found++
      }
    })
    expect(expected).toBeGreaterThanOrEqual(40)
    expect(found / expected).toBeGreaterThan(0.95)
  })

  it('says what is wrong with a bad threshold, id or text', () => {
    expect(() => new NearDuplicateIndex({ threshold: 0 })).toThrow(RecensioError)
    expect(() => new NearDuplicateIndex({ threshold: 1.5 })).toThrow(/threshold must be a number in \(0, 1\]/)
    const index = new NearDuplicateIndex({ threshold: 0.9 })
    expect(() => index.add('', BLENDER)).toThrow(/non-empty string id/)
    expect(() => new NearDuplicateIndex({ thresh: 0.5 } as never)).toThrow(/unknown option "thresh"/)
    expect(() => index.match(BLENDER, 0.5)).toThrow(/limit must be a whole number/)
    expect(() => index.add('r9', 'Too short', 0)).toThrow(/limit must be a whole number/)
    // add takes its limit as match does, a number or { limit }.
    const copies = new NearDuplicateIndex()
    copies.add('c1', BLENDER)
    copies.add('c2', BLENDER)
    expect(copies.add('c3', BLENDER, { limit: 1 }).map((m) => m.id)).toEqual(['c1'])
    expect(copies.add('c4', BLENDER, {}).map((m) => m.id)).toEqual(['c1', 'c2', 'c3'])
    expect(() => index.add('r9', BLENDER, { limit: 0 })).toThrow(/limit must be a whole number/)
    expect(() => index.add('r9', BLENDER, { id: 'r9' } as never)).toThrow('NearDuplicateIndex.add: unknown option "id": add takes the id as its first argument')
    expect(() => new NearDuplicateIndex(null as never)).not.toThrow()
    expect(() => index.match(42 as unknown as string)).toThrow(/expected the review's text as a string/)
    // A number given as a string is named as one: "got 0.5" would read as a value in range.
    expect(() => new NearDuplicateIndex({ threshold: '0.5' as never })).toThrow('threshold must be a number in (0, 1], got "0.5"')
    expect(() => index.match(BLENDER, { limit: '3' as never })).toThrow('limit must be a whole number of matches, at least 1, got "3"')
    index.add('r1', BLENDER)
    expect(index.match(EDITED)).toEqual([])
  })

  it('says what it got for an id or a text that is no string, such as a database\'s numeric id', () => {
    const index = new NearDuplicateIndex()
    expect(() => index.add(42 as unknown as string, BLENDER)).toThrow('NearDuplicateIndex.add: expected a non-empty string id, got 42')
    expect(() => index.delete(undefined as unknown as string)).toThrow('NearDuplicateIndex.delete: expected a non-empty string id, got nothing')
    expect(() => index.add('r1', null as unknown as string)).toThrow("NearDuplicateIndex.add: expected the review's text as a string, got null")
    expect(() => new NearDuplicateIndex('strict' as never)).toThrow('NearDuplicateIndex: options must be an object, got "strict"')
  })

  it('names the argument of each refusal in the error issues, as option errors do', () => {
    const fieldOf = (f: () => unknown) => {
      try {
        f()
      } catch (error) {
        expect(error).toBeInstanceOf(RecensioError)
        return (error as RecensioError).issues.map((i) => `${i.field}:${i.code}`)
      }
      throw new Error('expected a throw')
    }
    const index = new NearDuplicateIndex()
    expect(fieldOf(() => new NearDuplicateIndex({ threshold: 2 }))).toEqual(['threshold:invalid_option'])
    expect(fieldOf(() => new NearDuplicateIndex({ thresh: 0.5, top: 3 } as never))).toEqual(['thresh:invalid_option', 'top:invalid_option'])
    expect(fieldOf(() => index.match(BLENDER, 0))).toEqual(['limit:invalid_option'])
    expect(fieldOf(() => index.add('', BLENDER))).toEqual(['id:invalid_value'])
    expect(fieldOf(() => index.add('r1', 42 as unknown as string))).toEqual(['text:invalid_value'])
  })
})

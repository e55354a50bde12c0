/**
 * The bundled sample dump (`data/sample/reviews.jsonl`) and its answer key
 * (`data/sample/planted.json`): the file has the shape its README describes,
 * and every planted case is really in it, so tests of the detectors can rely on
 * the key.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RowValidator, resolveOptions } from '../src/review/index.js'

const root = resolve(import.meta.dirname, '..')
const raw = readFileSync(resolve(root, 'data/sample/reviews.jsonl'), 'utf8')
const lines = raw.split('\n').slice(0, -1)

interface BadRow {
  row: number
  id: string
  field: string
  problem: string
}

interface Planted {
  burst: string[]
  copies: string[][]
  crossListed: string[]
  spam: string[]
  incentivized: string[]
  mismatch: string[]
  badRows: BadRow[]
  languages: Record<'es' | 'it' | 'en', string[]>
}

const planted = JSON.parse(readFileSync(resolve(root, 'data/sample/planted.json'), 'utf8')) as Planted

interface Row {
  id: string
  product: string
  author: string
  date: string
  rating: number
  verified: boolean
  title?: string
  text: string
  lang?: string
  channel?: string
  segment?: string
  nps?: number
  ces?: number
}

/** Line number (1-based) → parsed value, or undefined when the line is not JSON. */
const parsed = new Map<number, unknown>()
lines.forEach((line, i) => {
  try {
    parsed.set(i + 1, JSON.parse(line))
  } catch {
    parsed.set(i + 1, undefined)
  }
})

const badLines = new Set(planted.badRows.map((b) => b.row))
/** The well-formed rows: every line that is not a planted bad row. */
const rows: Row[] = []
for (const [n, value] of parsed) if (!badLines.has(n)) rows.push(value as Row)
const byId = new Map(rows.map((r) => [r.id, r]))

const PRODUCTS = [
  'cm200-coffee-machine',
  'rs9-shoes-blue',
  'rs9-shoes-red',
  'eb5-earbuds',
  'pc11-phone-case',
  'hotel-marina-stay',
  'kb3-kids-backpack',
  'fc50-face-cream',
]

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
}

/** Jaccard similarity of word 3-shingles (what a near-duplicate detector sees). */
function similarity(a: string, b: string): number {
  const shingles = (t: string) => {
    const w = words(t)
    const s = new Set<string>()
    for (let i = 0; i + 3 <= w.length; i++) s.add(w.slice(i, i + 3).join(' '))
    return s
  }
  const sa = shingles(a)
  const sb = shingles(b)
  let inter = 0
  for (const x of sa) if (sb.has(x)) inter++
  return inter / (sa.size + sb.size - inter)
}

function day(date: string): string {
  return date.slice(0, 10)
}

function baseProduct(product: string): string {
  return product.replace(/-(blue|red)$/, '')
}

describe('sample dump file', () => {
  it('has about 300 non-empty lines and ends with a newline', () => {
    expect(raw.endsWith('\n')).toBe(true)
    expect(lines.length).toBeGreaterThanOrEqual(290)
    expect(lines.length).toBeLessThanOrEqual(310)
    expect(lines.filter((l) => l.trim() === '')).toEqual([])
  })

  it('has every line a JSON object except the planted bad rows of field "row"', () => {
    for (const [n, value] of parsed) {
      const isObject = typeof value === 'object' && value !== null && !Array.isArray(value)
      const bad = planted.badRows.find((b) => b.row === n)
      if (bad?.field === 'row') expect(isObject, `line ${n}`).toBe(false)
      else expect(isObject, `line ${n}`).toBe(true)
    }
    // One of them is not JSON at all, one is a JSON array.
    const rowBad = planted.badRows.filter((b) => b.field === 'row').map((b) => parsed.get(b.row))
    expect(rowBad.some((v) => v === undefined)).toBe(true)
    expect(rowBad.some((v) => Array.isArray(v))).toBe(true)
  })

  it('validates against the input contract, except the bad rows, which fail on the named field', () => {
    const validator = new RowValidator(resolveOptions())
    for (const [n, value] of parsed) {
      const bad = planted.badRows.find((b) => b.row === n)
      if (value === undefined) {
        expect(bad?.field, `line ${n}`).toBe('row')
        continue
      }
      const result = validator.validate(value, n)
      if (bad === undefined) expect(result.ok, `line ${n}: ${JSON.stringify(result)}`).toBe(true)
      else {
        expect(result.ok, `line ${n}`).toBe(false)
        if (!result.ok) expect(result.error.field, `line ${n}`).toBe(bad.field)
      }
    }
  })

  it('has unique ids, and each planted bad row names the id on its line', () => {
    const ids = rows.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const b of planted.badRows) {
      expect(lines[b.row - 1]).toContain(`"${b.id}"`)
      expect(byId.has(b.id)).toBe(false)
    }
  })

  it('covers the seven products (eight ids: the shoes come in two colours)', () => {
    const counts = new Map<string, number>()
    for (const r of rows) counts.set(r.product, (counts.get(r.product) ?? 0) + 1)
    expect([...counts.keys()].sort()).toEqual([...PRODUCTS].sort())
    for (const [product, n] of counts) expect(n, product).toBeGreaterThanOrEqual(15)
    expect(new Set(rows.map((r) => baseProduct(r.product))).size).toBe(7)
  })

  it('is in Spanish, Italian and English (about 110/90/100), with `lang` on a minority of rows', () => {
    const { es, it: itIds, en } = planted.languages
    expect(Math.abs(es.length - 110)).toBeLessThanOrEqual(10)
    expect(Math.abs(itIds.length - 90)).toBeLessThanOrEqual(10)
    expect(Math.abs(en.length - 100)).toBeLessThanOrEqual(10)
    const langOf = new Map<string, string>()
    for (const [code, ids] of Object.entries(planted.languages)) for (const id of ids) langOf.set(id, code)
    // Every row with a text is labelled, once.
    const withText = rows.filter((r) => typeof r.text === 'string' && r.text.trim() !== '')
    for (const r of withText) expect(langOf.has(r.id), r.id).toBe(true)
    expect(langOf.size).toBe(es.length + itIds.length + en.length)
    const tagged = rows.filter((r) => r.lang !== undefined)
    for (const r of tagged) expect(r.lang, r.id).toBe(langOf.get(r.id))
    expect(tagged.length).toBeGreaterThan(rows.length * 0.05)
    expect(tagged.length).toBeLessThan(rows.length * 0.25)
  })

  it('has all star ratings in a J-shaped distribution', () => {
    const n = [0, 0, 0, 0, 0, 0]
    for (const r of rows) if (typeof r.rating === 'number') n[r.rating]!++
    expect(n.slice(1).every((c) => c > 0)).toBe(true)
    expect(n[5]).toBeGreaterThan(n[4]!)
    expect(n[4]).toBeGreaterThan(n[3]!)
    expect(n[1]).toBeGreaterThan(n[2]!)
    expect(n[1]).toBeGreaterThan(n[3]!)
  })

  it('spreads dates over 2024-01 to 2024-09', () => {
    const months = new Set<string>()
    for (const r of rows) {
      if (!/^\d{4}-\d{2}-\d{2}/.test(r.date)) continue
      expect(r.date >= '2024-01-01' && r.date < '2024-10-01', r.id).toBe(true)
      months.add(r.date.slice(0, 7))
    }
    expect(months.size).toBe(9)
  })

  it('has survey answers (NPS 0–10, CES 1–7) on about 60 rows, and channel and segment on some', () => {
    const survey = rows.filter((r) => r.nps !== undefined)
    expect(survey.length).toBeGreaterThanOrEqual(50)
    expect(survey.length).toBeLessThanOrEqual(80)
    for (const r of survey) {
      expect(Number.isInteger(r.nps) && r.nps! >= 0 && r.nps! <= 10, r.id).toBe(true)
      expect(Number.isInteger(r.ces) && r.ces! >= 1 && r.ces! <= 7, r.id).toBe(true)
    }
    const channels = new Set(rows.flatMap((r) => (r.channel === undefined ? [] : [r.channel])))
    const segments = new Set(rows.flatMap((r) => (r.segment === undefined ? [] : [r.segment])))
    expect([...channels].sort()).toEqual(['app', 'store', 'web'])
    expect([...segments].sort()).toEqual(['business', 'retail'])
  })

  it('has the messy text a real export has: mojibake, HTML, emoji, capitals, one-word reviews', () => {
    const texts = rows.map((r) => r.text ?? '')
    expect(texts.filter((t) => /Ã[\u0080-\u00bf]/.test(t)).length).toBeGreaterThanOrEqual(2)
    expect(texts.filter((t) => /<br>|&amp;|&quot;/.test(t)).length).toBeGreaterThanOrEqual(2)
    expect(texts.filter((t) => /\p{Extended_Pictographic}/u.test(t)).length).toBeGreaterThanOrEqual(10)
    expect(texts.filter((t) => t.length > 20 && t === t.toUpperCase()).length).toBeGreaterThanOrEqual(2)
    expect(texts.filter((t) => words(t).length === 1).length).toBeGreaterThanOrEqual(4)
    expect(texts.filter((t) => (t.match(/[.!?](\s|$)/g) ?? []).length >= 5).length).toBeGreaterThanOrEqual(4)
  })
})

describe('planted cases', () => {
  it('names only ids that exist, each in one case at most', () => {
    const all = [
      ...planted.burst,
      ...planted.copies.flat(),
      ...planted.crossListed,
      ...planted.spam,
      ...planted.incentivized,
      ...planted.mismatch,
    ]
    for (const id of all) expect(byId.has(id), id).toBe(true)
    expect(new Set(all).size).toBe(all.length)
  })

  it('has a burst: one product, one day, ≥15 five-star reviews within 4 hours by authors seen nowhere else', () => {
    const burst = planted.burst.map((id) => byId.get(id)!)
    expect(burst.length).toBeGreaterThanOrEqual(15)
    expect(new Set(burst.map((r) => r.product)).size).toBe(1)
    expect(new Set(burst.map((r) => day(r.date))).size).toBe(1)
    expect(burst.every((r) => r.rating === 5)).toBe(true)
    const times = burst.map((r) => Date.parse(r.date))
    expect(times.every(Number.isFinite)).toBe(true)
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(4 * 3_600_000)
    const authors = new Set(burst.map((r) => r.author))
    expect(authors.size).toBe(burst.length)
    const inBurst = new Set(planted.burst)
    for (const r of rows) if (!inBurst.has(r.id)) expect(authors.has(r.author), r.id).toBe(false)
  })

  it('has no other spike: at most 3 reviews per product and day outside the burst', () => {
    const inBurst = new Set(planted.burst)
    const counts = new Map<string, number>()
    for (const r of rows) {
      if (inBurst.has(r.id)) continue
      const key = `${r.product} ${day(r.date)}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(3)
  })

  it('has near-copied texts by different authors, some across products', () => {
    expect(planted.copies.length).toBeGreaterThanOrEqual(2)
    for (const cluster of planted.copies) {
      const rs = cluster.map((id) => byId.get(id)!)
      expect(rs.length).toBeGreaterThanOrEqual(2)
      expect(new Set(rs.map((r) => r.author)).size).toBe(rs.length)
      for (let i = 0; i < rs.length; i++) {
        for (let j = i + 1; j < rs.length; j++) {
          expect(rs[i]!.text).not.toBe(rs[j]!.text)
          expect(similarity(rs[i]!.text, rs[j]!.text), `${rs[i]!.id} ~ ${rs[j]!.id}`).toBeGreaterThanOrEqual(0.5)
        }
      }
    }
    expect(planted.copies.some((c) => new Set(c.map((id) => byId.get(id)!.product)).size > 1)).toBe(true)
  })

  it('has no unplanted near-copies among texts of 8 words or more', () => {
    const known = new Set([...planted.copies.flat(), ...planted.crossListed])
    const long = rows.filter((r) => !known.has(r.id) && typeof r.text === 'string' && words(r.text).length >= 8)
    for (let i = 0; i < long.length; i++) {
      for (let j = i + 1; j < long.length; j++) {
        expect(similarity(long[i]!.text, long[j]!.text), `${long[i]!.id} ~ ${long[j]!.id}`).toBeLessThan(0.3)
      }
    }
  })

  it('has a cross-listing pair: same author, text, date and rating on two colours of one product', () => {
    expect(planted.crossListed).toHaveLength(2)
    const [a, b] = planted.crossListed.map((id) => byId.get(id)!) as [Row, Row]
    expect([a.author, a.text, a.date, a.rating]).toEqual([b.author, b.text, b.date, b.rating])
    expect(a.product).not.toBe(b.product)
    expect(baseProduct(a.product)).toBe(baseProduct(b.product))
  })

  it('has spam with links, phone numbers, promo codes or messenger contacts', () => {
    expect(planted.spam.length).toBeGreaterThanOrEqual(2)
    for (const id of planted.spam) {
      expect(byId.get(id)!.text, id).toMatch(/https?:\/\/|www\.|\+\d[\d ]{7,}|whatsapp|telegram|c[oó]digo/i)
    }
    const all = planted.spam.map((id) => byId.get(id)!.text).join(' ')
    expect(all).toMatch(/https?:\/\/|www\./)
    expect(all).toMatch(/\+\d[\d ]{7,}/)
    expect(all).toMatch(/WhatsApp/)
  })

  it('has an incentivized disclosure in each language', () => {
    const langOf = new Map<string, string>()
    for (const [code, ids] of Object.entries(planted.languages)) for (const id of ids) langOf.set(id, code)
    expect(new Set(planted.incentivized.map((id) => langOf.get(id)))).toEqual(new Set(['es', 'it', 'en']))
    for (const id of planted.incentivized) {
      expect(byId.get(id)!.text, id).toMatch(/for free in exchange|recibido gratis|ricevuto gratuitamente|sent me/i)
    }
  })

  it('has 3–5 reviews whose stars contradict the text, at both ends of the scale', () => {
    expect(planted.mismatch.length).toBeGreaterThanOrEqual(3)
    expect(planted.mismatch.length).toBeLessThanOrEqual(6)
    const stars = new Set(planted.mismatch.map((id) => byId.get(id)!.rating))
    expect(stars).toEqual(new Set([1, 5]))
  })

  it('has 5–8 bad rows spread through the file, with the problems the README lists', () => {
    const bad = planted.badRows
    expect(bad.length).toBeGreaterThanOrEqual(5)
    expect(bad.length).toBeLessThanOrEqual(8)
    const at = bad.map((b) => b.row).sort((x, y) => x - y)
    expect(at[0]!).toBeLessThan(lines.length * 0.2)
    expect(at.at(-1)!).toBeLessThan(lines.length * 0.95)
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThan(10)
    const value = (b: BadRow) => parsed.get(b.row) as Record<string, unknown>
    const problems = new Map(bad.map((b) => [b.problem, b]))
    expect(value(problems.get('missing')!)).not.toHaveProperty('text')
    expect(value(problems.get('empty')!).text).toBe('')
    expect(value(problems.get('off_scale')!).rating).toBe(45)
    expect(value(problems.get('no_such_day')!).date).toBe('31/02/2024')
    expect(value(problems.get('maybe')!).verified).toBe('maybe')
    expect(Array.isArray(value(problems.get('array')!))).toBe(true)
    expect(parsed.get(problems.get('invalid_json')!.row)).toBeUndefined()
  })
})

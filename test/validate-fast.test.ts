/**
 * The row validator's fast paths must answer exactly as the slow ones: the
 * row coercer (zod's coercions called directly) as the zod schema, and the
 * field resolver's own-keys reading as its alias-by-alias reading.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FieldResolver, OTHER_TEXT } from '../src/review/fields.js'
import { makeReviewSchema, makeRowCoercer, rowCoercions } from '../src/review/schema.js'

const SETTINGS = [
  { ratingScale: { min: 1, max: 5 }, cesScale: { min: 1, max: 7 }, csatScale: { min: 1, max: 5 }, maxTextLength: 100_000, dateOrder: 'mdy' as const, referenceDate: undefined },
  { ratingScale: { min: 0, max: 10 }, cesScale: { min: 1, max: 5 }, csatScale: { min: 0, max: 10 }, maxTextLength: 20, dateOrder: 'dmy' as const, referenceDate: Date.UTC(2024, 2, 10, 15, 30) },
]

const VALUES = [
  '4', '4,5', '4/5', '8 out of 10', '★★★★☆', '☆☆☆☆☆', 'five', '', '  ', 'yes', 'no', 'Sí', 'maybe', '2024-03-05', '2024-03-05 10:00', '05/03/2024', '25/03/2024', '03.25.2024 9:30', '3/5/2024 9:05 PM', '05/03/24', '05/03/2024 14:30:00.5 +01:00',
  '2024-02-30', 'Jan 25, 2018', '1709632800', '3 days ago', 'Hace 2 semanas', "un'ora fa", 'yesterday', 'Edited a month ago', 'es', 'ES-mx', 'fr', 'Great product', '  padded title  ', 'x'.repeat(30),
  0, 1, 4, 4.5, 7, 10, 11, -1, 1e11, 1e16, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, [], {}, ['a'], { a: 1 },
]
const FIELDS = ['id', 'text', 'title', 'rating', 'date', 'author', 'product', 'verified', 'lang', 'channel', 'segment', 'nps', 'ces', 'csat']

const value = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 }), fc.double())

/** Canonical rows as the field resolver makes them (only defined values), half of them with a usable text. */
const canonicalRow = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 }),
  fc
    .tuple(fc.constantFrom('Great', 'No me gustó', 'x'.repeat(25)), fc.dictionary(fc.constantFrom(...FIELDS.slice(2)), value, { maxKeys: 2 }))
    .map(([text, rest]) => ({ text, ...rest })),
)

describe('row coercer', () => {
  it('coerces the schema fields, in the schema order', () => {
    for (const settings of SETTINGS) {
      expect(rowCoercions(settings).map(([field]) => field)).toEqual(Object.keys(makeReviewSchema(settings).shape))
    }
  })

  it('gives what zod gives, or leaves the row to zod', () => {
    for (const settings of SETTINGS) {
      const schema = makeReviewSchema(settings)
      const coerce = makeRowCoercer(settings)
      let taken = 0
      fc.assert(
        fc.property(canonicalRow, (row) => {
          const fast = coerce(row)
          const parsed = schema.safeParse(row)
          if (!parsed.success) return fast === null
          if (fast === null) return true
          taken++
          expect(Object.keys(fast)).toEqual(Object.keys(parsed.data))
          expect(fast).toStrictEqual(parsed.data)
          return true
        }),
        { seed: 42, numRuns: 3000 },
      )
      // Rows zod accepts are the coercer's to take: none may fall back needlessly.
      expect(taken).toBeGreaterThan(100)
    }
  })

  it('takes every row zod accepts', () => {
    const settings = SETTINGS[0]!
    const schema = makeReviewSchema(settings)
    const coerce = makeRowCoercer(settings)
    fc.assert(
      fc.property(canonicalRow, (row) => !schema.safeParse(row).success || coerce(row) !== null),
      { seed: 7, numRuns: 3000 },
    )
  })
})

const KEYS = ['id', 'text', 'reviewText', 'review', 'Review', 'body', 'title', 'summary', 'stars', 'rating', 'overall', 'score', 'user', 'author', 'asin', 'time', 'date', 'verified', 'lang', 'other', '0', 'TEXT', 'Review Text', 'reseña', 'RESEÑA', 'Fecha', 'STARS', 'review-text', 'Puntuación', 'Título']

/** The resolver's answer read alias by alias, as for an object that is not plain. */
function byAliases(map: ConstructorParameters<typeof FieldResolver>[0], row: Record<string, unknown>) {
  const resolver = new FieldResolver(map)
  // An object with its own prototype is read alias by alias.
  const out = resolver.resolve(Object.assign(Object.create({ kind: 'row' }) as Record<string, unknown>, row))
  return { out, used: resolver.used }
}

describe('field resolver', () => {
  const MAPS = [{}, { text: 'other', rating: 'score' }, { text: 'review', title: 'review' }, { title: 'TEXT' }, { rating: 'Review Text' }]

  it('reads a plain row through its own keys as it reads it alias by alias', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom('a', '', 0, 4, null, undefined, false)), fc.constantFrom(...MAPS), (row, map) => {
        const resolver = new FieldResolver(map)
        const fast = resolver.resolve(row)
        const slow = byAliases(map, row)
        expect(Object.keys(fast)).toEqual(Object.keys(slow.out))
        expect(fast).toStrictEqual(slow.out)
        expect(resolver.used).toEqual(slow.used)
        expect(resolver.detected()).toEqual(Object.fromEntries([...slow.used].filter(([f]) => f !== OTHER_TEXT).map(([f, c]) => [f, [...c.keys()][0]])))
      }),
      { seed: 3, numRuns: 2000 },
    )
  })

  it('finds non-enumerable own keys and keys of a null-prototype row', () => {
    const row: Record<string, unknown> = Object.create(null)
    row.reviewText = 'from an alias'
    Object.defineProperty(row, 'text', { value: 'hidden but own', enumerable: false })
    expect(new FieldResolver().resolve(row).text).toBe('hidden but own')
  })

  it('reads class instances alias by alias (their getters live on the prototype)', () => {
    class Row {
      get text() {
        return 'from a getter'
      }
    }
    expect(new FieldResolver().resolve(new Row() as unknown as Record<string, unknown>).text).toBe('from a getter')
    class Loose {
      get Reseña() {
        return 'from a loose getter'
      }
    }
    expect(new FieldResolver().resolve(new Loose() as unknown as Record<string, unknown>).text).toBe('from a loose getter')
  })

  it('matches names loosely only for fields without an explicit mapping', () => {
    const row = { 'Review Text': 'loose', texto: 'también', comentario: 'mapped' }
    // A name as written (texto) before one matched loosely (Review Text).
    expect(new FieldResolver().resolve(row).text).toBe('también')
    expect(new FieldResolver({ text: 'comentario' }).resolve(row).text).toBe('mapped')
    expect(new FieldResolver({ text: 'review_text' }).resolve(row).text).toBeUndefined()
  })
})

import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { root } from './batch-util.js'
import { describe, expect, it } from 'vitest'
import { analyze, analyzeBatch, RecensioError } from '../src/index.js'
import type { ErrorRow, ResultRow } from '../src/index.js'
import {
  Failure,
  MAX_COUNTED_KEYS,
  RowValidator,
  addKeyCount,
  coerceBoolean,
  coerceDate,
  coerceLang,
  coerceRating,
  resolveOptions,
} from '../src/review/index.js'
import { contextFor } from '../src/analyze.js'
import { dayless } from '../src/review/coerce.js'
import { relativeDate, resolveRelative } from '../src/review/relative-date.js'

const FIVE = { min: 1, max: 5 }

function validate(row: unknown, options = {}) {
  return new RowValidator(resolveOptions(options)).validate(row, 7)
}

function errorOf(row: unknown, options = {}): ErrorRow {
  const out = validate(row, options)
  if (out.ok) throw new Error('expected an error row')
  return out
}

async function collect(rows: unknown[], options = {}): Promise<ResultRow[]> {
  const out: ResultRow[] = []
  for await (const r of analyzeBatch(rows, options)) out.push(r)
  return out
}

describe('rating coercion', () => {
  it.each([
    [4, 4],
    ['4', 4],
    ['4.0', 4],
    ['4,5', 4.5],
    ['4/5', 4],
    ['8/10', 4],
    ['4 out of 5', 4],
    ['4.0 out of 5 stars', 4],
    ['4 stars out of 5', 4],
    ['2 estrellas de 5', 2],
    ['4 stelle su 5', 4],
    ['cuatro estrellas de cinco', 4],
    ['★★★★☆', 4],
    ['★★★★★', 5],
    ['⭐⭐⭐', 3],
    ['80%', 4],
    ['100 %', 5],
    ['92,5%', 4.63],
    ['0%', 1],
  ])('reads %j as %d stars', (input, stars) => {
    expect(coerceRating(input, FIVE)).toBe(stars)
  })

  it('reads a number written beside a star, as app stores and scraped pages show it', () => {
    expect(['4★', '4 ★', '4.5★', '4,5 ⭐', '5⭐️', '4/5 ★', '★ 4', '⭐ 4.5'].map((v) => coerceRating(v, FIVE))).toEqual([4, 4, 4.5, 4.5, 5, 4, 4, 4.5])
    expect(coerceRating('8★', FIVE)).toMatchObject({ code: 'out_of_range' })
    expect(coerceRating('4★★', FIVE)).toBeInstanceOf(Failure)
  })

  it("reads a survey answer given with its choice's label, as survey tools export a scale's ends", () => {
    const answers = [
      { nps: '10 - Extremely likely', ces: '1 = Very difficult', csat: '5 (Very satisfied)' },
      { nps: '0 – Not at all likely', ces: '7', csat: '4' },
    ]
    expect(answers.map((a) => analyze({ text: 'Fine.', ...a }).survey)).toEqual([
      { nps: 10, ces: 1, csat: 5 },
      { nps: 0, ces: 7, csat: 4 },
    ])
    // A range, or a label with a number in it, is no one answer.
    expect(() => analyze({ text: 'Fine.', nps: '7 - 10' })).toThrow(/field "nps": expected a number on 0–10, got "7 - 10"/)
    expect(() => analyze({ text: 'Fine.', nps: '3 (2 weeks)' })).toThrow(/field "nps"/)
  })

  it('refuses a rating cell longer than any rating at once (its patterns took time growing with its square)', () => {
    // 100k spaces inside took about half a minute before the cap: the test's time limit fails it then.
    expect(coerceRating(`4${' '.repeat(100_000)}x`, FIVE)).toMatchObject({ code: 'invalid_type', message: expect.stringMatching(/^expected a number on 1–5, got "4 +\.\.\."$/) })
    expect(coerceRating(`cuatro${' '.repeat(100_000)}x`, FIVE)).toMatchObject({ code: 'invalid_type' })
  })

  it('refuses a percentage over 100', () => {
    expect(coerceRating('120%', FIVE)).toMatchObject({ code: 'out_of_range', message: 'expected a percentage of at most 100%, got "120%"' })
  })

  it.each([
    ['★★★★½', 4.5],
    ['★★★½☆', 3.5],
    ['★½', 1.5],
    ['★★★★⯨', 4.5],
  ])('reads the half star of %j as %d stars', (input, stars) => {
    expect(coerceRating(input, FIVE)).toBe(stars)
  })

  it('refuses half stars that make no rating', () => {
    expect(coerceRating('½', FIVE)).toMatchObject({ code: 'invalid_value' })
    expect(coerceRating('★½½', FIVE)).toMatchObject({ code: 'invalid_value' })
  })

  it('maps a 0–10 scale onto 1–5', () => {
    const scale = { min: 0, max: 10 }
    expect(coerceRating(0, scale)).toBe(1)
    expect(coerceRating(5, scale)).toBe(3)
    expect(coerceRating('10', scale)).toBe(5)
  })

  it('maps a 1–7 scale onto 1–5', () => {
    expect(coerceRating(7, { min: 1, max: 7 })).toBe(5)
    expect(coerceRating(4, { min: 1, max: 7 })).toBe(3)
  })

  it('treats empty values as no rating', () => {
    expect(coerceRating('', FIVE)).toBeUndefined()
    expect(coerceRating(null, FIVE)).toBeUndefined()
  })

  it('reads a rating written with a label or a number word, as scraped pages and review APIs give it', () => {
    expect(coerceRating('Rated 4 out of 5', FIVE)).toBe(4)
    expect(coerceRating('Valutazione: 3/5', FIVE)).toBe(3)
    expect(coerceRating('Rated ★★★★☆', FIVE)).toBe(4)
    expect(coerceRating('Rating: 80%', FIVE)).toBe(4)
    expect(coerceRating('Puntuación: 4,5', FIVE)).toBe(4.5)
    expect(coerceRating('Rating:', FIVE)).toBeInstanceOf(Failure)
    expect(coerceRating('FIVE', FIVE)).toBe(5)
    expect(coerceRating('four stars', FIVE)).toBe(4)
    expect(coerceRating('cuatro estrellas', FIVE)).toBe(4)
    expect(coerceRating('una stella', FIVE)).toBe(1)
    expect(coerceRating('STAR_RATING_UNSPECIFIED', FIVE)).toBeUndefined()
    // The scale as a word too.
    expect(coerceRating('four out of five', FIVE)).toBe(4)
    expect(coerceRating('cuatro de cinco', FIVE)).toBe(4)
    expect(coerceRating('quattro su cinque stelle', FIVE)).toBe(4)
    expect(coerceRating('otto su dieci', FIVE)).toBe(coerceRating('8/10', FIVE))
    // A word is a number only as a whole word, and as a rating's number: "ten" is off a 1–5 scale.
    expect(coerceRating('fivefold', FIVE)).toBeInstanceOf(Failure)
    expect(coerceRating('ten', FIVE)).toMatchObject({ code: 'out_of_range' })
    expect(coerceRating('stars: five', FIVE)).toBeInstanceOf(Failure)
  })

  it("reads a support desk's two-way rating and thumbs as the top or bottom star, an unanswered survey as none", () => {
    // Zendesk's satisfaction ratings, in any case, on any scale (the two ends are the scale's).
    expect(['good', 'Good', 'goodwithcomment', 'bad', 'BAD', 'badwithcomment'].map((v) => coerceRating(v, FIVE))).toEqual([5, 5, 5, 1, 1, 1])
    expect([coerceRating('good', { min: 0, max: 10 }), coerceRating('bad', { min: 0, max: 10 })]).toEqual([5, 1])
    expect(coerceRating('offered', FIVE)).toBeUndefined()
    expect(coerceRating('unoffered', FIVE)).toBeUndefined()
    // Thumbs, with a skin tone or the emoji variation selector.
    expect(['👍', '👍🏽', '👎\uFE0F', 'thumbs up', 'Thumbs_Down'].map((v) => coerceRating(v, FIVE))).toEqual([5, 5, 1, 5, 1])
    // Other words stay errors: no scale says what "great" or "goodish" is.
    expect(coerceRating('goodish', FIVE)).toBeInstanceOf(Failure)
    expect(coerceRating('very good', FIVE)).toBeInstanceOf(Failure)
  })

  it('rejects words and out-of-range numbers with what was expected', () => {
    expect((coerceRating('great', FIVE) as Failure).message).toBe('expected a number on 1–5, got "great"')
    expect((coerceRating(7, FIVE) as Failure).message).toBe('expected 1–5, got 7')
    expect((coerceRating('6/5', FIVE) as Failure).code).toBe('out_of_range')
  })
})

describe('verified coercion', () => {
  it.each([[true], ['true'], ['yes'], ['Y'], [1], ['1'], ['Sí'], ['sì'], ['Verified Purchase'], ['Verified Buyer'], ['verified_buyer'], ['Verified owner'], ['Verificado'], ['verificata'], ['Compra verificada'], ['✓'], ['si\u0300']])('reads %j as true', (v) => {
    expect(coerceBoolean(v)).toBe(true)
  })
  it.each([[false], ['false'], ['no'], ['N'], [0], ['0'], ['Unverified purchase'], ['No verificado'], ['non-verificato'], ['Falso']])('reads %j as false', (v) => {
    expect(coerceBoolean(v)).toBe(false)
  })
  it.each([['VERIFIED-PURCHASE'], ['buyer'], ['TRUE'], ['Comprador verificado'], ['Acquirente verificato']])("reads a platform's %j badge or status as true", (v) => {
    expect(coerceBoolean(v)).toBe(true)
  })
  // Judge.me's API: "email" is an address confirmed, no purchase.
  it.each([['nothing'], ['email'], ['not_verified'], ['FALSE']])("reads a platform's %j status as false", (v) => {
    expect(coerceBoolean(v)).toBe(false)
  })
  it('reads the check marks and crosses a spreadsheet shows as emoji', () => {
    expect(['✔️', '✅', '☑️', '☑', '✔'].map(coerceBoolean)).toEqual([true, true, true, true, true])
    expect(['❌', '✖️', '✗', '✘', '❎'].map(coerceBoolean)).toEqual([false, false, false, false, false])
  })
  it('rejects anything else', () => {
    expect((coerceBoolean('maybe') as Failure).message).toBe('expected true/false, yes/no or 1/0, got "maybe"')
  })
})

describe('date coercion', () => {
  it.each([
    ['2024-03-05', Date.UTC(2024, 2, 5)],
    ['2024-03-05 10:00', Date.UTC(2024, 2, 5, 10)],
    ['2024-03-05T10:00:00Z', Date.UTC(2024, 2, 5, 10)],
    ['2024-03-05T10:00:00+02:00', Date.UTC(2024, 2, 5, 8)],
    ['2024-03-05T10:00:00.250Z', Date.UTC(2024, 2, 5, 10) + 250],
    [1709632800, Date.UTC(2024, 2, 5, 10)],
    [1709632800000, Date.UTC(2024, 2, 5, 10)],
    ['1709632800', Date.UTC(2024, 2, 5, 10)],
    // YYYYMMDD, as a number or a string (as epoch seconds it would be August 1970).
    [20240305, Date.UTC(2024, 2, 5)],
    ['20240305', Date.UTC(2024, 2, 5)],
    [19991231, Date.UTC(1999, 11, 31)],
    // Not a day: read as before (seconds since 1970).
    [20241305, 20241305 * 1000],
  ])('reads %j', (input, ms) => {
    expect(coerceDate(input)).toBe(ms)
  })

  it('reads dates without a zone as UTC', () => {
    expect(new Date(coerceDate('2024-03-05 23:30') as number).toISOString()).toBe('2024-03-05T23:30:00.000Z')
  })

  it('rejects impossible and unreadable dates', () => {
    expect(coerceDate('2024-02-30')).toBeInstanceOf(Failure)
    expect((coerceDate('the day before') as Failure).code).toBe('invalid_date')
  })

  it('says an invalid Date object is one, not just an object', () => {
    expect((coerceDate(new Date('not a date')) as Failure).message).toMatch(/, got an invalid Date$/)
    expect(errorOf({ text: new Date(Date.UTC(2024, 2, 5)) }).error.message).toBe('expected a string, got a Date (2024-03-05T00:00:00.000Z)')
  })

  it('reads numeric dates month first by default and day first with dateOrder dmy', () => {
    expect(coerceDate('05/03/2024')).toBe(Date.UTC(2024, 4, 3))
    expect(coerceDate('05/03/2024', 'dmy')).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('5-3-2024 14:30', 'dmy')).toBe(Date.UTC(2024, 2, 5, 14, 30))
    expect(coerceDate('12/31/2023 23:59:59')).toBe(Date.UTC(2023, 11, 31, 23, 59, 59))
  })

  it('reads "p. m." with a space and GMT or UTC before an offset after a numeric date', () => {
    expect(coerceDate('05/03/2024 10:00 p. m.', 'dmy')).toBe(Date.UTC(2024, 2, 5, 22))
    expect(coerceDate('05/03/2024 10:00 GMT+0100', 'dmy')).toBe(Date.UTC(2024, 2, 5, 9))
    expect(coerceDate('05/03/2024 10:00 UTC-05:00 (EST)', 'dmy')).toBe(Date.UTC(2024, 2, 5, 15))
    expect(coerceDate('05/03/2024 10:00 GMT+2500', 'dmy')).toBeInstanceOf(Failure)
  })

  it('reads dotted dates day first whatever the order', () => {
    expect(coerceDate('05.03.2024')).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('05.03.2024', 'dmy')).toBe(Date.UTC(2024, 2, 5))
  })

  it('names the other order when a numeric date only reads that way', () => {
    const dayFirst = coerceDate('25/03/2024') as Failure
    expect(dayFirst.code).toBe('invalid_date')
    expect(dayFirst.message).toBe(
      `expected a month-first (MM/DD/YYYY) date, got "25/03/2024"; it reads as a day-first date: set dateOrder: 'dmy' (--date-order dmy)`,
    )
    expect((coerceDate('03/25/2024', 'dmy') as Failure).message).toContain("set dateOrder: 'mdy' (--date-order mdy)")
    // Impossible either way: no hint.
    expect((coerceDate('31/31/2024') as Failure).message).toBe('expected a month-first (MM/DD/YYYY) date, got "31/31/2024"')
    expect(coerceDate('02/30/2024')).toBeInstanceOf(Failure)
  })

  it('reads numeric dates with seconds, a fraction, AM/PM and a zone in the chosen order', () => {
    expect(coerceDate('3/5/2024 12:00:00 AM', 'dmy')).toBe(Date.UTC(2024, 4, 3, 0, 0, 0))
    expect(coerceDate('05/03/2024 9:05 PM', 'dmy')).toBe(Date.UTC(2024, 2, 5, 21, 5))
    expect(coerceDate('12/03/2024 12:30 pm', 'dmy')).toBe(Date.UTC(2024, 2, 12, 12, 30))
    expect(coerceDate('05.03.2024 9:05 a.m.')).toBe(Date.UTC(2024, 2, 5, 9, 5))
    expect(coerceDate('05/03/2024 14:30:00.123', 'dmy')).toBe(Date.UTC(2024, 2, 5, 14, 30, 0) + 123)
    expect(coerceDate('05/03/2024 14:30 UTC', 'dmy')).toBe(Date.UTC(2024, 2, 5, 14, 30))
    expect(coerceDate('05/03/2024 14:30 +01:00', 'dmy')).toBe(Date.UTC(2024, 2, 5, 13, 30))
    expect(coerceDate('05/03/2024 13:05 PM', 'dmy')).toBeInstanceOf(Failure)
  })

  it('refuses numeric dates it cannot read instead of guessing month first', () => {
    expect((coerceDate('05/03/202', 'dmy') as Failure).message).toBe(
      'expected a numeric date such as "05/03/2024", "05/03/24" or "05/03/2024 14:30", got "05/03/202"',
    )
    expect(coerceDate('05/03/2024 at noon', 'dmy')).toBeInstanceOf(Failure)
  })

  it('reads a 2-digit year after slashes or dots as a spreadsheet does, and not after dashes', () => {
    expect(coerceDate('05/03/24', 'dmy')).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('03/05/24')).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('05.03.24 14:30')).toBe(Date.UTC(2024, 2, 5, 14, 30))
    expect(coerceDate('31/12/29', 'dmy')).toBe(Date.UTC(2029, 11, 31))
    expect(coerceDate('01/01/30', 'dmy')).toBe(Date.UTC(1930, 0, 1))
    expect(coerceDate('5/3/99', 'dmy')).toBe(Date.UTC(1999, 2, 5))
    // "24-03-05" may be year first: refused, as before.
    expect((coerceDate('24-03-05', 'dmy') as Failure).message).toContain('4-digit year')
    // A day that only reads the other way round still says so.
    expect((coerceDate('25/03/24') as Failure).message).toContain("dateOrder: 'dmy'")
  })

  it('reads "05-Mar-2024" and "GMT+0100 (CET)" dates the same in every time zone', () => {
    const script = `const { analyze } = require(${JSON.stringify(join(root, 'dist/index.cjs'))});
      console.log(JSON.stringify(['05-Mar-2024', 'Mar-05-2024', 'Tue Mar 05 2024 10:00:00 GMT+0100 (Central European Standard Time)'].map((date) => analyze({ text: 'ok', date }).date)))`
    for (const TZ of ['UTC', 'Europe/Rome', 'America/New_York']) {
      const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ }, encoding: 'utf8' })
      expect(JSON.parse(out)).toEqual(['2024-03-05T00:00:00.000Z', '2024-03-05T00:00:00.000Z', '2024-03-05T09:00:00.000Z'])
    }
  })

  it('takes dateOrder through the options', () => {
    expect(analyze({ text: 'Muy bueno', date: '05/03/2024' }, { dateOrder: 'dmy' }).date).toBe('2024-03-05T00:00:00.000Z')
    expect(analyze({ text: 'Muy bueno', date: '05/03/2024' }).date).toBe('2024-05-03T00:00:00.000Z')
    expect(() => analyze({ text: 'Muy bueno', date: '2024-03-05' }, { dateOrder: 'ymd' as 'dmy' })).toThrow(/dateOrder/)
  })
})

describe('relative dates', () => {
  const REF = Date.UTC(2024, 2, 31)
  it.each([
    ['3 days ago', 3, 'day'],
    ['a month ago', 1, 'month'],
    ['an hour ago', 1, 'hour'],
    ['Edited 2 weeks ago', 2, 'week'],
    ['Hace 3 días', 3, 'day'],
    ['hace un año', 1, 'year'],
    ['hace 22 horas', 22, 'hour'],
    ['Editado hace una semana', 1, 'week'],
    ['Updated 3 days ago', 3, 'day'],
    ['Actualizado hace 2 días', 2, 'day'],
    // Accents as combining marks (NFD).
    ['hace 2 di\u0301as', 2, 'day'],
    ['hace un an\u0303o', 1, 'year'],
    ['un mese fa', 1, 'month'],
    ['3 giorni fa', 3, 'day'],
    ['un’ora fa', 1, 'hour'],
    ["un' ora fa", 1, 'hour'],
    ['2 anni fa', 2, 'year'],
    ['yesterday', 1, 'day'],
    ['Ayer', 1, 'day'],
    ['oggi', 0, 'day'],
    ["l'altro ieri", 2, 'day'],
    ['last month', 1, 'month'],
    ['la settimana scorsa', 1, 'week'],
  ])('reads %j', (text, amount, unit) => {
    expect(relativeDate(text)).toEqual({ amount, unit })
  })

  it('reads one with the white space of a scraped page around and inside it', () => {
    const indented = `\n${' '.repeat(24)}Edited\n${' '.repeat(24)}3 days ago\n${' '.repeat(20)}`
    expect(relativeDate(indented)).toEqual({ amount: 3, unit: 'day' })
    expect(coerceDate(indented, 'mdy', REF)).toBe(Date.UTC(2024, 2, 28))
    // Without a reference the row says why it has no date.
    const v = validate({ text: 'Muy bueno', date: `${' '.repeat(40)}hace 2 semanas` })
    expect(v.ok && v.relativeDate).toBe('hace 2 semanas')
  })

  it.each([
    ['three days ago', { amount: 3, unit: 'day' }],
    ['hace dos semanas', { amount: 2, unit: 'week' }],
    ['due settimane fa', { amount: 2, unit: 'week' }],
    ['5 mins ago', { amount: 5, unit: 'minute' }],
    ['3d ago', { amount: 3, unit: 'day' }],
    ['1mo ago', { amount: 1, unit: 'month' }],
    ['2 yrs ago', { amount: 2, unit: 'year' }],
    ['a few days ago', { amount: 3, unit: 'day', approximate: true }],
    ['hace unos días', { amount: 3, unit: 'day', approximate: true }],
    ['qualche giorno fa', { amount: 3, unit: 'day', approximate: true }],
    ['over a year ago', { amount: 1, unit: 'year', approximate: true }],
    ['hace más de un año', { amount: 1, unit: 'year', approximate: true }],
    ['più di un anno fa', { amount: 1, unit: 'year', approximate: true }],
  ])('reads %j, in words, short units and guesses', (text, date) => {
    expect(relativeDate(text)).toEqual(date)
  })

  it('takes a guessed amount for a date that names no day', () => {
    expect(dayless('a few days ago')).toBe(true)
    expect(dayless('hace unos días')).toBe(true)
    expect(dayless('three days ago')).toBe(false)
  })

  it.each(['3 days', 'ago', 'hace', 'fa', '2024-03-05', 'March 2024', 'many days ago', 'adays ago', 'a d ago', 'hace 3 lunas', 'a fortnight ago', '12345 days ago', 'thirteen days ago'])('reads %j as no relative date', (text) => {
    expect(relativeDate(text)).toBeNull()
  })

  it('counts back from the reference: days to a day, weeks, months and years to a day that is named no day', () => {
    const at = (text: string, ref = REF) => new Date(resolveRelative(relativeDate(text)!, ref)).toISOString()
    expect(at('3 days ago')).toBe('2024-03-28T00:00:00.000Z')
    expect(at('2 weeks ago')).toBe('2024-03-17T00:00:00.000Z')
    // The month's last day when the month before is shorter; a year back from a leap day.
    expect(at('a month ago')).toBe('2024-02-29T00:00:00.000Z')
    expect(at('un anno fa', Date.UTC(2024, 1, 29))).toBe('2023-02-28T00:00:00.000Z')
    expect(at('hace 3 meses', Date.UTC(2024, 0, 15))).toBe('2023-10-15T00:00:00.000Z')
    // Hours: the time when the reference has one, else the day they fall on, counted from the reference day's end.
    expect(at('3 hours ago', Date.UTC(2024, 2, 31, 15, 30))).toBe('2024-03-31T12:30:00.000Z')
    expect(at('3 hours ago')).toBe('2024-03-31T00:00:00.000Z')
    expect(at('30 hours ago')).toBe('2024-03-30T00:00:00.000Z')
    // A day's units drop the reference's time of day.
    expect(at('yesterday', Date.UTC(2024, 2, 31, 15, 30))).toBe('2024-03-30T00:00:00.000Z')
  })

  it('is no date without a reference, and marks weeks, months and years as naming no day', () => {
    expect(coerceDate('3 days ago')).toBeUndefined()
    expect(coerceDate('3 days ago', 'mdy', REF)).toBe(Date.UTC(2024, 2, 28))
    expect(dayless('3 days ago')).toBe(false)
    expect(dayless('hace 2 semanas')).toBe(true)
    expect(dayless('un anno fa')).toBe(true)
    const v = validate({ text: 'Muy bueno', date: 'Hace 2 semanas' })
    expect(v.ok && [v.review.date, v.relativeDate]).toEqual([undefined, 'Hace 2 semanas'])
    const r = validate({ text: 'Muy bueno', date: 'Hace 2 semanas' }, { referenceDate: '2024-03-31' })
    expect(r.ok && [r.review.date, r.dayless, r.relativeDate]).toEqual([Date.UTC(2024, 2, 17), true, undefined])
    // The reference is read as a row's date is, in dateOrder.
    const dmy = validate({ text: 'Muy bueno', date: 'ayer' }, { referenceDate: '05/03/2024', dateOrder: 'dmy' })
    expect(dmy.ok && dmy.review.date).toBe(Date.UTC(2024, 2, 4))
    expect(() => resolveOptions({ referenceDate: 'ayer' })).toThrow('option "referenceDate": expected a date such as "2024-03-10", got "ayer"')
    // A month or a year names no day to count back from.
    expect(() => resolveOptions({ referenceDate: '2024-03' })).toThrow('option "referenceDate": expected a day such as "2024-03-10", got "2024-03", which names no day')
    expect(() => resolveOptions({ referenceDate: 'March 2024' })).toThrow('which names no day')
    expect(() => resolveOptions({ referenceDate: new Date('soon') })).toThrow('option "referenceDate": expected an ISO 8601 date')
    expect(() => resolveOptions({ referenceDate: new Date('soon') })).toThrow('got an invalid Date')
    // No review is older than the epoch: a count back past it is an error on the row, not a year −7975.
    expect(coerceDate('9999 years ago', 'mdy', REF)).toMatchObject({ code: 'invalid_date', message: 'expected a date, got "9999 years ago", which counts back from the reference date to before 1970' })
    expect(coerceDate('54 years ago', 'mdy', REF)).toBe(Date.UTC(1970, 2, 31))
    // MySQL's zero date is a date never set: no date, not an error.
    expect(coerceDate('0000-00-00 00:00:00')).toBeUndefined()
    expect(coerceDate('0000-00-00')).toBeUndefined()
    expect(coerceDate('0000-00-01')).toMatchObject({ code: 'invalid_date' })
  })

  it('gives a result without a date and a warning when there is no reference, and leaves coarse dates out of bursts', async () => {
    expect(analyze({ text: 'Great staff', date: '3 hours ago' }).warnings).toEqual([
      'date "3 hours ago" is relative and no referenceDate (--reference-date) says when the reviews were exported: the row has no date',
    ])
    // Ten five-star reviews of one product "2 weeks ago": one day for each, but no burst, as the day is not known.
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, author: `a${i}`, product: 'p1', rating: 5, text: `Excellent blender number ${i}`, date: '2 weeks ago' }))
    const old = Array.from({ length: 20 }, (_, i) => ({ id: `o${i}`, author: `b${i}`, product: 'p1', rating: 4, text: `Works fine for soups ${i}`, date: `2023-0${1 + (i % 9)}-1${i % 10}` }))
    const out = []
    for await (const row of analyzeBatch([...old, ...rows], { referenceDate: '2024-03-31' })) out.push(row)
    const burst = out.filter((r) => r.ok && r.authenticity.signals.some((s) => s.type === 'burst'))
    expect(burst).toEqual([])
    const daily = []
    for await (const row of analyzeBatch([...old, ...rows.map((r) => ({ ...r, date: '3 days ago' }))], { referenceDate: '2024-03-31' })) daily.push(row)
    expect(daily.filter((r) => r.ok && r.authenticity.signals.some((s) => s.type === 'burst')).length).toBeGreaterThan(0)
  })
})

describe('language coercion', () => {
  it('accepts codes, names and regions', () => {
    expect(coerceLang('ES')).toBe('es')
    expect(coerceLang('it-IT')).toBe('it')
    expect(coerceLang('eng')).toBe('en')
  })
  it('accepts a language named with its region in brackets, as locale pickers write it', () => {
    expect(['Español (España)', 'English (United States)', 'Italiano (Italia)', 'Spanish (Latin America)'].map(coerceLang)).toEqual(['es', 'en', 'it', 'es'])
    // Another language so named is another language: detected, with a warning, not an error row.
    expect(coerceLang('Français (France)')).toBeUndefined()
    expect(analyze({ text: 'Muy buen producto, llegó rápido.', lang: 'Português (Brasil)' }).language).toMatchObject({ code: 'es', source: 'detected' })
  })
  it('reads a long lang cell of spaces in linear time', () => {
    // The spaces before a bracket were matched from each space in turn: 150k of them took 47 s.
    const t0 = performance.now()
    expect(coerceLang(`a${' '.repeat(200_000)}b`)).toMatchObject({ code: 'invalid_value' })
    expect(coerceLang(`Español${' '.repeat(200_000)}(España)`)).toBe('es')
    expect(performance.now() - t0).toBeLessThan(1000)
  })
  it('detects the language of a row labelled with another one, and says so', async () => {
    expect(coerceLang('de')).toBeUndefined()
    const fr = analyze({ id: 'f', text: 'Très bien, livraison rapide et produit conforme.', lang: 'fr' })
    expect(fr.language).toMatchObject({ code: 'und', source: 'detected' })
    expect(fr.warnings).toEqual(['lang "fr" is not one recensio scores (es, it, en): the language was detected'])
    // A Spanish review labelled with another language is still read as Spanish.
    expect(analyze({ text: 'Muy buen producto, llegó rápido y funciona perfecto.', lang: 'pt-BR' }).language).toMatchObject({ code: 'es', source: 'detected' })
    // The lang option, when given, applies instead.
    expect(analyze({ text: 'Muy bueno', lang: 'Deutsch' }, { lang: 'es' })).toMatchObject({
      language: { code: 'es', source: 'given' },
      warnings: ['lang "Deutsch" is not one recensio scores (es, it, en): scored as es (option lang)'],
    })
    // es, it and en in any spelling, and a blank, give no warning.
    for (const lang of ['ES', 'it-IT', 'eng', ' ']) expect(analyze({ text: 'Ottimo prodotto', lang }).warnings).toBeUndefined()
    // Nor does a value that says the language is not known.
    for (const lang of ['und', 'Unknown', 'auto']) expect(analyze({ text: 'Ottimo prodotto', lang })).toMatchObject({ language: { code: 'it', source: 'detected' } })
    for (const lang of ['und', 'Unknown', 'auto']) expect(analyze({ text: 'Ottimo prodotto', lang }).warnings).toBeUndefined()
    // In a batch, the rows go on: no error row.
    const out = await analyzeBatch([{ text: 'Sehr gut, schnelle Lieferung', lang: 'de' }, { text: 'Ottimo', lang: 'it' }])[Symbol.asyncIterator]().next()
    expect(out.value).toMatchObject({ ok: true, warnings: ['lang "de" is not one recensio scores (es, it, en): the language was detected'] })
  })

  it('rejects a lang that names no language', () => {
    expect((coerceLang('12') as Failure).message).toBe('expected a language such as es, it or en, got "12"')
    expect((coerceLang('es?') as Failure).message).toBe('expected a language such as es, it or en, got "es?"')
    expect(coerceLang(3)).toBeInstanceOf(Failure)
  })
})

describe('row validation', () => {
  it('uses the row number as id when there is none', () => {
    const out = validate({ text: 'ok' })
    expect(out.ok && out.id).toBe('7')
  })

  it('names the field of a missing text', () => {
    expect(errorOf({ id: 'r1', rating: 5 })).toEqual({
      id: 'r1',
      ok: false,
      row: 7,
      error: { field: 'text', code: 'required', message: 'text is required' },
    })
  })

  it('names the scale option for a rating off the scale, but not for one no scale takes (NaN, Infinity)', () => {
    expect(errorOf({ text: 'ok', rating: 7 }).error).toEqual({
      field: 'rating',
      code: 'out_of_range',
      message: 'expected 1–5, got 7 (another scale: the ratingScale option, --rating-scale)',
    })
    for (const [rating, got] of [[Number.POSITIVE_INFINITY, 'Infinity'], [Number.NEGATIVE_INFINITY, '-Infinity'], [Number.NaN, 'NaN']] as const) {
      expect(errorOf({ text: 'ok', rating }).error).toEqual({ field: 'rating', code: 'invalid_type', message: `expected a finite number on 1–5, got ${got}` })
    }
    // Digits too many to read as a number.
    expect(errorOf({ text: 'ok', rating: '9'.repeat(400) }).error.message).toMatch(/^expected a finite number on 1–5, got "9+\.\.\."$/)
    expect(errorOf({ text: 'ok', ces: Number.POSITIVE_INFINITY }).error).toEqual({ field: 'ces', code: 'invalid_type', message: 'expected a finite number on 1–7, got Infinity' })
    expect(errorOf({ text: 'ok', csat: Number.NEGATIVE_INFINITY }, { csatScale: '1-7' }).error.message).toBe('expected a finite number on 1–7, got -Infinity')
  })

  it('reads a cell that holds only a marker of no value ("N/A", "#N/A", "null", "-", "n/d") as an absent field, not an error row', () => {
    for (const none of ['N/A', 'n/a', '#N/A', 'null', 'NaN', '-', '—', 'n.d.', 's/d', ' NA ']) {
      const out = validate({ id: 'r1', text: 'Great product', title: none, rating: none, date: none, author: none, product: none, verified: none, lang: none, channel: none, segment: none, nps: none, ces: none, csat: none })
      expect(out.ok, none).toBe(true)
      if (!out.ok) continue
      // "NA" is a market as a segment (see below).
      expect(out.review, none).toEqual(none.trim() === 'NA' ? { id: 'r1', text: 'Great product', segment: 'NA' } : { id: 'r1', text: 'Great product' })
    }
    // Such a title is no text to score: the review scores as its text alone.
    expect(analyze({ text: 'Great product', title: 'N/A' }).sentiment).toEqual(analyze({ text: 'Great product' }).sentiment)
    // The id is kept as given (an identifier is not read), and a word that only looks like one is a value.
    const kept = validate({ id: 'NA', text: 'ok', product: 'Nana', author: 'Ana', rating: 'n/a' })
    expect(kept.ok && [kept.id, kept.review.product, kept.review.author, kept.review.rating]).toEqual(['NA', 'Nana', 'Ana', undefined])
    expect(errorOf({ text: 'ok', rating: 'n/a/5' }).error.field).toBe('rating')
  })

  it('keeps a segment of "NA", the North American market, while N/A there is no value', async () => {
    const out = validate({ id: 'r1', text: 'Great product', segment: 'NA', author: 'NA' })
    expect(out.ok && [out.review.segment, out.review.author]).toEqual(['NA', undefined])
    expect(validate({ id: 'r2', text: 'ok', segment: 'N/A' })).toMatchObject({ ok: true, review: { id: 'r2', text: 'ok' } })
    const rows = await collect([
      { id: 'a', text: 'Great product', segment: 'NA' },
      { id: 'b', text: 'Bad product', segment: 'EMEA' },
    ])
    expect(rows.map((r) => r.ok && r.segment)).toEqual(['NA', 'EMEA'])
  })

  it('names the field of a wrong type', () => {
    expect(errorOf({ text: 42 }).error).toEqual({ field: 'text', code: 'invalid_type', message: 'expected a string, got 42' })
    expect(errorOf({ text: 'ok', author: { url: 'x' } }).error.field).toBe('author')
    expect(errorOf({ text: 'ok', author: { name: ['x'] } }).error.field).toBe('author')
  })

  it('rejects text over the maximum length', () => {
    const error = errorOf({ text: 'abcdef' }, { maxTextLength: 5 }).error
    expect(error).toEqual({ field: 'text', code: 'too_big', message: 'expected at most 5 characters, got 6' })
  })

  it('rejects a row that is not an object', () => {
    expect(errorOf(['a', 'b']).error.message).toBe('expected an object, got an array')
    // A queue message passed on as it came: say to parse it.
    expect(errorOf(' {"text":"Muy bueno"}').error.message).toMatch(/^expected an object, got " \{\\"text.* \(JSON text: parse it into an object first\)$/)
    expect(errorOf('Muy bueno').error.message).toBe('expected an object, got "Muy bueno"')
    // A message body as bytes, or a Map, has no fields: not "text is required".
    expect(errorOf(Buffer.from('{"text":"Muy bueno"}')).error).toEqual({ field: 'row', code: 'invalid_row', message: 'expected an object, got 20 bytes (decode and parse them into an object first)' })
    expect(errorOf(new Map([['text', 'Muy bueno']])).error.message).toBe('expected an object, got a Map (make it an object first: Object.fromEntries)')
  })

  it('reads common export column names', () => {
    const out = validate({ reviewText: 'Great', overall: '5.0', reviewerID: 'A1', asin: 'B0', verified_purchase: 'Y', unixReviewTime: 1709596800 })
    expect(out.ok).toBe(true)
    if (!out.ok) return
    expect(out.review).toMatchObject({ text: 'Great', rating: 5, author: 'A1', product: 'B0', verified: true, date: Date.UTC(2024, 2, 5) })
  })

  it('follows an explicit field map', () => {
    const out = validate({ body_it: 'Ottimo', voto: '4' }, { map: { text: 'body_it', rating: 'voto' } })
    expect(out.ok && out.review).toMatchObject({ text: 'Ottimo', rating: 4 })
  })

  it('names the mapped column a missing text was looked for in, when the row lacks it', () => {
    expect(errorOf({ body: 'Ottimo' }, { map: { text: 'reviewText' } }).error).toEqual({
      field: 'text',
      code: 'required',
      message: 'text is required: the map reads it from "reviewText", which this row does not have',
    })
    // The column is there but empty: the plain message.
    expect(errorOf({ reviewText: null }, { map: { text: 'reviewText' } }).error.message).toBe('text is required')
    expect(() => analyze({ body: 'x' }, { map: { text: 'reviewText' } })).toThrowError('"reviewText", which this row does not have')
  })

  it('names a kept key whose value JSON cannot hold (a circular object, a getter that throws), and keeps bigints by their digits', () => {
    const throwing = { get cents(): number { throw new Error('nope') } }
    expect(errorOf({ id: 'r1', text: 'ok', amount: throwing }, { keep: ['amount'] })).toEqual({
      id: 'r1',
      ok: false,
      row: 7,
      error: { field: 'amount', code: 'invalid_value', message: 'expected a value JSON can hold, but writing it threw Error: nope' },
    })
    // A bigint is kept by its digits, as a bigint id is read: alone, or inside a kept object (a driver's row).
    expect(validate({ id: 'r2', text: 'ok', amount: 12n }, { keep: ['amount'] })).toMatchObject({ ok: true, fields: { amount: '12' } })
    const nested = validate({ id: 'r3', text: 'ok', order: { id: 9007199254740993n, lines: [{ sku: 'A', qty: 2n }], at: new Date(0) } }, { keep: ['order'] })
    expect(nested).toMatchObject({ ok: true, fields: { order: { id: '9007199254740993', lines: [{ sku: 'A', qty: '2' }], at: '1970-01-01T00:00:00.000Z' } } })
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(errorOf({ text: 'ok', meta: loop }, { keep: ['meta'] }).error).toEqual({
      field: 'meta',
      code: 'invalid_value',
      message: 'expected a value JSON can hold, but writing it threw TypeError: Converting circular structure to JSON',
    })
    // A bigint id is read as its digits, as before; a kept Date stays a value JSON can hold.
    expect(validate({ id: 12n, text: 'ok', at: new Date(0) }, { keep: ['at'] })).toMatchObject({ ok: true, id: '12' })
  })

  it('names the field whose getter throws, and the key it was read from', () => {
    const getter = { id: 'g1', get text(): string { throw new Error('boom') } }
    expect(errorOf(getter)).toEqual({ id: 'g1', ok: false, row: 7, error: { field: 'text', code: 'invalid_value', message: 'expected a value, but reading "text" threw Error: boom' } })
    class Export {
      get reviewText(): string {
        throw new RangeError('closed')
      }
    }
    expect(errorOf(new Export(), { map: { text: 'reviewText' } }).error).toEqual({ field: 'text', code: 'invalid_value', message: 'expected a value, but reading "reviewText" threw RangeError: closed' })
    const kept = { text: 'ok', get order(): string { throw new Error('gone') } }
    expect(errorOf(kept, { keep: ['order'] }).error).toMatchObject({ field: 'order', code: 'invalid_value' })
    const nested = { text: 'ok', user: { get name(): string { throw new Error('deep') } } }
    expect(errorOf(nested, { map: { author: 'user.name' } }).error).toMatchObject({ field: 'author', message: 'expected a value, but reading "user.name" threw Error: deep' })
  })

  it('makes a Proxy whose keys cannot be listed an error row of the whole row', () => {
    const proxy = new Proxy({}, { ownKeys: () => { throw new TypeError('no keys') } })
    expect(errorOf(proxy).error).toEqual({ field: 'row', code: 'invalid_row', message: 'expected an object whose fields can be read, but reading it threw TypeError: no keys' })
  })

  it('throws a RecensioError from analyze for a review whose getter throws', () => {
    const review = { id: 'g1', get rating(): number { throw new TypeError('nope') }, text: 'Muy bueno' }
    expect(() => analyze(review)).toThrow(RecensioError)
    expect(() => analyze(review)).toThrow(expect.objectContaining({ code: 'invalid_value', message: 'Invalid review (id g1), field "rating": expected a value, but reading "rating" threw TypeError: nope' }))
  })

  it('echoes kept fields', () => {
    const out = validate({ text: 'ok', order_id: 'A-1' }, { keep: ['order_id', 'country'] })
    expect(out.ok && out.fields).toEqual({ order_id: 'A-1', country: null })
  })

  it('echoes a kept key inside an object by its dotted path, as map reads one', () => {
    const out = validate({ text: 'ok', profile: { name: 'Ann', tier: { level: 2 } }, 'order.id': 'A-1' }, { keep: ['profile.name', 'profile.tier.level', 'profile.age', 'order.id'] })
    expect(out.ok && out.fields).toEqual({ 'profile.name': 'Ann', 'profile.tier.level': 2, 'profile.age': null, 'order.id': 'A-1' })
  })
})

describe('options', () => {
  const message = (options: unknown) => {
    try {
      resolveOptions(options as never)
    } catch (e) {
      expect(e).toBeInstanceOf(RecensioError)
      return (e as Error).message
    }
    throw new Error('expected a RecensioError')
  }

  it('names an unknown option', () => {
    expect(message({ langauge: 'es' })).toMatchInlineSnapshot(`"Invalid options: unknown option "langauge""`)
  })

  it('names a bad value', () => {
    expect(message({ ratingScale: 'ten' })).toMatchInlineSnapshot(`"Invalid options: option "ratingScale": expected a range like "1-5" or "0-10", got "ten""`)
    expect(message({ workers: -1 })).toContain('option "workers"')
    expect(message({ map: { txt: 'body' } })).toContain('option "map": unknown field "txt" (fields: id, text, title,')
    expect(message({ authenticity: { weights: { dupe: 1 } } })).toContain('option "authenticity.weights": unknown signal "dupe" (signals: duplicate, cross_listed,')
    expect(message({ ratingScale: { min: 0, max: 10, step: 1 } })).toContain('option "ratingScale": unknown key "step"')
  })

  it('says what a bounded or typed option expected and got, not zod\'s generic words', () => {
    expect(message({ workers: 999 })).toBe('Invalid options: option "workers": expected at most 256, got 999')
    expect(message({ workers: 1.5 })).toBe('Invalid options: option "workers": expected a whole number, got 1.5')
    expect(message({ chunkSize: 0 })).toBe('Invalid options: option "chunkSize": expected at least 1, got 0')
    expect(message({ keep: [''] })).toBe('Invalid options: option "keep.0": expected at least 1 character, got ""')
    expect(message({ lang: 'fr' })).toBe('Invalid options: option "lang": expected one of "es"|"it"|"en", got "fr"')
    expect(message({ taxonomy: { stages: [{ id: 'x' }] } })).toBe('Invalid options: option "taxonomy.stages.0.cues": required (expected object)')
  })

  it('says what a scale option takes when given neither a range nor { min, max }, and shows a number it got', () => {
    expect(message({ ratingScale: 10 })).toBe('Invalid options: option "ratingScale": expected a range like "1-5" or "0-10", or { min, max }, got 10')
    expect(message({ cesScale: true })).toBe('Invalid options: option "cesScale": expected a range like "1-5" or "0-10", or { min, max }, got true')
  })

  it('rejects thresholds in the wrong order', () => {
    expect(message({ authenticity: { thresholds: { suspicious: 0.8, likelyFake: 0.5 } } })).toContain('suspicious ≤ likelyFake')
  })

  it('reads options a plain object does not own with the run control, as it reads them without', () => {
    const signal = new AbortController().signal
    const defaults = { lang: 'it' as const, keep: ['shop'] }
    expect(resolveOptions(Object.assign(Object.create(defaults) as object, { signal }))).toMatchObject({ lang: 'it', keep: ['shop'] })
    class Settings {
      readonly signal = signal
      get lang(): 'en' {
        return 'en'
      }
    }
    expect(resolveOptions(new Settings()).lang).toBe('en')
    const hidden = Object.defineProperty({ onProgress() {} }, 'explain', { value: 'yes', enumerable: false })
    expect(message(hidden)).toBe('Invalid options: option "explain": expected boolean, got "yes"')
    expect(message(Object.create({ signal, explian: true }) as object)).toBe('Invalid options: unknown option "explian"')
  })

  it('resolves options written inline once by their content, but never those holding a function or a signal', () => {
    const inline = () => ({ lang: 'en' as const, taxonomy: { stages: [{ id: 'returns', cues: { en: ['refund'] } }] } })
    const first = resolveOptions(inline())
    expect(resolveOptions(inline())).toBe(first)
    expect(resolveOptions({ ...inline(), lang: 'es' })).not.toBe(first)
    const progress = () => ({ lang: 'en' as const, onProgress: () => {} })
    expect(resolveOptions(progress())).not.toBe(resolveOptions(progress()))
    const signal = () => ({ lang: 'en' as const, signal: new AbortController().signal })
    expect(resolveOptions(signal())).not.toBe(resolveOptions(signal()))
    // A bad set is refused each time, not remembered.
    expect(message({ workers: 1.5 })).toContain('option "workers"')
    expect(message({ workers: 1.5 })).toContain('option "workers"')
    expect(message({ maxTextLength: Number.NaN })).toContain('option "maxTextLength"')
  })

  it('keeps an option set used again over newer ones when it forgets one', () => {
    const tenant = (t: number) => ({ taxonomy: { stages: [{ id: `stage${t}`, cues: { en: [`cue${t}`] } }] } })
    const hot = resolveOptions(tenant(-1))
    for (let t = 0; t < 200; t++) {
      resolveOptions(tenant(t))
      // A service's busiest tenant, asked for between the others: never compiled again.
      expect(resolveOptions(tenant(-1))).toBe(hot)
    }
  })

  it('compiles a taxonomy once for option sets that differ elsewhere', () => {
    const taxonomy = () => ({ stages: [{ id: 'returns', cues: { es: ['devolución:n'], en: ['refund*'] } }] })
    const compiled = contextFor(resolveOptions({ taxonomy: taxonomy() })).taxonomy
    expect(contextFor(resolveOptions({ taxonomy: taxonomy(), lang: 'es' })).taxonomy).toBe(compiled)
    expect(contextFor(resolveOptions({ taxonomy: taxonomy(), explain: true, onProgress: () => {} })).taxonomy).toBe(compiled)
    // Written with its keys in another order, it is the same taxonomy.
    const reordered = { stages: [{ cues: { en: ['refund*'], es: ['devolución:n'] }, id: 'returns' }] }
    expect(contextFor(resolveOptions({ lang: 'en', taxonomy: reordered })).taxonomy).toBe(compiled)
    expect(contextFor(resolveOptions({ taxonomy: { ...taxonomy(), mode: 'replace' as const } })).taxonomy).not.toBe(compiled)
    expect(analyze('Pedí la devolución', { taxonomy: taxonomy(), lang: 'es' }).journey.map((t) => t.stage)).toContain('returns')
  })
})

describe('analyze', () => {
  it("scores a Google review by the reviewer's words, not Google's translation of them", () => {
    const comment = "(Translated by Google) Terrible, the pizza arrived cold and late\n\n(Original)\nPessima, la pizza è arrivata fredda e in ritardo"
    const r = analyze({ text: comment, rating: 1 }, { explain: true })
    expect(r.language.code).toBe('it')
    expect(r.sentiment.label).toBe('negative')
    expect(r.warnings).toEqual(["removed Google's machine translation, kept the reviewer's own words"])
    // Evidence is cut from the text as given: the Italian words, none of the English ones.
    const evidence = r.journey.flatMap((j) => j.evidence)
    expect(evidence.length).toBeGreaterThan(0)
    for (const j of r.journey) for (const [k, span] of j.spans.entries()) expect(comment.slice(span.start, span.end)).toBe(j.evidence[k])
    expect(r.journey.flatMap((j) => j.spans).every((span) => span.start > comment.indexOf('(Original)'))).toBe(true)
  })

  it('returns the output row shape', () => {
    const r = analyze({ id: 'r1', text: 'Muy bueno', rating: '5', date: '2024-03-05', product: 'P1' })
    expect(r).toMatchObject({ id: 'r1', ok: true, rating: 5, date: '2024-03-05T00:00:00.000Z', product: 'P1' })
    expect(r.language.code).toMatch(/^(es|it|en|und)$/)
    expect(r.sentiment.score).toBeGreaterThanOrEqual(-1)
    expect(r.sentiment.score).toBeLessThanOrEqual(1)
    expect(Array.isArray(r.journey)).toBe(true)
  })

  it('uses the caller-supplied language', () => {
    expect(analyze({ text: 'ok', lang: 'it' }).language).toEqual({ code: 'it', confidence: 1, source: 'given' })
    expect(analyze('ok', { lang: 'es' }).language.source).toBe('given')
  })

  it('throws a RecensioError naming the field for an invalid review', () => {
    expect(() => analyze({ id: 'x', text: '' })).toThrowError('Invalid review (id x), field "text": text is required, got an empty string')
    expect(() => analyze({ id: 'x', text: ' \n\t ' })).toThrowError('Invalid review (id x), field "text": text is required, got only white space (" \\n\\t ")')
  })

  it('never throws on a string', () => {
    for (const s of ['', ' ', '.', '😀', 'a'.repeat(200_000), '\u0000\uFFFF', 'Ã']) {
      expect(analyze(s).ok).toBe(true)
    }
  })

  it('flags a text over the cap when given as a string', () => {
    expect(analyze('abcdef', { maxTextLength: 3 }).warnings).toContain('text capped at 3 characters (maxTextLength)')
  })

  it('reports repairs as warnings', () => {
    expect(analyze('perchÃ© Ã¨ bello').warnings).toEqual(['repaired mojibake (text decoded with the wrong character set)'])
  })

  it('keeps bounded what it remembers of keys when callers name fields with ever new ones', () => {
    // A service's callers may send any keys: "review_text", "review__text" … all read as the text.
    const options = { keep: ['ticket'] }
    const resolver = contextFor(resolveOptions(options)).validator.resolver
    const long = `review${' '.repeat(5000)}text`
    for (let i = 1; i <= MAX_COUNTED_KEYS + 50; i++) {
      expect(analyze({ [`review${'_'.repeat(i)}text`]: 'Muy buen producto', ticket: i }, options).ok).toBe(true)
    }
    expect(analyze({ [long]: 'Muy buen producto', [`${long} `]: 'otro' }, options).ok).toBe(true)
    const counts = resolver.used.get('text')!
    expect(counts.size).toBe(MAX_COUNTED_KEYS)
    expect(counts.has(long)).toBe(false)
    expect((resolver as unknown as { loose: Map<string, unknown> }).loose.has(long)).toBe(false)
    // Keys counted already go on counting.
    analyze({ review_text: 'Muy buen producto' }, options)
    expect(counts.get('review_text')).toBe(2)
  })

  it('adds a batch\'s key counts up to the same bound', () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < MAX_COUNTED_KEYS + 10; i++) addKeyCount(counts, `k${i}`, 2)
    addKeyCount(counts, 'k0', 3)
    addKeyCount(counts, 'x'.repeat(2000), 1)
    expect(counts.size).toBe(MAX_COUNTED_KEYS)
    expect(counts.get('k0')).toBe(5)
    expect(counts.has(`k${MAX_COUNTED_KEYS}`)).toBe(false)
  })
})

describe('analyzeBatch', () => {
  it('gives one output row per input row, in order, with error rows', async () => {
    const out = await collect([{ id: 'a', text: 'Great' }, { id: 'b' }, 'not an object', { id: 'd', text: 'Ottimo', rating: 'great' }, { text: 'ok' }])
    expect(out.map((r) => [r.row, r.ok])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, false],
      [5, true],
    ])
    expect((out[3] as ErrorRow).error).toEqual({ field: 'rating', code: 'invalid_type', message: 'expected a number on 1–5, got "great"' })
    expect(out[4]!.id).toBe('5')
  })

  it('reports the detected columns in the summary', async () => {
    const run = analyzeBatch([{ reviewText: 'Great', overall: 5 }])
    for await (const _ of run);
    expect(run.summary().fields).toEqual({ text: 'reviewText', rating: 'overall' })
  })
})

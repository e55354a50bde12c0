/**
 * The date fast paths: `isoDate` writes what Date#toISOString writes, and
 * `coerceDate` checks days of the month without a Date object per row.
 */
import { describe, expect, it } from 'vitest'
import { Failure, coerceDate, dayless, isoDate } from '../src/review/index.js'
import { analyze, analyzeBatch } from '../src/index.js'
import type { ResultRow } from '../src/index.js'

const DAY = 86_400_000

describe('isoDate', () => {
  it('writes what toISOString writes, across days, times and years', () => {
    // Every 97th day from 1970 to 9999 at midnight, one ms before and after, and a time of day.
    for (let d = 0; d < 2_932_897; d += 97) {
      for (const ms of [d * DAY, d * DAY + 1, d * DAY + DAY - 1, d * DAY + ((d * 7_919_011) % DAY)]) {
        expect(isoDate(ms)).toBe(new Date(ms).toISOString())
      }
    }
  })

  it('leaves dates outside 0000–9999 and before 1970 to Date', () => {
    for (const ms of [-1, -DAY * 400, 253_402_300_799_999, 253_402_300_800_000, 8.64e15]) {
      expect(isoDate(ms)).toBe(new Date(ms).toISOString())
    }
  })

  it('follows leap days', () => {
    expect(isoDate(Date.UTC(2024, 1, 29, 23, 59, 59))).toBe('2024-02-29T23:59:59.000Z')
    expect(isoDate(Date.UTC(2000, 1, 29))).toBe('2000-02-29T00:00:00.000Z')
    expect(isoDate(Date.UTC(2100, 2, 1, 0, 0, 0) + 5)).toBe('2100-03-01T00:00:00.005Z')
  })
})

describe('coerceDate days of the month', () => {
  it('accepts the last day of each month and rejects the day after', () => {
    for (const year of [1900, 1999, 2000, 2023, 2024, 2100]) {
      for (let month = 1; month <= 12; month++) {
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
        const mm = String(month).padStart(2, '0')
        expect(coerceDate(`${year}-${mm}-${last}`)).toBe(Date.UTC(year, month - 1, last))
        expect(coerceDate(`${mm}/${last}/${year}`)).toBe(Date.UTC(year, month - 1, last))
        if (last < 31) {
          expect(coerceDate(`${year}-${mm}-${last + 1}`)).toBeInstanceOf(Failure)
          expect(coerceDate(`${mm}/${last + 1}/${year}`)).toBeInstanceOf(Failure)
        }
      }
    }
  })

  it('reads years 0–99 as written', () => {
    expect(coerceDate('0099-12-31T10:00:00Z')).toBe(new Date('0099-12-31T10:00:00Z').getTime())
    expect(coerceDate('0004-02-29')).toBe(new Date('0004-02-29T00:00:00Z').getTime())
  })
})

describe('coerceDate with month names', () => {
  it('reads Spanish, Italian and English dates as marketplaces print them', () => {
    const cases: [string, number][] = [
      ['Revisado en España el 5 de marzo de 2024', Date.UTC(2024, 2, 5)],
      ['Recensito in Italia il 5 maggio 2024', Date.UTC(2024, 4, 5)],
      ['Reviewed in the United States on March 5, 2024', Date.UTC(2024, 2, 5)],
      ['1º de diciembre de 2023', Date.UTC(2023, 11, 1)],
      ['17 gen 2025', Date.UTC(2025, 0, 17)],
      ['3 de ene. de 2024', Date.UTC(2024, 0, 3)],
      ['12 giugno 2023', Date.UTC(2023, 5, 12)],
      ['9 luglio 2022', Date.UTC(2022, 6, 9)],
      ['2 set 2024', Date.UTC(2024, 8, 2)],
      ['2 ott 2024', Date.UTC(2024, 9, 2)],
      ['21 de agosto de 2021', Date.UTC(2021, 7, 21)],
      ['Mar 5th, 2024', Date.UTC(2024, 2, 5)],
      ['mayo 5 2024', Date.UTC(2024, 4, 5)],
      ['05-Mar-2024', Date.UTC(2024, 2, 5)],
    ]
    for (const [text, ms] of cases) expect(coerceDate(text), text).toBe(ms)
  })

  it('reads a time and a zone after the date', () => {
    expect(coerceDate('5 de marzo de 2024 a las 22:15')).toBe(Date.UTC(2024, 2, 5, 22, 15))
    expect(coerceDate('5 marzo 2024 alle 10.30')).toBe(Date.UTC(2024, 2, 5, 10, 30))
    // Italian's dotted time after a numeric date, as a Google Forms timestamp in Italian is written.
    expect(coerceDate('16/03/2024 10.22.33', 'dmy')).toBe(Date.UTC(2024, 2, 16, 10, 22, 33))
    expect(coerceDate('05.03.2024 9.05')).toBe(Date.UTC(2024, 2, 5, 9, 5))
    expect(coerceDate('March 5, 2024 10:30 p. m.')).toBe(Date.UTC(2024, 2, 5, 22, 30))
    expect(coerceDate('Tue, 05 Mar 2024 10:30:00 +0100')).toBe(Date.UTC(2024, 2, 5, 9, 30))
    expect(coerceDate('5 de marzo de 2024 (CET)')).toBe(Date.UTC(2024, 2, 5))
  })

  it('reads a European or US zone name after an ISO or numeric date and time', () => {
    expect(coerceDate('2024-03-05 14:22:01 CET')).toBe(Date.UTC(2024, 2, 5, 13, 22, 1))
    expect(coerceDate('2024-07-05 14:22:01 CEST')).toBe(Date.UTC(2024, 6, 5, 12, 22, 1))
    expect(coerceDate('2024-03-05T14:22 utc')).toBe(Date.UTC(2024, 2, 5, 14, 22))
    expect(coerceDate('2024-03-05 14:22 EST')).toBe(Date.UTC(2024, 2, 5, 19, 22))
    expect(coerceDate('05/03/2024 14:22 CET', 'dmy')).toBe(Date.UTC(2024, 2, 5, 13, 22))
    expect(coerceDate('05.03.2024 14:22 WET')).toBe(Date.UTC(2024, 2, 5, 14, 22))
    expect(coerceDate('5 de marzo de 2024 a las 14:22 CET')).toBe(Date.UTC(2024, 2, 5, 13, 22))
    expect(coerceDate('5 luglio 2024 alle 14:22 CEST')).toBe(Date.UTC(2024, 6, 5, 12, 22))
    expect(coerceDate('5 March 2024 10:30 EST')).toBe(Date.UTC(2024, 2, 5, 15, 30))
    // A name it does not know is no zone to guess.
    expect(coerceDate('2024-03-05 14:22:01 XYZ')).toBeInstanceOf(Failure)
    expect(coerceDate('05/03/2024 14:22 IST')).toBeInstanceOf(Failure)
  })

  it('reads "alle ore", "a la" and an "h" after the time, and stays fast on long runs of spaces', () => {
    expect(coerceDate('5 marzo 2024 alle ore 10:30')).toBe(Date.UTC(2024, 2, 5, 10, 30))
    expect(coerceDate('5 de marzo de 2024, 10:30 h')).toBe(Date.UTC(2024, 2, 5, 10, 30))
    const started = performance.now()
    expect(coerceDate(`5 marzo 2024${' '.repeat(5000)}x`)).toBeInstanceOf(Failure)
    expect(coerceDate(`5 de marzo de 2024\n${'\n'.repeat(2000)}Compra verificada`)).toBeInstanceOf(Failure)
    expect(coerceDate(`01/02/2024${' '.repeat(300_000)}x`)).toBeInstanceOf(Failure)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('does not move a date with a US zone name or a one-digit offset again by the machine\'s time zone', () => {
    expect(coerceDate('Mar 5 2024 10:00 GMT+1')).toBe(Date.UTC(2024, 2, 5, 9))
    expect(coerceDate('5 March 2024 10:30 EST')).toBe(Date.UTC(2024, 2, 5, 15, 30))
    expect(coerceDate('5 March 2024 10:30 PDT')).toBe(Date.UTC(2024, 2, 5, 17, 30))
  })

  it('reads a spreadsheet serial day number, as a number or a string', () => {
    // A date cell formatted as General: 45356 is 2024-03-05 in Excel and LibreOffice.
    expect(coerceDate('45356')).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate(45356)).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('45356.5')).toBe(Date.UTC(2024, 2, 5, 12))
    expect(coerceDate(45356.598_611_1)).toBe(Date.UTC(2024, 2, 5, 14, 22))
    expect(coerceDate('36526')).toBe(Date.UTC(2000, 0, 1))
    // Longer numbers are still epoch seconds or ms, and YYYYMMDD.
    expect(coerceDate('1709648521')).toBe(Date.UTC(2024, 2, 5, 14, 22, 1))
    expect(coerceDate(20240305)).toBe(Date.UTC(2024, 2, 5))
  })

  it('reads a compact date and time, YYYYMMDDHHMMSS, as databases and logs write it, not as epoch milliseconds of the 27th century', () => {
    expect(coerceDate('20240305103000')).toBe(Date.UTC(2024, 2, 5, 10, 30))
    expect(coerceDate(20240305103000)).toBe(Date.UTC(2024, 2, 5, 10, 30))
    // Not a real time: no date, rather than one six centuries on.
    expect(coerceDate('20240305256000')).toBeInstanceOf(Failure)
    // Thirteen digits stay epoch milliseconds.
    expect(coerceDate('1709632800000')).toBe(Date.UTC(2024, 2, 5, 10))
  })

  it('reads a numeric date after a weekday or words in the date order, not as the engine reads it', () => {
    // Monday 4 March and Tuesday 5 March 2024, as Spanish and Italian pages print them ("mar" is martes, martedì: not March).
    expect(coerceDate('lun 04/03/2024', 'dmy')).toBe(Date.UTC(2024, 2, 4))
    expect(coerceDate('lunedì 04/03/2024', 'dmy')).toBe(Date.UTC(2024, 2, 4))
    expect(coerceDate('mar 05/03/2024', 'dmy')).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('mar., 05/03/2024 10:22', 'dmy')).toBe(Date.UTC(2024, 2, 5, 10, 22))
    expect(coerceDate('Publicado el 25/12/2021', 'dmy')).toBe(Date.UTC(2021, 11, 25))
    expect(coerceDate('Tue 03/05/2024')).toBe(Date.UTC(2024, 2, 5))
    // A date that does not fit the order says so, as without the words.
    expect(coerceDate('Tue 13/05/2024')).toMatchObject({ code: 'invalid_date' })
  })

  it('reads the time after a numeric date with the words or marks pages put between them', () => {
    for (const text of ['05/03/2024 a las 10:22', '05/03/2024 alle 10:22', '05/03/2024 alle ore 10.22', '05/03/2024, ore 10:22', '05/03/2024 - 10:22', '05/03/2024 @ 10:22', '05/03/2024 at 10:22']) {
      expect(coerceDate(text, 'dmy'), text).toBe(Date.UTC(2024, 2, 5, 10, 22))
    }
  })

  it('reads a time before a numeric date in the date order', () => {
    for (const text of ['10:22 05/03/2024', '10:22, 05/03/2024', '10.22 05.03.2024', '10:22:00 05-03-2024']) {
      expect(coerceDate(text, 'dmy'), text).toBe(Date.UTC(2024, 2, 5, 10, 22))
    }
    expect(coerceDate('10:22 pm 03/05/2024')).toBe(Date.UTC(2024, 2, 5, 22, 22))
    // A Spanish column reads it day first, as it reads the date alone.
    expect(analyze({ text: 'Bien', fecha: '10:22 05/03/2024' } as never).date).toBe('2024-03-05T10:22:00.000Z')
    expect(coerceDate('10:22 13/13/2024', 'dmy')).toMatchObject({ code: 'invalid_date' })
  })

  it('reads a numeric date with spaces between its parts in the date order', () => {
    for (const text of ['05 03 2024', '5 3 2024', '05  03  2024', '05  03 2024', '05 03   2024', 'martes 05  03 2024', '05\t03\t2024', '05 \t03\t 2024', '05\u00A003\u00A02024', '05\u202F03\u202F2024', '05\u200703\u20072024']) expect(coerceDate(text, 'dmy'), text).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('10:22 05 03  2024', 'dmy')).toBe(Date.UTC(2024, 2, 5, 10, 22))
    for (const text of ['05 03 2024 10:22', '10:22 05 03 2024']) expect(coerceDate(text, 'dmy'), text).toBe(Date.UTC(2024, 2, 5, 10, 22))
    // A tab before the time, as between the parts: the date is read here, not refused.
    for (const text of ['05\t03\t2024\t10:22', '05/03/2024\t10:22']) expect(coerceDate(text, 'dmy'), text).toBe(Date.UTC(2024, 2, 5, 10, 22))
    expect(coerceDate('03 05 2024')).toBe(Date.UTC(2024, 2, 5))
    // A Spanish column reads it day first; a day past the 12th month first says which order it reads in.
    expect(analyze({ text: 'Bien', fecha: '05 03 2024' } as never).date).toBe('2024-03-05T00:00:00.000Z')
    expect(coerceDate('14 03 2024')).toMatchObject({ code: 'invalid_date', message: expect.stringMatching(/it reads as a day-first date/) as unknown })
    // A year first is ISO's order, as before; a 2-digit year after spaces is not taken for a date.
    expect(coerceDate('2024 03 05', 'dmy')).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('5 3 24', 'dmy')).toBeInstanceOf(Failure)
  })

  it('refuses a text the engine would read as a year past 9999', () => {
    for (const text of ['123456', '45356.5.1', '2024-03-05x99999']) expect(coerceDate(text), text).toBeInstanceOf(Failure)
  })

  it('reads a serial day with a decimal comma, as a Spanish or Italian spreadsheet writes a date and time cell formatted as General', () => {
    expect(coerceDate('45356,5')).toBe(Date.UTC(2024, 2, 5, 12))
    expect(coerceDate('45356,598611', 'dmy')).toBe(Date.UTC(2024, 2, 5, 14, 22))
  })

  it('reads no serial day from five characters with a leading zero, as from the number', () => {
    // "08001" (a postcode in a date column) is not day 8001 of 1899-12-30: that would be 1921, before 1927.
    const serial = (days: number) => Date.UTC(1899, 11, 30) + days * 86_400_000
    for (const text of ['08001', '00184', '09999']) expect(coerceDate(text)).not.toBe(serial(Number(text)))
    expect(coerceDate('10000')).toBe(serial(10_000))
  })

  it('reads a spreadsheet date with a month name and a short year, as Excel writes "05-Mar-24"', () => {
    expect(coerceDate('05-Mar-24')).toBe(Date.UTC(2024, 2, 5))
    expect(coerceDate('5-mar.-99 10:22')).toBe(Date.UTC(1999, 2, 5, 10, 22))
    expect(coerceDate('31-Feb-24')).toBeInstanceOf(Failure)
    expect(coerceDate('05-Mar-245')).toBeInstanceOf(Failure)
    expect(dayless('05-Mar-24')).toBe(false)
  })

  it('refuses impossible days and unknown month names', () => {
    expect(coerceDate('31 de febrero de 2024')).toBeInstanceOf(Failure)
    expect(coerceDate('29 febbraio 2023')).toBeInstanceOf(Failure)
    expect(coerceDate('5 brumaire 2024')).toBeInstanceOf(Failure)
    expect((coerceDate('5 foo 2024') as Failure).message).toMatch(/"5 de marzo de 2024"/)
  })
})

describe('dates that name no day', () => {
  it('tells a year or a year and month from a whole date', () => {
    for (const d of ['2024', '2024-03', 'March 2024', 'marzo de 2024', 'Reviewed in March 2024', 'marzo 2024', 'Mar 2024']) expect(dayless(d)).toBe(true)
    for (const d of ['2024-03-05', '5 March 2024', 'Revisado en España el 5 de marzo de 2024', '05/03/2024', '20240305', 'Tue Mar 05 2024', '2024-12-17T18:53:29Z', 1709596800, '']) {
      expect(dayless(d)).toBe(false)
    }
  })

  it('leaves such dates out of bursts and reviewer activity, and writes them as the 1st', async () => {
    // Thirty reviews of one product "in March 2024" are not thirty reviews on one day.
    const words = 'blender jar ice smoothie lid motor blade speed noise power button glass clean fast slow cheap sturdy handle cord base'.split(' ')
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: `m${i}`,
      product: 'p1',
      author: `a${i}`,
      rating: 5,
      date: 'March 2024',
      text: `The ${words[i % words.length]} and the ${words[(i * 7 + 3) % words.length]} of this ${words[(i * 11 + 5) % words.length]} review ${i} are fine`,
    }))
    const out: ResultRow[] = []
    for await (const r of analyzeBatch(rows, { workers: 0 })) out.push(r)
    expect(out).toHaveLength(30)
    for (const r of out) {
      if (!r.ok) throw new Error(r.error.message)
      expect(r.date).toBe('2024-03-01T00:00:00.000Z')
      expect(r.authenticity.signals.map((s) => s.type)).not.toContain('burst')
    }
    // The same rows on one real day are a burst.
    const sameDay: ResultRow[] = []
    for await (const r of analyzeBatch(rows.map((row) => ({ ...row, date: '2024-03-01' })), { workers: 0 })) sameDay.push(r)
    expect(sameDay.some((r) => r.ok && r.authenticity.signals.some((s) => s.type === 'burst'))).toBe(true)
  })

  it('marks such a date on the result (dayless), and no whole date', async () => {
    const out: ResultRow[] = []
    const dates = ['March 2024', '2024-03', '2024', '2024-03-05', '5 March 2024']
    for await (const r of analyzeBatch(dates.map((date, i) => ({ id: `d${i}`, text: 'Llegó bien, muy contento.', date })), { workers: 0 })) out.push(r)
    expect(out.map((r) => (r.ok ? r.dayless : 'error'))).toEqual([true, true, true, undefined, undefined])
    // The JSON of a whole date has no such key.
    expect(JSON.stringify(out[3])).not.toContain('dayless')
  })
})

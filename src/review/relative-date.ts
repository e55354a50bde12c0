/**
 * Relative dates, as review pages print them and scrapers copy them ("3 days
 * ago", "Hace 2 semanas", "un mese fa", "yesterday", "Edited a month ago"):
 * counted back from the day the reviews were exported (`referenceDate`).
 * Without that day they name no date at all.
 */

/** The units a relative date counts in. */
export type RelativeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'

/** A relative date: how many units before the reference. */
export interface RelativeDate {
  amount: number
  unit: RelativeUnit
  /** True when the amount is a guess ("a few days ago", "over a year ago"): the date names no day. */
  approximate?: true
}

const DAY_MS = 86_400_000
const UNIT_MS: Partial<Record<RelativeUnit, number>> = { second: 1000, minute: 60_000, hour: 3_600_000 }

/** Unit words in English, Spanish and Italian, singular and plural. */
const UNITS: Readonly<Record<string, RelativeUnit>> = {
  second: 'second', seconds: 'second', segundo: 'second', segundos: 'second', secondo: 'second', secondi: 'second',
  minute: 'minute', minutes: 'minute', minuto: 'minute', minutos: 'minute', minuti: 'minute',
  hour: 'hour', hours: 'hour', hora: 'hour', horas: 'hour', ora: 'hour', ore: 'hour',
  day: 'day', days: 'day', 'día': 'day', 'días': 'day', dia: 'day', dias: 'day', giorno: 'day', giorni: 'day',
  week: 'week', weeks: 'week', semana: 'week', semanas: 'week', settimana: 'week', settimane: 'week',
  month: 'month', months: 'month', mes: 'month', meses: 'month', mese: 'month', mesi: 'month',
  year: 'year', years: 'year', 'año': 'year', 'años': 'year', ano: 'year', anos: 'year', anno: 'year', anni: 'year',
  // Short forms, after a number: "5 mins ago", "3h ago", "2w ago", "1mo ago" ("m" alone is minutes, as feeds write it).
  s: 'second', sec: 'second', secs: 'second', m: 'minute', min: 'minute', mins: 'minute', h: 'hour', hr: 'hour', hrs: 'hour',
  d: 'day', w: 'week', wk: 'week', wks: 'week', mo: 'month', mos: 'month', mth: 'month', mths: 'month', y: 'year', yr: 'year', yrs: 'year',
}

/** The shortest units, read only after digits ("3d ago", not "a d ago"; "a min ago" is read). */
const SHORT_UNITS: ReadonlySet<string> = new Set(['s', 'm', 'h', 'hr', 'd', 'w', 'wk', 'mo', 'y', 'yr'])

/** Amounts written as words: one to twelve, and "a" / "un" / "una"; "a few", "unos", "qualche" are a guess of three. */
const AMOUNTS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  un: 1, una: 1, uno: 1, "un'": 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12,
  due: 2, tre: 3, quattro: 4, cinque: 5, sei: 6, sette: 7, otto: 8, nove: 9, dieci: 10, undici: 11, dodici: 12,
}
const FEW: ReadonlySet<string> = new Set(['a few', 'few', 'several', 'some', 'unos', 'unas', 'algunos', 'algunas', 'varios', 'varias', 'qualche', 'alcuni', 'alcune'])
/** What makes an amount a guess, after Spanish's "hace": "over a year ago", "hace más de un año", "più di un anno fa". */
const ABOUT = /^(hace )?(?:over|more than|about|around|almost|nearly|más de|mas de|casi|cerca de|alrededor de|più di|piu di|circa|quasi) /

/** Whole relative dates written as words. */
const WORDS: Readonly<Record<string, RelativeDate>> = {
  'just now': { amount: 0, unit: 'second' }, now: { amount: 0, unit: 'second' }, ahora: { amount: 0, unit: 'second' },
  'ahora mismo': { amount: 0, unit: 'second' }, adesso: { amount: 0, unit: 'second' }, 'proprio ora': { amount: 0, unit: 'second' },
  today: { amount: 0, unit: 'day' }, hoy: { amount: 0, unit: 'day' }, oggi: { amount: 0, unit: 'day' },
  yesterday: { amount: 1, unit: 'day' }, ayer: { amount: 1, unit: 'day' }, ieri: { amount: 1, unit: 'day' },
  anteayer: { amount: 2, unit: 'day' }, antier: { amount: 2, unit: 'day' }, "l'altro ieri": { amount: 2, unit: 'day' },
  "l'altroieri": { amount: 2, unit: 'day' }, 'altro ieri': { amount: 2, unit: 'day' }, avantieri: { amount: 2, unit: 'day' },
  'last week': { amount: 1, unit: 'week' }, 'la semana pasada': { amount: 1, unit: 'week' }, 'semana pasada': { amount: 1, unit: 'week' },
  'la settimana scorsa': { amount: 1, unit: 'week' }, 'settimana scorsa': { amount: 1, unit: 'week' },
  'last month': { amount: 1, unit: 'month' }, 'el mes pasado': { amount: 1, unit: 'month' }, 'mes pasado': { amount: 1, unit: 'month' },
  'il mese scorso': { amount: 1, unit: 'month' }, 'mese scorso': { amount: 1, unit: 'month' },
  'last year': { amount: 1, unit: 'year' }, 'el año pasado': { amount: 1, unit: 'year' }, 'año pasado': { amount: 1, unit: 'year' },
  "l'anno scorso": { amount: 1, unit: 'year' }, 'anno scorso': { amount: 1, unit: 'year' },
}

const COMBINING = /[\u0300-\u036f]/

/** "Edited …" or "Updated …" before the date, as review pages print a review changed since. */
const EDITED = /^(?:edited|updated|editad[oa]|modificad[oa]|actualizad[oa]|modificat[oa]|aggiornat[oa])\s*:?\s*/
/** "3 days ago", "a month ago", "5 mins ago", "3d ago", "a few weeks ago" (the amount, then the unit). */
const ENGLISH = /^(?:(\d{1,4}) ?|(a few |\p{L}+ ))(\p{L}+) ago$/u
/** "hace 3 días", "hace un mes", "hace unos días". */
const SPANISH = /^hace (?:(\d{1,4}) ?|(\p{L}+ ))(\p{L}+)$/u
/** "3 giorni fa", "un mese fa", "un'ora fa" (or "un' ora fa"), "qualche giorno fa". */
const ITALIAN = /^(?:(\d{1,4}) ?|(un' ?|\p{L}+ ))(\p{L}+) fa$/u

/**
 * The relative date a string writes, or null when it writes none.
 *
 * @param value A date cell as given ("Hace 2 semanas", "3 days ago").
 */
export function relativeDate(value: string): RelativeDate | null {
  // Cheap refusals first: a relative date is short, once the white space a scraped page
  // indents it with is trimmed and collapsed ("\n      Edited\n      3 days ago\n    ").
  const short = value.length > 40 ? value.trim().replace(/\s+/g, ' ') : value
  if (short.length === 0 || short.length > 40) return null
  // Accents as combining marks (NFD, as some systems store text) composed: "di\u0301as" reads as "días".
  const composed = COMBINING.test(short) ? short.normalize('NFC') : short
  const s = composed.trim().toLowerCase().replace(/[’`´]/g, "'").replace(/\s+/g, ' ').replace(/\.$/, '').replace(EDITED, '')
  const word = WORDS[s]
  if (word !== undefined) return word
  // "over a year ago", "hace más de un año", "più di un anno fa": the words after the hedge, and a guess.
  const t = s.replace(ABOUT, '$1')
  const guessed = t !== s
  const m = ENGLISH.exec(t) ?? SPANISH.exec(t) ?? ITALIAN.exec(t)
  if (m === null) return null
  const [, digits, amountWord, unitWord] = m
  const unit = UNITS[unitWord!]
  // A short unit only after digits: "3d ago", not "a d ago".
  if (unit === undefined || (digits === undefined && SHORT_UNITS.has(unitWord!))) return null
  const said = amountWord?.trim()
  const few = said !== undefined && FEW.has(said)
  const amount = digits !== undefined ? Number(digits) : few ? 3 : AMOUNTS[said!]
  if (amount === undefined) return null
  return guessed || few ? { amount, unit, approximate: true } : { amount, unit }
}

/**
 * Whether a relative date names no day: weeks, months and years ("2 weeks
 * ago" is 14–20 days on most pages) and guesses ("a few days ago"), which
 * bursts and reviewer activity leave out, as they do "March 2024".
 */
export function relativeNamesNoDay(date: RelativeDate): boolean {
  return date.approximate === true || date.unit === 'week' || date.unit === 'month' || date.unit === 'year'
}

/**
 * Epoch ms of a relative date counted back from the reference. Days, weeks,
 * months and years give a day (no time of day); seconds, minutes and hours
 * give the time when the reference has one, else the day they fall on,
 * counted back from the end of the reference day.
 *
 * @param date The relative date.
 * @param reference Epoch ms of the export (`referenceDate`).
 */
export function resolveRelative(date: RelativeDate, reference: number): number {
  const { amount, unit } = date
  const day = Math.floor(reference / DAY_MS)
  const ms = UNIT_MS[unit]
  if (ms !== undefined) {
    if (reference % DAY_MS !== 0) return reference - amount * ms
    return Math.floor((reference + DAY_MS - 1 - amount * ms) / DAY_MS) * DAY_MS
  }
  if (unit === 'day') return (day - amount) * DAY_MS
  if (unit === 'week') return (day - 7 * amount) * DAY_MS
  const at = new Date(day * DAY_MS)
  const months = unit === 'month' ? amount : 12 * amount
  const year = at.getUTCFullYear()
  const month = at.getUTCMonth() - months
  // The same day of the month, or the month's last ("a month ago" on 31 March is 29 February).
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return Date.UTC(year, month, Math.min(at.getUTCDate(), last))
}

/**
 * Coercions of the input contract: what users' exports actually contain
 * ("4/5", "★★★★☆", "yes", "2024-03-05 10:00", epoch seconds) turned into
 * canonical values, or a failure that says what was expected and what was found.
 */
import { type ErrorCode, describeValue } from './errors.js'
import { relativeDate, relativeNamesNoDay, resolveRelative } from './relative-date.js'

/** A coercion that did not work: the code and the message of the row's error. */
export class Failure {
  /**
   * @param code The error code.
   * @param message What was expected and what was found.
   * @param otherOrder For a numeric date that only reads in the other day/month order, that order (the summary counts such rows from it, not from the message).
   * @param offScale For a number off its field's scale, the number (the summary says which scale the batch's numbers fit).
   */
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
    readonly otherOrder?: DateOrder,
    readonly offScale?: number,
  ) {}
}

/** A numeric scale, lowest and highest value (a rating on 0–10 is `{ min: 0, max: 10 }`). */
export interface Scale {
  min: number
  max: number
}

export const STAR_SCALE: Scale = { min: 1, max: 5 }

/** Map a value on `scale` linearly onto 1–5 stars. */
export function toStars(value: number, scale: Scale): number {
  if (scale.min === 1 && scale.max === 5) return value
  return round2(1 + ((value - scale.min) / (scale.max - scale.min)) * 4)
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

/** Stars for `n` out of `of` ("4/5", "8 out of 10", "80%"): the same share of 5, at least 1. */
function shareOfTop(n: number, of: number): number {
  return round2(Math.max(1, (n / of) * 5))
}

const FILLED = /[★⭐✪✭✮✯✰]/gu
const EMPTY = /[☆✩]/g
/** Half a star, as sites that show "4.5" draw it: "★★★★½", or U+2BE8 (left half black star). */
const HALF = /[½⯨]/gu
const STAR_GLYPHS = /^[\s★⭐✪✭✮✯✰☆✩½⯨\uFE0F]+$/u
/** The longest rating text read ("Valoración: 4,5 de 5 estrellas" is 31 characters). */
const MAX_RATING_LENGTH = 100
/** A rating written as a percentage: "80%", "92,5 %". */
const PERCENT = /^(\d+(?:[.,]\d+)?)\s*%$/
/**
 * A number as ratings are written: "4", "4/5", "4 out of 5 stars", the unit
 * before the scale ("2 estrellas de 5", "4 stelle su 5"), and beside one
 * star glyph, as app stores show it ("4★", "⭐ 4.5").
 */
const RATING_UNIT = /(?:stars?|estrellas?|stelle|stella|puntos?|punti|points?|[★⭐]\uFE0F?)/.source
const RATING_TEXT = new RegExp(
  `^(?:[★⭐]\\uFE0F?\\s*)?(\\d+(?:[.,]\\d+)?)\\s*(?:(?:${RATING_UNIT}\\s*)?(?:\\/|out of|of|de|su|di|sur|von)\\s*(\\d+(?:[.,]\\d+)?))?\\s*${RATING_UNIT}?$`,
  'i',
)

/** A label before the rating ("Rated 4 out of 5", "Valutazione: 4/5"), as scraped pages write it. */
const RATING_LABEL = /^(?:rated|rating|score|valoraci[oó]n|calificaci[oó]n|puntuaci[oó]n|nota|valutazione|voto|punteggio)\s*:?\s*/i
/**
 * Numbers written as words in a rating ("five stars", Google's `"FIVE"`,
 * "cuatro estrellas", "tre stelle", "four out of five", "otto su dieci"):
 * the rating and the scale it names.
 */
const RATING_WORD = /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|due|tre|quattro|cinque|sei|sette|otto|nove|dieci)\b/gi
const RATING_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  uno: '1', una: '1', dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9', diez: '10',
  due: '2', tre: '3', quattro: '4', cinque: '5', sei: '6', sette: '7', otto: '8', nove: '9', dieci: '10',
}
/**
 * What exports and spreadsheets write in a cell that holds no value: "N/A"
 * (Excel's #N/A too), "null", "NaN", a dash; Spanish and Italian "n/d",
 * "s/d", "n.d.". An optional field that holds only one is absent, as a blank
 * cell is, not an error that would lose the whole review.
 */
const NO_VALUE = new Set(['n/a', 'na', 'n.a.', '#n/a', 'null', 'nil', 'none', 'nan', 'undefined', '<na>', '-', '--', '—', '–', 'n/d', 'n.d.', 's/d', 's.d.'])

/** Whether a trimmed string is only a marker of no value (`NO_VALUE`). */
export function isNoValue(s: string): boolean {
  if (s.length > 9) return false
  // Most values (ids, names, ratings) start with no letter of a marker: told without lower-casing a copy.
  const first = s.charCodeAt(0)
  const letter = first | 32
  if (letter !== 110 && letter !== 115 && letter !== 117 && first !== 35 && first !== 60 && first !== 45 && first !== 0x2013 && first !== 0x2014) return false
  return NO_VALUE.has(s.toLowerCase())
}

/** Google Business Profile's rating when the reviewer gave none: no rating. */
const NO_RATING = 'STAR_RATING_UNSPECIFIED'
/**
 * Two-way ratings, as support desks ask them (Zendesk's satisfaction
 * ratings: `good`, `bad`, and `offered` or `unoffered` for a survey sent or
 * not, unanswered) and thumbs: the top and the bottom star, or none.
 */
const TWO_WAY: ReadonlyMap<string, number | undefined> = new Map<string, number | undefined>([
  ['good', 5], ['goodwithcomment', 5], ['thumbs up', 5], ['thumbs_up', 5], ['thumbsup', 5], ['👍', 5],
  ['bad', 1], ['badwithcomment', 1], ['thumbs down', 1], ['thumbs_down', 1], ['thumbsdown', 1], ['👎', 1],
  ['offered', undefined], ['unoffered', undefined],
])

/** A scale as messages write it: "1–5". */
export function scaleText(scale: Scale): string {
  return `${scale.min}–${scale.max}`
}

/** The options that set a field's scale, and their CLI flags: a value off its scale names them. */
export const SCALE_FLAGS = { ratingScale: 'rating-scale', cesScale: 'ces-scale', csatScale: 'csat-scale' } as const

/** An option that sets a field's scale. */
export type ScaleOption = keyof typeof SCALE_FLAGS

/** A value off its scale; with the option that sets the scale, named (a survey on 1–7 is a setting away, not a broken row). */
function offScale(value: unknown, n: number, scale: Scale, option: ScaleOption | undefined): Failure {
  const hint = option === undefined ? '' : ` (another scale: the ${option} option, --${SCALE_FLAGS[option]})`
  return new Failure('out_of_range', `expected ${scaleText(scale)}, got ${describeValue(value)}${hint}`, undefined, n)
}

/** NaN or ±Infinity (a caller's division by zero, a number too long to read): no scale takes it, so none is suggested. */
function notFinite(value: unknown, scale: Scale): Failure {
  return new Failure('invalid_type', `expected a finite number on ${scaleText(scale)}, got ${describeValue(value)}`)
}

/**
 * Stars on 1–5 from a number, numeric string, fraction or star glyphs; undefined when empty.
 * `option` names the option that sets `scale`, for the message of a value off it.
 */
export function coerceRating(value: unknown, scale: Scale, option?: ScaleOption): number | undefined | Failure {
  if (value === undefined || value === null) return undefined
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'string') {
    let s = value.trim()
    if (s === '' || isNoValue(s)) return undefined
    // No rating is this long (a number aside, said to be too long below); the patterns below would spend time on it that grows with its square (runs of spaces).
    if (s.length > MAX_RATING_LENGTH && !/^[\d.,+-]+$/.test(s)) return new Failure('invalid_type', `expected a number on ${scaleText(scale)}, got ${describeValue(value)}`)
    // "Rated 4 out of 5", "Valutazione: ★★★★☆", "Rating: 80%": the label dropped (a number or a glyph starts none).
    const first = s.charCodeAt(0) | 32
    if (first >= 97 && first <= 122) s = s.replace(RATING_LABEL, '')
    if (STAR_GLYPHS.test(s)) {
      const half = s.match(HALF)?.length ?? 0
      const filled = (s.match(FILLED)?.length ?? 0) + half / 2
      const empty = s.match(EMPTY)?.length ?? 0
      // A half star takes a place of its own: "★★★½☆" is 3.5 of 5.
      const total = empty > 0 ? filled + half / 2 + empty : 5
      if (filled < 1 || filled > total || half > 1) {
        return new Failure('invalid_value', `expected a star rating, got ${describeValue(value)}`)
      }
      return round2(1 + ((filled - 1) / (total - 1)) * 4)
    }
    const percent = PERCENT.exec(s)
    if (percent !== null) {
      // "80%": a share of the top rating, as "80/100" reads.
      const p = Number(percent[1]!.replace(',', '.'))
      if (p > 100) return new Failure('out_of_range', `expected a percentage of at most 100%, got ${describeValue(value)}`)
      return shareOfTop(p, 100)
    }
    if (s === NO_RATING) return undefined
    let m = RATING_TEXT.exec(s)
    // Not a number: a two-way rating or thumbs, looked up only then (a CSV's every rating is a string).
    if (m === null && s.length <= 16) {
      const twoWay = s.toLowerCase().replace(/\uFE0F|[\u{1F3FB}-\u{1F3FF}]/gu, '')
      if (TWO_WAY.has(twoWay)) return TWO_WAY.get(twoWay)
    }
    // "five stars", "cuatro de cinco": each word as its number.
    if (m === null) m = RATING_TEXT.exec(s.replace(RATING_WORD, (word) => RATING_WORDS[word.toLowerCase()]!))
    if (m === null) {
      return new Failure('invalid_type', `expected a number on ${scaleText(scale)}, got ${describeValue(value)}`)
    }
    n = Number(m[1]!.replace(',', '.'))
    if (m[2] !== undefined) {
      // "4/5", "8 out of 10": the denominator names the scale.
      const of = Number(m[2].replace(',', '.'))
      if (!(of > 0) || n > of || n < 0) {
        return new Failure('out_of_range', `expected a rating out of ${of}, got ${describeValue(value)}`)
      }
      return shareOfTop(n, of)
    }
  } else {
    return new Failure('invalid_type', `expected a number on ${scaleText(scale)}, got ${describeValue(value)}`)
  }
  if (!Number.isFinite(n)) return notFinite(value, scale)
  if (n < scale.min || n > scale.max) return offScale(value, n, scale, option)
  return toStars(n, scale)
}

/** Yes and no as exports write them, in lower case with `_` and `-` as spaces: a flag, or a badge's words ("Verified Buyer", "Compra verificada", "verificato"). */
const TRUE = new Set([
  'true', 'yes', 'y', '1', 't', '✓', '✔', '✅', '☑', 'si', 'sí', 'sì', 'verdadero', 'vero',
  'verified', 'verified purchase', 'verified buyer', 'verified owner', 'verified reviewer', 'verified customer',
  'verificado', 'verificada', 'compra verificada', 'comprador verificado', 'verificato', 'verificata', 'acquisto verificato', 'acquirente verificato',
  // Judge.me's API: "buyer" a verified purchase; "email" an address confirmed, no purchase; or "nothing".
  'buyer',
])
const FALSE = new Set([
  'false', 'no', 'n', '0', 'f', '✗', '✘', '✖', '❌', '❎', 'falso', 'nothing', 'email',
  'unverified', 'not verified', 'unverified purchase', 'unverified buyer', 'unverified reviewer', 'not a verified purchase',
  'no verificado', 'no verificada', 'compra no verificada', 'non verificato', 'non verificata', 'acquisto non verificato',
])

/** The verified-purchase flag from booleans, 1/0 and yes/no words; undefined when empty. */
export function coerceBoolean(value: unknown): boolean | undefined | Failure {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'boolean') return value
  if (value === 1 || value === 0) return value === 1
  if (typeof value === 'string') {
    let s = value.trim().toLowerCase()
    if (s === '' || isNoValue(s)) return undefined
    if (TRUE.has(s)) return true
    if (FALSE.has(s)) return false
    // "verified_buyer", "Non-verificato"; accents as combining marks (NFD) composed; "✔️" as an emoji (with its variation selector).
    s = s.replace(/[\s_-]+/g, ' ').replace(/\uFE0F/g, '').normalize('NFC')
    if (TRUE.has(s)) return true
    if (FALSE.has(s)) return false
  }
  return new Failure('invalid_type', `expected true/false, yes/no or 1/0, got ${describeValue(value)}`)
}

/**
 * Zone names a date may end in, to minutes east of UTC: Europe's (CET in
 * Spain and Italy) and the US ones the engine reads too. Ambiguous ones (IST)
 * are left out.
 */
const ZONE_NAMES: Readonly<Record<string, number>> = {
  z: 0, utc: 0, gmt: 0, wet: 0, west: 60, bst: 60, cet: 60, cest: 120, eet: 120, eest: 180,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
}
/** The names of ZONE_NAMES but UTC, GMT and Z, as a pattern to put in the date patterns. */
const ZONE_NAME = /WES?T|BST|CES?T|EES?T|[ECMP][SD]T/.source
const ISO = new RegExp(
  String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT|${ZONE_NAME})?$`,
  'i',
)
const NUMERIC = /^\d{9,14}(?:\.\d+)?$/
// Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973).
const EPOCH_MS_THRESHOLD = 1e11
const DAY_MS = 86_400_000
/**
 * A spreadsheet's serial day number ("45356", "45356.6145" with a time of day),
 * as a date cell formatted as General exports: five digits, 1927–2173, as
 * the number path reads them ("08001", a postcode, is no day of 1921). Read
 * as epoch seconds or milliseconds such a number would fall on 1–2 January
 * 1970, before any online review; read by Date.parse, as a year. A
 * spreadsheet in Spanish or Italian writes its fraction after a comma
 * ("45356,6145"), which Date.parse would read as year 45356.
 */
const SERIAL_DAY = /^[1-9]\d{4}(?:[.,]\d+)?$/
// Day 0 of spreadsheet serial dates (1899-12-30, so that 1900-03-01 is day 61, as Excel and LibreOffice count).
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30)
// The largest time a Date holds (±100,000,000 days from 1970); beyond it toISOString throws.
const MAX_DATE_MS = 8.64e15

/**
 * Epoch ms of a date written YYYYMMDD (20240305), as databases and exports
 * write them, when it is a real day of 1900–2199: read as seconds since 1970
 * such a number would fall in August 1970, before any online review. With a
 * time, YYYYMMDDHHMMSS (20240305103000), as databases and logs write it: read
 * as milliseconds since 1970 such a number would fall after 2286, so one that
 * is no real date and time is a failure, not a date centuries on.
 */
function compactDate(s: string, value: unknown): number | Failure | undefined {
  if (s.length === 14 && /^(?:19|20|21)\d{12}$/.test(s)) {
    const day = compactDate(s.slice(0, 8), value)
    const hour = Number(s.slice(8, 10))
    const minute = Number(s.slice(10, 12))
    const second = Number(s.slice(12, 14))
    if (typeof day !== 'number' || hour > 23 || minute > 59 || second > 59) return dateFailure(value)
    return day + ((hour * 60 + minute) * 60 + second) * 1000
  }
  if (s.length !== 8 || !/^(?:19|20|21)\d{6}$/.test(s)) return undefined
  const year = Number(s.slice(0, 4))
  const month = Number(s.slice(4, 6)) - 1
  const day = Number(s.slice(6, 8))
  if (month < 0 || month > 11 || day < 1 || !dayExists(year, month, day)) return undefined
  return Date.UTC(year, month, day)
}

/** Epoch ms of a spreadsheet serial day number (see `SERIAL_DAY`), to the second. */
function fromSerialDay(n: number): number {
  return SERIAL_EPOCH_MS + Math.round(n * 86_400) * 1000
}

function fromEpoch(n: number): number {
  return Math.round(n < EPOCH_MS_THRESHOLD ? n * 1000 : n)
}

/** Epoch ms of a UTC date and time; unlike Date.UTC, years 0–99 are not read as 1900–1999. */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  // Date.UTC reads the year as given from 100 on, without a Date object per row.
  if (year >= 100) return Date.UTC(year, month, day, hour, minute, second)
  const at = new Date(0)
  at.setUTCFullYear(year, month, day)
  at.setUTCHours(hour, minute, second, 0)
  return at.getTime()
}

/** Whether `day` exists in the 0-based `month` of `year` (proleptic Gregorian, as Date reads it). */
function dayExists(year: number, month: number, day: number): boolean {
  if (day <= 28) return true
  if (month === 1) return day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31)
}

function dateFailure(value: unknown): Failure {
  return new Failure(
    'invalid_date',
    `expected an ISO 8601 date ("2024-03-05", "2024-03-05 10:00"), a written one ("5 de marzo de 2024", "March 5, 2024") or epoch seconds/ms, got ${describeValue(value)}`,
  )
}

/** A year, or a year and month, in ISO's order: "2024", "2024-03". */
const ISO_DAYLESS = /^\d{4}(?:-\d{1,2})?$/

/**
 * Whether a date value names no day: a year or a year and month
 * ("2024", "2024-03", "March 2024", "marzo de 2024"), which `coerceDate`
 * reads as the 1st, or a relative date in weeks, months or years ("2 weeks
 * ago"). Such a date says nothing about which day a review came, so the
 * batch does not count it toward bursts or a reviewer's daily activity.
 *
 * @param value A date as the row gives it (only strings can name no day).
 */
export function dayless(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const s = value.trim()
  if (ISO_DAYLESS.test(s)) return true
  // A written month: the year is its only number ("Reviewed in March 2024"; not "5 March 2024").
  let runs = 0
  let length = 0
  let letters = false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (isDigitCode(c)) {
      if (i === 0 || !isDigitCode(s.charCodeAt(i - 1))) {
        if (++runs > 1) return false
      }
      length++
    } else if ((c | 32) >= 97 && (c | 32) <= 122) letters = true
  }
  // "2 weeks ago", "un mese fa": counted back from referenceDate to a day that is not the one the review came.
  if (letters && runs <= 1) {
    const relative = relativeDate(s)
    if (relative !== null) return relativeNamesNoDay(relative)
  }
  return letters && runs === 1 && length === 4
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57
}

/** How a numeric date such as "05/03/2024" is read: month first (US) or day first (Europe). */
export type DateOrder = 'mdy' | 'dmy'

/** What a numeric date's parts may be apart by: spaces, tabs, and the no-break spaces a spreadsheet or a page writes (U+00A0, U+2007, U+202F). */
const DATE_SPACE = String.raw`[ \t\u00A0\u2007\u202F]`
/**
 * "05/03/2024", "5-3-2024", "05.03.2024 14:30", "05 03 2024", "3/5/2024 9:05:00.250 PM +01:00",
 * "05/03/2024 10:00 p. m. GMT+0100 (CET)", "05/03/24", and Italian's dotted
 * time, "05/03/2024 10.22.33", as Google Forms and Sheets write it there
 * (after words or marks as pages print them: "a las", "alle", "ore", "at", "-", "@"):
 * day or month, then the other, a 4-digit year (or a 2-digit one after `/`
 * or `.`, a spreadsheet's short date), apart by `/`, `.`, `-` or a space,
 * then optionally a time (with seconds, a fraction, AM/PM) and a zone.
 */
const NUMERIC_DATE = new RegExp(
  String.raw`^(\d{1,2})([/.-]| +)(\d{1,2})\2(\d{4}|\d{2})(?:(?:[T ,\t\u00A0\u2007\u202F]+|\s*[-@]\s*|,?\s+(?:a las|a la|alle ore|alle|ore|at)\s+)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([ap])\.?\s?m\.?)?)?\s*(?:Z|UTC|GMT|(?:(?:UTC|GMT)\s*)?([+-]\d{2}(?::?\d{2})?)|(${ZONE_NAME}))?(?:\s*\([^)]*\))?$`,
  'i',
)
/** A numeric date's day and month and what sets them apart: `/`, `.` or `-` after each, alike, or spaces. */
const DAY_AND_MONTH = String.raw`\d{1,2}(?:(?<sep>[/.-])\d{1,2}\k<sep>|${DATE_SPACE}+\d{1,2}${DATE_SPACE}+)`
/** What starts like a numeric date: such text is read here or refused, never left to Date.parse (always month first). */
const NUMERIC_DATE_START = new RegExp(String.raw`^${DAY_AND_MONTH}\d{2,4}\b`)
/**
 * Up to four words before a numeric date, as pages print a weekday or a
 * label before it ("martes 05/03/2024", "lun., 04/03/2024", "Publicado el
 * 25/12/2021"): left out, so the date is read in its order. Date.parse would
 * read it month first, and "mar" (martes, martedì) as March.
 */
const WORDS_BEFORE_NUMERIC_DATE = new RegExp(String.raw`^\p{L}[\p{L}.,]*(?:\s+\p{L}[\p{L}.,]*){0,3}\s+(?=${NUMERIC_DATE_START.source.slice(1)})`, 'u')
/**
 * A time before a numeric date ("10:22 05/03/2024", "10.22, 05/03/2024"), as
 * some exports write it: read as the date and then the time, in the date
 * order. Date.parse would read the date month first whatever the column.
 */
const TIME_BEFORE_NUMERIC_DATE = new RegExp(String.raw`^(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[ap]\.?\s?m\.?)?),?\s+(${DAY_AND_MONTH}(?:\d{4}|\d{2}))$`, 'i')

/** A numeric date's parts apart by runs of spaces (tabs, no-break spaces), not each as long ("05  03 2024", "05\t03\t2024"): read as if by one space each. */
const SPACED_PARTS = new RegExp(String.raw`^(\d{1,2})${DATE_SPACE}+(\d{1,2})${DATE_SPACE}+(?=\d)`)

/** A numeric day-month date in the given order, as UTC; undefined when the text is not one. */
function numericDate(s: string, value: unknown, order: DateOrder, hint = true): number | Failure | undefined {
  const m = NUMERIC_DATE.exec(SPACED_PARTS.test(s) ? s.replace(SPACED_PARTS, '$1 $2 ') : s)
  if (m === null) {
    if (!NUMERIC_DATE_START.test(s)) return undefined
    return new Failure('invalid_date', `expected a numeric date such as "05/03/2024", "05/03/24" or "05/03/2024 14:30", got ${describeValue(value)}`)
  }
  const [, a, sep, b, yy, h, mi, sec, frac, ampm, offsetZone, namedZone] = m
  const zone = offsetZone ?? namedZone
  // Parts apart by spaces take a 4-digit year ("05 03 2024"); "5 3 24" is left to the engine, as before.
  if (yy!.length === 2 && sep![0] === ' ') return undefined
  // "24-03-05" may be year first (ISO's order): only slashes and dots take a 2-digit year.
  if (yy!.length === 2 && sep === '-') return new Failure('invalid_date', `expected a numeric date with a 4-digit year ("05-03-2024"), got ${describeValue(value)}`)
  const y = yy!.length === 2 ? shortYear(Number(yy)) : Number(yy)
  // Dots are written day first everywhere ("05.03.2024"); slashes and dashes follow the option.
  const dayFirst = sep === '.' || order === 'dmy'
  const day = Number(dayFirst ? a : b)
  const month = Number(dayFirst ? b : a)
  const hour = clockHour(h === undefined ? 0 : Number(h), ampm)
  const minute = mi === undefined ? 0 : Number(mi)
  const second = sec === undefined ? 0 : Number(sec)
  const offset = zone === undefined ? 0 : zoneMinutes(zone)
  if (Number.isNaN(offset)) return dateFailure(value)
  const fits = month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59
  if (!fits || !dayExists(y, month - 1, day)) {
    const other = order === 'dmy' ? 'mdy' : 'dmy'
    const flipped = hint && sep !== '.' && numericDate(s, value, other, false)
    const because =
      typeof flipped === 'number'
        ? `; it reads as a ${other === 'dmy' ? 'day-first' : 'month-first'} date: set dateOrder: '${other}' (--date-order ${other})`
        : ''
    return new Failure(
      'invalid_date',
      `expected a ${dayFirst ? 'day-first (DD/MM/YYYY)' : 'month-first (MM/DD/YYYY)'} date, got ${describeValue(value)}${because}`,
      typeof flipped === 'number' ? other : undefined,
    )
  }
  const ms = utc(y, month - 1, day, hour, minute, second) + (frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000))
  return ms - offset * 60_000
}

/** Two-digit years as spreadsheets read them: 00–29 are 2000–2029, 30–99 are 1930–1999. */
const SHORT_YEAR_PIVOT = 30

/** The year a spreadsheet reads a 2-digit year as. */
function shortYear(yy: number): number {
  return yy < SHORT_YEAR_PIVOT ? 2000 + yy : 1900 + yy
}

/**
 * The 24-hour hour of `hour` read with `ampm` ("a" or "p", either case) when
 * given: 12:30 AM is 00:30, 12:30 PM is 12:30. An hour a 12-hour clock does
 * not have (0, 13 …) gives 24, which no date accepts.
 */
function clockHour(hour: number, ampm: string | undefined): number {
  if (ampm === undefined) return hour
  if (hour < 1 || hour > 12) return 24
  return (hour % 12) + (ampm.toLowerCase() === 'p' ? 12 : 0)
}

/** Minutes east of UTC of a zone suffix ("Z", "UTC", "CET", "+01:00", "-0500", "+02"); NaN when out of range. */
function zoneMinutes(zone: string): number {
  const named = ZONE_NAMES[zone.toLowerCase()]
  if (named !== undefined) return named
  const sign = zone[0] === '-' ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2) || '0')
  return hours > 23 || minutes > 59 ? Number.NaN : sign * (hours * 60 + minutes)
}

/** Month names and abbreviations in Spanish, Italian and English, lower-case and without accents, to 1–12. */
const MONTHS: ReadonlyMap<string, number> = (() => {
  const names = [
    'enero ene gennaio gen january jan',
    'febrero feb febbraio february',
    'marzo mar march',
    'abril abr aprile apr april',
    'mayo maggio mag may',
    'junio jun giugno giu june',
    'julio jul luglio lug july',
    'agosto ago august aug',
    'septiembre setiembre sep sept set settembre sett september',
    'octubre oct ottobre ott october',
    'noviembre nov novembre november',
    'diciembre dic dicembre december dec',
  ]
  const map = new Map<string, number>()
  names.forEach((line, i) => {
    for (const name of line.split(' ')) map.set(name, i + 1)
  })
  return map
})()

/** A time after a written date: "10:30", "10.30", "10:30:15", "10:30 p. m.", "a las 10:30", "alle 10:30", "at 10:30 PM". */
const WRITTEN_TIME = /^,? ?(?:(?:at|a las|a la|alle ore|alle|ore|h) )?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?: ?([ap])\.? ?m\.?| ?h(?:rs?|s)?\b)?/i
/** What may follow a written date's time: a zone offset (after UTC or GMT or alone) or a zone name (CET), and a zone name in brackets. */
const WRITTEN_ZONE = new RegExp(String.raw`^(?:(?:UTC|GMT) ?)?(?:([+-]\d{2}(?::?\d{2})?)|(${ZONE_NAME}))?(?: ?\([^)]*\))?$`, 'i')
/** Longer date texts are refused before any pattern runs. */
const MAX_DATE_LENGTH = 200
/** Longer texts are not read as written dates (the patterns search the whole text). */
const MAX_WRITTEN_DATE_LENGTH = 120
/** Day, month name, year: "5 de marzo de 2024", "5 marzo 2024", "5th March 2024", "05-mar-2024", "Tue, 05 Mar 2024". */
const WRITTEN_DMY = /(?<![\p{L}\p{N}])(\d{1,2})(?:º|°|st|nd|rd|th)?\.?[\s-]*(?:de[l]?\s+)?(\p{L}{3,10})\.?[\s,-]*(?:de[l]?\s+)?(\d{4})(?!\p{N})/u
/** Month name, day, year: "March 5, 2024", "mayo 5 2024", "Mar 5th, 2024". */
const WRITTEN_MDY = /(?<![\p{L}\p{N}])(\p{L}{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\p{N})/u
/** A spreadsheet's day, month name and short year, with hyphens: "05-Mar-24", "5-mar.-24" (the year read as `shortYear` does). */
const WRITTEN_DMY_SHORT = /^(\d{1,2})-(\p{L}{3,10})\.?-(\d{2})(?!\p{N})/u

/**
 * A date written with a month name, as marketplaces print them ("Revisado en
 * España el 5 de marzo de 2024", "Recensito in Italia il 5 marzo 2024",
 * "Reviewed in the United States on March 5, 2024"), optionally followed by a
 * time and a zone. Text before the date is ignored; text after it other than
 * a time and a zone is not read here (undefined).
 */
function writtenDate(s: string, value: unknown): number | Failure | undefined {
  if (s.length > MAX_WRITTEN_DATE_LENGTH) return undefined
  const short = WRITTEN_DMY_SHORT.exec(s)
  const dmy = short ?? WRITTEN_DMY.exec(s)
  const mdy = dmy === null ? WRITTEN_MDY.exec(s) : null
  const m = dmy ?? mdy
  if (m === null) return undefined
  const day = Number(dmy !== null ? m[1] : m[2])
  const name = (dmy !== null ? m[2]! : m[1]!).toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
  const month = MONTHS.get(name)
  if (month === undefined) return undefined
  const year = short !== null ? shortYear(Number(m[3])) : Number(m[3])
  // Runs of spaces are one space here, so no pattern below backtracks over them.
  let rest = s.slice(m.index + m[0].length).replace(/\s+/g, ' ').trimEnd()
  let hour = 0
  let minute = 0
  let second = 0
  const t = WRITTEN_TIME.exec(rest)
  if (t !== null) {
    hour = clockHour(Number(t[1]), t[4])
    minute = Number(t[2])
    second = t[3] === undefined ? 0 : Number(t[3])
    rest = rest.slice(t[0].length)
  }
  const zone = WRITTEN_ZONE.exec(rest.trimStart())
  // A zone name alone in brackets ("(CET)") is read as no zone, as after a numeric date.
  if (zone === null) return undefined
  if (day < 1 || !dayExists(year, month - 1, day) || hour > 23 || minute > 59 || second > 59) return dateFailure(value)
  const named = zone[1] ?? zone[2]
  const offset = named === undefined ? 0 : zoneMinutes(named)
  if (Number.isNaN(offset)) return dateFailure(value)
  return utc(year, month - 1, day, hour, minute, second) - offset * 60_000
}

/**
 * Epoch milliseconds (UTC) from ISO 8601, "YYYY-MM-DD HH:mm", epoch seconds or
 * milliseconds, a spreadsheet's serial day number (45356), a numeric date such as "05/03/2024" read in `order`
 * (month first by default; day first with dots), or a date written with a
 * Spanish, Italian or English month name ("5 de marzo de 2024"). Dates without a zone are
 * read as UTC, so the result does not depend on the machine's time zone.
 * A relative date ("3 days ago", "hace 2 semanas", "un mese fa") is counted
 * back from `reference` (see `resolveRelative`); without one it is no date
 * (undefined), and the validator says so on the row.
 */
export function coerceDate(value: unknown, order: DateOrder = 'mdy', reference?: number): number | undefined | Failure {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') {
    if (!(Number.isFinite(value) && value >= 0)) return dateFailure(value)
    const compact = Number.isInteger(value) ? compactDate(String(value), value) : undefined
    if (compact !== undefined) return compact
    if (value >= 10_000 && value < 100_000) return fromSerialDay(value)
    const ms = fromEpoch(value)
    return ms <= MAX_DATE_MS ? ms : dateFailure(value)
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? dateFailure(value) : value.getTime()
  if (typeof value !== 'string') return dateFailure(value)
  const s = value.trim()
  if (s === '' || isNoValue(s)) return undefined
  // No date is this long; the patterns below would only spend time on it.
  if (s.length > MAX_DATE_LENGTH) return dateFailure(value.slice(0, 40) + '…')
  const compact = compactDate(s, value)
  if (compact !== undefined) return compact
  if (NUMERIC.test(s)) return fromEpoch(Number(s))
  if (SERIAL_DAY.test(s)) return fromSerialDay(Number(s.replace(',', '.')))
  const m = ISO.exec(s)
  if (m !== null) {
    const [, y, mo, d, h, mi, sec, frac, zone] = m
    const month = Number(mo)
    const day = Number(d)
    const hour = h === undefined ? 0 : Number(h)
    const minute = mi === undefined ? 0 : Number(mi)
    const second = sec === undefined ? 0 : Number(sec)
    // Out-of-range parts would roll over ("10:99" → 11:39); reject them.
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
      // MySQL's zero date ("0000-00-00 00:00:00"), which its dumps write for a date never set: no date.
      return Number(y) === 0 && month === 0 && day === 0 && hour === 0 && minute === 0 && second === 0 ? undefined : dateFailure(value)
    }
    let ms = utc(Number(y), month - 1, day, hour, minute, second)
    if (frac !== undefined) ms += Math.round(Number(`0.${frac}`) * 1000)
    if (!dayExists(Number(y), month - 1, day)) return dateFailure(value)
    if (zone !== undefined) {
      const offset = zoneMinutes(zone)
      if (Number.isNaN(offset)) return dateFailure(value)
      ms -= offset * 60_000
    }
    return ms
  }
  const timeFirst = TIME_BEFORE_NUMERIC_DATE.exec(s)
  const words = timeFirst === null ? WORDS_BEFORE_NUMERIC_DATE.exec(s) : null
  const numeric = numericDate(timeFirst !== null ? `${timeFirst[2]} ${timeFirst[1]}` : words === null ? s : s.slice(words[0].length), value, order)
  if (numeric !== undefined) return numeric
  const written = writtenDate(s, value)
  if (written !== undefined) return written
  // "3 days ago", "hace 2 semanas": counted back from the reference, or no date without one (validate warns).
  const relative = relativeDate(s)
  if (relative !== null) {
    if (reference === undefined) return undefined
    const ms = resolveRelative(relative, reference)
    // "9999 years ago", a scraper's garbage: refused, as epoch numbers before 1970 are (a date written out may be older).
    return ms >= 0 ? ms : new Failure('invalid_date', `expected a date, got ${describeValue(value)}, which counts back from the reference date to before 1970`)
  }
  // Other spellings ("Jan 25, 2018", RFC 2822): let the engine read them, as UTC.
  const parsed = Date.parse(s)
  // A year past 9999 is a number the engine took for one ("123456", "45356.5.1"), not a date.
  if (Number.isNaN(parsed) || parsed >= MAX_ISO_FAST_MS || !/\d{4}/.test(s)) return dateFailure(value)
  // A zone only after a time or GMT/UTC ("10:00 +0100", "GMT+0100 (CET)"): "05-Mar-2024" ends in "-2024", a year.
  // The engine also reads the US zone names (EST … PDT) and UT: such a date is not moved to UTC again.
  const zoned = /(?:\bZ|\bGMT|\bUTC?|\b[ECMP][SD]T)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?(?:\s*\([^)]*\))?\s*$|\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*[+-]\d{2}:?\d{2}(?:\s*\([^)]*\))?\s*$/i.test(s)
  return zoned ? parsed : parsed - new Date(parsed).getTimezoneOffset() * 60_000
}

// Years 0000–9999 print as four digits: the range isoDate writes by hand.
const MAX_ISO_FAST_MS = 253_402_300_800_000
const TWO_DIGITS: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`))
// The last day isoDate wrote and its "YYYY-MM-DDT": rows of a dump come in runs of nearby dates.
let lastDay = Number.NaN
let lastDayText = ''

/**
 * `new Date(ms).toISOString()` without a Date object: the result's `date` for every row.
 *
 * @param ms Epoch milliseconds, as `coerceDate` gives them.
 * @returns The ISO 8601 text ("2024-03-05T10:00:00.000Z").
 */
export function isoDate(ms: number): string {
  if (!(ms >= 0 && ms < MAX_ISO_FAST_MS && Number.isInteger(ms))) return new Date(ms).toISOString()
  const days = Math.floor(ms / DAY_MS)
  let rest = ms - days * DAY_MS
  if (days !== lastDay) {
    // Days to a civil date (H. Hinnant's days_from_civil, inverted), from 0000-03-01.
    const z = days + 719_468
    const era = Math.floor(z / 146_097)
    const doe = z - era * 146_097
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
    const mp = Math.floor((5 * doy + 2) / 153)
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1
    const month = mp < 10 ? mp + 3 : mp - 9
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    lastDay = days
    lastDayText = `${TWO_DIGITS[Math.floor(year / 100)]}${TWO_DIGITS[year % 100]}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`
  }
  if (rest === 0) return `${lastDayText}00:00:00.000Z`
  const milli = rest % 1000
  rest = (rest - milli) / 1000
  const second = rest % 60
  rest = (rest - second) / 60
  const minute = rest % 60
  const hour = (rest - minute) / 60
  return `${lastDayText}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${milli < 100 ? (milli < 10 ? '00' : '0') : ''}${milli}Z`
}

/** Whether an epoch-ms date carries a time of day (for hourly burst windows). */
export function hasTimeOfDay(ms: number): boolean {
  return ms % DAY_MS !== 0
}

/** An optional string field: strings and numbers, empty means absent. */
export function coerceString(value: unknown): string | undefined | Failure {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') {
    const s = value.trim()
    return s === '' ? undefined : s
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'bigint') return String(value)
  return new Failure('invalid_type', `expected a string, got ${describeValue(value)}`)
}

/** An optional string field that names something (author, product, channel; a segment: `coerceSegment`): like `coerceString`, and a marker of no value ("N/A") is none. */
export function coerceName(value: unknown): string | undefined | Failure {
  const s = coerceString(value)
  return typeof s === 'string' && isNoValue(s) ? undefined : s
}

/**
 * The customer segment or market: like `coerceName`, but "NA" is a market
 * (North America, beside EMEA and APAC), not a marker of no value.
 */
export function coerceSegment(value: unknown): string | undefined | Failure {
  const s = coerceString(value)
  return typeof s === 'string' && s.toLowerCase() !== 'na' && isNoValue(s) ? undefined : s
}

/**
 * The review title: like `coerceName`, but a string is kept exactly as given
 * (not trimmed), because evidence offsets point into it.
 */
export function coerceTitle(value: unknown): string | undefined | Failure {
  if (typeof value === 'string') {
    const s = value.trim()
    return s === '' || isNoValue(s) ? undefined : value
  }
  return coerceName(value)
}

/** The review body: a non-empty string no longer than `max` characters. */
export function coerceText(value: unknown, max: number): string | Failure {
  if (value === undefined || value === null) return new Failure('required', 'text is required')
  if (typeof value !== 'string') {
    return new Failure('invalid_type', `expected a string, got ${describeValue(value)}`)
  }
  if (value === '') return new Failure('required', 'text is required, got an empty string')
  if (value.trim() === '') return new Failure('required', `text is required, got only white space (${describeValue(value)})`)
  if (value.length > max) {
    return new Failure('too_big', `expected at most ${max} characters, got ${value.length}`)
  }
  return value
}

/** A language recensio scores: a row's `lang` field, or the `lang` option. */
export type Lang = 'es' | 'it' | 'en'

const LANGS: Record<string, Lang> = {
  es: 'es', spa: 'es', spanish: 'es', español: 'es', espanol: 'es', castellano: 'es',
  it: 'it', ita: 'it', italian: 'it', italiano: 'it',
  en: 'en', eng: 'en', english: 'en', inglés: 'en', inglese: 'en',
}

/**
 * Another language's code or name ("fr", "pt-BR", "Deutsch"): letters, and
 * parts after a hyphen or underscore. A review platform's export labels each
 * review with its language, whichever it is.
 */
const OTHER_LANG = /^\p{L}{2,}(?:[-_][\p{L}\d]+)*$/u

/** What a `lang` column holds for "not known" ("und", BCP 47's undetermined; "auto"; "null" and "none" are `isNoValue`'s): no language given, and no warning. */
const NO_LANG = new Set(['und', 'unknown', 'auto', 'other', 'mul', 'zxx'])

/**
 * A language code: es/it/en, also as ISO 639-2, names, or with a region
 * ("es-MX"). Another language ("fr") is undefined, as if no language were
 * given: the row's language is detected (`otherLang` tells it apart).
 */
export function coerceLang(value: unknown): Lang | undefined | Failure {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') {
    // A region in brackets, as locale pickers name a language ("Español (España)", "English (United States)"): the language.
    // The spaces before it are trimmed after: matched by the pattern, a long run of them took time quadratic in its length.
    const s = value.trim().toLowerCase().replace(/\([^()]*\)$/, '').trimEnd()
    if (s === '' || isNoValue(s)) return undefined
    const lang = LANGS[s] ?? LANGS[s.split(/[-_]/)[0]!]
    if (lang !== undefined) return lang
    if (NO_LANG.has(s) || OTHER_LANG.test(s)) return undefined
  }
  return new Failure('invalid_value', `expected a language such as es, it or en, got ${describeValue(value)}`)
}

/**
 * A row's `lang` that names a language recensio does not score ("fr"), as
 * given; undefined for es/it/en, "und" and the like, a blank or no value.
 */
export function otherLang(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const s = value.trim()
  return s !== '' && !NO_LANG.has(s.toLowerCase()) && !isNoValue(s) && coerceLang(s) === undefined ? s : undefined
}

/**
 * A survey answer: a number, or a number with its choice's label, as survey
 * tools export the labelled ends of a scale ("10 - Extremely likely", "1 =
 * Very difficult", "5 (Very satisfied)"). The label holds no digit, so a
 * range ("7 - 10") is no answer.
 */
const SCORE_TEXT = /^([+-]?\d+(?:[.,]\d+)?)(?:\s*(?:[-–—=:]\s*(?=\p{L})[^\d()]*|\(\s*\p{L}[^\d()]*\)))?$/u

/** A number on a closed range (NPS 0–10, CES 1–7, CSAT 1–5); `option` names the option that sets `scale`, for the message of a value off it. */
export function coerceScore(value: unknown, scale: Scale, option?: ScaleOption): number | undefined | Failure {
  if (value === undefined || value === null) return undefined
  let n = Number.NaN
  if (typeof value === 'number') n = value
  else if (typeof value === 'string') {
    const s = value.trim()
    if (s === '' || isNoValue(s)) return undefined
    const m = SCORE_TEXT.exec(s)
    if (m !== null) n = Number(m[1]!.replace(',', '.'))
  }
  if (Number.isNaN(n)) {
    return new Failure('invalid_type', `expected a number on ${scaleText(scale)}, got ${describeValue(value)}`)
  }
  if (!Number.isFinite(n)) return notFinite(value, scale)
  if (n < scale.min || n > scale.max) return offScale(value, n, scale, option)
  return n
}

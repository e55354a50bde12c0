/**
 * Input format detection: the extension when it names one, else the first
 * bytes. Files that are neither JSON Lines nor CSV (images, archives,
 * spreadsheets, binary) are refused at once with one line that says
 * what the file looks like.
 */
import { isUtf8 } from 'node:buffer'
import { RecensioError, namesField, namesText } from '../review/index.js'
import { isSpace } from './json-bytes.js'
import { type ArraySurvey, lacksArray, objectHasText, opensOnto, pathText, surveyArrays } from './json-wrapper.js'

/** The input formats recensio reads. */
export type InputFormat = 'jsonl' | 'csv' | 'json'

/** Bytes read before deciding on the format. */
export const SNIFF_BYTES = 64 * 1024

/** Share of invalid UTF-8 sequences above which the head is binary, not damaged text. */
const MAX_INVALID_SHARE = 0.1

/** A ZIP archive's first bytes, as an .xlsx workbook's. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

const MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'it looks like a PNG image'],
  [[0xff, 0xd8, 0xff], 'it looks like a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'it looks like a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'it looks like a PDF document'],
  [ZIP_MAGIC, 'it looks like a ZIP archive, as an .xlsx workbook is: read a workbook without --input-format (option format), or export the sheet as CSV'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'it looks like an old Excel file (.xls): save it as an .xlsx workbook, or export the sheet as CSV'],
  [[0x1f, 0x8b], "it is gzip-compressed, and its first bytes came apart on the pipe: give the file's path instead"],
  [[0x42, 0x5a, 0x68], 'it is bzip2-compressed: decompress it first'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'it is xz-compressed: decompress it first'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'it is zstd-compressed: decompress it first'],
  [[0x7f, 0x45, 0x4c, 0x46], 'it looks like a program (ELF executable)'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 'it looks like an SQLite database'],
]

/** The format an extension names, if any (`.json` is decided by content). */
export function formatFromName(name: string): InputFormat | undefined {
  const lower = name.toLowerCase()
  if (/\.(jsonl|ndjson|jsonlines)$/.test(lower)) return 'jsonl'
  if (/\.(csv|tsv)$/.test(lower)) return 'csv'
  return undefined
}

function startsWith(head: Uint8Array, magic: number[]): boolean {
  if (head.length < magic.length) return false
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false
  return true
}

/** Length of a UTF-8 byte-order mark at the start, 0 when none. */
export function bomLength(head: Uint8Array): number {
  return head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0
}

function notReadable(why: string): RecensioError {
  return new RecensioError('invalid_file', `not a JSON Lines, JSON, CSV or .xlsx file: ${why}`)
}

/** Input that is no file of the format a name or an option gave it: what it was read as, why it is not, what to do. */
function readAsForced(why: string): RecensioError {
  return new RecensioError('invalid_file', why)
}

/** A first line that is no JSON object in input read as JSON Lines, quoted; CSV when it looks like a header. */
function notJsonLines(text: string, from: number): RecensioError {
  const nl = text.indexOf('\n', from)
  const line = text.slice(from, nl < 0 ? text.length : nl).trimEnd()
  const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line
  const csv = /[,;\t|]/.test(line) ? '; if it is CSV, run again with --input-format csv (option format)' : ''
  return readAsForced(`its first line is not a JSON object (${shown}): it was read as JSON Lines (a .jsonl or .ndjson name, or --input-format jsonl)${csv}`)
}

/**
 * A workbook read as text: only a format forced on it brings one here (a
 * workbook is read as one otherwise), so it is no JSON Lines, JSON or CSV,
 * but may well be the .xlsx it looks like.
 */
function notText(why: string): RecensioError {
  return new RecensioError('invalid_file', `not a JSON Lines, JSON or CSV file: ${why}`)
}

/** How to read an input: its format and, for a JSON object, the path of the array of reviews in it (null: its first array of objects). */
export interface InputPlan {
  format: InputFormat
  arrayPath: readonly string[] | null
  /** JSON Lines whose first line looks like a page of answers (no review text of its own, reviews in this array): read as rows, with a hint. */
  pages?: readonly string[]
}

/** Objects one after another looked into for the array of reviews of an indented input. */
const OBJECTS_SURVEYED = 8

/**
 * Decide the format of an input from its first bytes.
 *
 * @returns The format; throws a `RecensioError` (`invalid_file`) when the input is neither.
 * @see sniffInput
 */
export function sniffFormat(...args: Parameters<typeof sniffInput>): InputFormat {
  return sniffInput(...args).format
}

/**
 * Decide how to read an input from its first bytes: its format, and for a
 * JSON object the array of reviews in it.
 *
 * An object is JSON (`json`) when it holds the reviews in an array of
 * objects (`{"reviews": […]}`) and has no review text of its own: indented
 * (as jq prints it; no line of it is a row), or alone on one line (an API's
 * answer saved whole, or a first line longer than the head). Its array is
 * the first array of objects with a review text in one of its first
 * objects, else (indented) its first array of objects. Lines one after
 * another stay JSON Lines rows, which may hold lists of photos or replies:
 * when the first looks like a page of answers, the plan says so (`pages`),
 * and `arrayPath` (or the json format) reads them as pages. A `.jsonl` name
 * keeps lines as rows; a path asked for makes any object JSON.
 *
 * @param head Up to `SNIFF_BYTES` from the start of the input.
 * @param hint The format named by the extension or forced by the caller.
 * @param complete True when `head` is the whole input.
 * @param json `path`: the keys down to the array of reviews in a JSON object (the `arrayPath` option); `textKey`: the key the `map` option gives the text.
 */
export function sniffInput(
  head: Uint8Array,
  hint: InputFormat | undefined,
  complete: boolean,
  json: { path?: readonly string[] | null | undefined; textKey?: string | undefined } = {},
): InputPlan {
  const asked = json.path ?? null
  const plan = (format: InputFormat, arrayPath: readonly string[] | null = asked): InputPlan => ({ format, arrayPath })
  for (const [magic, why] of MAGIC) if (startsWith(head, magic)) throw magic === ZIP_MAGIC ? notText(why) : notReadable(why)
  // The sources decode UTF-16 and UTF-32 before they sniff: bytes that still read as them were not decoded.
  const wide = wideText(head)
  if (wide !== null) throw notReadable(`it is ${wideTextName(wide)}: save it as UTF-8`)
  if (isBinary(head)) throw notReadable('it holds binary data (NUL bytes)')
  // A cut multi-byte character at the end of the head is not an error.
  const end = wholeCharsEnd(head, complete)
  const text = Buffer.from(head.buffer, head.byteOffset, end).toString('utf8')
  let invalid = 0
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) invalid++
  if (invalid > 16 && invalid > text.length * MAX_INVALID_SHARE) throw notReadable('it holds binary data, not UTF-8 text')

  const bom = bomLength(head) === 3
  let i = bom ? 1 : 0
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++
  if (i >= text.length) return plan(hint ?? 'jsonl')
  const first = text[i]
  if (asked !== null) {
    // Only a forced format can say otherwise, and the options refuse that with a path.
    if (first === '{') {
      // One whole object without the array (a mistyped path) would be one error row: refused instead.
      const from = i + (bom ? 2 : 0)
      const lacking = complete ? lacksArray(head.subarray(from), asked) : null
      if (lacking !== null && head.subarray(from + lacking.end).every(isSpace)) {
        const arrays = lacking.arrays.map((p) => `"${p}"`)
        const has = arrays.length === 0 ? 'it holds no array of objects' : `its array${arrays.length === 1 ? '' : 's'} of objects: ${arrays.slice(0, 5).join(', ')}`
        throw new RecensioError('invalid_file', `its JSON object has no array at "${pathText(asked)}" (the arrayPath option); ${has}`)
      }
      return plan('json')
    }
    throw new RecensioError('invalid_file', `it is not a JSON object, so it has no array at "${pathText(asked)}" (the arrayPath option) to read`)
  }
  // A JSON array of reviews (one line or indented) is read element by element;
  // a .jsonl file is read by lines unless it is plainly one array (a first line
  // that is only "[", or a single line), so its later rows are not lost.
  if (first === '[' && hint !== 'csv') {
    if (hint !== 'jsonl') return plan('json')
    const nl = text.indexOf('\n', i)
    const firstLine = text.slice(i, nl < 0 ? text.length : nl).trim()
    if (firstLine === '[' || (complete && (nl < 0 || text.slice(nl).trim() === ''))) return plan('json')
    // A whole first line that is not a whole JSON value ("[{", "[ {\"id\": 1,") opens an indented array.
    if (nl >= 0) {
      try {
        JSON.parse(firstLine)
      } catch {
        return plan('json')
      }
    }
  }
  if (first === '{' && hint !== 'csv') {
    // A review in halves (pros and cons) has its text in them.
    const isText = textKeyTest(json.textKey)
    const from = i + (bom ? 2 : 0)
    const nl = text.indexOf('\n', i)
    // Indented JSON: a first line that is only "{" is no row of its own.
    if (nl >= 0 && text.slice(i + 1, nl).trim() === '') {
      const survey = surveyArrays(head.subarray(from), isText, OBJECTS_SURVEYED)
      const review = hasReviewText(complete ? text.slice(i) : null, survey.stringKeys, isText)
      // An empty list in an object that reads as one review ("rating": 5, "photos": []) is no page with no reviews.
      const path = survey.empty === true && readsAsRow(complete ? text.slice(i) : null, json.textKey) ? null : survey.path
      // The array may also come after the first 64 kB, or the file be cut off before it: the reader says which.
      if (!review && (path !== null || !survey.ended)) return plan('json', path)
      throw notReadable(
        `it is one JSON ${review ? 'review' : 'object'} spread over several lines${review ? '' : ', with no array of objects in it'}; recensio reads JSON Lines (one object per line; convert with: jq -c . FILE), a JSON array of objects, or an object that holds one (name it with the arrayPath option, --array-path, if it is not found)`,
      )
    }
    // The first line, found in the bytes: whole (the head holds its end), and whether it is all of the input.
    const lineEnd = head.indexOf(0x0a, from)
    const whole = lineEnd >= 0 || complete
    const line = head.subarray(from, lineEnd < 0 ? head.length : lineEnd)
    const only = complete && head.subarray(from + line.length).every(isSpace)
    // An object that goes on over the next lines (`{"reviews":[` and one element per line): its array is looked for in the head,
    // and read as when the object is indented, even with no text in sight (its elements may keep it nested, `review.text`).
    if (whole && !only && opensOnto(line)) {
      const over = surveyArrays(head.subarray(from), isText, OBJECTS_SURVEYED)
      if (over.path !== null && !over.stringKeys.some(isText)) return plan('json', over.path)
    }
    const survey = surveyArrays(line, isText)
    const lineText = whole ? Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8') : null
    // Null when the line is not whole, or no valid JSON (a row broken by a line break in its text).
    const parsed = lineText === null ? null : objectHasText(lineText, isText)
    const review = parsed ?? survey.stringKeys.some(isText)
    if (hint === 'json') {
      if (review && !only) throw readAsForced('it was read as JSON (--input-format json, option format), but its lines are reviews, one per line (JSON Lines): leave out the format, or give jsonl')
      return plan('json', survey.path)
    }
    // One object on one line (an API's answer saved whole, or a first line longer than 64 kB) whose
    // array holds reviews and that has no review text of its own; lines one after another stay
    // JSON Lines rows, which may hold lists of photos or replies (pages of answers need arrayPath).
    // The whole input on one line reads its first array of objects even with no review text in sight (its text key may need --map).
    const page = holdsPage(survey, lineText, json.textKey)
    if (hint !== 'jsonl' && !review && ((only && page) || (!whole && survey.textual))) return plan('json', survey.path)
    // A whole line that is no JSON object is no page: a JSON Lines row broken by a line break in its text.
    if (survey.textual && !review && !only && (!whole || parsed !== null)) return { format: 'jsonl', arrayPath: null, pages: survey.path! }
  }
  if (hint !== undefined) {
    if (hint === 'json' && first !== '[' && first !== '{') throw readAsForced('it was read as JSON (--input-format json, option format), but does not start with "[" (a JSON array) or "{" (an object that holds one): leave out the format to read it by its content')
    // A .jsonl whose first row is an array still has rows: that one becomes an error row.
    // A first line cut off (a file split by size) is one error row when the lines after it are JSON objects.
    if (hint === 'jsonl' && first !== '{' && first !== '[' && !laterLinesAreObjects(text, i, complete)) throw notJsonLines(text, i)
    return plan(hint)
  }
  if (first === '{' || laterLinesAreObjects(text, i, complete)) return plan('jsonl')
  const nl = text.indexOf('\n', i)
  const line = text.slice(i, nl < 0 ? text.length : nl)
  if (/[,;\t|]/.test(line)) return plan('csv')
  // A CSV of one column: the texts under a header that names them ("text", "Review", "testo", the --map text column).
  const name = line.trim().replace(/^"(.*)"$/, '$1')
  if (textKeyTest(json.textKey)(name)) return plan('csv')
  throw notReadable('the first line is neither a JSON object nor a CSV header (column names separated by ",", ";", a tab or "|")')
}

/** Code units looked at, and needed, to tell wide text without a byte order mark. */
const WIDE_UNITS = 512
const WIDE_MIN_UNITS = 8

/** Bytes enough to tell wide text without a byte order mark (from `WIDE_MIN_UNITS` UTF-32 characters). */
export const WIDE_MIN_BYTES = 4 * WIDE_MIN_UNITS

/** Unicode text wider than UTF-8 that the sources decode: UTF-16 or UTF-32, either byte order. */
export interface WideText {
  /** Bytes per code unit. */
  width: 2 | 4
  order: 'little-endian' | 'big-endian'
}

/** How a message names wide text: "UTF-16 text (little-endian)". */
export function wideTextName(wide: WideText): string {
  return `UTF-${wide.width * 8} text (${wide.order})`
}

/**
 * The byte order mark of UTF-32 or UTF-16 text that `head` starts with, or
 * null. UTF-32's is looked for first, as its little-endian mark starts with
 * UTF-16's: four bytes tell them apart.
 */
export function wideMark(head: Uint8Array): WideText | null {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return { width: 4, order: 'little-endian' }
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return { width: 4, order: 'big-endian' }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { width: 2, order: 'little-endian' }
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { width: 2, order: 'big-endian' }
  return null
}

/**
 * Whether the first bytes are UTF-32 or UTF-16 text, and in which byte
 * order; null for anything else: its byte order mark (`wideMark`), or
 * without one, UTF-32 first, nine characters in ten of the first plane
 * that are no control characters (a NUL high half on the same side of each
 * four-byte unit; a binary file's small numbers are mostly controls).
 */
export function wideText(head: Uint8Array): WideText | null {
  const mark = wideMark(head)
  if (mark !== null) return mark
  const units = Math.min(WIDE_UNITS, head.length >> 2)
  if (units >= WIDE_MIN_UNITS) {
    let le = 0
    let be = 0
    for (let u = 0; u < units; u++) {
      const at = 4 * u
      if ((head[at + 2]! | head[at + 3]!) === 0 && textChar(head[at]! | (head[at + 1]! << 8))) le++
      else if ((head[at]! | head[at + 1]!) === 0 && textChar((head[at + 2]! << 8) | head[at + 3]!)) be++
    }
    if (le * 10 >= units * 9) return { width: 4, order: 'little-endian' }
    if (be * 10 >= units * 9) return { width: 4, order: 'big-endian' }
  }
  const order = utf16Order(head)
  return order === null ? null : { width: 2, order }
}

/** Whether a character of the first plane is one of text: no control character but tab and line ends. */
function textChar(code: number): boolean {
  return code >= 0x20 ? code < 0x7f || code >= 0xa0 : code === 0x09 || code === 0x0a || code === 0x0d
}

/**
 * The byte order of UTF-16 text without a byte order mark (as some tools
 * save "Unicode text"), or null: a NUL high byte in nine pairs in ten, on
 * the same side of each pair, with the other byte not NUL (Latin text in
 * UTF-16; binary formats mix their NULs on both sides). UTF-32 passes for
 * UTF-16 here: `wideText` tells them apart.
 */
function utf16Order(head: Uint8Array): 'little-endian' | 'big-endian' | null {
  const pairs = Math.min(WIDE_UNITS, head.length >> 1)
  if (pairs < WIDE_MIN_UNITS) return null
  let le = 0
  let be = 0
  for (let p = 0; p < pairs; p++) {
    const a = head[2 * p]!
    const b = head[2 * p + 1]!
    if (a !== 0 && b === 0) le++
    else if (a === 0 && b !== 0) be++
  }
  if (le * 10 >= pairs * 9) return 'little-endian'
  if (be * 10 >= pairs * 9) return 'big-endian'
  return null
}

/** NUL bytes a text may hold in its first bytes (a damaged row or two) before it is taken for binary data. */
const MAX_TEXT_NULS = 8

/** Whether the first bytes are binary: more NUL bytes than a damaged text has (binary formats and UTF-16 are full of them). */
function isBinary(head: Uint8Array): boolean {
  let nuls = 0
  for (let i = head.indexOf(0); i >= 0; i = head.indexOf(0, i + 1)) if (++nuls > MAX_TEXT_NULS && nuls * 100 > head.length) return true
  return false
}

/**
 * Whether the whole lines after the first one (from `from`) in the head are
 * JSON objects (that parse), nine in ten at least: JSON Lines whose first line is cut off
 * (`split -b` parts) or damaged. A last line without its "\n" counts only when
 * the head is all of the input (else the head may have cut it).
 */
function laterLinesAreObjects(text: string, from: number, complete: boolean): boolean {
  let lines = 0
  let objects = 0
  let at = text.indexOf('\n', from)
  while (at >= 0) {
    let next = text.indexOf('\n', at + 1)
    if (next < 0) {
      if (!complete || at + 1 >= text.length) break
      next = text.length
    }
    const line = text.slice(at + 1, next).trim()
    if (line !== '') {
      lines++
      if (isJsonObject(line)) objects++
    }
    at = next
  }
  return lines > 0 && objects * 10 >= lines * 9
}

/** Whether a line is a JSON object, whole (a CSV record may start with "{": an id like {3F2504E0-…}). */
function isJsonObject(line: string): boolean {
  if (!line.startsWith('{') || !line.endsWith('}')) return false
  try {
    JSON.parse(line)
    return true
  } catch {
    return false
  }
}

/**
 * Whether the first line of an input is a whole JSON object that reads as a
 * page of reviews: it holds an array of objects (or an empty one) and no
 * review text of its own, as an API's answer does. Alone, such a line is read
 * as a page (its array's reviews, or none); followed by more lines, as the
 * first of JSON Lines rows. A pipe that sends one waits for its end or a next
 * line before the input is sniffed (`curl … | recensio analyze -`).
 *
 * @param head The first bytes of the input, the first line's newline among them.
 * @param textKey The key the `map` option gives the text.
 */
export function firstLineIsPage(head: Uint8Array, textKey: string | undefined): boolean {
  let from = bomLength(head)
  while (from < head.length && isSpace(head[from]!)) from++
  const lineEnd = head.indexOf(0x0a, from)
  if (head[from] !== 0x7b || lineEnd < 0) return false
  const isText = textKeyTest(textKey)
  const line = head.subarray(from, lineEnd)
  const survey = surveyArrays(line, isText)
  if (survey.path === null) return false
  const lineText = Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8')
  // As `sniffInput` reads a whole input on one line.
  return objectHasText(lineText, isText) === false && holdsPage(survey, lineText, textKey)
}

/** Whether a key names the review text: the key the `map` option gives it, else any name of one. */
function textKeyTest(textKey: string | undefined): (key: string) => boolean {
  return textKey === undefined ? namesText : (key) => key === textKey
}

/**
 * Whether a JSON object on one line holds a page of reviews: an array of
 * objects, or an empty list where the object does not read as one review of
 * its own ("rating": 5, "photos": []).
 *
 * @param lineText The line, when it is whole.
 */
function holdsPage(survey: ArraySurvey, lineText: string | null, textKey: string | undefined): boolean {
  return survey.path !== null && !(survey.empty === true && readsAsRow(lineText, textKey))
}

/**
 * Whether a whole JSON object reads as one review rather than an answer with
 * no reviews: a top-level key names a field and holds a value of its own
 * (`"rating": 5`, `"id": "r1"`), or names the text, or starts the `map`
 * option's text path. Such an object's empty list (`"photos": []`) is its
 * own, and the object a row (an error row without a text, not no row).
 */
function readsAsRow(whole: string | null, textKey: string | undefined): boolean {
  if (whole === null) return false
  let value: unknown
  try {
    value = JSON.parse(whole)
  } catch {
    return false
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const textRoot = textKey?.split('.')[0]
  for (const [key, v] of Object.entries(value)) {
    if (key === textRoot || namesText(key)) return true
    if ((v === null || typeof v !== 'object') && namesField(key)) return true
  }
  return false
}

/**
 * Whether an object is a review of its own (a JSON Lines row): it has a
 * text field whose value is a string.
 *
 * @param whole The object's text, when it is whole.
 * @param stringKeys Its top-level keys with string values read before its first array of objects.
 * @param isText Whether a key names a review text.
 */
function hasReviewText(whole: string | null, stringKeys: readonly string[], isText: (key: string) => boolean): boolean {
  // Not whole, or not valid JSON: judged by the keys read before the array.
  return (whole === null ? null : objectHasText(whole, isText)) ?? stringKeys.some(isText)
}

/**
 * Whether the first bytes of a text input are not valid UTF-8 (a Latin-1 or
 * Windows-1252 export, typically). A multi-byte character cut at the end of
 * an incomplete head does not count.
 *
 * @param head Up to `SNIFF_BYTES` from the start of the input.
 * @param complete True when `head` is the whole input.
 * @returns True when the head holds bytes that are not UTF-8.
 */
export function hasInvalidUtf8(head: Uint8Array, complete: boolean): boolean {
  return !isUtf8(head.subarray(0, wholeCharsEnd(head, complete)))
}

/**
 * Where the whole characters of a head end: before a multi-byte character
 * that the head may have cut, unless it is the whole input. (Four bytes
 * less cut a short head's only line: "text\n" of a pipe that waits.)
 */
function wholeCharsEnd(head: Uint8Array, complete: boolean): number {
  const end = head.length
  if (complete) return end
  let k = end - 1
  while (k >= 0 && k > end - 4 && (head[k]! & 0xc0) === 0x80) k--
  return k >= 0 && head[k]! >= 0xc0 ? k : end
}

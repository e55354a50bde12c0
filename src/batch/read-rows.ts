/**
 * Reading the rows of a bytes chunk: JSON Lines parsed one by one, CSV
 * records parsed with csv-parse and named by the header. The per-review stage
 * reads every chunk through it, and the report reads a dump back through it,
 * so both see the same rows.
 */
import { isUtf8 } from 'node:buffer'
import { type Options as CsvOptions, parse as parseCsv } from 'csv-parse/sync'
import { type ErrorCode, type ResolvedOptions, setOwn } from '../review/index.js'
import { idColumn } from './csv.js'
import { idInJsonHead } from './json-bytes.js'
import type { BytesChunk } from './protocol.js'

const REPLACEMENT = '\uFFFD'

/** A row of a bytes chunk as read: its raw value (a parsed object, a CSV record by column), or why it cannot be read. */
export type ReadRow =
  | { ok: true; raw: unknown; repaired: boolean }
  | { ok: false; id: string | null; code: ErrorCode; message: string }

/** Where row `i` of a chunk starts, for its error message: "line 12", or "feb.csv: line 12" when the batch reads several files. */
function lineOf(chunk: BytesChunk, i: number): string {
  return chunk.file === undefined ? `line ${chunk.lines[i]}` : `${chunk.file}: line ${chunk.lines[i]}`
}

/**
 * The CSV fields a row may have: the header's, or more when the options name
 * a column past it (`column_5` in `map` or `keep`, for a header that leaves
 * trailing columns unnamed).
 *
 * @param header The header's column names.
 * @param named The field names the options read (`map` values and `keep`).
 */
export function csvWidth(header: readonly string[], named: readonly string[]): number {
  let width = header.length
  for (const name of named) {
    const m = /^column_(\d{1,6})$/.exec(name)
    if (m !== null && !header.includes(name)) width = Math.max(width, Number(m[1]))
  }
  return width
}

/** The input fields the options name: `map` values and `keep`. */
export function namedFields(options: ResolvedOptions): string[] {
  const named: string[] = [...options.keep]
  for (const v of Object.values(options.map)) if (v !== undefined) named.push(v)
  return named
}

/**
 * Reads the rows of a bytes chunk, in order (CSV columns past the header are
 * named `column_N`). A CSV row with more non-empty fields than `width` is an
 * error row: its fields cannot be told apart (a text with the delimiter in it,
 * unquoted), and read by position they would put the rating in the product.
 */
export class ChunkReader {
  private readonly buf: Buffer
  private readonly values: (string[] | string)[] | null = null
  private readonly repaired: boolean[] | null = null
  private p = 0

  /**
   * @param chunk The chunk.
   * @param width For CSV, the fields a row may have (see `csvWidth`); the header's by default.
   */
  constructor(
    private readonly chunk: BytesChunk,
    private readonly width = chunk.header?.length ?? 0,
  ) {
    const { bytes } = chunk
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (chunk.kind === 'csv') {
      const texts: string[] = new Array(chunk.rows)
      const repaired: boolean[] = new Array(chunk.rows)
      for (let i = 0; i < chunk.rows; i++) {
        const d = decode(this.buf, chunk.starts[i]!, chunk.ends[i]!)
        texts[i] = d.text
        repaired[i] = d.repaired
      }
      this.values = parseRecords(texts, chunk, repaired)
      this.repaired = repaired
    }
  }

  /** Row `i` of the chunk; rows are read in order, each once. */
  row(i: number): ReadRow {
    const chunk = this.chunk
    const problem = chunk.problems[this.p]
    if (problem !== undefined && problem.at === i) {
      this.p++
      return { ok: false, id: problem.id ?? null, code: problem.code, message: chunk.file === undefined ? problem.message : `${chunk.file}: ${problem.message}` }
    }
    const last = chunk.unterminated && i === chunk.rows - 1
    if (this.values === null) {
      const decoded = decode(this.buf, chunk.starts[i]!, chunk.ends[i]!)
      // A byte-order mark starts a line where files were joined one after another (cat a.jsonl b.jsonl).
      const text = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text
      const repaired = decoded.repaired
      try {
        return { ok: true, raw: parseRow(text), repaired }
      } catch (error) {
        const unjoined = withoutTrailingComma(text)
        if (unjoined !== null) return { ok: true, raw: unjoined, repaired }
        const detail = error instanceof Error ? error.message : String(error)
        const message = last
          ? `${lineOf(chunk, i)} is cut off: the file ends in the middle of a JSON object`
          : `${lineOf(chunk, i)} is not valid JSON: ${detail}`
        return { ok: false, id: idInJsonHead(text), code: last ? 'truncated' : 'invalid_json', message }
      }
    }
    const v = this.values[i]!
    if (typeof v === 'string') {
      const message = last
        ? `${lineOf(chunk, i)} is cut off: the file ends inside a quoted field`
        : `${lineOf(chunk, i)} is not a valid CSV record: ${v}`
      return { ok: false, id: last ? this.idBeforeCut(i) : null, code: last ? 'truncated' : 'invalid_row', message }
    }
    const header = chunk.header ?? []
    if (v.length > this.width && !blankFrom(v, this.width)) {
      // A header of one column names no delimiter: a row's are its text's own ("Muy bueno, llegó rápido"), read as written.
      if (header.length === 1 && this.width === 1) {
        const line = decode(this.buf, chunk.starts[i]!, chunk.ends[i]!).text.replace(/\r?\n$/, '')
        return { ok: true, raw: { [header[0]!]: line }, repaired: this.repaired![i]! }
      }
      return this.tooWide(i, v, header)
    }
    const raw: Record<string, unknown> = {}
    for (let c = 0; c < v.length; c++) setOwn(raw, c < header.length ? header[c]! : `column_${c + 1}`, v[c])
    return { ok: true, raw, repaired: this.repaired![i]! }
  }

  /** The id of a CSV row cut off inside a quoted field, when its id field comes whole before the cut (as a cut-off JSON row's id is read). */
  private idBeforeCut(i: number): string | null {
    const at = idColumn(this.chunk.header ?? [])
    if (at < 0) return null
    const fields = parseOne(`${decode(this.buf, this.chunk.starts[i]!, this.chunk.ends[i]!).text}"`, { ...CSV_OPTIONS, delimiter: this.chunk.delimiter })
    // The last field is the one the file cut.
    return typeof fields !== 'string' && at < fields.length - 1 && fields[at]!.trim() !== '' ? fields[at]!.trim() : null
  }

  private tooWide(i: number, v: string[], header: readonly string[]): ReadRow {
    const d = this.chunk.delimiter
    const shown = d === '\t' ? 'a tab' : `"${d}"`
    const at = idColumn(header)
    const id = at >= 0 && at < v.length && v[at]!.trim() !== '' ? v[at]!.trim() : null
    const message = `${lineOf(this.chunk, i)} has ${v.length} fields where the header has ${header.length}: a field with ${shown} in it must be quoted ("…")`
    return { ok: false, id, code: 'invalid_row', message }
  }
}

/**
 * A JSON Lines row written with a comma after it (`{…},`, objects joined with
 * ",\n" as for an array, without its brackets), parsed without the comma;
 * null when the line is anything else or still not valid JSON.
 */
function withoutTrailingComma(text: string): unknown {
  const end = text.trimEnd()
  if (!end.endsWith(',') || !text.trimStart().startsWith('{')) return null
  try {
    return parseRow(end.slice(0, -1))
  } catch {
    return null
  }
}

/**
 * A JSON row, with its integers too long for a double (64-bit ids, as some
 * databases and APIs write them) read as the strings of their digits, not
 * rounded to another id (12345678901234567891 is 12345678901234567000 as a
 * number, and two products a unit apart would be one). Such a row is parsed
 * twice; any other once, and looked over for a number past 2^53 (cheaper
 * than scanning its text for long digit runs). Throws as `JSON.parse` does
 * on text that is not JSON.
 */
function parseRow(text: string): unknown {
  const value: unknown = JSON.parse(text)
  return holdsUnsafeNumber(value) ? JSON.parse(quoteLongIntegers(text)) : value
}

/** Whether a parsed JSON value holds a number past ±2^53 (one a double holds only roughly, whatever its text was). */
function holdsUnsafeNumber(value: unknown): boolean {
  if (typeof value === 'number') return value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUnsafeNumber(value[i])) return true
    return false
  }
  const record = value as Record<string, unknown>
  for (const key in record) if (holdsUnsafeNumber(record[key])) return true
  return false
}

/** Valid JSON text with each integer outside strings that is no safe integer quoted. */
function quoteLongIntegers(text: string): string {
  let out = ''
  let from = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1
      while (end < text.length && /[\d.eE+-]/.test(text[end]!)) end++
      const number = text.slice(i, end)
      if (/^-?\d{16,}$/.test(number) && !Number.isSafeInteger(Number(number))) {
        out += `${text.slice(from, i)}"${number}"`
        from = end
      }
      i = end - 1
    }
  }
  return from === 0 ? text : out + text.slice(from)
}

/** Whether every field from `from` on is blank (a trailing delimiter). */
function blankFrom(v: string[], from: number): boolean {
  for (let c = from; c < v.length; c++) if (v[c]!.trim() !== '') return false
  return true
}

function decode(buf: Buffer, start: number, end: number): { text: string; repaired: boolean } {
  const text = buf.toString('utf8', start, end)
  // U+FFFD in the text is either a replaced bad byte or a real U+FFFD: only the bytes can tell.
  const repaired = text.includes(REPLACEMENT) && !isUtf8(buf.subarray(start, end))
  return { text, repaired }
}

const CSV_OPTIONS: CsvOptions = {
  relax_column_count: true,
  relax_quotes: true,
  record_delimiter: ['\r\n', '\n'],
  bom: false,
  info: true,
}

interface CsvInfoRecord {
  record: string[]
  info: { bytes: number }
}

/**
 * Parse a chunk's CSV records with csv-parse: the whole chunk at once when
 * its record boundaries agree with the reader's (the usual case, 4× faster),
 * else record by record, so a bad record only spoils itself. Each entry is the
 * record's values, or the parser's message for a record it rejected.
 */
function parseRecords(texts: string[], chunk: BytesChunk, repaired: boolean[]): (string[] | string)[] {
  const skip = new Set(chunk.problems.map((p) => p.at))
  const parts: string[] = []
  const expected: number[] = []
  let bytes = 0
  for (let i = 0; i < texts.length; i++) {
    if (skip.has(i)) continue
    parts.push(texts[i]!)
    bytes += repaired[i] ? Buffer.byteLength(texts[i]!) : chunk.ends[i]! - chunk.starts[i]!
    expected.push(bytes)
  }
  const options = { ...CSV_OPTIONS, delimiter: chunk.delimiter }
  let whole: CsvInfoRecord[] | null = null
  try {
    whole = parseCsv(parts.join(''), options) as unknown as CsvInfoRecord[]
  } catch {
    whole = null
  }
  const agree = whole !== null && whole.length === expected.length && whole.every((r, k) => r.info.bytes === expected[k])
  const values: (string[] | string)[] = new Array(texts.length)
  let k = 0
  for (let i = 0; i < texts.length; i++) {
    if (skip.has(i)) {
      values[i] = []
      continue
    }
    if (agree) values[i] = whole![k++]!.record
    else values[i] = parseOne(texts[i]!, options)
  }
  return values
}

function parseOne(text: string, options: CsvOptions): string[] | string {
  try {
    const records = parseCsv(text, options) as unknown as CsvInfoRecord[]
    if (records.length === 1) return records[0]!.record
    return records.length === 0 ? [] : `expected one record, found ${records.length}`
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}


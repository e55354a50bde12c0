/**
 * CSV → chunks of records. This reader only finds where each record ends
 * (a newline outside quotes, with quotes opening only at the start of a
 * field, as csv-parse reads them with `relax_quotes`); csv-parse itself reads
 * the fields, in the workers. The header record is parsed here, and the
 * delimiter (`,` `;` tab or `|`) is the one the header uses most.
 */
import { parse as parseCsv } from 'csv-parse/sync'
import { groupedInt } from '../metrics/format.js'
import { RecensioError, isAliasOf, namesField } from '../review/index.js'
import { ChunkBuilder } from './chunk-builder.js'
import { isBlank } from './jsonl.js'
import type { BytesChunk } from './protocol.js'

const NEWLINE = 0x0a
const QUOTE = 0x22
const COMMA = 0x2c
const SEMICOLON = 0x3b
const TAB = 0x09
const PIPE = 0x7c
/** Before the header is read, any of these may separate fields (`|` as database and mainframe exports write them). */
const CANDIDATES = [COMMA, SEMICOLON, TAB, PIPE]

/** The delimiter used most outside quotes in a header record; `,` on a tie or when none is used. */
export function detectDelimiter(record: Uint8Array): string {
  const counts = CANDIDATES.map(() => 0)
  let quoted = false
  for (let i = 0; i < record.length; i++) {
    const b = record[i]
    if (b === QUOTE) quoted = !quoted
    else if (!quoted) {
      const k = CANDIDATES.indexOf(b!)
      if (k >= 0) counts[k]!++
    }
  }
  let best = 0
  for (let k = 1; k < counts.length; k++) if (counts[k]! > counts[best]!) best = k
  return String.fromCharCode(CANDIDATES[best]!)
}

/** Column names from a header record: trimmed, blanks named `column_N`, repeats suffixed `_2`, `_3`. */
export function headerNames(record: Uint8Array, delimiter: string): string[] {
  return headerColumns(record, delimiter).names
}

/** What to say of names a CSV header of `file` (or its sheet's header row) gives more than once (a warning of `analyze` and `report`). */
export function repeatedColumnsText(file: string, repeated: readonly string[], sheet = false): string {
  const which = repeated.map((n) => `"${n}"`).join(', ')
  const first = repeated[0]!
  return `the ${sheet ? 'header row of the sheet in' : 'CSV header of'} ${file} names ${which} more than once: the first is read as "${first}", a repeat as "${first}_2", "${first}_3" … (--map and --keep can name them)`
}

/** What the CLI and the report say of a CSV (or a sheet) whose header came after lines (rows) taken for a title. */
export function titleLinesText(file: string, headerLine: number, titleLines: number, sheet = false): string {
  // Blank lines may come between: "1 line above it", not "the line above it".
  const line = sheet ? 'row' : 'line'
  const lines = titleLines === 1 ? `1 ${line} above it, with one cell or none, was` : `${titleLines} ${line}s above it, with one cell or none, were`
  return `the ${sheet ? 'header row of the sheet in' : 'CSV header of'} ${file} was read from ${line} ${headerLine}: ${lines} taken for a title and not read`
}

/** `headerNames`, and the names the header gives more than once (as written, each once). */
export function headerColumns(record: Uint8Array, delimiter: string): { names: string[]; repeated: string[] } {
  let values: string[]
  try {
    const rows = parseCsv(Buffer.from(record.buffer, record.byteOffset, record.byteLength), {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
    }) as string[][]
    values = rows[0] ?? []
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new RecensioError('invalid_file', `the CSV header (line 1) cannot be read: ${detail}`)
  }
  return columnNames(values)
}

/**
 * Whether a row above a header (a CSV's line, a sheet's row) is a title or an
 * empty row, not the header: it names at most one column, and that one is no
 * field's name (`namesField`) nor the column `map` gives the text. With `map`
 * naming the text `column_N`, whose header may be blank, no row is.
 *
 * @param values The row's cells.
 * @param textKey The `map` entry of the text.
 */
export function isTitleRow(values: readonly (string | undefined)[], textKey: string | undefined): boolean {
  if (mapsPastHeader(textKey)) return false
  const named = values.map((v) => v?.trim() ?? '').filter((v) => v !== '')
  if (named.length !== 1) return named.length === 0
  return named[0] !== textKey && !namesField(named[0]!)
}

/** Whether `map` gives the text as a column by number (`column_5`), which a header may leave blank. */
function mapsPastHeader(textKey: string | undefined): boolean {
  return textKey !== undefined && /^column_\d+$/.test(textKey)
}

/** A header's cells as column names (trimmed, blanks `column_N`, repeats `name_2`, `name_3` …), and the names given more than once. */
export function columnNames(values: readonly (string | undefined)[]): { names: string[]; repeated: string[] } {
  const seen = new Map<string, number>()
  const names: string[] = []
  for (let i = 0; i < values.length; i++) {
    const name = (values[i] ?? '').trim() === '' ? `column_${i + 1}` : values[i]!.trim()
    const n = (seen.get(name) ?? 0) + 1
    seen.set(name, n)
    names.push(n === 1 ? name : `${name}_${n}`)
  }
  return { names, repeated: [...seen].filter(([, n]) => n > 1).map(([name]) => name) }
}

/** Whether `record[from…]` and `header` are the same bytes once quotes, spaces and tabs are left out. */
function sameButQuotes(record: Uint8Array, from: number, header: Uint8Array): boolean {
  let j = 0
  for (let i = from; i < record.length; i++) {
    const c = record[i]!
    if (c === 0x22 || c === 0x20 || c === 0x09) continue
    while (j < header.length && (header[j] === 0x22 || header[j] === 0x20 || header[j] === 0x09)) j++
    if (j === header.length || header[j] !== c) return false
    j++
  }
  while (j < header.length && (header[j] === 0x22 || header[j] === 0x20 || header[j] === 0x09)) j++
  return j === header.length
}

/**
 * Whether a record holds nothing but delimiters, spaces and tabs, and empty
 * quoted fields (`"",""`, the empty row of a writer that quotes every field).
 */
function onlyDelimiters(record: Uint8Array, delimiter: number): boolean {
  // Quotes seen in the current field: an empty quoted field has two, side by side.
  let quotes = 0
  for (let i = 0; i < record.length; i++) {
    const b = record[i]
    if (b === delimiter) {
      if (quotes === 1) return false
      quotes = 0
    } else if (b === 0x22) {
      if (quotes === 2 || (quotes === 1 && record[i - 1] !== 0x22)) return false
      quotes++
    } else if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false
  }
  return quotes !== 1
}

/** The labels SurveyMonkey's second header row gives its questions' answer columns. */
const SURVEY_SUBHEADER_LABELS = new Set(['Response', 'Open-Ended Response'])

/** SurveyMonkey's first column, which its second header row leaves blank. */
const SURVEY_FIRST_COLUMN = /^respondent ?id$/i

/**
 * Whether the record after the header is SurveyMonkey's second header row:
 * its exports head each question's columns with the question, then on the
 * next line with "Response", "Open-Ended Response" or each option's label,
 * blank under the respondent's own columns (Respondent ID first).
 */
function isSurveySubheader(header: readonly string[], record: Uint8Array, delimiter: string): boolean {
  if (!SURVEY_FIRST_COLUMN.test((header[0] ?? '').trim())) return false
  let values: string[]
  try {
    values = (parseCsv(Buffer.from(record.buffer, record.byteOffset, record.byteLength), { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? []
  } catch {
    return false
  }
  return (values[0] ?? '').trim() === '' && values.some((v) => SURVEY_SUBHEADER_LABELS.has(v.trim()))
}

/** A record without its "\n" or "\r\n". */
function withoutLineEnd(record: Uint8Array): Uint8Array {
  let end = record.length
  if (end > 0 && record[end - 1] === NEWLINE) end--
  if (end > 0 && record[end - 1] === 0x0d) end--
  return record.subarray(0, end)
}

function megabytes(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`
}

/** Lines above a header (a CSV's, a sheet's) that may be skipped as a title (see `isTitleRow`), at most. */
export const MAX_PREAMBLE_LINES = 20

/** CSV bytes in, chunks of whole records out; the header and blank lines are not rows. */
export class CsvChunker {
  private readonly builder: ChunkBuilder
  private header: string[] | null = null
  /** The line the header was read from (after a title or blank lines above it, not 1). */
  private headerLineAt = 1
  private preamble = 0
  /** The first line skipped as a title, and its line number: the header after all when no other line comes. */
  private firstTitle: [Uint8Array, number] | null = null
  private repeatedNames: string[] = []
  /** The header record's bytes (no line end), to tell a repeat of it: files joined one after another. */
  private headerBytes: Uint8Array | null = null
  private delimiter = ','
  private delimiterByte = -1
  private quoted = false
  /** Inside quotes, the buffer ended on a quote: the next byte says whether it was `""`. */
  private quotePending = false
  /** The byte before the scan position (-1 at the start of a record). */
  private prev = -1
  private line = 1
  private recordLine = 1
  private skippedBytes = -1
  private unclosed = false
  /** The record's open quote was judged a text's, not a stray one: not judged again. */
  private quoteKept = false
  private seq = 0
  private start = 0
  /** Bytes fed before the current buffer, and through the last finished record. */
  private base = 0
  private recordEnd = 0

  /**
   * @param chunkSize Records per chunk, at most.
   * @param maxRowBytes The longest record kept.
   * @param window Rows per window (0: none), where chunks also end.
   * @param textKey The column the `map` option gives the text, if any: a line that names it is the header.
   */
  constructor(
    chunkSize: number,
    private readonly maxRowBytes: number,
    window = 0,
    private readonly textKey?: string,
  ) {
    this.builder = new ChunkBuilder('csv', chunkSize, window)
  }

  /** The column names, once the header has been read. */
  get columns(): string[] | null {
    return this.header
  }

  /** Names the header gives more than once (read as `name_2`, `name_3` …). */
  get repeated(): string[] {
    return this.repeatedNames
  }

  /** The line the header was read from: 1 unless title or blank lines came above it. */
  get headerLine(): number {
    return this.headerLineAt
  }

  /** Lines above the header skipped as a title or an empty row (see `isPreamble`). */
  get titleLines(): number {
    return this.preamble
  }

  get separator(): string {
    return this.delimiter
  }

  /** Feed the next bytes of the file; completed chunks are pushed to `out`. */
  feed(buf: Uint8Array, out: BytesChunk[]): void {
    // Bytes to read, the next last: a stray quote given up on puts back the lines it took, then the rest of the buffer.
    const todo: Uint8Array[] = [buf]
    while (todo.length > 0) {
      const back = this.scan(todo.pop()!, out)
      if (back !== null) todo.push(back.rest, back.again)
    }
  }

  /** Read `buf`; when a stray quote is given up on, what to read instead of the rest of `buf` (else null). */
  private scan(buf: Uint8Array, out: BytesChunk[]): ReadAgain | null {
    let pos = 0
    const n = buf.length
    // The next quote at or after the last search (-1: none left in `buf`; -2: not searched yet), so unquoted records do not search the whole buffer each.
    let nextQuote = -2
    while (pos < n) {
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false
          const next = buf[pos]!
          if (next === QUOTE) {
            pos = this.take(buf, pos, pos + 1)
            continue
          }
          if (this.closesInValue(next)) {
            // As below, with the quote already taken at the end of the last buffer.
            const back = this.giveUpQuote(out, 'close', buf.subarray(pos))
            if (back !== null) return back
          }
          this.quoted = false
          continue
        }
        const q = buf.indexOf(QUOTE, pos)
        const stop = q < 0 ? n : q
        this.line += count(buf, pos, stop)
        if (!this.quoteKept && this.line - this.recordLine >= MAX_QUOTED_LINES) {
          // Open too long: read what it swallowed again if that is records (the quote, if any, with them).
          pos = this.take(buf, pos, stop)
          const back = this.giveUpQuote(out, 'lines', buf.subarray(stop))
          if (back !== null) return back
        }
        if (q < 0) {
          pos = this.take(buf, pos, n)
          break
        }
        if (q + 1 >= n) {
          this.quotePending = true
          pos = this.take(buf, pos, n)
          break
        }
        const next = buf[q + 1]!
        if (next === QUOTE) pos = this.take(buf, pos, q + 2)
        else if (this.closesInValue(next)) {
          // A quote that closes a field spanning lines in the middle of a value (`r1,"Great` … `r2,"Bad",1`): read the lines again if they are records.
          pos = this.take(buf, pos, q)
          const back = this.giveUpQuote(out, 'close', buf.subarray(q))
          if (back !== null) return back
          this.quoted = false
          pos = this.take(buf, pos, q + 1)
        } else {
          this.quoted = false
          pos = this.take(buf, pos, q + 1)
        }
        continue
      }
      const nl = buf.indexOf(NEWLINE, pos)
      const stop = nl < 0 ? n : nl
      if (nextQuote === -2 || (nextQuote >= 0 && nextQuote < pos)) nextQuote = buf.indexOf(QUOTE, pos)
      const q = nextQuote
      if (q >= 0 && q < stop) {
        const before = q > pos ? buf[q - 1]! : this.prev
        if (before === -1 || this.isDelimiter(before)) this.quoted = true
        pos = this.take(buf, pos, q + 1)
        continue
      }
      if (nl < 0) {
        pos = this.take(buf, pos, n)
        break
      }
      pos = this.take(buf, pos, nl + 1)
      this.recordEnd = this.base + nl + 1
      this.endRecord(out)
      this.line++
    }
    this.base += n
    return null
  }

  /**
   * A quoted field has run to the end of the file (`end`), over
   * MAX_QUOTED_LINES lines (`lines`), or closes in the middle of a value on a
   * later line (`close`), through lines that read as records of their own: a
   * stray quote (`r1,"Great` with no closing quote), not a text. Its first
   * line becomes an error row, and the bytes after that line are handed back
   * to read again, so one quote does not take the rest of the file with it.
   * Null (nothing changed) when the record is not held whole, or its lines do
   * not look like records (a long text, a cut-off file's last text).
   */
  private giveUpQuote(out: BytesChunk[], why: 'end' | 'lines' | 'close', rest: Uint8Array = EMPTY): ReadAgain | null {
    const b = this.builder
    if (this.skippedBytes >= 0 || this.header === null || b.rowBytes === 0) return null
    const record = b.rowView()
    const first = record.indexOf(NEWLINE)
    if (first < 0) return null
    // Judged by the whole lines it swallowed (the line it stopped on may go on in the next bytes, so it never counts but at the end).
    const swallowed = record.subarray(first + 1)
    if (!linesLookLikeRecords(swallowed, this.delimiterByte, this.header.length, why === 'end')) {
      // A long text after all: not looked at again (a record of many quotes would be scanned once per quote).
      this.quoteKept = true
      return null
    }
    // A copy: the builder's buffer is written over as the lines are read again.
    const again = swallowed.slice()
    const line = this.recordLine
    const id = this.idIn(record.subarray(0, first))
    const where = why === 'end' ? 'before the file ends' : why === 'lines' ? `within ${groupedInt(MAX_QUOTED_LINES)} lines` : `where its line ends (it closes on line ${this.line})`
    b.discardRow()
    b.problemRow(line, 'invalid_row', `line ${line} opens a quoted field that is not closed ${where}, a stray quote: it is an error row, and the lines after it are read as records`, id)
    // Read on from the line after it, as if the quote had not been there.
    this.recordEnd += first + 1
    this.base = this.recordEnd
    if (b.full) out.push(this.takeChunk(false))
    this.quoted = false
    this.quotePending = false
    this.line = line + 1
    this.recordLine = this.line
    this.prev = -1
    // The caller reads `again`, then `rest`, instead of the rest of its buffer.
    return { again, rest }
  }

  /** The value of the id column in a record's first line, read before its stray quote; null when there is none. */
  private idIn(line: Uint8Array): string | null {
    const at = idColumn(this.header!)
    if (at < 0) return null
    let field = 0
    let start = 0
    let quoted = false
    for (let i = 0; i <= line.length; i++) {
      const c = i < line.length ? line[i]! : this.delimiterByte
      if (c === QUOTE) quoted = !quoted
      else if (c === this.delimiterByte && !quoted) {
        if (field === at) {
          const value = Buffer.from(line.subarray(start, i)).toString('utf8').trim().replace(/^"(.*)"$/s, '$1').replaceAll('""', '"')
          return value === '' || value.length > MAX_ID_CHARS ? null : value
        }
        field++
        start = i + 1
      }
    }
    return null
  }

  /** Whether a quote followed by `next` closes a field that spans lines in the middle of a value: maybe a stray quote's end. */
  private closesInValue(next: number): boolean {
    // Spaces may pad a field after its closing quote (`"…" ,5`).
    return !this.quoteKept && this.line > this.recordLine && next !== NEWLINE && next !== 0x0d && next !== 0x20 && next !== 0x09 && !this.isDelimiter(next)
  }

  /** The file has ended: the last record, and the last chunk. */
  end(out: BytesChunk[]): void {
    // A quote still open at the end may have swallowed records: read them again (each pass drops a line).
    while (this.quoted && !this.quotePending) {
      const back = this.giveUpQuote(out, 'end')
      if (back === null) break
      this.feed(back.again, out)
    }
    const unterminated = this.builder.rowBytes > 0 || this.skippedBytes >= 0
    this.recordEnd = this.base
    // The last record stays in the chunk that says it is unterminated, whatever the chunk size.
    if (unterminated) this.endRecord(out, true)
    if (this.builder.rows > 0) out.push(this.takeChunk(unterminated && !this.lastWasBlank))
    this.settleHeader()
  }

  /**
   * At the end of the input, or past the most lines a title takes: when every
   * line was taken for a title, the first was the header after all (of a file
   * with no rows, of one column, or no CSV), to be refused as one without a
   * text column.
   */
  settleHeader(): void {
    if (this.header === null && this.firstTitle !== null) {
      const [record, line] = this.firstTitle
      this.takeHeader(record, line)
      this.preamble = 0
    }
  }

  /** Read the header from `record` (its own bytes), the record of `line`; the delimiter from it unless known. */
  private takeHeader(record: Uint8Array, line: number): void {
    if (this.delimiterByte < 0) this.delimiter = detectDelimiter(record)
    this.delimiterByte = this.delimiter.charCodeAt(0)
    const read = headerColumns(record, this.delimiter)
    this.header = read.names
    this.repeatedNames = read.repeated
    this.headerBytes = record
    this.headerLineAt = line
    this.firstRecord = true
  }

  private lastWasBlank = false
  /** The record being read is the first after the header (SurveyMonkey's second header row may be it). */
  private firstRecord = false

  /** Finished records not yet handed out in a chunk. */
  get heldRows(): number {
    return this.builder.rows
  }

  /** Hand out the finished records (reading pauses, or has stopped early: `stopping`); the one being read waits, or is dropped. */
  flush(out: BytesChunk[], _stopping = false): void {
    if (this.builder.rows > 0) out.push(this.takeChunk(false))
  }

  private isDelimiter(b: number): boolean {
    return this.delimiterByte >= 0 ? b === this.delimiterByte : CANDIDATES.includes(b)
  }

  /** Append buf[from, to) to the record; returns `to`. */
  private take(buf: Uint8Array, from: number, to: number): number {
    if (to <= from) return to
    const b = this.builder
    this.prev = buf[to - 1]!
    if (this.skippedBytes >= 0) {
      this.skippedBytes += to - from
      return to
    }
    if (b.rowBytes + (to - from) > this.maxRowBytes) {
      // A record this long is an unclosed quote (or not CSV): report it as one
      // row and resume at the next newline, so the rest of the file is still read.
      this.skippedBytes = b.rowBytes + (to - from)
      this.unclosed = this.quoted
      this.quoted = false
      this.quotePending = false
      b.discardRow()
      return to
    }
    b.append(buf.subarray(from, to))
    return to
  }

  /** Close the record being read; `last` when the file ends with it (the caller hands out the chunk). */
  private endRecord(out: BytesChunk[], last = false): void {
    const b = this.builder
    this.lastWasBlank = false
    if (this.skippedBytes >= 0) {
      const first = this.recordLine
      b.problemRow(
        first,
        'too_big',
        `${first === this.line ? `line ${first} (${megabytes(this.skippedBytes)}) was` : `lines ${first}–${this.line} (${megabytes(this.skippedBytes)}) were`} skipped: ${
          this.unclosed ? `a quoted field opened on line ${first} is not closed` : 'the record is over the row limit'
        } within ${megabytes(this.maxRowBytes)}`,
      )
      this.skippedBytes = -1
      this.unclosed = false
      if (b.full && !last) out.push(this.takeChunk(false))
      return this.nextRecord()
    }
    // The record without its line end.
    const record = withoutLineEnd(b.rowView())
    // A line of delimiters alone (";;;;", the empty rows a spreadsheet writes below its data) is blank too.
    if (isBlank(record) || (this.header !== null && onlyDelimiters(record, this.delimiterByte))) {
      b.discardRow()
      this.lastWasBlank = true
    } else if (this.header === null && this.delimiterByte < 0 && isSepLine(record)) {
      // Excel's "sep=;" first line names the delimiter; the header follows.
      this.delimiterByte = record[4]!
      this.delimiter = String.fromCharCode(this.delimiterByte)
      b.discardRow()
    } else if (this.header === null && this.isPreamble(record)) {
      // A spreadsheet's title row above the header ("Reviews March 2024;;;;"), or a row of delimiters alone.
      if (this.preamble++ === 0) this.firstTitle = [record.slice(), this.recordLine]
      // Lines of one cell past the most a title takes: a file of one column,
      // whose first line is its header after all (refused, having no text column).
      if (this.preamble > MAX_PREAMBLE_LINES) this.settleHeader()
      b.discardRow()
    } else if (this.header === null) {
      this.takeHeader(record.slice(), this.recordLine)
      b.discardRow()
    } else if (this.firstRecord && isSurveySubheader(this.header, record, this.delimiter)) {
      b.problemRow(this.recordLine, 'invalid_row', `line ${this.recordLine} is a survey export's second header row ("Response", "Open-Ended Response" …); it was not read as a review`)
      if (b.full && !last) out.push(this.takeChunk(false))
    } else if (this.repeatsHeader(record) || isSepLine(record)) {
      // Files joined with cat: the next file's header (and Excel's "sep=" line before it) is no review.
      const what = isSepLine(record) ? 'is an Excel "sep=" line' : 'repeats the CSV header'
      b.problemRow(this.recordLine, 'invalid_row', `line ${this.recordLine} ${what} (files joined one after another?); it was not read as a review`)
      if (b.full && !last) out.push(this.takeChunk(false))
    } else {
      b.endRow(this.recordLine)
      if (b.full && !last) out.push(this.takeChunk(false))
    }
    this.nextRecord()
  }

  /**
   * Whether a record before the header is a title or an empty row above it,
   * not the header: it names at most one column, and that one is no field's
   * name (`isAliasOf`) nor the column `map` gives the text. Read as the
   * header, such a line would have no text column, and the file would be
   * refused. With `map` naming the text `column_N`, whose header may be blank,
   * the first line is the header.
   */
  private isPreamble(record: Uint8Array): boolean {
    if (mapsPastHeader(this.textKey)) return false
    let values: string[]
    const delimiter = this.delimiterByte < 0 ? detectDelimiter(record) : this.delimiter
    try {
      values = (parseCsv(Buffer.from(record.buffer, record.byteOffset, record.byteLength), { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? []
    } catch {
      return false
    }
    // A title may set its parts apart with "|" ("Reseñas | Marzo 2024"), read as the delimiter only by the header's guess:
    // with no cell that names a field (or the mapped text), it is no header either, as it would have no text column.
    if (delimiter === '|' && this.delimiterByte < 0) return values.every((v) => isTitleRow([v], this.textKey))
    return isTitleRow(values, this.textKey)
  }

  private nextRecord(): void {
    if (this.header !== null && !this.lastWasBlank && this.recordLine > this.headerLineAt) this.firstRecord = false
    this.quoteKept = false
    this.prev = -1
    this.recordLine = this.line + 1
  }

  /**
   * Whether a record (without its line end) is the header again: the same
   * bytes, with or without a byte-order mark of its own, or the same names
   * quoted or spaced otherwise.
   */
  private repeatsHeader(record: Uint8Array): boolean {
    const header = this.headerBytes!
    const bom = record.length >= 3 && record[0] === 0xef && record[1] === 0xbb && record[2] === 0xbf ? 3 : 0
    const n = record.length - bom
    if (n === header.length) {
      let same = true
      for (let i = 0; i < n && same; i++) same = record[bom + i] === header[i]
      if (same) return true
    }
    // The same bytes but for quotes and spaces (a cheap test first), then the same names.
    if (!sameButQuotes(record, bom, header)) return false
    const names = this.header!
    let read: string[]
    try {
      read = headerNames(record.subarray(bom), this.delimiter)
    } catch {
      return false
    }
    return read.length === names.length && read.every((name, i) => name === names[i])
  }

  private takeChunk(unterminated: boolean): BytesChunk {
    const chunk = this.builder.take(this.seq++, this.start, this.recordEnd, unterminated, this.header, this.delimiter)
    this.start += chunk.rows
    return chunk
  }
}

const EMPTY = new Uint8Array(0)

/** Longest id read from a stray quote's line. */
const MAX_ID_CHARS = 200

/** After a stray quote is given up on: the lines it took (a copy), then the rest of the buffer being read. */
interface ReadAgain {
  again: Uint8Array
  rest: Uint8Array
}

/**
 * Lines a quoted field may span before a quote that has not closed is taken
 * for a stray one, when the lines it swallowed read as records: a review's
 * text has paragraphs, not thousands of lines.
 */
const MAX_QUOTED_LINES = 1000

/**
 * Lines a stray quote's swallowed lines are judged by, at most: the first
 * ones, whatever has been read after them, so the answer is the same however
 * the bytes arrive (the line limit gives up only past MAX_QUOTED_LINES, when
 * these are all there).
 */
const JUDGED_LINES = 100

/**
 * Whether most of the non-blank lines among the first JUDGED_LINES in
 * `bytes` are records of `fields` fields: exactly that many delimiters
 * outside quotes. Records swallowed by a stray quote, rather than the lines
 * of a long text. A last line without its "\n" counts only when
 * `lastIsWhole` (the file ended there).
 */
function linesLookLikeRecords(bytes: Uint8Array, delimiter: number, fields: number, lastIsWhole: boolean): boolean {
  if (fields < 2) return false
  let seen = 0
  let lines = 0
  let records = 0
  let delimiters = 0
  let quoted = false
  let blank = true
  const end = lastIsWhole ? bytes.length : bytes.lastIndexOf(NEWLINE) + 1
  for (let i = 0; (i < end || (i === end && lastIsWhole)) && seen < JUDGED_LINES; i++) {
    const c = i < end ? bytes[i]! : NEWLINE
    if (c === NEWLINE) {
      seen++
      if (!blank) {
        lines++
        if (delimiters === fields - 1) records++
      }
      delimiters = 0
      quoted = false
      blank = true
    } else {
      if (c === QUOTE) quoted = !quoted
      else if (c === delimiter && !quoted) delimiters++
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) blank = false
    }
  }
  return lines > 0 && records * 2 > lines
}

/** The column of a header that holds the review id (by its common names), or -1. */
export function idColumn(header: readonly string[]): number {
  return header.findIndex((name) => isAliasOf('id', name))
}

/** `sep=X` alone on a line (X one of , ; tab), given without its line end. */
function isSepLine(record: Uint8Array): boolean {
  return record.length === 5 && record[0] === 0x73 && record[1] === 0x65 && record[2] === 0x70 && record[3] === 0x3d && CANDIDATES.includes(record[4]!)
}

function count(buf: Uint8Array, from: number, to: number): number {
  let n = 0
  let i = buf.indexOf(NEWLINE, from)
  while (i >= 0 && i < to) {
    n++
    i = buf.indexOf(NEWLINE, i + 1)
  }
  return n
}

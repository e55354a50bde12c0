/**
 * The per-review stage over one chunk: raw rows (bytes or objects) → parsed,
 * validated, analyzed rows as spill lines plus the compact records of the ok
 * rows. The same function runs in a worker thread and in-process, so the
 * output does not depend on where it ran.
 */
import { isUtf8 } from 'node:buffer'
import { type Options as CsvOptions, parse as parseCsv } from 'csv-parse/sync'
import { type Context, analyzeValid } from '../analyze.js'
import { RecordBatchBuilder, recordBatchBuffers } from '../authenticity/index.js'
import { type ErrorCode, type ErrorRow, RowValidator } from '../review/index.js'
import { ByteBuilder } from './bytes.js'
import type { BytesChunk, Chunk, ChunkResult, FieldCounts } from './protocol.js'
import { errorSpillLine, okSpillLine } from './spill-line.js'

/** Warning added to a row whose bytes were not valid UTF-8. */
export const INVALID_UTF8_WARNING = 'replaced invalid UTF-8 bytes with U+FFFD'

const REPLACEMENT = '\uFFFD'
const NEWLINE = 0x0a
/** Spill bytes reserved per row of a chunk at first (the buffer grows when rows are longer). */
const SPILL_BYTES_PER_ROW = 1536
const ID_IN_BROKEN_JSON = /"(?:id|review_id|reviewId)"\s*:\s*(?:"((?:[^"\\]|\\.){1,200})"|(\d{1,30}))/

/** One batch's per-review stage: the context and a validator whose field counts are read per chunk. */
export class Stage {
  private readonly validator: RowValidator

  constructor(private readonly ctx: Context) {
    // A validator of its own: field detection counts belong to this batch only.
    this.validator = new RowValidator(ctx.options)
  }

  /** Analyze every row of a chunk. Never throws for a bad row. */
  run(chunk: Chunk): ChunkResult {
    const out = new ByteBuilder(chunk.rows * SPILL_BYTES_PER_ROW)
    const records = new RecordBatchBuilder(chunk.rows)
    if (chunk.kind === 'objects') {
      for (let i = 0; i < chunk.rows; i++) this.row(chunk.items[i], chunk.start + i, false, out, records)
    } else if (chunk.kind === 'jsonl') this.jsonl(chunk, out, records)
    else this.csv(chunk, out, records)
    return { seq: chunk.seq, endOffset: chunk.endOffset, start: chunk.start, rows: chunk.rows, spill: out.view(), records: records.finish(), fields: this.takeFieldCounts() }
  }

  private row(raw: unknown, index: number, repaired: boolean, out: ByteBuilder, records: RecordBatchBuilder): void {
    const row = index + 1
    const valid = this.validator.validate(raw, row)
    if (!valid.ok) {
      line(out, errorSpillLine(valid))
      return
    }
    try {
      const { result, record } = analyzeValid(valid, this.ctx, index)
      if (repaired) {
        const fields = result.fields
        if (fields !== undefined) delete result.fields
        result.warnings = [...(result.warnings ?? []), INVALID_UTF8_WARNING]
        if (fields !== undefined) result.fields = fields
      }
      line(out, okSpillLine(result))
      records.push(record)
    } catch (error) {
      // A bug in an analyzer must not stop the batch: the row says what happened.
      const message = error instanceof Error ? error.message : String(error)
      line(out, errorSpillLine(errorRow(valid.id, row, 'row', 'invalid_row', `internal error while analyzing the row: ${message}`)))
    }
  }

  private jsonl(chunk: BytesChunk, out: ByteBuilder, records: RecordBatchBuilder): void {
    const { bytes, starts, ends, lines } = chunk
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    let p = 0
    for (let i = 0; i < chunk.rows; i++) {
      const index = chunk.start + i
      const problem = chunk.problems[p]
      if (problem !== undefined && problem.at === i) {
        p++
        line(out, errorSpillLine(errorRow(null, index + 1, 'row', problem.code, problem.message)))
        continue
      }
      const { text, repaired } = decode(buf, starts[i]!, ends[i]!)
      let raw: unknown
      try {
        raw = JSON.parse(text)
      } catch (error) {
        const last = chunk.unterminated && i === chunk.rows - 1
        const detail = error instanceof Error ? error.message : String(error)
        const message = last
          ? `line ${lines[i]} is cut off: the file ends without a newline in the middle of a JSON object`
          : `line ${lines[i]} is not valid JSON: ${detail}`
        line(out, errorSpillLine(errorRow(idInBrokenJson(text), index + 1, 'row', last ? 'truncated' : 'invalid_json', message)))
        continue
      }
      this.row(raw, index, repaired, out, records)
    }
  }

  private csv(chunk: BytesChunk, out: ByteBuilder, records: RecordBatchBuilder): void {
    const { bytes, starts, ends } = chunk
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const texts: string[] = new Array(chunk.rows)
    const repaired: boolean[] = new Array(chunk.rows)
    for (let i = 0; i < chunk.rows; i++) {
      const d = decode(buf, starts[i]!, ends[i]!)
      texts[i] = d.text
      repaired[i] = d.repaired
    }
    const values = parseRecords(texts, chunk, repaired)
    const header = chunk.header ?? []
    let p = 0
    for (let i = 0; i < chunk.rows; i++) {
      const index = chunk.start + i
      const problem = chunk.problems[p]
      if (problem !== undefined && problem.at === i) {
        p++
        line(out, errorSpillLine(errorRow(null, index + 1, 'row', problem.code, problem.message)))
        continue
      }
      const v = values[i]!
      if (typeof v === 'string') {
        const last = chunk.unterminated && i === chunk.rows - 1
        const code: ErrorCode = last ? 'truncated' : 'invalid_row'
        const message = last
          ? `line ${chunk.lines[i]} is cut off: the file ends inside a quoted field`
          : `line ${chunk.lines[i]} is not a valid CSV record: ${v}`
        line(out, errorSpillLine(errorRow(null, index + 1, 'row', code, message)))
        continue
      }
      const row: Record<string, unknown> = {}
      for (let c = 0; c < v.length; c++) row[c < header.length ? header[c]! : `column_${c + 1}`] = v[c]
      this.row(row, index, repaired[i]!, out, records)
    }
  }

  /** The field-detection counts since the last call, in first-seen order. */
  private takeFieldCounts(): FieldCounts {
    const used = this.validator.resolver.used
    const counts: FieldCounts = []
    for (const [field, keys] of used) counts.push([field, [...keys]])
    used.clear()
    return counts
  }
}

/** Append a spill line and its newline. */
function line(out: ByteBuilder, text: string): void {
  out.text(text)
  out.byte(NEWLINE)
}

function errorRow(id: string | null, row: number, field: string, code: ErrorCode, message: string): ErrorRow {
  return { id, ok: false, row, error: { field, code, message } }
}

function decode(buf: Buffer, start: number, end: number): { text: string; repaired: boolean } {
  const text = buf.toString('utf8', start, end)
  // U+FFFD in the text is either a replaced bad byte or a real U+FFFD: only the bytes can tell.
  const repaired = text.includes(REPLACEMENT) && !isUtf8(buf.subarray(start, end))
  return { text, repaired }
}

function idInBrokenJson(text: string): string | null {
  const m = ID_IN_BROKEN_JSON.exec(text.length > 4096 ? text.slice(0, 4096) : text)
  if (m === null) return null
  if (m[2] !== undefined) return m[2]
  try {
    return JSON.parse(`"${m[1]}"`) as string
  } catch {
    return null
  }
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

/** The buffers a result can transfer instead of copying. */
export function transferList(result: ChunkResult): ArrayBuffer[] {
  return [result.spill.buffer as ArrayBuffer, ...recordBatchBuffers(result.records)]
}

/**
 * The per-review stage over one chunk: raw rows (bytes or objects) → parsed,
 * validated, analyzed rows as output lines, plus the compact records of the
 * ok rows and the rows' tallies for the summary. The same function runs in a
 * worker thread and in-process, so the output does not depend on where it
 * ran.
 */
import { type Context, analyzeValid } from '../analyze.js'
import { RecordBatchBuilder, recordBatchBuffers } from '../authenticity/index.js'
import { type ErrorCode, type ErrorRow, type OffScale, type OtherOrderDate, RowValidator } from '../review/index.js'
import { ByteBuilder } from './bytes.js'
import type { BytesChunk, Chunk, ChunkResult, FieldCounts, SpillPart } from './protocol.js'
import { ChunkReader, csvWidth, namedFields } from './read-rows.js'
import { type Tally, emptyTally, tallyError, tallyOk, tallyRelativeDate } from './tally.js'

/** Warning added to a row whose bytes were not valid UTF-8. */
export const INVALID_UTF8_WARNING = 'replaced invalid UTF-8 bytes with U+FFFD'

const NEWLINE = 0x0a
/** Spill bytes reserved per row of a chunk at first (the buffer grows when rows are longer). */
const SPILL_BYTES_PER_ROW = 1536
/** A chunk's output is tallied in parts of about this many bytes. */
const PART_BYTES = 1024 * 1024

/** One batch's per-review stage: the context and a validator whose field counts are read per chunk. */
export class Stage {
  private readonly validator: RowValidator
  /** The input fields the options name (`map` values, `keep`): a CSV row may reach a column past its header they name. */
  private readonly named: string[]

  constructor(private readonly ctx: Context) {
    // A validator of its own: field detection counts belong to this batch only.
    this.validator = new RowValidator(ctx.options)
    this.named = namedFields(ctx.options)
  }

  /** Analyze every row of a chunk. Never throws for a bad row. */
  run(chunk: Chunk): ChunkResult {
    const out = new ByteBuilder(chunk.rows * SPILL_BYTES_PER_ROW)
    const records = new RecordBatchBuilder(chunk.rows)
    const parts = new Parts(out)
    if (chunk.kind === 'objects') {
      for (let i = 0; i < chunk.rows; i++) {
        this.row(chunk.items[i], chunk.start + i, false, out, records, parts.tally)
        parts.rowDone()
      }
    } else this.bytes(chunk, out, records, parts)
    const result: ChunkResult = {
      seq: chunk.seq,
      endOffset: chunk.endOffset,
      start: chunk.start,
      rows: chunk.rows,
      spill: out.view(),
      records: records.finish(),
      fields: this.takeFieldCounts(),
      kept: this.validator.takeKept(),
      parts: parts.finish(),
    }
    if (chunk.kind !== 'objects' && chunk.file !== undefined) result.file = chunk.file
    return result
  }

  private row(raw: unknown, index: number, repaired: boolean, out: ByteBuilder, records: RecordBatchBuilder, tally: Tally): void {
    const row = index + 1
    const valid = this.validator.validate(raw, row)
    if (!valid.ok) {
      errorLine(out, valid, tally, this.validator.otherDateOrder, this.validator.offScale)
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
      line(out, JSON.stringify(result))
      tallyOk(tally, result)
      if (valid.relativeDate !== undefined) tallyRelativeDate(tally, row, valid.id, valid.relativeDate)
      records.push(record)
    } catch (error) {
      // A bug in an analyzer must not stop the batch: the row says what happened.
      const message = error instanceof Error ? error.message : String(error)
      const failed = errorRow(valid.id, row, 'row', 'invalid_row', `internal error while analyzing the row: ${message}`)
      // Its keep fields were read (and counted): joined back as any error row's.
      if (valid.fields !== undefined) failed.fields = valid.fields
      errorLine(out, failed, tally)
    }
  }

  private bytes(chunk: BytesChunk, out: ByteBuilder, records: RecordBatchBuilder, parts: Parts): void {
    const reader = new ChunkReader(chunk, csvWidth(chunk.header ?? [], this.named))
    for (let i = 0; i < chunk.rows; i++) {
      const r = reader.row(i)
      if (r.ok) this.row(r.raw, chunk.start + i, r.repaired, out, records, parts.tally)
      else errorLine(out, errorRow(r.id, chunk.start + i + 1, 'row', r.code, r.message), parts.tally)
      parts.rowDone()
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

/**
 * A chunk's output cut into parts of about PART_BYTES, each with the tally
 * of its rows: a stop while writing ends at a part's end, so a large chunk
 * does not hold it back.
 */
class Parts {
  private readonly done: SpillPart[] = []
  private from = 0
  tally = emptyTally()

  constructor(private readonly out: ByteBuilder) {}

  /** A row's line is written: close the part if it is long enough. */
  rowDone(): void {
    if (this.out.length - this.from < PART_BYTES) return
    this.done.push({ end: this.out.length, tally: this.tally })
    this.from = this.out.length
    this.tally = emptyTally()
  }

  /** The parts, the last one closed. */
  finish(): SpillPart[] {
    if (this.out.length > this.from || this.done.length === 0) this.done.push({ end: this.out.length, tally: this.tally })
    return this.done
  }
}

/** Append an output line and its newline. */
function line(out: ByteBuilder, text: string): void {
  out.text(text)
  out.byte(NEWLINE)
}

/** Append an error row's line and count it (`otherDateOrder`, `offScale`: see `tallyError`). */
function errorLine(out: ByteBuilder, row: ErrorRow, tally: Tally, otherDateOrder?: OtherOrderDate, offScale?: readonly OffScale[]): void {
  line(out, JSON.stringify(row))
  tallyError(tally, row, otherDateOrder, offScale)
}

function errorRow(id: string | null, row: number, field: string, code: ErrorCode, message: string): ErrorRow {
  return { id, ok: false, row, error: { field, code, message } }
}

/** The buffers a result can transfer instead of copying. */
export function transferList(result: ChunkResult): ArrayBuffer[] {
  return [result.spill.buffer as ArrayBuffer, ...recordBatchBuffers(result.records)]
}

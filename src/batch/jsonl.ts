/**
 * JSON Lines → chunks of rows, straight from the file's bytes: lines are found
 * with `indexOf`, never decoded here (the workers decode and parse them).
 * Lines end in "\n" or "\r\n"; a carriage return alone ends one too between
 * a row's closing "}" and the next row's "{" (`}\r{`: a stray CR between two
 * rows, or a file that ends its lines in CR alone past its first 64 kB, which
 * `source.ts` does not see). A CR anywhere else is left in the line: it is
 * white space to JSON between tokens (`"meta":\r{` opens a nested object),
 * and invalid inside a string either way.
 * Blank lines are not rows; a line longer than the row limit becomes an error
 * row without being held in memory.
 */
import { ChunkBuilder } from './chunk-builder.js'
import { idInJsonHead } from './json-bytes.js'
import type { BytesChunk } from './protocol.js'

const NEWLINE = 0x0a
const CR = 0x0d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
/** Bytes of a row over the limit read for its id: an error row names the review when its id comes first. */
const ID_HEAD_BYTES = 4096

/** The last byte of `buf` before `end` that is not a space, tab or CR; 0 when there is none. */
function lastSolidBefore(buf: Uint8Array, end: number): number {
  for (let k = end - 1; k >= 0; k--) {
    const c = buf[k]!
    if (c !== 0x20 && c !== 0x09 && c !== CR) return c
  }
  return 0
}
/** A carriage return alone where a row starts: a line end. */
const CR_BRACE = Buffer.from('\r{')

/** Whether every byte of `bytes` is a space, tab or CR. */
export function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false
  }
  return true
}

function megabytes(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`
}

/**
 * What the JSON readers share: the chunk being built, a row over the limit
 * counted but not kept, and chunks numbered in order with the bytes read
 * through their last row (for progress).
 */
export abstract class JsonRowChunker {
  protected readonly builder: ChunkBuilder
  /** Bytes of a row over the limit, counted but not kept (-1: none). */
  protected skipped = -1
  /** The id read from the first bytes of the row being skipped. */
  private skippedId: string | null = null
  /** Bytes fed before the current buffer, and through the last finished row. */
  protected base = 0
  protected rowEnd = 0
  private seq = 0
  private start = 0

  /**
   * @param chunkSize Rows per chunk, at most.
   * @param maxRowBytes The longest row kept.
   * @param window Rows per window (0: none), where chunks also end.
   */
  constructor(
    chunkSize: number,
    private readonly maxRowBytes: number,
    window = 0,
  ) {
    this.builder = new ChunkBuilder('jsonl', chunkSize, window)
  }

  /** Feed the next bytes of the file; the chunks completed by them go to `out`. */
  abstract feed(buf: Uint8Array, out: BytesChunk[]): void

  /** The file has ended; the last chunk, if any rows are left, goes to `out`. */
  abstract end(out: BytesChunk[]): void

  /** Hand out the finished rows (reading pauses, or has stopped early: `stopping`); the row being read waits, or is dropped. */
  flush(out: BytesChunk[], _stopping = false): void {
    if (this.builder.rows > 0) out.push(this.take(false))
  }

  /** Finished rows not yet handed out in a chunk. */
  get heldRows(): number {
    return this.builder.rows
  }

  /** Add bytes to the row being read; false when the row is (now) over the limit and skipped. */
  protected add(piece: Uint8Array): boolean {
    const b = this.builder
    if (this.skipped >= 0) {
      this.skipped += piece.length
      return false
    }
    if (b.rowBytes + piece.length > this.maxRowBytes) {
      this.skipped = b.rowBytes + piece.length
      // Its error row names the review when its id comes in its first bytes.
      const row = b.rowView()
      const head = row.length >= ID_HEAD_BYTES ? row.subarray(0, ID_HEAD_BYTES) : Buffer.concat([row, piece.subarray(0, ID_HEAD_BYTES - row.length)])
      this.skippedId = idInJsonHead(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8'))
      b.discardRow()
      return false
    }
    b.append(piece)
    return true
  }

  /** End a skipped row as a `too_big` error row; `what` names it ("line 7"). */
  protected endSkipped(line: number, what: string): void {
    this.builder.problemRow(line, 'too_big', `${what} is ${megabytes(this.skipped)}, over the ${megabytes(this.maxRowBytes)} limit of one row; it was skipped`, this.skippedId)
    this.skipped = -1
    this.skippedId = null
  }

  protected take(unterminated: boolean): BytesChunk {
    const chunk = this.builder.take(this.seq++, this.start, this.rowEnd, unterminated, null, '')
    this.start += chunk.rows
    return chunk
  }
}

/** JSON Lines bytes in, chunks of non-blank lines out. */
export class JsonlChunker extends JsonRowChunker {
  private line = 1
  private blank = true
  /** The last piece ended in a CR: a row starting the next one ends the line there. */
  private crLast = false
  /** The last byte fed that is not a space, tab or CR (0: none yet): a CR ends a row only after a "}". */
  private lastSolid = 0

  feed(buf: Uint8Array, out: BytesChunk[]): void {
    const b = this.builder
    let pos = 0
    if (this.crLast && buf[0] === OPEN_BRACE && this.lastSolid === CLOSE_BRACE) {
      // The CR is the line's last byte, which endLine trims.
      this.rowEnd = this.base
      this.endLine()
      if (b.full) out.push(this.take(false))
    }
    // The next "\r{" (-1: none), searched natively: a piece without one, "\r\n" lines or not, pays one search.
    const bytes = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
    let lone = this.nextLone(bytes, 0)
    while (pos < buf.length) {
      let nl = buf.indexOf(NEWLINE, pos)
      let end = nl < 0 ? buf.length : nl
      if (lone >= 0 && lone < end) {
        // The CR stays the line's last byte, as when it ends a piece: endLine trims it.
        nl = lone
        end = lone + 1
        lone = this.nextLone(bytes, end)
      }
      if (end > pos) this.addLine(buf.subarray(pos, end))
      if (nl < 0) break
      this.rowEnd = this.base + nl + 1
      this.endLine()
      if (b.full) out.push(this.take(false))
      pos = nl + 1
    }
    this.crLast = buf.length > 0 ? buf[buf.length - 1] === CR : this.crLast
    const solid = lastSolidBefore(buf, buf.length)
    if (solid !== 0) this.lastSolid = solid
    this.base += buf.length
  }

  /**
   * The next "\r{" from `from` that ends a row: its CR follows a "}" (spaces,
   * tabs and CRs between). In a valid row a "}" is never followed by "{",
   * so this splits no valid row ("\r{" alone can be white space before a
   * nested object); -1 when there is none.
   */
  private nextLone(bytes: Buffer, from: number): number {
    let at = bytes.indexOf(CR_BRACE, from)
    while (at >= 0) {
      const solid = lastSolidBefore(bytes, at)
      if ((solid === 0 ? this.lastSolid : solid) === CLOSE_BRACE) return at
      at = bytes.indexOf(CR_BRACE, at + 1)
    }
    return -1
  }

  end(out: BytesChunk[]): void {
    let unterminated = false
    this.rowEnd = this.base
    if (this.skipped >= 0 || !this.blank) {
      unterminated = true
      this.endLine()
    }
    if (this.builder.rows > 0) out.push(this.take(unterminated))
  }

  private addLine(piece: Uint8Array): void {
    if (this.add(piece) && this.blank && !isBlank(piece)) this.blank = false
  }

  private endLine(): void {
    const b = this.builder
    if (this.skipped >= 0) this.endSkipped(this.line, `line ${this.line}`)
    else if (this.blank) b.discardRow()
    else {
      const row = b.rowView()
      if (row[row.length - 1] === CR) b.trim(1)
      b.endRow(this.line)
    }
    this.blank = true
    this.line++
  }
}

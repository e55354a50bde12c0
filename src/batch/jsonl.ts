/**
 * JSON Lines → chunks of rows, straight from the file's bytes: lines are found
 * with `indexOf`, never decoded here (the workers decode and parse them).
 * Blank lines are not rows; a line longer than the row limit becomes an error
 * row without being held in memory.
 */
import { ChunkBuilder } from './chunk-builder.js'
import type { BytesChunk } from './protocol.js'

const NEWLINE = 0x0a
const CR = 0x0d

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

/** JSON Lines bytes in, chunks of non-blank lines out. */
export class JsonlChunker {
  private readonly builder: ChunkBuilder
  private line = 1
  private blank = true
  private skipped = -1
  private seq = 0
  private start = 0
  /** Bytes fed before the current buffer, and through the last finished line. */
  private base = 0
  private lineEnd = 0

  constructor(
    chunkSize: number,
    private readonly maxRowBytes: number,
  ) {
    this.builder = new ChunkBuilder('jsonl', chunkSize)
  }

  /** Feed the next bytes of the file; returns the chunks completed by them. */
  feed(buf: Uint8Array, out: BytesChunk[]): void {
    const b = this.builder
    let pos = 0
    while (pos < buf.length) {
      const nl = buf.indexOf(NEWLINE, pos)
      const end = nl < 0 ? buf.length : nl
      if (end > pos) this.add(buf.subarray(pos, end))
      if (nl < 0) break
      this.lineEnd = this.base + nl + 1
      this.endLine()
      if (b.full) out.push(this.take(false))
      pos = nl + 1
    }
    this.base += buf.length
  }

  /** The file has ended; returns the last chunk, if any rows are left. */
  end(out: BytesChunk[]): void {
    let unterminated = false
    this.lineEnd = this.base
    if (this.skipped >= 0 || !this.blank) {
      unterminated = true
      this.endLine()
    }
    if (this.builder.rows > 0) out.push(this.take(unterminated))
  }

  /** Reading stopped early: hand out the finished rows, drop the line being read. */
  flush(out: BytesChunk[]): void {
    if (this.builder.rows > 0) out.push(this.take(false))
  }

  /** Rows handed out so far. */
  get rowsSoFar(): number {
    return this.start + this.builder.rows
  }

  private add(piece: Uint8Array): void {
    const b = this.builder
    if (this.skipped >= 0) {
      this.skipped += piece.length
      return
    }
    if (b.rowBytes + piece.length > this.maxRowBytes) {
      this.skipped = b.rowBytes + piece.length
      b.discardRow()
      return
    }
    if (this.blank && !isBlank(piece)) this.blank = false
    b.append(piece)
  }

  private endLine(): void {
    const b = this.builder
    if (this.skipped >= 0) {
      b.problemRow(
        this.line,
        'too_big',
        `line ${this.line} is ${megabytes(this.skipped)}, over the ${megabytes(this.maxRowBytes)} limit of one row; it was skipped`,
      )
      this.skipped = -1
    } else if (this.blank) b.discardRow()
    else {
      const row = b.rowView()
      if (row[row.length - 1] === CR) b.trim(1)
      b.endRow(this.line)
    }
    this.blank = true
    this.line++
  }

  private take(unterminated: boolean): BytesChunk {
    const chunk = this.builder.take(this.seq++, this.start, this.lineEnd, unterminated, null, '')
    this.start += chunk.rows
    return chunk
  }
}

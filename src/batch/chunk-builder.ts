/**
 * Collects rows' bytes into one buffer per chunk. The buffer belongs to the
 * chunk alone (never a slice of Node's shared pool), so it can be transferred
 * to a worker without copying.
 */
import type { ErrorCode } from '../review/index.js'
import type { BytesChunk, RowProblem } from './protocol.js'
import { windowEndsAfter } from './window.js'

const INITIAL_CAPACITY = 64 * 1024

/** Builds one chunk's byte buffer and row ranges at a time; see the file comment. */
export class ChunkBuilder {
  private buf: Uint8Array
  private len = 0
  private rowStart = 0
  private readonly starts: number[] = []
  private readonly ends: number[] = []
  private readonly lines: number[] = []
  private problems: RowProblem[] = []
  private lastSize = INITIAL_CAPACITY
  /** Rows handed out in earlier chunks. */
  private taken = 0

  /**
   * @param kind The rows' format.
   * @param chunkSize Rows per chunk, at most.
   * @param window Rows per window (0: none): a chunk also ends where a window does, so a window's rows go out when it is complete.
   */
  constructor(
    private readonly kind: 'jsonl' | 'csv',
    readonly chunkSize: number,
    private readonly window = 0,
  ) {
    this.buf = new Uint8Array(INITIAL_CAPACITY)
  }

  /** Rows in the chunk being built. */
  get rows(): number {
    return this.starts.length
  }

  /** Bytes of the row being built so far. */
  get rowBytes(): number {
    return this.len - this.rowStart
  }

  /** The bytes of the row being built (a view, valid until the next append). */
  rowView(): Uint8Array {
    return this.buf.subarray(this.rowStart, this.len)
  }

  append(piece: Uint8Array): void {
    const need = this.len + piece.length
    if (need > this.buf.length) {
      let cap = this.buf.length * 2
      while (cap < need) cap *= 2
      const grown = new Uint8Array(cap)
      grown.set(this.buf.subarray(0, this.len))
      this.buf = grown
    }
    this.buf.set(piece, this.len)
    this.len = need
  }

  /** Drop the last `n` bytes of the row being built (a line's "\r"). */
  trim(n: number): void {
    this.len = Math.max(this.rowStart, this.len - n)
  }

  /** Forget the row being built (a blank line). */
  discardRow(): void {
    this.len = this.rowStart
  }

  /** Close the row being built; `line` is where it started in the file. */
  endRow(line: number): void {
    this.starts.push(this.rowStart)
    this.ends.push(this.len)
    this.lines.push(line)
    this.rowStart = this.len
  }

  /** A row that has no bytes to parse, only an error to report. */
  problemRow(line: number, code: ErrorCode, message: string, id: string | null = null): void {
    this.len = this.rowStart
    this.problems.push(id === null ? { at: this.starts.length, code, message } : { at: this.starts.length, code, message, id })
    this.endRow(line)
  }

  get full(): boolean {
    const rows = this.starts.length
    return rows >= this.chunkSize || (rows > 0 && windowEndsAfter(this.taken + rows, this.window))
  }

  /** Hand over the finished rows as a chunk; the row being built carries over. */
  take(seq: number, start: number, endOffset: number, unterminated: boolean, header: string[] | null, delimiter: string): BytesChunk {
    const carry = this.buf.subarray(this.rowStart, this.len)
    const size = this.rowStart
    // Size the next buffer from the last chunk, so it rarely grows.
    this.lastSize = Math.max(INITIAL_CAPACITY, size + (size >> 2))
    const next = new Uint8Array(Math.max(this.lastSize, carry.length * 2))
    next.set(carry)
    const bytes = this.buf.subarray(0, size)
    const chunk: BytesChunk = {
      kind: this.kind,
      seq,
      start,
      rows: this.starts.length,
      endOffset,
      bytes,
      starts: Uint32Array.from(this.starts),
      ends: Uint32Array.from(this.ends),
      lines: Uint32Array.from(this.lines),
      problems: this.problems,
      unterminated,
      header,
      delimiter,
    }
    this.taken += chunk.rows
    this.buf = next
    this.len = carry.length
    this.rowStart = 0
    this.starts.length = 0
    this.ends.length = 0
    this.lines.length = 0
    this.problems = []
    return chunk
  }
}

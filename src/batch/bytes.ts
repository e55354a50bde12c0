/**
 * A growable byte buffer for output lines: strings are written as UTF-8
 * straight into it, so a chunk's results travel and spill as one block of
 * bytes (transferred from a worker, written to disk as is) instead of one
 * large string per chunk.
 */

/** Bytes a builder starts with when not told. */
const DEFAULT_CAPACITY = 64 * 1024

/** Appends UTF-8 text and bytes to one buffer, doubling it when full. */
export class ByteBuilder {
  private buf: Buffer
  private len = 0

  /** @param capacity Bytes to start with (the buffer grows as needed). */
  constructor(capacity = DEFAULT_CAPACITY) {
    // Never from Node's shared pool: the buffer may be transferred to another thread.
    this.buf = Buffer.allocUnsafeSlow(Math.max(16, capacity))
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len
  }

  private reserve(more: number): void {
    const need = this.len + more
    if (need <= this.buf.length) return
    let cap = this.buf.length * 2
    while (cap < need) cap *= 2
    const grown = Buffer.allocUnsafeSlow(cap)
    this.buf.copy(grown, 0, 0, this.len)
    this.buf = grown
  }

  /** Append a string as UTF-8. */
  text(s: string): void {
    this.reserve(s.length * 3)
    this.len += this.buf.write(s, this.len)
  }

  /** Append bytes `from` … `to` of `source`. */
  bytes(source: Uint8Array, from = 0, to = source.length): void {
    this.reserve(to - from)
    this.buf.set(source.subarray(from, to), this.len)
    this.len += to - from
  }

  /** Append one byte. */
  byte(b: number): void {
    this.reserve(1)
    this.buf[this.len++] = b
  }

  /** The bytes written (a view of the builder's buffer, whose whole `buffer` may be transferred). */
  view(): Buffer {
    return this.buf.subarray(0, this.len)
  }
}

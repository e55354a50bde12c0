/**
 * Chunked typed-array columns for the cross-review state: rows are appended
 * without ever copying what is stored (no doubling), so a 1M-row batch never
 * holds two copies of a column.
 */

/** Rows per chunk (2^16). */
const CHUNK_BITS = 16
const CHUNK = 1 << CHUNK_BITS

/** Rows per chunk, and the shift from a row to its chunk. */
export const CHUNK_ROWS = CHUNK
export const CHUNK_SHIFT = CHUNK_BITS
const MASK = CHUNK - 1

/** The first chunk starts at this many rows and doubles up to CHUNK, so small batches stay small. */
const FIRST_CHUNK = 1024

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array | Float32Array

/**
 * Where full column chunks can wait until the pass reads them (the batch core
 * gives a temporary file): while a batch is read nothing reads the stored
 * rows, so the state needs only the chunks being filled in memory.
 */
export interface ChunkStore {
  /** Keep a copy of these bytes; returns the key to read them back with. */
  put(bytes: Uint8Array): number
  /** Copy the bytes kept under `key` into `into` (exactly as many as were put). */
  get(key: number, into: Uint8Array): void
}

interface TypedArrayCtor<A extends TypedArray> {
  new (length: number): A
}

/** A growable column of `width` numbers per row, stored in fixed-size chunks. */
export class Column<A extends TypedArray> {
  readonly chunks: A[] = []
  private readonly ctor: TypedArrayCtor<A>
  readonly width: number
  private readonly fill: number
  /** Store key of each parked chunk (its slot in `chunks` is then empty), by chunk number. */
  private readonly parked: number[] = []
  private parkedCount = 0

  constructor(ctor: TypedArrayCtor<A>, width = 1, fill = 0) {
    this.ctor = ctor
    this.width = width
    this.fill = fill
  }

  private chunkFor(row: number): A {
    const c = row >>> CHUNK_BITS
    if (c === 0) {
      const first = this.chunks[0]
      const need = (row + 1) * this.width
      if (first === undefined || first.length < need) {
        let rows = first === undefined ? FIRST_CHUNK : first.length / this.width
        while (rows * this.width < need) rows *= 2
        const grown = new this.ctor(Math.min(rows, CHUNK) * this.width)
        if (this.fill !== 0) grown.fill(this.fill)
        if (first !== undefined) grown.set(first as never)
        this.chunks[0] = grown
      }
      return this.chunks[0]!
    }
    if (this.chunks.length === 1 && this.chunks[0]!.length < CHUNK * this.width) this.chunkFor(CHUNK - 1)
    while (this.chunks.length <= c) {
      const chunk = new this.ctor(CHUNK * this.width)
      if (this.fill !== 0) chunk.fill(this.fill)
      this.chunks.push(chunk)
    }
    return this.chunks[c]!
  }

  get(row: number, k = 0): number {
    return this.chunks[row >>> CHUNK_BITS]![(row & MASK) * this.width + k]!
  }

  set(row: number, value: number, k = 0): void {
    this.chunkFor(row)[(row & MASK) * this.width + k] = value
  }

  /** The chunk holding `row` (see `offsetOf`). */
  chunkOf(row: number): A {
    return this.chunks[row >>> CHUNK_BITS]!
  }

  /** Where `row` starts in its chunk. */
  offsetOf(row: number): number {
    return (row & MASK) * this.width
  }

  /** The chunk holding `row` and the row's offset in it (for reads of a whole row). */
  at(row: number): { chunk: A; offset: number } {
    return { chunk: this.chunkOf(row), offset: this.offsetOf(row) }
  }

  /** Copy `values` into the row. */
  setRow(row: number, values: ArrayLike<number>): void {
    const chunk = this.chunkFor(row)
    const base = (row & MASK) * this.width
    for (let k = 0; k < this.width; k++) chunk[base + k] = values[k]!
  }

  /**
   * Copy `rows` rows of `values` (`width` numbers each), from its row `from`,
   * to the column's rows `row`, `row` + 1, …: what `setRow` does row by row,
   * one typed-array copy per chunk. Values of another array type convert as
   * assigning them one by one would.
   */
  setRows(row: number, values: TypedArray, from: number, rows: number): void {
    const w = this.width
    for (let done = 0; done < rows; ) {
      const r = row + done
      const n = Math.min(CHUNK - (r & MASK), rows - done)
      // The chunk of the last row copied: the first chunk grows to hold it.
      const chunk = this.chunkFor(r + n - 1)
      chunk.set(values.subarray((from + done) * w, (from + done + n) * w) as never, (r & MASK) * w)
      done += n
    }
  }

  /**
   * Move every full chunk but the last to `store`, keeping the chunk being
   * filled. Rows of a parked chunk must not be read until `restore`.
   */
  park(store: ChunkStore): void {
    for (let c = this.parkedCount; c < this.chunks.length - 1; c++) {
      const chunk = this.chunks[c]!
      this.parked[c] = store.put(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      this.chunks[c] = new this.ctor(0)
    }
    this.parkedCount = Math.max(this.parkedCount, this.chunks.length - 1)
  }

  /** Bring the parked chunks back from `store` (every row can be read again). */
  restore(store: ChunkStore): void {
    for (let c = 0; c < this.parked.length; c++) {
      const key = this.parked[c]!
      if (key < 0) continue
      const chunk = new this.ctor(CHUNK * this.width)
      store.get(key, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      this.chunks[c] = chunk
      this.parked[c] = -1
    }
  }

  /** Whether some chunks are parked (see `park`). */
  get hasParked(): boolean {
    return this.parked.some((key) => key >= 0)
  }

  /** Drop one chunk (its rows must not be read again). */
  dropChunk(c: number): void {
    if (c < this.chunks.length) this.chunks[c] = new this.ctor(0)
  }

  /** Drop the stored rows (their memory goes back to the allocator). */
  release(): void {
    this.chunks.length = 0
  }

  /** Bytes allocated. */
  bytes(): number {
    let n = 0
    for (const c of this.chunks) n += c.byteLength
    return n
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Append-only UTF-8 strings (review ids) without one JS string per row. */
export class StringColumn {
  private readonly bytes: Uint8Array[] = []
  private used = 0
  /** Byte offset of each string in the blocks taken as one space (block · BLOCK + offset), and its length. */
  private readonly start = new Column(Uint32Array)
  private readonly length = new Column(Uint16Array)
  private static readonly BLOCK = 1 << 16
  /** Longest stored string, in UTF-8 bytes (ids are echoed in reasons; a longer one is cut). */
  static readonly MAX_BYTES = 0xffff

  /** The part of `value` that is stored: at most MAX_BYTES / 3 characters, so its UTF-8 fits MAX_BYTES. */
  static cut(value: string): string {
    return value.length * 3 > StringColumn.MAX_BYTES ? value.slice(0, Math.floor(StringColumn.MAX_BYTES / 3)) : value
  }

  /** Store `value` as row `row`. */
  set(row: number, value: string): void {
    // Blocks are BLOCK bytes, so a string (at most MAX_BYTES = BLOCK − 1) never spans two.
    const text = StringColumn.cut(value)
    const max = text.length * 3
    let block = this.bytes[this.bytes.length - 1]
    if (block === undefined || this.used + max > block.length) {
      block = new Uint8Array(StringColumn.BLOCK)
      this.bytes.push(block)
      this.used = 0
    }
    const { written } = encoder.encodeInto(text, block.subarray(this.used))
    this.start.set(row, (this.bytes.length - 1) * StringColumn.BLOCK + this.used)
    this.length.set(row, written)
    this.used += written
  }

  /**
   * Store the UTF-8 bytes of a string as row `row` (as `set` would store the
   * string; the caller cuts it to MAX_BYTES / 3 characters first).
   */
  setBytes(row: number, bytes: Uint8Array): void {
    const n = Math.min(bytes.length, StringColumn.MAX_BYTES)
    let block = this.bytes[this.bytes.length - 1]
    if (block === undefined || this.used + n > block.length) {
      block = new Uint8Array(StringColumn.BLOCK)
      this.bytes.push(block)
      this.used = 0
    }
    block.set(n === bytes.length ? bytes : bytes.subarray(0, n), this.used)
    this.start.set(row, (this.bytes.length - 1) * StringColumn.BLOCK + this.used)
    this.length.set(row, n)
    this.used += n
  }

  get(row: number): string {
    const at = this.start.get(row)
    const block = this.bytes[Math.floor(at / StringColumn.BLOCK)]!
    const from = at % StringColumn.BLOCK
    return decoder.decode(block.subarray(from, from + this.length.get(row)))
  }

  byteSize(): number {
    let n = this.start.bytes() + this.length.bytes()
    for (const b of this.bytes) n += b.byteLength
    return n
  }
}

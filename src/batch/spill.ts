/**
 * The per-review results of a batch, in input order, while the cross-review
 * pass waits for the last row. They are UTF-8 bytes throughout (as the
 * workers made them): small batches stay in memory; past `SPILL_MEMORY_BYTES`
 * everything moves to a temporary file, so memory holds only the compact
 * records however long the input is. Reads and writes are synchronous: a
 * chunk's bytes are on disk (in the page cache) before the next chunk is
 * taken, so no queue of pending writes grows while the workers run ahead.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import type { ChunkStore } from '../authenticity/index.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Spill bytes kept in memory before moving to a temporary file: about 6,000
 * rows of 1.3 kB. Larger batches go to disk.
 */
const SPILL_MEMORY_BYTES = 8 * 1024 * 1024
/** Bytes per read when streaming the file back (a longer line grows the buffer). */
const READ_BYTES = 1024 * 1024

const NEWLINE = 0x0a

/** Spill lines in input order: appended in pass 1, read back once in pass 2. */
export class Spill {
  private memory: Uint8Array[] = []
  private bytes = 0
  private dir: string | null = null
  private fd: number | null = null

  /** @param limit Bytes kept in memory before the results move to a temporary file. */
  constructor(private readonly limit = SPILL_MEMORY_BYTES) {}

  /** Whether the results went to a temporary file. */
  get onDisk(): boolean {
    return this.dir !== null
  }

  /** Append a chunk's spill lines (UTF-8, each ending in "\n"). Throws when the disk fails. */
  append(lines: Uint8Array): void {
    if (this.fd === null) {
      this.memory.push(lines)
      this.bytes += lines.length
      if (this.bytes <= this.limit) return
      this.dir = mkdtempSync(join(tmpdir(), 'recensio-'))
      this.fd = openSync(join(this.dir, 'rows'), 'w+')
      const held = this.memory
      this.memory = []
      for (const block of held) this.write(block)
      return
    }
    this.write(lines)
  }

  /**
   * The spill bytes in order, after the last append, as blocks of whole lines
   * (each ends in "\n"). A block is valid until the next one is asked for.
   */
  async *blocks(): AsyncGenerator<Buffer> {
    if (this.fd === null) {
      const held = this.memory
      this.memory = []
      for (const block of held) yield Buffer.from(block.buffer, block.byteOffset, block.byteLength)
      return
    }
    const fd = this.fd
    let buf = Buffer.allocUnsafeSlow(READ_BYTES)
    let have = 0
    let position = 0
    for (;;) {
      const read = readSync(fd, buf, have, buf.length - have, position)
      position += read
      have += read
      if (read === 0) {
        if (have > 0) yield buf.subarray(0, have)
        return
      }
      const last = buf.lastIndexOf(NEWLINE, have - 1)
      if (last < 0) {
        // One line longer than the buffer: grow it and read on.
        if (have === buf.length) {
          const grown = Buffer.allocUnsafeSlow(buf.length * 2)
          buf.copy(grown, 0, 0, have)
          buf = grown
        }
        continue
      }
      yield buf.subarray(0, last + 1)
      buf.copy(buf, 0, last + 1, have)
      have -= last + 1
    }
  }

  /** Remove the temporary file. */
  async dispose(): Promise<void> {
    this.disposeSync()
  }

  /** Remove the temporary file at once (before a forced exit). */
  disposeSync(): void {
    this.memory = []
    removeTemp(this.fd, this.dir)
    this.fd = null
  }

  private write(block: Uint8Array): void {
    let done = 0
    while (done < block.length) done += writeSync(this.fd!, block, done, block.length - done)
  }
}

/**
 * The cross-review state's full column chunks, parked in a temporary file
 * while the batch is read (see `ChunkStore`). The file is made on the first
 * chunk, so a batch of fewer than 65,536 rows never makes one.
 */
export class ChunkFile implements ChunkStore {
  private dir: string | null = null
  private fd: number | null = null
  private end = 0
  private readonly at: number[] = []
  private readonly size: number[] = []

  put(bytes: Uint8Array): number {
    if (this.fd === null) {
      this.dir = mkdtempSync(join(tmpdir(), 'recensio-'))
      this.fd = openSync(join(this.dir, 'state'), 'w+')
    }
    let done = 0
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.end + done)
    this.at.push(this.end)
    this.size.push(bytes.length)
    this.end += bytes.length
    return this.at.length - 1
  }

  get(key: number, into: Uint8Array): void {
    const size = this.size[key]!
    if (into.length !== size || this.fd === null) throw new Error(`ChunkFile: no chunk ${key} of ${into.length} bytes`)
    let done = 0
    while (done < size) {
      const read = readSync(this.fd, into, done, size - done, this.at[key]! + done)
      if (read === 0) throw new Error(`ChunkFile: chunk ${key} is cut short`)
      done += read
    }
  }

  /** Remove the file. */
  dispose(): void {
    removeTemp(this.fd, this.dir)
    this.fd = null
    this.dir = null
  }
}

/** Close a temporary file (if open) and remove its folder (if made). */
function removeTemp(fd: number | null, dir: string | null): void {
  if (fd !== null) {
    try {
      closeSync(fd)
    } catch {
      // Already closed.
    }
  }
  if (dir !== null) rmSync(dir, { recursive: true, force: true })
}

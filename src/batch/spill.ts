/**
 * The per-review results of a batch, in input order, while the cross-review
 * pass waits for the last row. They are UTF-8 bytes throughout (as the
 * workers made them): small batches stay in memory; past `SPILL_MEMORY_BYTES`
 * everything moves to a temporary file, so memory holds only the compact
 * records however long the input is. Reads and writes are synchronous: a
 * chunk's bytes are on disk (in the page cache) before the next chunk is
 * taken, so no queue of pending writes grows while the workers run ahead.
 */
import { close, closeSync, mkdtempSync, openSync, readSync, rmSync, rmdirSync, unlinkSync, writeSync } from 'node:fs'
import type { ChunkStore } from '../authenticity/index.js'
import { RecensioError } from '../review/index.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Spill bytes kept in memory before moving to a temporary file: about 6,000
 * rows of 1.3 kB. Larger batches go to disk.
 */
const SPILL_MEMORY_BYTES = 8 * 1024 * 1024
/** Runs of output lines are joined into blocks of up to this many bytes. */
const GROUP_BYTES = 1024 * 1024
/** Bytes per read when streaming the file back (a longer line grows the buffer). */
const READ_BYTES = 1024 * 1024

const NEWLINE = 0x0a

/**
 * Output lines in input order, appended a run of lines at a time with what
 * goes with them (`meta`), read back once as blocks. Runs that together stay
 * within `groupBytes` come back as one block, their metas joined (so tiny
 * chunks cost neither a block each nor a meta each); a run is never split
 * between blocks, but one longer than READ_BYTES on disk comes back in
 * pieces of whole lines, the meta with the last piece.
 */
export class Spill<Meta> {
  /** The runs of each block, while in memory. */
  private memory: Uint8Array[][] = []
  private bytes = 0
  private dir: string | null = null
  private fd: number | null = null
  private readonly sizes: number[] = []
  private readonly metas: Meta[] = []

  /**
   * @param join Adds a meta into the meta of the runs before it in its block.
   * @param limit Bytes kept in memory before the results move to a temporary file.
   * @param groupBytes Runs are joined into blocks of up to this many bytes.
   */
  constructor(
    private readonly join: (into: Meta, next: Meta) => void,
    private readonly limit = SPILL_MEMORY_BYTES,
    private readonly groupBytes = GROUP_BYTES,
  ) {}

  /** Whether the results went to a temporary file. */
  get onDisk(): boolean {
    return this.fd !== null
  }

  /** Append a run of output lines (UTF-8, each ending in "\n") and its meta. Throws when the disk fails. */
  append(lines: Uint8Array, meta: Meta): void {
    const last = this.sizes.length - 1
    const joined = last >= 0 && this.sizes[last]! + lines.length <= this.groupBytes
    if (joined) {
      this.sizes[last]! += lines.length
      this.join(this.metas[last]!, meta)
    } else {
      this.sizes.push(lines.length)
      this.metas.push(meta)
    }
    if (this.fd === null) {
      if (joined) this.memory[last]!.push(lines)
      else this.memory.push([lines])
      this.bytes += lines.length
      if (this.bytes <= this.limit) return
      ;({ fd: this.fd, dir: this.dir } = openTemp('rows'))
      const held = this.memory
      this.memory = []
      for (const runs of held) for (const run of runs) this.write(run)
      return
    }
    this.write(lines)
  }

  /**
   * The blocks in order, after the last append, each with its meta (`null`
   * on all but the last piece of a block read in pieces). Each block's bytes
   * are its own (never reused).
   */
  async *blocks(): AsyncGenerator<{ bytes: Buffer; meta: Meta | null }> {
    const { sizes, metas } = this
    if (this.fd === null) {
      const held = this.memory
      this.memory = []
      for (let i = 0; i < held.length; i++) {
        const runs = held[i]!
        const bytes = runs.length === 1 ? Buffer.from(runs[0]!.buffer, runs[0]!.byteOffset, runs[0]!.byteLength) : Buffer.concat(runs)
        yield { bytes, meta: metas[i]! }
      }
      return
    }
    const fd = this.fd
    let position = 0
    for (let i = 0; i < sizes.length; i++) {
      const end = position + sizes[i]!
      if (position === end) yield { bytes: Buffer.alloc(0), meta: metas[i]! }
      while (position < end) {
        let buf = Buffer.allocUnsafeSlow(Math.min(end - position, READ_BYTES))
        let have = readFully(fd, buf, 0, position)
        if (position + have < end) {
          // A piece of a long block ends after its last whole line; a line longer than the piece grows it.
          let last = buf.lastIndexOf(NEWLINE, have - 1)
          while (last < 0) {
            const grown = Buffer.allocUnsafeSlow(Math.min(buf.length * 2, end - position))
            buf.copy(grown, 0, 0, have)
            buf = grown
            have += readFully(fd, buf, have, position + have)
            last = position + have === end ? have - 1 : buf.lastIndexOf(NEWLINE, have - 1)
          }
          have = last + 1
        }
        position += have
        yield { bytes: buf.subarray(0, have), meta: position === end ? metas[i]! : null }
      }
    }
  }

  /** Drop the results; a temporary file is closed in the background (freeing a large file's pages takes a while). */
  async dispose(): Promise<void> {
    this.drop(true)
  }

  /** Drop the results and close the temporary file at once (before a forced exit). */
  disposeSync(): void {
    this.drop(false)
  }

  private drop(background: boolean): void {
    this.memory = []
    removeTemp(this.fd, this.dir, background)
    this.fd = null
    this.dir = null
  }

  private write(block: Uint8Array): void {
    writeAll(this.fd!, block, null)
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
    if (this.fd === null) ({ fd: this.fd, dir: this.dir } = openTemp('state'))
    writeAll(this.fd, bytes, this.end)
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

  /** Close the file (in the background) and forget it. */
  dispose(): void {
    removeTemp(this.fd, this.dir, true)
    this.fd = null
    this.dir = null
  }
}

/** Fill `buf` from byte `from` on with the file's bytes at `position` on; the bytes read. Throws if the file ends first. */
function readFully(fd: number, buf: Uint8Array, from: number, position: number): number {
  let done = from
  while (done < buf.length) {
    const read = readSync(fd, buf, done, buf.length - done, position + done - from)
    if (read === 0) throw new Error('the temporary results file is cut short')
    done += read
  }
  return done - from
}

/**
 * A temporary file, open for reading and writing. Its name is removed at
 * once where the system allows it (the file lives on until it is closed, and
 * a run that is killed leaves nothing behind); elsewhere `dir` is returned,
 * to be removed with it.
 */
function openTemp(name: string): { fd: number; dir: string | null } {
  const base = tmpdir()
  let dir: string
  try {
    dir = mkdtempSync(join(base, 'recensio-'))
  } catch (error) {
    throw tempError(base, error)
  }
  const path = join(dir, name)
  let fd: number
  try {
    fd = openSync(path, 'w+')
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw tempError(base, error)
  }
  try {
    unlinkSync(path)
    rmdirSync(dir)
  } catch {
    return { fd, dir }
  }
  return { fd, dir: null }
}

/** Why a temporary file could not be made or written, in a few words. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT'
    ? 'no such folder'
    : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'permission denied'
      : code === 'ENOSPC'
        ? 'no space left'
        : code === 'EFBIG'
          ? 'file too large'
          : code === 'EDQUOT'
            ? 'disk quota exceeded'
            : (error as Error).message
}

/** Why no temporary file could be made, for a person. */
function tempError(base: string, error: unknown): RecensioError {
  return new RecensioError('invalid_option', `cannot make a temporary file in ${base} (${reason(error)}): a batch keeps its results on disk until it ends; set TMPDIR to a writable folder`)
}

/**
 * A batch's temporary file could not be written once the run was under way
 * (its disk filled up): a failure of the run, not of an option.
 */
export class TempFileError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause })
    this.name = 'TempFileError'
  }
}

/** Write all of `bytes` to a temporary file, at `position` (null: where the last write ended); a failure is a `TempFileError`. */
function writeAll(fd: number, bytes: Uint8Array, position: number | null): void {
  let done = 0
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position === null ? null : position + done)
  } catch (error) {
    throw new TempFileError(
      `cannot write a temporary file in ${tmpdir()} (${reason(error)}): a batch keeps its results on disk until it ends; set TMPDIR to a folder with room`,
      error,
    )
  }
}

/**
 * Close a temporary file (if open) and remove its folder (if it still has
 * one). In the `background` a file without a name is closed by the thread
 * pool: closing frees its pages, which takes a while for gigabytes.
 */
function removeTemp(fd: number | null, dir: string | null, background: boolean): void {
  if (fd !== null) {
    if (background && dir === null) close(fd, () => {})
    else {
      try {
        closeSync(fd)
      } catch {
        // Already closed.
      }
    }
  }
  if (dir === null) return
  try {
    rmSync(dir, { recursive: true, force: true })
  } catch {
    // A folder that cannot be removed is left to the system's cleaning: the results are already out.
  }
}

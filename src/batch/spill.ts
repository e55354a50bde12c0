/**
 * The per-review results of a batch, in input order, while the cross-review
 * pass waits for the last row. Small batches stay in memory; past
 * `SPILL_MEMORY_CHARS` everything moves to a temporary file, so memory holds
 * only the compact records however long the input is.
 */
import { createReadStream, createWriteStream, rmSync, type WriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Spill characters kept in memory before moving to a temporary file: about
 * 12,000 rows of 1.3 kB, at 1–2 bytes per character. Larger batches go to disk.
 */
const SPILL_MEMORY_CHARS = 16 * 1024 * 1024
/** Bytes per read when streaming the file back. */
const READ_BYTES = 1024 * 1024

/** Spill lines in input order: appended in pass 1, read back once in pass 2. */
export class Spill {
  private memory: string[] = []
  private chars = 0
  private dir: string | null = null
  private file: WriteStream | null = null
  private failure: Error | null = null

  constructor(private readonly limit = SPILL_MEMORY_CHARS) {}

  /** Whether the results went to a temporary file. */
  get onDisk(): boolean {
    return this.dir !== null
  }

  /** Append a chunk's spill lines (each ending in "\n"); resolves when more may be appended. */
  async append(lines: string): Promise<void> {
    if (this.failure !== null) throw this.failure
    if (this.file === null) {
      this.memory.push(lines)
      this.chars += lines.length
      if (this.chars <= this.limit) return
      await this.open()
      const held = this.memory
      this.memory = []
      for (const text of held) await this.write(text)
      return
    }
    await this.write(lines)
  }

  /** The spill lines, in order, after the last append. */
  async *lines(): AsyncGenerator<string[]> {
    if (this.file === null) {
      for (const text of this.memory) yield text.split('\n').slice(0, -1)
      this.memory = []
      return
    }
    await new Promise<void>((resolve, reject) => this.file!.end((error?: Error | null) => (error ? reject(error) : resolve())))
    if (this.failure !== null) throw this.failure
    const stream = createReadStream(join(this.dir!, 'rows'), { encoding: 'utf8', highWaterMark: READ_BYTES })
    let carry = ''
    for await (const piece of stream as AsyncIterable<string>) {
      const text = carry + piece
      const last = text.lastIndexOf('\n')
      if (last < 0) {
        carry = text
        continue
      }
      carry = text.slice(last + 1)
      yield text.slice(0, last).split('\n')
    }
    if (carry !== '') yield [carry]
  }

  /** Remove the temporary file. */
  async dispose(): Promise<void> {
    this.memory = []
    if (this.file !== null) this.file.destroy()
    if (this.dir !== null) await rm(this.dir, { recursive: true, force: true })
  }

  /** Remove the temporary file at once (before a forced exit). */
  disposeSync(): void {
    if (this.file !== null) this.file.destroy()
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true })
  }

  private async open(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'recensio-'))
    this.file = createWriteStream(join(this.dir, 'rows'), { encoding: 'utf8' })
    this.file.on('error', (error) => {
      this.failure = error
    })
  }

  private async write(text: string): Promise<void> {
    const file = this.file!
    if (!file.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          file.off('drain', done)
          file.off('error', done)
          resolve()
        }
        file.on('drain', done)
        file.on('error', done)
      })
    }
    if (this.failure !== null) throw this.failure
  }
}

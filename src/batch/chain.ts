/**
 * Several input files read as one batch, one after another (monthly
 * exports, one file per store): rows are numbered on from file to file, a
 * problem row names its file, and copies, bursts and reviewer activity are
 * found across all of them. Each file keeps its own format, CSV header,
 * encoding check and JSON layout. Every file is checked when the batch
 * opens; only the one being read stays open.
 */
import type { Chunk } from './protocol.js'
import { type CompressedFile, type Header, type Source, inputFacts } from './source.js'
import type { InputFile } from './types.js'

/** A file of the chain: what its check found, and how to open it for reading. */
export interface ChainPart {
  /** The name its rows' problems and the summary give it. */
  readonly name: string
  /** Its source when it was checked (closed, except the first's), for its format, size, encoding and hints. */
  readonly checked: Source
  /** Open it again to read it (not called for the first, whose checked source is read). */
  readonly open: () => Promise<Source>
}

/**
 * What a file's check found, without its bytes: a stand-in for its source
 * until it is opened again to be read (a batch of hundreds of files holds
 * one open at a time).
 */
export function checkedOnly(source: Source): Source {
  const header = source.header()
  const arrayPath = source.arrayPath()
  const size = source.compressed?.totalBytes
  const encoded = source.compressed?.encoded === true ? { encoded: true as const } : {}
  return {
    format: source.format,
    totalBytes: source.totalBytes,
    compressed: size === undefined ? undefined : { totalBytes: size, bytesRead: () => 0, ...encoded },
    invalidUtf8: source.invalidUtf8,
    pages: source.pages,
    live: false,
    header: () => header,
    arrayPath: () => arrayPath,
    incomplete: () => null,
    exhausted: false,
    chunks: async function* () {},
    close: async () => {},
  }
}

/** Several sources read as one, in order. */
export class ChainSource implements Source {
  readonly totalBytes: number | undefined
  readonly compressed: CompressedFile | undefined
  readonly invalidUtf8: boolean
  readonly live = false
  exhausted = false
  /** Each part's source once it is read (the checked one before). */
  private readonly read: Source[]
  private readonly rows: number[]
  private closed = false
  /** The part being read, the bytes on disk of the parts before it, and the end of its last chunk handed out. */
  private current = 0
  private before = 0
  private lastEnd = 0

  constructor(readonly parts: readonly ChainPart[]) {
    this.read = parts.map((p) => p.checked)
    this.rows = parts.map(() => 0)
    this.invalidUtf8 = parts.some((p) => p.checked.invalidUtf8)
    const plain = parts.every((p) => p.checked.compressed === undefined)
    const sizes = parts.map((p) => p.checked.compressed?.totalBytes ?? p.checked.totalBytes)
    const known = sizes.every((s) => s !== undefined)
    const total = sizes.reduce<number>((sum, s) => sum + (s ?? 0), 0)
    this.totalBytes = plain && known ? total : undefined
    // With a compressed file among them, progress goes by the bytes on disk, as for one compressed file.
    const gzip = parts.some((p) => p.checked.compressed !== undefined && p.checked.compressed.encoded !== true)
    this.compressed = plain || !known ? undefined : { totalBytes: total, bytesRead: () => this.diskBytesRead(), ...(gzip ? {} : { encoded: true as const }) }
  }

  /** The first file's format (each file's is in `files()`). */
  get format(): Source['format'] {
    return this.read[0]!.format
  }

  header(): Header | null {
    return this.read[0]!.header()
  }

  arrayPath(): string | null {
    return this.read[0]!.arrayPath()
  }

  incomplete(): string | null {
    // Each reason names its file.
    const cut = this.read.flatMap((source) => source.incomplete() ?? [])
    return cut.length === 0 ? null : cut.join('; ')
  }

  /** Each file: its name, format and rows read, with what the summary says of a single input. */
  files(): InputFile[] {
    return this.parts.map((p, k) => {
      const source = this.read[k]!
      return { name: p.name, format: source.format as InputFile['format'], rows: this.rows[k]!, ...inputFacts(source) }
    })
  }

  async *chunks(): AsyncGenerator<Chunk> {
    let seq = 0
    let start = 0
    let offset = 0
    let whole = 0
    for (let k = 0; k < this.parts.length && !this.closed; k++) {
      const { name, open } = this.parts[k]!
      const source = k === 0 ? this.read[0]! : (this.read[k] = await open())
      if (this.closed) {
        await source.close()
        break
      }
      this.current = k
      this.lastEnd = 0
      try {
        for await (const chunk of source.chunks()) {
          this.lastEnd = chunk.endOffset
          chunk.seq = seq++
          chunk.start = start
          chunk.endOffset += offset
          if (chunk.kind !== 'objects') chunk.file = name
          start += chunk.rows
          this.rows[k]! += chunk.rows
          yield chunk
        }
      } finally {
        await source.close()
      }
      if (source.exhausted) whole++
      // Offsets go on from where this file's last row ended (decoded bytes may outnumber the file's).
      offset += this.lastEnd
      this.before += source.compressed?.totalBytes ?? source.totalBytes ?? this.lastEnd
      this.current = k + 1
    }
    this.exhausted = whole === this.parts.length && !this.closed
  }

  async close(): Promise<void> {
    this.closed = true
    await this.read[Math.min(this.current, this.read.length - 1)]!.close()
  }

  /** Bytes on disk read so far: the files before this one whole, and this one's read. */
  private diskBytesRead(): number {
    const source = this.current < this.read.length ? this.read[this.current] : undefined
    if (source === undefined) return this.before
    // A decoded file (windows-1252) outgrows its bytes on disk: its share stops at its size.
    return this.before + (source.compressed?.bytesRead() ?? Math.min(this.lastEnd, source.totalBytes ?? this.lastEnd))
  }
}

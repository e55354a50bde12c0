/**
 * Several input files read as one batch, one after another (monthly
 * exports, one file per store): rows are numbered on from file to file, a
 * problem row names its file, and copies, bursts and reviewer activity are
 * found across all of them. Each file keeps its own format, CSV header,
 * encoding check and JSON layout.
 */
import type { BatchSummary } from './types.js'
import type { Chunk } from './protocol.js'
import type { CompressedFile, Source } from './source.js'

/** One file of a chain as the summary lists it. */
export type InputFile = NonNullable<BatchSummary['input']['files']>[number]

/** An opened file of the chain. */
export interface ChainPart {
  /** The name its rows' problems and the summary give it. */
  name: string
  source: Source
}

/** Several sources read as one, in order. */
export class ChainSource implements Source {
  readonly totalBytes: number | undefined
  readonly compressed: CompressedFile | undefined
  readonly invalidUtf8: boolean
  readonly live = false
  private readonly rows: number[]
  private closed = false
  /** The part being read, the bytes of the parts before it, and the end of its last chunk handed out. */
  private current = 0
  private before = 0
  private lastEnd = 0

  constructor(readonly parts: readonly ChainPart[]) {
    this.rows = parts.map(() => 0)
    this.invalidUtf8 = parts.some((p) => p.source.invalidUtf8)
    const plain = parts.every((p) => p.source.compressed === undefined)
    const sizes = parts.map((p) => p.source.compressed?.totalBytes ?? p.source.totalBytes)
    const known = sizes.every((s) => s !== undefined)
    const total = sizes.reduce<number>((sum, s) => sum + (s ?? 0), 0)
    this.totalBytes = plain && known ? total : undefined
    // With a compressed file among them, progress goes by the bytes on disk, as for one compressed file.
    this.compressed = plain || !known ? undefined : { totalBytes: total, bytesRead: () => this.diskBytesRead() }
  }

  /** The first file's format (each file's is in `files()`). */
  get format(): Source['format'] {
    return this.parts[0]!.source.format
  }

  csv(): { columns: string[]; delimiter: string } | null {
    return this.parts[0]!.source.csv()
  }

  arrayPath(): string | null {
    return this.parts[0]!.source.arrayPath()
  }

  incomplete(): string | null {
    const cut = this.parts.flatMap((p) => {
      const why = p.source.incomplete()
      return why === null ? [] : [`${p.name}: ${why}`]
    })
    return cut.length === 0 ? null : cut.join('; ')
  }

  /** Each file: its name, format and rows read, with what the summary says of a single input. */
  files(): InputFile[] {
    return this.parts.map((p, k) => {
      const { source } = p
      const file: InputFile = { name: p.name, format: source.format === 'objects' ? 'jsonl' : source.format, rows: this.rows[k]! }
      const csv = source.csv()
      if (csv !== null) {
        file.delimiter = csv.delimiter
        file.columns = csv.columns
      }
      const arrayPath = source.arrayPath()
      if (arrayPath !== null) file.arrayPath = arrayPath
      const incomplete = source.incomplete()
      if (incomplete !== null) file.incomplete = incomplete
      return file
    })
  }

  async *chunks(): AsyncGenerator<Chunk> {
    let seq = 0
    let start = 0
    let offset = 0
    for (let k = 0; k < this.parts.length && !this.closed; k++) {
      const { name, source } = this.parts[k]!
      this.current = k
      this.lastEnd = 0
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
      offset += source.totalBytes ?? this.lastEnd
      this.before += source.compressed?.totalBytes ?? source.totalBytes ?? this.lastEnd
      this.current = k + 1
      await source.close()
    }
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.parts.map((p) => p.source.close()))
  }

  /** Bytes on disk read so far: the files before this one whole, and this one's read. */
  private diskBytesRead(): number {
    const source = this.parts[this.current]?.source
    if (source === undefined) return this.before
    return this.before + (source.compressed?.bytesRead() ?? this.lastEnd)
  }
}

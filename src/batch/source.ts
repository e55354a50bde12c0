/**
 * Where rows come from: a file, stdin or any byte stream (JSON Lines or CSV,
 * read in pieces, never whole), or an iterable of objects. Each source hands
 * out chunks of consecutive rows; reading pauses while the pool is busy.
 */
import { constants, createWriteStream, openSync, rmSync } from 'node:fs'
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { RecensioError } from '../review/index.js'
import { CsvChunker } from './csv.js'
import { type InputFormat, SNIFF_BYTES, WIDE_MIN_BYTES, bomLength, firstLineIsPage, formatFromName, hasInvalidUtf8, sniffInput, wideMark, wideText, type WideText } from './detect.js'
import { type InputEncoding, asUtf8, isUtf8, wideToUtf8 } from './encoding.js'
import { fileBytes, gunzip, isGzip, namedError, withoutGz } from './gzip.js'
import { JsonArrayChunker } from './json-array.js'
import { isSpace } from './json-bytes.js'
import { pathText } from './json-wrapper.js'
import { type JsonRowChunker, JsonlChunker } from './jsonl.js'
import type { BytesChunk, Chunk, ObjectsChunk } from './protocol.js'
import { TempFileError } from './spill.js'
import { QUIET, QuietWindows, windowEndsAfter } from './window.js'
import type { InputFile } from './types.js'
import { type Workbook, isZip, openWorkbook } from './xlsx.js'

/** Bytes read from a file per read call. */
const READ_BYTES = 1024 * 1024
/** Smallest limit on one row's bytes; above it a row is reported and skipped unread. */
const MIN_ROW_BYTES = 16 * 1024 * 1024

/** The longest row the readers keep, from the longest text allowed (up to 4 bytes per character). */
export function maxRowBytes(maxTextLength: number): number {
  return Math.max(MIN_ROW_BYTES, maxTextLength * 4 + 1024 * 1024)
}

/** A batch's input, handed out in chunks of consecutive rows. */
export interface Source {
  /** `jsonl`, `csv`, `json`, `xlsx`, or `objects` for iterables. */
  readonly format: InputFormat | 'xlsx' | 'objects'
  /** Total size in bytes when known (files), for progress and ETA. */
  readonly totalBytes: number | undefined
  /** True when the first bytes are not valid UTF-8 (their rows get U+FFFD and a warning). */
  readonly invalidUtf8: boolean
  /** A CSV's or a sheet's header, once read; null for JSON and objects. */
  header(): Header | null
  /** JSON only: the key path of the array read in an object that wraps it ("reviews"), once found; else null. */
  arrayPath(): string | null
  chunks(): AsyncGenerator<Chunk>
  /** Stop reading and release the file. */
  close(): Promise<void>
  /** True once every row of the input has been handed out: it was read to its end, not stopped by `close`. */
  readonly exhausted: boolean
  /** Why the input ended before its end (a cut-off compressed file), once read; null when it did not. */
  incomplete(): string | null
  /** A compressed file's size and the compressed bytes read so far: its progress, as its inflated size is not known ahead. */
  readonly compressed: CompressedFile | undefined
  /** Whether windows also end when the input goes quiet (`windowIdleMs`, for a stream; never for a file). */
  readonly live: boolean
  /** Several files read as one: each one, for the summary. */
  files?(): InputFile[]
  /** JSON Lines whose first line looks like a page of answers: the path of the reviews in it ("reviews"), for a hint. */
  readonly pages?: string | undefined
}

/** The header row of a CSV or of a workbook's sheet. */
export interface Header {
  /** Its names (blank ones `column_N`, repeats `name_2`). */
  columns: string[]
  /** The names it gives more than once (as written, each once). */
  repeated: string[]
  /** A CSV's delimiter (none for a sheet). */
  delimiter?: string
  /** The line (CSV) or row (sheet) it was read from, when `titleLines` above it were taken for a title and skipped. */
  headerLine?: number
  titleLines?: number
}

/** What the summary says of how a source was read, once read: a CSV's delimiter and columns, a JSON object's array, why it ended early. */
export function inputFacts(source: Source): Pick<InputFile, 'delimiter' | 'columns' | 'repeatedColumns' | 'headerLine' | 'titleLines' | 'arrayPath' | 'incomplete'> {
  const facts: Pick<InputFile, 'delimiter' | 'columns' | 'repeatedColumns' | 'headerLine' | 'titleLines' | 'arrayPath' | 'incomplete'> = {}
  const header = source.header()
  if (header !== null) {
    if (header.delimiter !== undefined) facts.delimiter = header.delimiter
    facts.columns = header.columns
    if (header.repeated.length > 0) facts.repeatedColumns = header.repeated
    if (header.titleLines !== undefined && header.titleLines > 0 && header.headerLine !== undefined) {
      facts.headerLine = header.headerLine
      facts.titleLines = header.titleLines
    }
  }
  const arrayPath = source.arrayPath()
  if (arrayPath !== null) facts.arrayPath = arrayPath
  const incomplete = source.incomplete()
  if (incomplete !== null) facts.incomplete = incomplete
  return facts
}

/** The progress of a file whose bytes are not the bytes the readers see: compressed, or UTF-16 decoded to UTF-8. */
export interface CompressedFile {
  /** The file's size. */
  readonly totalBytes: number
  /** Its bytes read so far (they run ahead of the rows handed out by a read's worth). */
  bytesRead(): number
  /** True when the file is not compressed but UTF-16, its bytes decoded as they are read. */
  readonly encoded?: true
}

function fileError(path: string, error: unknown): RecensioError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : error instanceof Error
            ? error.message
            : String(error)
  return new RecensioError('invalid_file', `cannot read ${path}: ${why}`)
}

/** How to read a byte source. */
export interface ByteSourceOptions {
  /** Forced format; else from `name`'s extension, then from the content. */
  format?: InputFormat | undefined
  /** A file name, for the extension and messages. */
  name?: string | undefined
  /** A compressed file's own name (`name` is without its `.gz`), for messages. */
  compressedName?: string | undefined
  totalBytes?: number | undefined
  chunkSize: number
  /** Rows per window (`window` option), where chunks also end. */
  window?: number | undefined
  /** Quiet time that closes a window early (`windowIdleMs` option). */
  windowIdleMs?: number | undefined
  maxRowBytes: number
  /** The bytes' encoding; anything but UTF-8 is decoded into UTF-8 as it streams. */
  encoding?: InputEncoding | undefined
  /** Why the bytes ended early, once they have ended (a cut-off compressed file); null when they did not. */
  incomplete?: () => string | null
  /** Of `incomplete`, only why bytes after a compressed file's data were ignored (what a workbook in it says: see `Inflated.trailing`). */
  trailing?: () => string | null
  /** For a compressed file: its size and progress. */
  compressed?: CompressedFile | undefined
  /** Whether the bytes come from a file (plain or compressed), which is read on to SNIFF_BYTES before the format is decided. */
  readAhead?: boolean | undefined
  /** In a JSON object: the keys down to the array of reviews (the `arrayPath` option); null or absent for its first array of objects. */
  arrayPath?: readonly string[] | null | undefined
  /** The key the `map` option gives the text, for telling a JSON Lines row from an object that holds an array of reviews. */
  textKey?: string | undefined
}

/**
 * Open a file for reading and decide its format, so a missing, unreadable or
 * binary file fails before any work starts.
 */
export async function openFileSource(path: string, options: ByteSourceOptions): Promise<Source> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw fileError(path, error)
  }
  let size: number | undefined
  let fifo = false
  try {
    const stat = await handle.stat()
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' })
    size = stat.isFile() ? stat.size : undefined
    fifo = stat.isFIFO()
  } catch (error) {
    await handle.close()
    throw fileError(path, error)
  }
  const name = options.name ?? path
  // An Excel workbook (a ZIP archive) is read by range, not as a stream of text.
  if (size !== undefined && size >= 4 && options.format === undefined && (await startsAsZip(handle))) {
    try {
      return await workbookSource(path, handle, size, name, options)
    } catch (error) {
      throw error instanceof RecensioError ? namedError(error, name) : fileError(path, error)
    }
  }
  let stream: Readable
  let streamOptions: ByteSourceOptions
  if (fifo) {
    // A named pipe is read as stdin is, through a non-blocking handle: a
    // file read waiting on a quiet writer cannot be called off, and would
    // hold the process after Ctrl-C until the writer sends more.
    // node:net is loaded only here: importing recensio loads no network module.
    const { Socket } = await import('node:net')
    try {
      stream = new Socket({ fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false })
    } catch (error) {
      await handle.close()
      throw fileError(path, error)
    }
    // The pipe has a reader all along: the first handle closes once the second is open.
    await handle.close()
    streamOptions = { ...options, name }
  } else {
    let bytes: Awaited<ReturnType<typeof fileBytes>>
    try {
      bytes = await fileBytes(handle, name, size !== undefined, READ_BYTES)
    } catch (error) {
      throw fileError(path, error)
    }
    const { gzipped, incomplete, trailing, compressedBytes } = bytes
    stream = bytes.stream
    // A compressed file's inflated size is not known ahead: its progress is through the compressed bytes.
    const compressed = gzipped && size !== undefined ? { totalBytes: size, bytesRead: compressedBytes } : undefined
    // A file is read to its end and never goes quiet (a slow disk is not a quiet stream): windows close on their row count.
    streamOptions = { ...options, name: gzipped ? withoutGz(name) : name, compressedName: gzipped ? name : undefined, totalBytes: gzipped ? undefined : size, incomplete, trailing, compressed, windowIdleMs: undefined, readAhead: true }
  }
  try {
    return await openStreamSource(stream, streamOptions)
  } catch (error) {
    stream.destroy()
    // A workbook's copy that could not be written is no fault of the file: a TempFileError says so, by its name.
    throw error instanceof RecensioError ? namedError(error, name) : error instanceof TempFileError ? error : fileError(path, error)
  }
}

/** Whether a file starts as a ZIP archive, as an .xlsx workbook does. */
async function startsAsZip(handle: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(4)
  const { bytesRead } = await handle.read(head, 0, 4, 0)
  return isZip(head.subarray(0, bytesRead))
}

/**
 * A workbook on a pipe (`curl … | recensio analyze -`, `analyze - < book.xlsx`):
 * a ZIP archive is read from its end, by range, so the bytes are copied to a
 * temporary file and the workbook read from there. The file's name is removed
 * once the workbook is open (it reads on through its open files), or else when
 * the process exits (stopped while copying, or where an open file's name
 * cannot be removed).
 */
async function pipedWorkbook(first: Buffer, rest: AsyncIterator<Buffer | string>, source: Readable, options: ByteSourceOptions): Promise<Source> {
  const name = options.compressedName ?? options.name ?? 'stdin'
  let dir: string
  try {
    dir = await mkdtemp(join(tmpdir(), 'recensio-'))
  } catch (error) {
    throw copyError(error, name)
  }
  const path = join(dir, 'stdin.xlsx')
  // A run stopped while the copy is made (Ctrl-C) removes it as it exits.
  const atExit = () => rmSync(dir, { recursive: true, force: true })
  process.once('exit', atExit)
  try {
    try {
      await pipeline(replayed(first, rest, source), createWriteStream(path))
    } catch (error) {
      // Bytes that fail as they come (gzip that does not inflate) are refused as such, not as a copy that could not be written.
      throw error instanceof RecensioError ? error : copyError(error, name)
    }
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw copyError(error, name)
    })
    // Errors on opening are named by the caller, as the input's; those found as it is read, by its name here.
    return await workbookSource(path, handle, undefined, name, options)
  } finally {
    // Where an open file's name cannot be removed (Windows), it is removed at exit.
    const removed = await rm(dir, { recursive: true, force: true }).then(
      () => true,
      () => false,
    )
    if (removed) process.removeListener('exit', atExit)
  }
}

/**
 * The copy of a workbook on a pipe could not be made: one line that names the
 * input and says where and why; a failure of the run (a full disk), as a
 * batch's own temporary file's is, not of the input.
 */
function copyError(error: unknown, name: string): TempFileError {
  const why = (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error))
  return new TempFileError(`${name}: cannot copy the workbook to a temporary file in ${tmpdir()} (${why}) to read it: set TMPDIR to a folder with room, or give the workbook's path`, error)
}

/** Read JSON Lines or CSV from a byte stream (stdin, a socket, a decompressor). */
export async function openStreamSource(input: Readable, options: ByteSourceOptions): Promise<Source> {
  const encoding = options.encoding
  let raw = input
  if (encoding !== undefined && !isUtf8(encoding)) {
    // Gzip is told from the bytes as they come, before they are decoded.
    const pieces = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>
    const next = await pieces.next()
    if (next.done === true) raw = Readable.from([])
    else {
      const piece = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
      if (isGzip(piece)) return inflatedSource(piece, pieces, input, options)
      // A workbook holds no text in the encoding to decode: it is read as it is from a file.
      if (options.format === undefined && isZip(piece)) return pipedWorkbook(piece, pieces, input, options)
      // UTF-16 or UTF-32 says more than the option (their NUL bytes are no one's Windows text): such a file is read as it is whatever the others are.
      const wide = wideText(piece.subarray(0, SNIFF_BYTES))
      if (wide !== null) return wideSource(piece, pieces, input, wide, options)
      raw = replayed(piece, pieces, input)
    }
  }
  // A file decoded from another encoding grows by its accents: its progress counts the file's own bytes.
  let fileBytes = 0
  const decodedFile = options.totalBytes !== undefined && options.compressed === undefined && encoding !== undefined && !isUtf8(encoding)
  const stream = asUtf8(raw, encoding, decodedFile ? (bytes) => (fileBytes += bytes) : undefined)
  if (decodedFile) options = { ...options, compressed: { totalBytes: options.totalBytes!, bytesRead: () => fileBytes, encoded: true } }
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>
  const head: Buffer[] = []
  let headBytes = 0
  let done = false
  // Enough to decide: the first line, or SNIFF_BYTES, or the end. A pipe that
  // sends one line and waits is not kept waiting for more (nor is Ctrl-C); a
  // file is read on (it never waits), so a small one is known to be whole.
  let lineSeen = false
  let gzipped = false
  while (headBytes < SNIFF_BYTES && (!lineSeen || options.readAhead === true)) {
    const next = await iterator.next()
    if (next.done === true) {
      done = true
      break
    }
    const piece = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
    head.push(piece)
    headBytes += piece.length
    // NUL bytes are UTF-16 or UTF-32 (or binary data): told by a byte order mark, else by a few more bytes than a short first line has.
    lineSeen = linesBegun(head, 1) === 1 && (headBytes >= WIDE_MIN_BYTES || !head.some((p) => p.includes(0)) || (headBytes >= 4 && wideMark(Buffer.concat(head, 4)) !== null))
    // JSON Lines asked for, and a first line that is an array: one whole array is read as a file of it is, so its end (or a next row) is waited for.
    if (lineSeen && options.format === 'jsonl' && opensArray(Buffer.concat(head, Math.min(headBytes, 256))) && linesBegun(head, 2) < 2) lineSeen = false
    // A first line that is an API's answer (`curl … | recensio analyze -`) is a page when it is all there is: its end (or a next row) is waited for.
    if (lineSeen && options.readAhead !== true && options.format === undefined && options.arrayPath == null && linesBegun(head, 2) < 2 && firstLineIsPage(Buffer.concat(head), options.textKey)) lineSeen = false
    // Compressed bytes hold no lines to wait for: a slow pipe of gzip is inflated at once.
    gzipped = stream === raw && headBytes >= 2 && isGzip(Buffer.concat(head, 2))
    if (gzipped) break
  }
  let first = Buffer.concat(head)
  if (gzipped) return inflatedSource(first, iterator, raw, options)
  if (stream === raw && options.format === undefined && isZip(first)) return pipedWorkbook(first, iterator, raw, options)
  // UTF-16 (Google Play Console's exports, Excel's "Unicode text") or UTF-32, told from the bytes before any other decoding.
  const wide = stream === raw ? wideText(first.subarray(0, SNIFF_BYTES)) : null
  if (wide !== null) return wideSource(first, iterator, raw, wide, options)
  // Lines that end in a carriage return alone (classic Mac OS exports): read as if each were "\n".
  const complete = done && first.length <= SNIFF_BYTES
  const crLines = crOnly(first.subarray(0, SNIFF_BYTES), complete)
  if (crLines) first = crToLf(first)
  const hint = options.format ?? (options.name === undefined ? undefined : formatFromName(options.name))
  const { format, arrayPath, pages } = sniffInput(first.subarray(0, SNIFF_BYTES), hint, complete, { path: options.arrayPath, textKey: options.textKey })
  const source = new ByteSource(stream, iterator, first, done, format, { ...options, arrayPath })
  source.crLines = crLines
  if (pages) source.pages = pathText(pages)
  source.invalidUtf8 = hasInvalidUtf8(first.subarray(0, SNIFF_BYTES), complete)
  return source
}

/**
 * UTF-16 or UTF-32 input: the bytes read so far, then the rest of `source`,
 * decoded to UTF-8 and read as a source of their own. Its progress counts
 * the file's own bytes, as a compressed file's counts the compressed ones
 * (the decoded size is not known ahead: about a half or a quarter).
 */
function wideSource(first: Buffer, rest: AsyncIterator<Buffer | string>, source: Readable, wide: WideText, options: ByteSourceOptions): Promise<Source> {
  const decoded = wideToUtf8(replayed(first, rest, source), wide)
  const total = options.compressed?.totalBytes ?? options.totalBytes
  const progress = options.compressed ?? (total === undefined ? undefined : { totalBytes: total, bytesRead: decoded.bytesIn, encoded: true as const })
  return openStreamSource(decoded.stream, { ...options, encoding: undefined, totalBytes: undefined, compressed: progress })
}

/** Gzip on a pipe (stdin): the bytes read so far, then the rest of `source`, inflated and read as a source of their own. */
function inflatedSource(first: Buffer, rest: AsyncIterator<Buffer | string>, source: Readable, options: ByteSourceOptions): Promise<Source> {
  const inflated = gunzip(replayed(first, rest, source), options.name ?? 'stdin')
  // The size of a file on stdin is its compressed size, not the size of what it inflates to.
  return openStreamSource(inflated.stream, { ...options, name: options.name && withoutGz(options.name), compressedName: options.compressedName ?? options.name, incomplete: inflated.incomplete, trailing: inflated.trailing, totalBytes: undefined })
}

/**
 * A stream of `first`, then what `rest` still has. Destroying it destroys
 * `source` (the stream `rest` reads) at once: a read may be waiting on a pipe
 * that sends nothing more, and must not hold stdin open (after Ctrl-C, or
 * when the input is refused).
 */
function replayed(first: Buffer, rest: AsyncIterator<Buffer | string>, source: Readable): Readable {
  let sent = false
  return new Readable({
    read() {
      if (!sent) {
        sent = true
        this.push(first)
        return
      }
      rest.next().then(
        (next) => {
          if (!this.destroyed) this.push(next.done === true ? null : next.value)
        },
        (error: Error) => this.destroy(error),
      )
    },
    destroy(error, callback) {
      source.destroy()
      callback(error)
    },
  })
}

/**
 * Whether the first bytes end their lines with a carriage return alone: a
 * CR (two, when more bytes follow: a long first line may hold a stray one),
 * not counting a CR at the very end of a head that more bytes follow (it may
 * be the first half of a "\r\n"), and no "\n" — or, as Excel for Mac writes
 * a CSV with line breaks in its cells, the first line ends in a CR alone and
 * outside double quotes more lines end in a CR alone than in a "\n" (the
 * "\n" are then inside quoted fields).
 */
function crOnly(head: Uint8Array, complete: boolean): boolean {
  const end = complete ? head.length : head.length - 1
  const firstLf = head.indexOf(0x0a)
  if (firstLf < 0) {
    let crs = 0
    for (let i = head.indexOf(0x0d); i >= 0 && i < end; i = head.indexOf(0x0d, i + 1)) crs++
    return crs >= (complete ? 1 : 2)
  }
  const firstCr = head.indexOf(0x0d)
  if (firstCr < 0 || firstCr > firstLf || head[firstCr + 1] === 0x0a) return false
  let quoted = false
  let crs = 0
  let lfs = 0
  for (let i = 0; i < end; i++) {
    const b = head[i]
    if (b === 0x22) quoted = !quoted
    else if (quoted) continue
    else if (b === 0x0a) lfs++
    else if (b === 0x0d && head[i + 1] !== 0x0a) crs++
  }
  return crs >= (complete ? 1 : 2) && crs > lfs
}

/** A copy of `piece` with each carriage return a "\n" (same length, so byte offsets and progress hold). */
function crToLf(piece: Uint8Array): Buffer<ArrayBuffer> {
  const out = Buffer.from(piece)
  for (let i = out.indexOf(0x0d); i >= 0; i = out.indexOf(0x0d, i + 1)) out[i] = 0x0a
  return out
}

/** Whether the bytes start with "[" (after a byte order mark and white space). */
function opensArray(bytes: Buffer): boolean {
  let i = bomLength(bytes)
  while (i < bytes.length && isSpace(bytes[i]!)) i++
  return bytes[i] === 0x5b
}

/**
 * How far the bytes so far go, up to `most`: 1 once a newline follows some
 * non-blank content (a first line), 2 once non-blank content follows that
 * (a next row has begun); 0 before.
 */
function linesBegun(pieces: Buffer[], most: 1 | 2): 0 | 1 | 2 {
  let content = false
  let ended = false
  for (const p of pieces) {
    for (let i = 0; i < p.length; i++) {
      const b = p[i]
      if (b === 0x0a) {
        if (content) {
          if (most === 1) return 1
          ended = true
        }
      } else if (b !== 0x20 && b !== 0x09 && b !== 0x0d) {
        if (ended) return 2
        content = true
      }
    }
  }
  return ended ? 1 : 0
}

class ByteSource implements Source {
  readonly totalBytes: number | undefined
  readonly compressed: CompressedFile | undefined
  invalidUtf8 = false
  pages: string | undefined
  /** The input ends its lines with a carriage return alone: every CR is read as a "\n". */
  crLines = false
  exhausted = false
  private closed = false
  private readonly chunker: CsvChunker | JsonRowChunker
  /** Chunks of the first bytes, made when the source opened. */
  private readonly pending: BytesChunk[] = []
  private readonly whyIncomplete: (() => string | null) | undefined

  constructor(
    private readonly stream: Readable,
    private readonly iterator: AsyncIterator<Buffer | string>,
    head: Buffer,
    private readonly done: boolean,
    readonly format: InputFormat,
    options: ByteSourceOptions,
  ) {
    this.totalBytes = options.totalBytes
    this.compressed = options.compressed
    this.whyIncomplete = options.incomplete
    this.chunker =
      format === 'csv'
        ? new CsvChunker(options.chunkSize, options.maxRowBytes, options.window, options.textKey)
        : format === 'json'
          ? new JsonArrayChunker(options.chunkSize, options.maxRowBytes, options.window, options.arrayPath ?? null)
          : new JsonlChunker(options.chunkSize, options.maxRowBytes, options.window)
    this.chunker.feed(head.subarray(bomLength(head)), this.pending)
    // The whole input is in: a CSV of title-like lines alone has its header now, for the check of its columns.
    if (done && this.chunker instanceof CsvChunker) this.chunker.settleHeader()
    this.quiet = new QuietWindows(options.window, options.windowIdleMs)
  }

  private readonly quiet: QuietWindows

  get live(): boolean {
    return this.quiet.live
  }

  incomplete(): string | null {
    return this.whyIncomplete?.() ?? null
  }

  header(): Header | null {
    const c = this.chunker
    return c instanceof CsvChunker && c.columns ? { columns: c.columns, delimiter: c.separator, repeated: c.repeated, headerLine: c.headerLine, titleLines: c.titleLines } : null
  }

  arrayPath(): string | null {
    const c = this.chunker
    return c instanceof JsonArrayChunker ? c.path : null
  }

  async *chunks(): AsyncGenerator<Chunk> {
    const out: BytesChunk[] = []
    const { chunker, quiet } = this
    for (const chunk of this.pending.splice(0)) {
      quiet.saw(chunk)
      yield chunk
    }
    let piece: Uint8Array
    let read: Promise<IteratorResult<Buffer | string>> | null = null
    try {
      while (!this.done && !this.closed) {
        // A read waiting on a pipe that sends nothing (a FIFO, a quiet stream) ends when the source is closed.
        read ??= this.reads.next(this.iterator)
        const next = await quiet.wait(read, chunker.heldRows)
        if (next === QUIET) {
          // The read goes on: the window's rows go out now.
          chunker.flush(out)
          yield* quiet.close(out.splice(0), () => this.emptyChunk())
          continue
        }
        read = null
        if (next.done === true || this.closed) break
        piece = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
        if (this.crLines) piece = crToLf(piece)
        chunker.feed(piece, out)
        for (const chunk of out.splice(0)) {
          quiet.saw(chunk)
          yield chunk
        }
      }
    } catch (error) {
      // Closing the stream to stop early may fail the pending read.
      if (!this.closed) throw error
    }
    // Stopped early: the rows read so far still count; the line being read does not.
    const whole = !this.closed
    if (whole) chunker.end(out)
    else chunker.flush(out, true)
    yield* out.splice(0)
    this.exhausted = whole
  }

  async close(): Promise<void> {
    this.closed = true
    this.reads.stop()
    this.stream.destroy()
  }

  /** A chunk of no rows (one that only closes a window). */
  private emptyChunk(): BytesChunk {
    const none = new Uint32Array(0)
    return {
      kind: this.format === 'csv' ? 'csv' : 'jsonl',
      seq: -1,
      start: 0,
      rows: 0,
      endOffset: 0,
      bytes: new Uint8Array(0),
      starts: none,
      ends: none,
      lines: none,
      problems: [],
      unterminated: false,
      header: null,
      delimiter: '',
    }
  }

  private readonly reads = new StoppableReads()
}

/**
 * Reads from an iterator in a way `stop` can cut short: a read waiting on a
 * FIFO, a quiet pipe or an iterable that sends nothing more then ends at once
 * as if the input had ended. (A promise raced against one shared "stopped"
 * promise would pile up a reaction per read on a stream that never ends.)
 */
class StoppableReads {
  private wake: ((result: IteratorResult<never, undefined>) => void) | null = null
  private stopped = false
  /** Whether the iterator's own `next()` has not settled yet (also once stopped). */
  pending = false

  next<T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> {
    if (this.stopped) return Promise.resolve({ done: true, value: undefined })
    this.pending = true
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.wake = resolve
      Promise.resolve(iterator.next()).then(
        (result) => {
          this.wake = null
          this.pending = false
          resolve(result)
        },
        (error: unknown) => {
          this.wake = null
          this.pending = false
          reject(error)
        },
      )
    })
  }

  stop(): void {
    this.stopped = true
    this.wake?.({ done: true, value: undefined })
    this.wake = null
  }
}

/**
 * A sync iterator as an async one whose results are awaited, as `for await`
 * reads a sync iterable: a promised row is waited for as a read is (and can
 * be stopped, or found quiet, in the same way).
 */
function awaitingValues(iterator: Iterator<unknown>): AsyncIterator<unknown> {
  return {
    next: async () => {
      const result = iterator.next()
      if (result.done === true) return result
      // `await` reads a row's `then`: a row that throws there (a Proxy) is read as it is, and becomes an error row.
      return { done: false, value: isThenable(result.value) ? await result.value : result.value }
    },
    return: async (value?: unknown) => (iterator.return === undefined ? { done: true, value } : iterator.return(value)),
  }
}

/** Whether `value` is a promise or another thenable; false when its `then` cannot be read. */
function isThenable(value: unknown): boolean {
  if ((typeof value !== 'object' || value === null) && typeof value !== 'function') return false
  try {
    return typeof (value as { then?: unknown }).then === 'function'
  } catch {
    return false
  }
}

/** Rows from an Iterable or AsyncIterable of objects, in chunks. */
export class ObjectSource implements Source {
  readonly format: Source['format'] = 'objects'
  readonly invalidUtf8 = false
  readonly totalBytes = undefined
  readonly compressed: CompressedFile | undefined = undefined

  /**
   * @param rows The rows.
   * @param chunkSize Rows per chunk, at most.
   * @param window Rows per window (`window` option), where chunks also end.
   * @param windowIdleMs Quiet time that closes a window early (`windowIdleMs` option).
   */
  constructor(
    private readonly rows: Iterable<unknown> | AsyncIterable<unknown>,
    private readonly chunkSize: number,
    private readonly window?: number,
    windowIdleMs?: number,
  ) {
    this.quiet = new QuietWindows(window, windowIdleMs)
  }

  private readonly quiet: QuietWindows

  get live(): boolean {
    return this.quiet.live
  }

  header(): Header | null {
    return null
  }

  arrayPath(): null {
    return null
  }

  incomplete(): string | null {
    return null
  }

  async *chunks(): AsyncGenerator<Chunk> {
    let items: unknown[] = []
    let seq = 0
    let start = 0
    const rows = this.rows
    const iterator: AsyncIterator<unknown> =
      Symbol.asyncIterator in rows ? (rows as AsyncIterable<unknown>)[Symbol.asyncIterator]() : awaitingValues((rows as Iterable<unknown>)[Symbol.iterator]())
    this.iterator = iterator
    const quiet = this.quiet
    const take = (): ObjectsChunk => {
      const chunk: ObjectsChunk = { kind: 'objects', seq: seq++, start, rows: items.length, endOffset: 0, items }
      start += items.length
      items = []
      return chunk
    }
    let read: Promise<IteratorResult<unknown>> | null = null
    try {
      for (;;) {
        // An iterable waiting for its next row (a quiet stream) ends when the source is closed.
        read ??= this.reads.next(iterator)
        const next = await quiet.wait(read, items.length)
        if (next === QUIET) {
          // The read goes on: the window's rows go out now.
          yield* quiet.close(items.length > 0 ? [take()] : [], () => ({ kind: 'objects', seq: -1, start, rows: 0, endOffset: 0, items: [] }))
          continue
        }
        read = null
        if (next.done === true || this.closed) {
          this.exhausted = next.done === true && !this.closed
          break
        }
        items.push(next.value)
        if (items.length >= this.chunkSize || windowEndsAfter(start + items.length, this.window)) {
          const chunk = take()
          quiet.saw(chunk)
          yield chunk
        }
      }
    } finally {
      // Stopped before the rows ran out: let the iterable clean up, as `for await` would.
      if (!this.exhausted) this.release()
    }
    if (items.length > 0) yield { kind: 'objects', seq, start, rows: items.length, endOffset: 0, items }
  }

  private closed = false
  private readonly reads = new StoppableReads()
  private iterator: AsyncIterator<unknown> | null = null
  /** The iterable ran out (not stopped by `close`): its last rows go out in the chunk that follows. */
  exhausted = false
  private released = false

  /** Stop taking rows; the rows taken so far are still handed out. */
  async close(): Promise<void> {
    this.closed = true
    // The generator may never run again (a loop left early, a run stopped between
    // windows), and so never reach its own clean-up.
    if (!this.exhausted) this.release()
    this.reads.stop()
  }

  /**
   * Let the iterable clean up once, as `for await` does when a loop ends
   * early. A Node stream's iterator returns only once its pending read has
   * settled, so a quiet stream (a socket, a tailing cursor) would stay open
   * until its next row: it is destroyed instead, as `return()` would.
   */
  private release(): void {
    const iterator = this.iterator
    if (iterator === null || this.released) return
    this.released = true
    const stream = this.rows as { destroy?: unknown; readable?: unknown }
    if (this.reads.pending && typeof stream.destroy === 'function' && typeof stream.readable === 'boolean') {
      ;(stream.destroy as () => void).call(stream)
      return
    }
    void Promise.resolve(iterator.return?.()).catch(() => {})
  }
}

/** The workbook open in `handle` (of `size` bytes, else as its stat says) as a source; the file is closed if it cannot be opened as one. */
async function workbookSource(path: string, handle: FileHandle, size: number | undefined, name: string, options: ByteSourceOptions): Promise<Source> {
  try {
    return new WorkbookSource(await openWorkbook(path, handle, size ?? (await handle.stat()).size, options.textKey), handle, name, options)
  } catch (error) {
    await handle.close()
    throw error
  }
}

/** The rows of a workbook's first sheet (`openWorkbook`), in chunks, as an iterable's are; its progress is the sheet's compressed bytes read. */
class WorkbookSource extends ObjectSource {
  override readonly format = 'xlsx' as const
  override readonly compressed: CompressedFile
  /**
   * Why a gzipped workbook's input was not read whole (bytes after its gzip
   * data), asked once the copy is made. A cut is not said: a workbook that
   * opened has its ZIP directory, at its end, so only the gzip trailer was
   * missing and no row is.
   */
  private readonly whyIncomplete: (() => string | null) | undefined

  constructor(
    private readonly book: Workbook,
    private readonly handle: FileHandle,
    private readonly name: string,
    options: ByteSourceOptions,
  ) {
    super(book.rows, options.chunkSize, options.window)
    this.compressed = { totalBytes: book.totalBytes, bytesRead: book.bytesRead }
    this.whyIncomplete = options.trailing
  }

  override incomplete(): string | null {
    return this.whyIncomplete?.() ?? null
  }

  override header(): Header | null {
    const { columns, repeated, headerRow, titleRows } = this.book
    // A sheet with no row holding a value has no header: it holds no rows, as an empty CSV.
    if (columns.length === 0) return null
    return { columns, repeated, headerLine: headerRow, titleLines: titleRows }
  }

  override async *chunks(): AsyncGenerator<Chunk> {
    try {
      yield* super.chunks()
    } catch (error) {
      // A sheet found damaged as it is read is refused by the file's name, as one found so on opening is.
      throw error instanceof RecensioError ? namedError(error, this.name) : error
    } finally {
      await this.closeBook()
    }
  }

  override async close(): Promise<void> {
    await super.close()
    await this.closeBook()
  }

  /** Stop reading the sheet and close the file. */
  private async closeBook(): Promise<void> {
    this.book.close()
    await this.handle.close().catch(() => {})
  }
}

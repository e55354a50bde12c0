/** `analyzeFile` and the input opener the CLI shares: a JSON Lines, JSON, CSV or .xlsx file, or stdin. */
import { fstatSync, readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { type FieldMap, type Options, RecensioError, type ResolvedOptions, describePaths, describeValue, resolveOptions } from '../review/index.js'
import type { InputFormat } from './detect.js'
import { ChainSource, type ChainPart, checkedOnly } from './chain.js'
import { checkTextColumn } from './engine.js'
import { runOf } from './run.js'
import { checkSeveralInputs } from './several.js'
import { namedError } from './gzip.js'
import { type Source, maxRowBytes, openFileSource, openStreamSource } from './source.js'
import type { BatchRun } from './types.js'

/**
 * Open an input for a batch: a file path, or `-` for stdin. The format comes
 * from `format`, else the extension, else the first bytes.
 *
 * @param path A file path, or `-` for standard input.
 * @param resolved Resolved options (`format`, `chunkSize`, `maxTextLength`).
 * @param format Overrides `resolved.raw.format`.
 * @returns The source; throws a `RecensioError` (`invalid_file`) for a missing or unreadable input, or one that is no JSON Lines, JSON, CSV or .xlsx.
 */
export async function openInput(path: string, resolved: ResolvedOptions, format?: InputFormat): Promise<Source> {
  const options = streamOptions(resolved, format)
  if (path === '-') {
    // Stdin redirected from a file is read as the file would be: to its end (it never goes quiet), on before
    // deciding its format, and by its size (in-process under 16 MB, workers by size, progress with an ETA).
    const size = stdinFileSize()
    try {
      return await openStreamSource(process.stdin, size !== undefined ? { ...options, windowIdleMs: undefined, readAhead: true, totalBytes: size } : options)
    } catch (error) {
      if (error instanceof RecensioError) throw namedError(error, 'stdin')
      throw error
    }
  }
  return openFileSource(path, options)
}

/** The options a file's or a stream's source is opened with. */
function streamOptions(resolved: ResolvedOptions, format?: InputFormat) {
  return {
    format: format ?? resolved.raw.format,
    chunkSize: resolved.chunkSize,
    window: resolved.window,
    windowIdleMs: resolved.windowIdleMs,
    maxRowBytes: maxRowBytes(resolved.schema.maxTextLength),
    encoding: resolved.raw.encoding,
    arrayPath: resolved.arrayPath,
    textKey: resolved.map.text,
  }
}

/** A stream of a file's bytes, opened as stdin is (told from its first bytes; read on as they come). */
async function openByteStream(stream: AsyncIterable<unknown>, resolved: ResolvedOptions): Promise<Source> {
  try {
    return await openStreamSource(byteReadable(stream), streamOptions(resolved))
  } catch (error) {
    if (error instanceof RecensioError) throw namedError(error, 'the stream')
    throw error
  }
}

/**
 * Open several inputs as one batch, in order: every file is opened (and its
 * format told) before any work starts, so a missing or unreadable one fails
 * at once, and so does a CSV without a review text column.
 *
 * @param paths File paths (stdin is not one of several).
 * @param resolved Resolved options.
 * @param format Overrides `resolved.raw.format` for every file.
 * @returns One source of all their rows; a single path gives its own source.
 */
export async function openInputs(paths: readonly string[], resolved: ResolvedOptions, format?: InputFormat): Promise<Source> {
  if (paths.length === 1) return openInput(paths[0]!, resolved, format)
  checkSeveralInputs(paths)
  const parts: ChainPart[] = []
  try {
    for (const path of paths) {
      const open = () => openInput(path, resolved, format)
      const source = await open()
      // The first file is read as it was opened; the others are opened again in their turn.
      parts.push({ name: path, checked: parts.length === 0 ? source : checkedOnly(source), open })
      if (parts.length > 1) await source.close()
      const header = source.header()
      if (header !== null) {
        try {
          checkTextColumn(header.columns, resolved.map, source.format === 'xlsx')
        } catch (error) {
          throw error instanceof RecensioError ? namedError(error, path) : error
        }
      }
    }
  } catch (error) {
    await parts[0]?.checked.close()
    throw error
  }
  return new ChainSource(parts)
}

/** Stdin's size when it is a regular file (`recensio analyze - < dump.jsonl`), else undefined (a pipe, a terminal, a socket). */
function stdinFileSize(): number | undefined {
  try {
    const stat = fstatSync(0)
    return stat.isFile() ? stat.size - stdinOffset() : undefined
  } catch {
    return undefined
  }
}

/**
 * Where stdin's descriptor stands in its file: past what the shell read
 * before (`(head -1; recensio analyze -) < dump.jsonl`). Node cannot ask;
 * Linux says it in /proc. 0 where it does not.
 */
function stdinOffset(): number {
  try {
    const pos = /^pos:\s*(\d+)/m.exec(readFileSync('/proc/self/fdinfo/0', 'utf8'))
    return pos === null ? 0 : Number(pos[1])
  } catch {
    return 0
  }
}

/**
 * Analyze a JSON Lines, JSON, CSV or Excel (.xlsx) file of reviews,
 * streaming: the file is never held whole, and memory holds compact
 * per-review records, not the texts.
 * Several files are one batch, read in order (rows numbered on from file to
 * file; `summary().input.files` lists them). A file's bytes may also come as
 * a stream (an upload's request body, a Node `Readable`, a web
 * `ReadableStream`): read as stdin is, its format told from its first bytes
 * unless `format` names it.
 *
 * @param input The file's path (`-` reads stdin), several files' paths, or a stream of a file's bytes.
 * @param options See `Options`; `format` forces JSONL, JSON or CSV.
 * @returns An async iterable of one `ResultRow` per input row, in input order, with `summary()` once read.
 */
export function analyzeFile(input: string | readonly string[] | AsyncIterable<Uint8Array | string>, options?: Options): BatchRun {
  const resolved = resolveOptions(options)
  if (typeof input !== 'string' && !Array.isArray(input) && isAsyncIterable(input)) {
    return runOf(() => openChecked(openByteStream(input, resolved), resolved), resolved, 'analyzeFile')
  }
  const paths = typeof input === 'string' ? [input] : input
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string' || p === '')) {
    throw new RecensioError('invalid_file', `analyzeFile: expected a file path, an array of them, or a stream of a file's bytes, got ${describePaths(input)}`)
  }
  return runOf(() => openChecked(openInputs(paths, resolved), resolved), resolved, 'analyzeFile')
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
}

/**
 * The bytes of a stream as a `Readable` the sources read: each piece must be
 * bytes or text, as a file's are; rows as objects belong to `analyzeBatch`.
 */
function byteReadable(stream: AsyncIterable<unknown>): Readable {
  async function* checked(): AsyncGenerator<Uint8Array | string> {
    for await (const piece of stream) {
      if (typeof piece === 'string' || piece instanceof Uint8Array) yield piece
      else throw new RecensioError('invalid_file', `expected bytes or text, got ${describeValue(piece)}: pass rows as objects to analyzeBatch`)
    }
  }
  return Readable.from(checked(), { objectMode: false })
}

/**
 * An input being opened (files, or a stream), and a lone CSV or sheet without
 * a review text column refused as the CLI refuses it, even one with a header
 * and no rows (where the engine, which checks the first chunk's header, sees
 * no chunk).
 */
async function openChecked(opening: Promise<Source>, resolved: ResolvedOptions): Promise<Source> {
  const source = await opening
  await refuseWithoutText(source, resolved.map)
  return source
}

/**
 * Refuse an opened CSV or sheet whose header has no review text column (see
 * `checkTextColumn`), closing it first; other sources pass.
 */
export async function refuseWithoutText(source: Source, map: FieldMap): Promise<void> {
  const header = source.header()
  if (header === null) return
  try {
    checkTextColumn(header.columns, map, source.format === 'xlsx')
  } catch (error) {
    await source.close()
    throw error
  }
}

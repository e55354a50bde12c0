/** Line readers for `runReport`: results files, and telling them from input dumps. */
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { utf16Order } from '../batch/detect.js'
import { type InputEncoding, asUtf8, utf16ToUtf8 } from '../batch/encoding.js'
import { fileBytes } from '../batch/gzip.js'
import { RecensioError } from '../review/index.js'

/**
 * Non-blank lines of a text file (inflated when it is gzip-compressed), with
 * their 1-based line numbers. `onIncomplete` hears why a compressed file
 * ended early (it is cut off, or has trailing data that was ignored), after its last line.
 */
export async function* lines(path: string, encoding?: InputEncoding, onIncomplete?: (why: string) => void): AsyncGenerator<{ line: string; n: number }> {
  const { stream, incomplete } = await decoded(path, encoding)
  stream.setEncoding('utf8')
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
  let n = 0
  try {
    for await (const line of rl) {
      n++
      if (line.trim() !== '') yield { line, n }
    }
    const why = incomplete()
    if (why !== null) onIncomplete?.(why)
  } finally {
    rl.close()
    stream.destroy()
  }
}

/**
 * A file's bytes as UTF-8: inflated when gzip-compressed, decoded from
 * UTF-16 when its first bytes are (a results file saved again by an editor
 * as "Unicode"), else from `encoding` when that is not UTF-8.
 */
async function decoded(path: string, encoding: InputEncoding | undefined): Promise<{ stream: Readable; incomplete: () => string | null }> {
  const order = utf16Order(await rawHead(path, UTF16_SNIFF_BYTES))
  const { stream, incomplete } = await fileBytes(await open(path, 'r'), path, true)
  return { stream: order === null ? asUtf8(stream, encoding) : utf16ToUtf8(stream, order).stream, incomplete }
}

/** Bytes read to tell UTF-16. */
const UTF16_SNIFF_BYTES = 1024

/** Up to `bytes` of a file's start, inflated when gzip-compressed, not decoded. */
async function rawHead(path: string, bytes: number): Promise<Buffer> {
  return streamStart((await fileBytes(await open(path, 'r'), path, true)).stream, bytes)
}

/** Up to `bytes` from the start of a stream, which is then closed. */
async function streamStart(stream: Readable, bytes: number): Promise<Buffer> {
  const pieces: Buffer[] = []
  let size = 0
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      pieces.push(piece)
      size += piece.length
      if (size >= bytes) break
    }
  } finally {
    stream.destroy()
  }
  return Buffer.concat(pieces).subarray(0, bytes)
}

/** Whether a path names a CSV file (by its extension, before any `.gz`). */
export function isCsvPath(path: string): boolean {
  return /\.(csv|tsv)(\.gz)?$/i.test(path)
}

/** Whether a parsed JSON value looks like a recensio output row (result or error row). */
export function isResultRow(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const o = value as Record<string, unknown>
  if (typeof o.ok !== 'boolean' || typeof o.row !== 'number') return false
  if (o.ok === false) return typeof o.error === 'object' && o.error !== null
  return (
    typeof o.language === 'object' &&
    typeof o.sentiment === 'object' &&
    Array.isArray(o.journey) &&
    typeof o.authenticity === 'object' &&
    o.authenticity !== null
  )
}

/** Up to `bytes` of a file's start (inflated when gzip-compressed, decoded from UTF-16), as text. */
async function headOf(path: string, bytes: number): Promise<string> {
  return (await streamStart((await decoded(path, undefined)).stream, bytes)).toString('utf8')
}

/**
 * Tell a results file from an input dump by its first non-blank row: a
 * results file's rows carry `ok` and `row` (DESIGN's output row). CSV and
 * JSON arrays are always inputs, but for the CSV results `recensio analyze
 * --format csv` writes, which are refused. Only the file's start is read
 * (a JSON array may be one line of hundreds of MB).
 *
 * @param path The file's path.
 * @returns `results` or `input`.
 */
export async function detectKind(path: string): Promise<'results' | 'input'> {
  const start = (await headOf(path, 64 * 1024)).replace(/^\uFEFF/, '').trimStart()
  // The flat CSV results leave out the evidence a report shows.
  if (/^id,ok,row,/.test(start)) {
    throw new RecensioError(
      'invalid_file',
      `${path} holds recensio results as CSV, which leave out the evidence a report shows: give the report the JSONL results (recensio analyze … --out results.jsonl) or the input dump`,
    )
  }
  if (start === '' || start.startsWith('[') || isCsvPath(path)) return 'input'
  const nl = start.indexOf('\n')
  let first: string | undefined = nl >= 0 ? start.slice(0, nl) : undefined
  if (first === undefined) {
    // A first line longer than the start read (or the whole file): read it whole.
    for await (const { line } of lines(path)) {
      first = line
      break
    }
  }
  try {
    return isResultRow(JSON.parse(first ?? '')) ? 'results' : 'input'
  } catch {
    return 'input'
  }
}

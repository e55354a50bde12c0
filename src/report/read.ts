/** Line readers for `runReport`: results files, and telling them from input dumps. */
import type { ReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { wideText } from '../batch/detect.js'
import { type InputEncoding, asUtf8, wideToUtf8 } from '../batch/encoding.js'
import { fileBytes } from '../batch/gzip.js'
import { RecensioError } from '../review/index.js'

/** How far through its file a line is: the file's own bytes read so far (compressed ones for gzip; a read ahead of the line). */
export interface FileProgress {
  bytes(): number
  compressed: boolean
}

/**
 * Non-blank lines of a text file (inflated when it is gzip-compressed), with
 * their 1-based line numbers and the file's progress. `onIncomplete` hears why a compressed file
 * ended early (it is cut off, or has trailing data that was ignored), after its last line.
 */
export async function* lines(path: string, encoding?: InputEncoding, onIncomplete?: (why: string) => void): AsyncGenerator<{ line: string; n: number; file: FileProgress }> {
  const { stream, incomplete, file } = await decoded(path, encoding)
  stream.setEncoding('utf8')
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
  let n = 0
  try {
    for await (const line of rl) {
      n++
      if (line.trim() !== '') yield { line, n, file }
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
 * UTF-16 or UTF-32 when its first bytes are (a results file saved again by
 * an editor as "Unicode"), else from `encoding` when that is not UTF-8.
 */
async function decoded(path: string, encoding: InputEncoding | undefined): Promise<{ stream: Readable; incomplete: () => string | null; file: FileProgress }> {
  const wide = wideText(await rawHead(path, WIDE_SNIFF_BYTES))
  const { stream, incomplete, gzipped, compressedBytes } = await fileBytes(await open(path, 'r'), path, true)
  const file = { bytes: gzipped ? compressedBytes : () => (stream as ReadStream).bytesRead, compressed: gzipped }
  return { stream: wide === null ? asUtf8(stream, encoding) : wideToUtf8(stream, wide).stream, incomplete, file }
}

/** Bytes read to tell UTF-16 and UTF-32. */
const WIDE_SNIFF_BYTES = 2048

const VERDICTS = new Set(['genuine', 'suspicious', 'likely_fake'])
const LABELS = new Set(['negative', 'neutral', 'positive'])

type Check = (v: unknown) => boolean
const isString: Check = (v) => typeof v === 'string'
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const optional = (check: Check): Check => (v) => v === undefined || check(v)
const orNull = (check: Check): Check => (v) => v === null || check(v)
const isLabel: Check = (v) => typeof v === 'string' && LABELS.has(v)
const isStrings: Check = (v) => Array.isArray(v) && v.every(isString)
/** Where a span of text is: its field and offsets. */
const SPAN: Record<string, Check> = { field: isString, start: isNumber, end: isNumber }

/** The first of `checks` (field → check) that `o` fails, with its path; null when it passes all. */
function firstWrong(o: Record<string, unknown>, path: string, checks: Record<string, Check>): string | null {
  for (const [key, check] of Object.entries(checks)) if (!check(o[key])) return `${path}${key}`
  return null
}

/** The first item of an array that fails `wrong`, with its path; null when none does. */
function wrongItem(items: unknown[], path: string, wrong: (item: Record<string, unknown>, at: string) => string | null): string | null {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    const at = `${path}[${i}]`
    const why = isObject(item) ? wrong(item, `${at}.`) : at
    if (why !== null) return why
  }
  return null
}

/**
 * What keeps a value that looks like a result row (`isResultRow`) from being
 * one a report can read: the path of its first field of the wrong type or
 * value (`sentiment.score`, `authenticity.signals[2].strength`), or null. A
 * results file edited by hand or by another tool could otherwise stop a
 * report halfway with a TypeError.
 */
export function resultRowProblem(value: unknown): string | null {
  if (!isResultRow(value)) return 'the row'
  const o = value as Record<string, unknown>
  if (o.ok === false) return firstWrong(o.error as Record<string, unknown>, 'error.', { field: isString, code: isString, message: isString }) ?? firstWrong(o, '', { id: orNull(optional(isString)) })
  const top = firstWrong(o, '', {
    id: isString,
    rating: optional(orNull(isNumber)),
    date: optional(orNull((v) => isString(v) && !Number.isNaN(Date.parse(v as string)))),
    dayless: optional((v) => typeof v === 'boolean'),
    product: optional(isString),
    author: optional(isString),
    channel: optional(isString),
    segment: optional(isString),
    survey: optional(isObject),
    fields: optional(isObject),
  })
  if (top !== null) return top
  const survey = o.survey === undefined ? null : firstWrong(o.survey as Record<string, unknown>, 'survey.', { nps: optional(isNumber), ces: optional(isNumber), csat: optional(isNumber) })
  const parts =
    survey ??
    firstWrong(o.language as Record<string, unknown>, 'language.', { code: isString }) ??
    firstWrong(o.sentiment as Record<string, unknown>, 'sentiment.', { score: isNumber, label: isLabel, explain: optional(Array.isArray) }) ??
    firstWrong(o.authenticity as Record<string, unknown>, 'authenticity.', { fakeScore: isNumber, verdict: (v) => typeof v === 'string' && VERDICTS.has(v), signals: Array.isArray })
  if (parts !== null) return parts
  const explain = (o.sentiment as Record<string, unknown>).explain as unknown[] | undefined
  const words = explain === undefined ? null : wrongItem(explain, 'sentiment.explain', (ev, at) => firstWrong(ev, at, { text: isString, weight: isNumber, ...SPAN }))
  if (words !== null) return words
  const journey = wrongItem(o.journey as unknown[], 'journey', (tag, at) => {
    const wrong = firstWrong(tag, at, { stage: isString, confidence: isNumber, evidence: isStrings, spans: Array.isArray, sentiment: isObject })
    return (
      wrong ??
      firstWrong(tag.sentiment as Record<string, unknown>, `${at}sentiment.`, { score: isNumber, label: isLabel }) ??
      wrongItem(tag.spans as unknown[], `${at}spans`, (span, inner) => firstWrong(span, inner, SPAN))
    )
  })
  if (journey !== null) return journey
  const signals = (o.authenticity as Record<string, unknown>).signals as unknown[]
  return wrongItem(signals, 'authenticity.signals', (signal, at) => {
    const wrong = firstWrong(signal, at, { type: isString, strength: isNumber, reason: isString, related: optional(isStrings), window: optional(isObject), phrase: optional(isString), cluster: optional(isString) })
    return wrong ?? (signal.window === undefined ? null : firstWrong(signal.window as Record<string, unknown>, `${at}window.`, { start: isString, end: isString }))
  })
}

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

/** Up to `bytes` of a file's start (inflated when gzip-compressed, decoded from UTF-16 or UTF-32), as text. */
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

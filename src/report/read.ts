/** Line and row readers for `runReport`: results files, and input dumps read back for their texts. */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import { type Readable, pipeline } from 'node:stream'
import { type InputEncoding, isUtf8, toUtf8 } from '../batch/encoding.js'
import { RecensioError } from '../review/index.js'

/** Non-blank lines of a text file, with their 1-based line numbers. */
export async function* lines(path: string, encoding?: InputEncoding): AsyncGenerator<{ line: string; n: number }> {
  const stream = decoded(path, encoding)
  stream.setEncoding('utf8')
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
  let n = 0
  try {
    for await (const line of rl) {
      n++
      if (line.trim() !== '') yield { line, n }
    }
  } finally {
    rl.close()
    stream.destroy()
  }
}

/** A file's bytes as UTF-8, decoded from `encoding` when it is not UTF-8. */
function decoded(path: string, encoding: InputEncoding | undefined): Readable {
  const raw = createReadStream(path)
  if (encoding === undefined || isUtf8(encoding)) return raw
  const out = raw.pipe(toUtf8(encoding))
  raw.on('error', (error) => out.destroy(error))
  out.on('close', () => raw.destroy())
  return out
}

/** Whether a path names a CSV file (by its extension). */
export function isCsvPath(path: string): boolean {
  return /\.(csv|tsv)$/i.test(path)
}

/**
 * The raw rows of an input dump, in order: parsed JSONL objects (null for a
 * line that is not JSON) or CSV records.
 *
 * @param path The dump's path.
 * @param format `jsonl` or `csv`.
 */
export async function* inputRows(path: string, format: 'jsonl' | 'csv', encoding?: InputEncoding): AsyncGenerator<unknown> {
  if (format === 'csv') {
    // A pipeline closes the file (and the decoder) when the caller stops early, and passes their errors on.
    const parser = parse({ columns: true, bom: true, relax_column_count: true, relax_quotes: true, delimiter: [',', ';'] })
    const source = decoded(path, encoding)
    pipeline(source, parser, () => {})
    try {
      for await (const rec of parser) yield rec
    } finally {
      source.destroy()
      parser.destroy()
    }
    return
  }
  for await (const { line } of lines(path, encoding)) {
    try {
      yield JSON.parse(line)
    } catch {
      yield null
    }
  }
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

/**
 * Tell a results file from an input dump by its first non-blank row: a
 * results file's rows carry `ok` and `row` (DESIGN's output row). CSV files are
 * always inputs.
 *
 * @param path The file's path.
 * @returns `results` or `input`.
 */
export async function detectKind(path: string): Promise<'results' | 'input'> {
  if (isCsvPath(path)) {
    // `recensio analyze --format csv` writes a flat table without the evidence a report shows.
    for await (const { line } of lines(path)) {
      if (/^\uFEFF?id,ok,row,/.test(line)) {
        throw new RecensioError(
          'invalid_file',
          `${path} holds recensio results as CSV, which leave out the evidence a report shows: give the report the JSONL results (recensio analyze … --out results.jsonl) or the input dump`,
        )
      }
      break
    }
    return 'input'
  }
  for await (const { line } of lines(path)) {
    try {
      return isResultRow(JSON.parse(line)) ? 'results' : 'input'
    } catch {
      return 'input'
    }
  }
  return 'input'
}

/** `analyzeFile`: a JSONL or CSV file through `analyzeBatch`. (Minimal reader; the streaming core replaces it.) */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import { type Options, RecensioError, resolveOptions } from '../review/index.js'
import { analyzeBatch } from './run.js'
import type { BatchRun } from './types.js'

async function* jsonlRows(path: string): AsyncGenerator<unknown> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY })
  let n = 0
  for await (const line of lines) {
    n++
    if (line.trim() === '') continue
    try {
      yield JSON.parse(line)
    } catch {
      yield { __invalid: `line ${n} is not valid JSON` }
    }
  }
}

async function* csvRows(path: string): AsyncGenerator<unknown> {
  const parser = createReadStream(path).pipe(parse({ columns: true, bom: true, relax_column_count: true, delimiter: [',', ';'] }))
  for await (const rec of parser) yield rec
}

/**
 * Analyze a JSONL or CSV file of reviews.
 *
 * @param path The file's path.
 * @param options See `Options`; `format` forces JSONL or CSV.
 */
export function analyzeFile(path: string, options?: Options): BatchRun {
  const resolved = resolveOptions(options)
  if (typeof path !== 'string' || path === '') throw new RecensioError('invalid_file', 'analyzeFile: expected a file path')
  const format = resolved.raw.format ?? (path.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl')
  return analyzeBatch(format === 'csv' ? csvRows(path) : jsonlRows(path), options)
}

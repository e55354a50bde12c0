/** `analyzeFile` and the input opener the CLI shares: a JSONL or CSV file, or stdin. */
import { fstatSync } from 'node:fs'
import { type Options, RecensioError, type ResolvedOptions, resolveOptions } from '../review/index.js'
import type { InputFormat } from './detect.js'
import { runOf } from './run.js'
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
 * @returns The source; throws a `RecensioError` (`invalid_file`) for a missing, unreadable or non-JSONL/CSV input.
 */
export async function openInput(path: string, resolved: ResolvedOptions, format?: InputFormat): Promise<Source> {
  const options = {
    format: format ?? resolved.raw.format,
    chunkSize: resolved.chunkSize,
    window: resolved.window,
    windowIdleMs: resolved.windowIdleMs,
    maxRowBytes: maxRowBytes(resolved.schema.maxTextLength),
    encoding: resolved.raw.encoding,
    arrayPath: resolved.arrayPath,
    textKey: resolved.map.text,
  }
  if (path === '-') {
    // Stdin redirected from a file is read to its end, as the file would be: it never goes quiet.
    const fromFile = options.windowIdleMs !== undefined && stdinIsFile()
    try {
      return await openStreamSource(process.stdin, fromFile ? { ...options, windowIdleMs: undefined } : options)
    } catch (error) {
      if (error instanceof RecensioError) throw namedError(error, 'stdin')
      throw error
    }
  }
  return openFileSource(path, options)
}

/** Whether stdin is a regular file (`recensio analyze - < dump.jsonl`). */
function stdinIsFile(): boolean {
  try {
    return fstatSync(0).isFile()
  } catch {
    return false
  }
}

/**
 * Analyze a JSONL or CSV file of reviews, streaming: the file is never held
 * whole, and memory holds compact per-review records, not the texts.
 *
 * @param path The file's path (`-` reads stdin).
 * @param options See `Options`; `format` forces JSONL or CSV.
 * @returns An async iterable of one `ResultRow` per input row, in input order, with `summary()` once read.
 */
export function analyzeFile(path: string, options?: Options): BatchRun {
  const resolved = resolveOptions(options)
  if (typeof path !== 'string' || path === '') throw new RecensioError('invalid_file', 'analyzeFile: expected a file path')
  return runOf(() => openInput(path, resolved), resolved, 'analyzeFile')
}

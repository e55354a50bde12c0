/**
 * `analyzeBatch`: many reviews through the per-review stage (in worker
 * threads) and the cross-review pass, as an async iterable of result rows in
 * input order. See `engine.ts` for the two passes.
 */
import { type Options, RecensioError, type ResolvedOptions, type ResultRow, describeValue, resolveOptions } from '../review/index.js'
import { Engine } from './engine.js'
import { ObjectSource, type Source } from './source.js'
import type { BatchRun, BatchSummary } from './types.js'

/** A `BatchRun` over a source opened on first iteration. */
export function runOf(open: () => Promise<Source>, resolved: ResolvedOptions, name: string): BatchRun {
  let engine: Engine | undefined
  let started = false
  let stoppedEarly = false
  /** What the input or the engine threw, when that ended the run (a loop body that throws ends it early instead). */
  let failure: string | undefined
  return {
    summary(): BatchSummary {
      const s = engine?.summary()
      if (s !== undefined) return s
      if (failure !== undefined) throw new RecensioError('invalid_state', `${name}: no summary, as the run failed: ${failure}`)
      if (stoppedEarly) {
        throw new RecensioError('invalid_state', `${name}: no summary, as the rows were not all read (a loop left early): stop with the signal option to keep one`)
      }
      throw new RecensioError('invalid_state', `${name}: summary() is ready once every row has been read`)
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<ResultRow> {
      if (started) throw new RecensioError('invalid_state', `${name}: a batch run can be iterated only once`)
      started = true
      try {
        // Opening may fail too (a missing file): the summary then says the run failed.
        const running = (engine = new Engine(await open(), resolved))
        for await (const batch of running.batches()) {
          for (const line of batch.lines()) yield JSON.parse(line) as ResultRow
        }
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error)
        throw error
      } finally {
        // `break`, `return` or an error in the loop body: the batch ends without its summary.
        stoppedEarly = engine?.summary() === undefined
      }
    },
  }
}

/**
 * Analyze many reviews, with the cross-review signals (copies, bursts, reviewer
 * behaviour) that need the whole batch.
 *
 * @param rows An Iterable or AsyncIterable of review objects (not a string: a file's path goes to `analyzeFile`).
 * @param options See `Options`; `workers` and `chunkSize` set the parallelism, `signal` stops the run.
 * @returns An async iterable of one `ResultRow` per input row, in input order, with `summary()` once read.
 */
export function analyzeBatch(rows: (Iterable<unknown> | AsyncIterable<unknown>) & object, options?: Options): BatchRun {
  const resolved = resolveOptions(options)
  if (rows === null || typeof rows !== 'object' || (!(Symbol.iterator in rows) && !(Symbol.asyncIterator in rows))) {
    // A string is iterable too, by character: most likely a file's path.
    const file = typeof rows === 'string' ? ': to read a file, call analyzeFile with its path' : ''
    throw new RecensioError('invalid_row', `analyzeBatch: expected an Iterable or AsyncIterable of review objects, got ${describeValue(rows)}${file}`)
  }
  // A byte stream (fs.createReadStream) would yield Buffers, each an error row saying "text is required".
  if ((rows as { readableObjectMode?: unknown }).readableObjectMode === false) {
    throw new RecensioError(
      'invalid_row',
      'analyzeBatch: expected review objects, got a byte stream (a Readable not in object mode): give analyzeFile the file, or parse the stream into objects first',
    )
  }
  return runOf(async () => new ObjectSource(rows, resolved.chunkSize, resolved.window, resolved.windowIdleMs), resolved, 'analyzeBatch')
}

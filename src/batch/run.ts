/**
 * The two passes of a batch: every row through the per-review stage, then the
 * cross-review pass over compact records, then results in input order.
 * (In-process version; the streaming worker core replaces its internals.)
 */
import { type Context, analyzeValid, contextFor } from '../analyze.js'
import { CrossReviewState, combineSignals } from '../authenticity/index.js'
import { type Options, type ResultRow, RowValidator, resolveOptions } from '../review/index.js'
import { SummaryBuilder } from './summary.js'
import type { BatchRun, BatchSummary } from './types.js'

async function* rowsOf(input: Iterable<unknown> | AsyncIterable<unknown>): AsyncGenerator<unknown> {
  yield* input as AsyncIterable<unknown>
}

/**
 * Analyze many reviews, with the cross-review signals (copies, bursts, reviewer
 * behaviour) that need the whole batch.
 *
 * @param rows An Iterable or AsyncIterable of review objects.
 * @param options See `Options`.
 * @returns An async iterable of one `ResultRow` per input row, in input order.
 */
export function analyzeBatch(rows: Iterable<unknown> | AsyncIterable<unknown>, options?: Options): BatchRun {
  const resolved = resolveOptions(options)
  if (rows === null || typeof rows !== 'object' || (!(Symbol.iterator in rows) && !(Symbol.asyncIterator in rows))) {
    throw new TypeError('analyzeBatch: rows must be an Iterable or AsyncIterable of review objects')
  }
  const ctx = contextFor(resolved)
  let summary: BatchSummary | undefined
  return {
    summary() {
      if (summary === undefined) throw new Error('analyzeBatch: summary() is ready once every row has been read')
      return summary
    },
    async *[Symbol.asyncIterator]() {
      const builder = new SummaryBuilder()
      // One validator per batch: its field-usage counts feed this batch's summary.
      const validator = new RowValidator(resolved)
      const out: ResultRow[] = []
      const cross = new CrossReviewState()
      let index = 0
      let aborted = false
      for await (const raw of rowsOf(rows)) {
        if (resolved.raw.signal?.aborted) {
          aborted = true
          break
        }
        const row = index + 1
        const valid = validator.validate(raw, row)
        if (valid.ok) {
          const { result, record } = analyzeValid(valid, ctx, index)
          out.push(result)
          cross.add(record)
        } else out.push(valid)
        index++
      }
      finishCross(out, cross, ctx)
      for (const r of out) {
        builder.add(r)
        yield r
      }
      summary = builder.finish(validator.resolver, aborted)
    },
  }
}

function finishCross(out: ResultRow[], state: CrossReviewState, ctx: Context): void {
  const cross = state.finish(ctx.options)
  for (let index = 0; index < out.length; index++) {
    const r = out[index]!
    if (!r.ok) continue
    const extra = cross.signalsFor(index)
    if (extra.length > 0) r.authenticity = combineSignals([...r.authenticity.signals, ...extra], ctx.options)
  }
}

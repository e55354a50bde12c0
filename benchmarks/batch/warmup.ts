/**
 * Start-up and warm-up of the per-review stage: what a worker pays before it
 * runs at its steady rate. Runs the stage in this thread, as a worker does,
 * on 256-row chunks of the generated 100k-row dump, and prints the time to
 * load the modules, to resolve the options, the first chunk, and the µs per
 * row over successive stretches of rows.
 *
 *   npx esbuild benchmarks/batch/warmup.ts --bundle --platform=node --format=esm \
 *     --external:csv-parse --external:zod --outfile=benchmarks/.cache/warmup.mjs
 *   nice node benchmarks/.cache/warmup.mjs            # add V8 flags before the script to compare them
 *   nice node benchmarks/.cache/warmup.mjs --late     # the same rows after 10,240 others (rows 60k–70k) have warmed the stage
 *   WARM=30208 nice node benchmarks/.cache/warmup.mjs --late  # after 30,208 others (a multiple of 256)
 *   nice node benchmarks/.cache/warmup.mjs --no-prime # without the made-up reviews a worker runs first (src/batch/prime.ts)
 *
 * Bundled, so the figures are those of the code users run (see
 * benchmarks/analyze/run.ts). The dump is the one benchmarks/batch/run.mjs
 * makes (`node benchmarks/batch/generate.mjs 100000` makes it alone).
 */
import { dump100k, dumpChunks } from './chunks.js'

const ROWS = 59_904
/** Rows run first with --late (forty chunks after the measured rows; WARM sets another multiple of CHUNK). */
const WARM_ROWS = Number(process.env.WARM ?? 10_240)
const CHUNK = 256
const STRETCHES = [0, 2_560, 9_984, 19_968, 39_936, 59_904]

const started = performance.now()
const { Stage } = await import('../../src/batch/stage.js')
const { contextFor } = await import('../../src/analyze.js')
const { resolveOptions } = await import('../../src/review/index.js')
const { prime } = await import('../../src/batch/prime.js')
const loaded = performance.now()
const ctx = contextFor(resolveOptions({}))
const stage = new Stage(ctx)
const resolved = performance.now()
// As a worker does before its first chunk (and a large input in-process).
const primed = process.argv.includes('--no-prime') ? Number.NaN : (prime(ctx), performance.now() - resolved)

const chunks = dumpChunks(dump100k('warmup'), ROWS + WARM_ROWS, CHUNK)
// With --late, other rows run first: what the stretches cost then is the rows' own cost, without the warm-up.
if (process.argv.includes('--late')) for (const chunk of chunks.slice(ROWS / CHUNK)) stage.run(chunk)
const perRow: number[] = []
let first = 0
for (const chunk of chunks.slice(0, ROWS / CHUNK)) {
  const t = performance.now()
  stage.run(chunk)
  const ms = performance.now() - t
  if (chunk.start === 0) first = ms
  perRow.push((ms * 1000) / chunk.rows)
}

const mean = (from: number, to: number) => {
  const part = perRow.slice(from / CHUNK, to / CHUNK)
  return (part.reduce((a, b) => a + b, 0) / part.length).toFixed(1)
}
const priming = Number.isNaN(primed) ? 'not primed' : `priming ${primed.toFixed(0)} ms`
const TO = STRETCHES[2]!
const total = perRow.slice(0, TO / CHUNK).reduce((a, b) => a + (b * CHUNK) / 1000, 0) + (Number.isNaN(primed) ? 0 : primed)
console.log(`modules ${(loaded - started).toFixed(0)} ms, options and taxonomy ${(resolved - loaded).toFixed(0)} ms, ${priming}, first chunk of ${CHUNK} rows ${first.toFixed(0)} ms, priming and rows 0–${TO} ${total.toFixed(0)} ms`)
const parts: string[] = []
for (let k = 0; k + 1 < STRETCHES.length; k++) parts.push(`rows ${STRETCHES[k]}–${STRETCHES[k + 1]}: ${mean(STRETCHES[k]!, STRETCHES[k + 1]!)}`)
console.log(`µs per row: ${parts.join(', ')}`)

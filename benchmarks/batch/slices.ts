/**
 * Where the first rows' extra cost ends: the per-review stage (as stage.ts
 * runs it) over the generated 100k-row dump once, in slices of N thousand
 * rows (default 5), printing each slice's CPU µs per row and the word
 * table's size after it (`cost/words`). Run under `--max-opt=1` (no
 * optimizing compiler) to tell V8's warm-up from the caches that fill with
 * new words: what still falls from slice to slice there is the caches.
 *
 *   npx esbuild benchmarks/batch/slices.ts --bundle --platform=node --format=esm \
 *     --external:csv-parse --external:zod --outfile=benchmarks/.cache/slices.mjs
 *   nice node benchmarks/.cache/slices.mjs [thousands=5]
 */
import { dump100k, dumpChunks } from './chunks.js'

const { Stage } = await import('../../src/batch/stage.js')
const { contextFor } = await import('../../src/analyze.js')
const { resolveOptions } = await import('../../src/review/index.js')
const { wordIdCount } = await import('../../src/text/vocabulary.js')

const CHUNK = 1000
const perSlice = Number(process.argv[2] ?? 5)
const chunks = dumpChunks(dump100k('slices'), 100_000, CHUNK)
const stage = new Stage(contextFor(resolveOptions({})))
const out: string[] = []
for (let i = 0; i < chunks.length; i += perSlice) {
  const slice = chunks.slice(i, i + perSlice)
  const rows = slice.reduce((n, c) => n + c.rows, 0)
  const before = process.cpuUsage()
  for (const chunk of slice) stage.run(chunk)
  const used = process.cpuUsage(before)
  out.push(`${((used.user + used.system) / rows).toFixed(0)}/${wordIdCount()}`)
}
console.log(`slices of ${perSlice * CHUNK} rows, CPU µs per row / words held: ${out.join(' ')}`)

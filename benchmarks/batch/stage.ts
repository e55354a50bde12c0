/**
 * The per-review stage's steady cost: CPU µs per row of `Stage.run` (what a
 * worker runs: parsing, every analyzer, the output line, the tally and the records) over
 * the first rows of the generated 100k-row dump, in 1,000-row chunks, in this
 * thread, pass after pass (the first pass is the warm-up). Prints the µs per
 * row of each pass and a digest of the output bytes (the same for any run of
 * the same code).
 *
 *   npx esbuild benchmarks/batch/stage.ts --bundle --platform=node --format=esm \
 *     --external:csv-parse --external:zod --outfile=benchmarks/.cache/stage.mjs
 *   nice node benchmarks/.cache/stage.mjs [rows=40000] [passes=4]
 *
 * Two copies started at once (`node … & node …; wait`) tell whether the
 * machine's cores slow each other: CPU time per row is what each copy paid,
 * whatever share of a core it got. The dump is the one
 * benchmarks/batch/run.mjs makes (`node benchmarks/batch/generate.mjs 100000`
 * makes it alone).
 */
import { createHash } from 'node:crypto'
import { dump100k, dumpChunks } from './chunks.js'

const CHUNK = 1000
const rowsWanted = Number(process.argv[2] ?? 40_000)
const passes = Number(process.argv[3] ?? 4)

const { Stage } = await import('../../src/batch/stage.js')
const { contextFor } = await import('../../src/analyze.js')
const { resolveOptions } = await import('../../src/review/index.js')

const chunks = dumpChunks(dump100k('stage'), rowsWanted, CHUNK)
const row = chunks.reduce((n, c) => n + c.rows, 0)

const stage = new Stage(contextFor(resolveOptions({})))
const perRow: number[] = []
let digest = ''
for (let p = 0; p < passes; p++) {
  const hash = createHash('sha1')
  const before = process.cpuUsage()
  for (const chunk of chunks) hash.update(stage.run(chunk).spill)
  const used = process.cpuUsage(before)
  perRow.push((used.user + used.system) / row)
  digest = hash.digest('hex').slice(0, 12)
}
const steady = perRow.length > 1 ? Math.min(...perRow.slice(1)) : perRow[0]!
console.log(`stage: ${row} rows, CPU µs per row by pass ${perRow.map((x) => x.toFixed(1)).join(' ')} · best after the first ${steady.toFixed(1)} · spill sha1 ${digest}`)

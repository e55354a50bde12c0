/**
 * Whether the first rows' extra cost is V8's warm-up or the caches that fill
 * with words not seen before: the per-review stage (as stage.ts runs it) over
 * rows 0–40k of the generated 100k-row dump four times (A1–A4), then over
 * rows 40k–80k, which bring words A never had (B1), then over those again
 * (B2), then A once more (A5). CPU µs per row of each pass. If new words
 * were the cost, B1 would cost more than B2 and A4; if warm-up is, only A1
 * costs more.
 *
 *   npx esbuild benchmarks/batch/fresh.ts --bundle --platform=node --format=esm \
 *     --external:csv-parse --external:zod --outfile=benchmarks/.cache/fresh.mjs
 *   nice node benchmarks/.cache/fresh.mjs
 */
import type { BytesChunk } from '../../src/batch/protocol.js'
import { dump100k, dumpChunks } from './chunks.js'

const { Stage } = await import('../../src/batch/stage.js')
const { contextFor } = await import('../../src/analyze.js')
const { resolveOptions } = await import('../../src/review/index.js')

const STRETCH = 40_000
const chunks = dumpChunks(dump100k('fresh'), 2 * STRETCH, 1000)
const a = chunks.slice(0, STRETCH / 1000)
const b = chunks.slice(STRETCH / 1000)
const stage = new Stage(contextFor(resolveOptions({})))

const passes: string[] = []
function pass(label: string, stretch: BytesChunk[]): void {
  const before = process.cpuUsage()
  for (const chunk of stretch) stage.run(chunk)
  const used = process.cpuUsage(before)
  passes.push(`${label} ${((used.user + used.system) / STRETCH).toFixed(1)}`)
}
for (const label of ['A1', 'A2', 'A3', 'A4']) pass(label, a)
pass('B1 (new rows)', b)
pass('B2', b)
pass('A5', a)
console.log(`fresh: CPU µs per row by pass: ${passes.join(' · ')}`)

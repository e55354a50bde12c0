/**
 * Why the same code runs at different rates from run to run: the per-review
 * stage (as stage.ts runs it) once over the rows of a dump, in 1,000-row
 * chunks, printing the CPU µs per row of each stretch of 20,000 rows, with
 * two loops timed before and after: one in registers (a hash over a 1 MB
 * buffer, 150 times), one bound by memory (4M dependent random reads over
 * 64 MB). When the stage's steady rate moves from run to run with the memory
 * loop and not the register one, what moved is the cost of memory (other
 * jobs on the host sharing its caches and memory bandwidth), not the CPU's
 * clock, nor the code.
 *
 *   npx esbuild benchmarks/batch/steady.ts --bundle --platform=node --format=esm \
 *     --external:csv-parse --external:zod --outfile=benchmarks/.cache/steady.mjs
 *   for i in 1 2 3 4; do nice node benchmarks/.cache/steady.mjs [dump.jsonl] [rows=100000]; done
 *
 * Without a dump, the generated 100k-row dump (`node benchmarks/batch/generate.mjs 100000`).
 */
import { readFileSync } from 'node:fs'
import { dump100k, dumpChunks } from './chunks.js'

const STRETCH = 20_000
const path = process.argv[2]
const rows = Number(process.argv[3] ?? 100_000)

const { Stage } = await import('../../src/batch/stage.js')
const { contextFor } = await import('../../src/analyze.js')
const { resolveOptions } = await import('../../src/review/index.js')

/** CPU ms of a memory-bound loop: dependent random reads over 64 MB, each a cache miss. */
function chase(): number {
  const n = 1 << 24
  const next = new Int32Array(n)
  // A single cycle through every slot, in a scrambled order (Sattolo's shuffle, seeded).
  for (let i = 0; i < n; i++) next[i] = i
  let seed = 12345
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    const j = seed % i
    const t = next[i]!
    next[i] = next[j]!
    next[j] = t
  }
  const before = process.cpuUsage()
  let at = 0
  for (let k = 0; k < 4_000_000; k++) at = next[at]!
  const used = process.cpuUsage(before)
  if (at === -1) console.log('')
  return Math.round((used.user + used.system) / 1000)
}

/** CPU ms of the register-only loop. */
function loop(): number {
  const buf = new Uint8Array(1 << 20)
  for (let i = 0; i < buf.length; i++) buf[i] = (i * 7) & 255
  const before = process.cpuUsage()
  let h = 0
  for (let r = 0; r < 150; r++) for (let i = 0; i < buf.length; i++) h = Math.imul(h ^ buf[i]!, 16777619)
  const used = process.cpuUsage(before)
  // The hash is used, so the loop is not optimized away.
  if (h === 0x7fffffff) console.log('')
  return Math.round((used.user + used.system) / 1000)
}

const chunks = dumpChunks(path === undefined ? dump100k('steady') : readFileSync(path), rows, 1000)
const stage = new Stage(contextFor(resolveOptions({})))
const before = loop()
const chasedBefore = chase()
const stretches: string[] = []
let cpu = 0
let done = 0
for (const chunk of chunks) {
  const start = process.cpuUsage()
  stage.run(chunk)
  const used = process.cpuUsage(start)
  cpu += used.user + used.system
  done += chunk.rows
  if (done % STRETCH === 0) {
    stretches.push((cpu / STRETCH).toFixed(1))
    cpu = 0
  }
}
console.log(`steady: CPU µs per row by ${STRETCH / 1000}k-row stretch ${stretches.join(' ')} · register-only loop ${before} ms before, ${loop()} ms after · memory-bound loop ${chasedBefore} ms before, ${chase()} ms after`)

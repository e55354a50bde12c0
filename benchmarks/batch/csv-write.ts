/**
 * The CSV write's own cost on the main thread: output lines of a results file
 * cut into blocks of about 1 MB (as the write hands them out), turned into
 * CSV by `JSON.parse` and `csvLine` per line (the object path) and by
 * `JsonToCsv` (the scanner), after checking both give the same bytes, each
 * with the UTF-8 encoding of its text that the output stream does. Also the
 * parts: the blocks' decoding, and `JSON.parse` alone. Median ms of
 * 7 passes each, the contenders alternated within each pass.
 *
 *   node dist/cli.js analyze benchmarks/.cache/dump-v2-100000.jsonl --workers 2 --quiet \
 *     --out benchmarks/.cache/results-100000.jsonl
 *   npx esbuild benchmarks/batch/csv-write.ts --bundle --platform=node --format=esm \
 *     --external:csv-parse --external:zod --outfile=benchmarks/.cache/csv-write.mjs
 *   nice node benchmarks/.cache/csv-write.mjs benchmarks/.cache/results-100000.jsonl [--keep a,b]
 */
import { readFileSync } from 'node:fs'
import { csvLine } from '../../src/cli/csv-output.js'
import { JsonToCsv } from '../../src/cli/json-to-csv.js'
import type { ResultRow } from '../../src/review/index.js'

const PASSES = 7
const BLOCK = 1024 * 1024

const path = process.argv[2]
if (path === undefined) throw new Error('usage: csv-write.mjs RESULTS.jsonl [--keep a,b]')
const at = process.argv.indexOf('--keep')
const keep = at < 0 ? [] : process.argv[at + 1]!.split(',')

const bytes = readFileSync(path)
const blocks: Buffer[] = []
for (let from = 0; from < bytes.length; ) {
  const nl = bytes.indexOf(0x0a, Math.min(from + BLOCK, bytes.length - 1))
  const to = nl < 0 ? bytes.length : nl + 1
  blocks.push(bytes.subarray(from, to))
  from = to
}
const rows = bytes.toString('utf8').split('\n').length - 1

function objectPath(block: Buffer): string {
  const lines = block.toString('utf8').split('\n')
  lines.pop()
  return `${lines.map((l) => csvLine(JSON.parse(l) as ResultRow, keep)).join('\n')}\n`
}

const scanner = new JsonToCsv(keep)
// Each ends with the UTF-8 encoding the output stream does.
const contenders: Record<string, (block: Buffer) => unknown> = {
  'JSON.parse + csvLine': (block) => Buffer.from(objectPath(block)),
  JsonToCsv: (block) => Buffer.from(scanner.lines(block)),
  'toString latin1 only': (block) => block.toString('latin1'),
  'toString utf8 only': (block) => block.toString('utf8'),
  'toString + split + JSON.parse': (block) => block.toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as unknown),
}

for (const block of blocks) {
  if (scanner.lines(block) !== objectPath(block)) throw new Error('JsonToCsv and csvLine differ')
}

const times = new Map<string, number[]>(Object.keys(contenders).map((name) => [name, []]))
for (let p = 0; p < PASSES; p++) {
  for (const [name, run] of Object.entries(contenders)) {
    const t = performance.now()
    for (const block of blocks) run(block)
    times.get(name)!.push(performance.now() - t)
  }
}
console.log(`${rows} rows, ${blocks.length} blocks, keep [${keep.join(",")}], node ${process.version}; lines the scanner left to JSON.parse: ${scanner.fallbacks / (PASSES + 1)}`)
for (const [name, ts] of times) {
  ts.sort((a, b) => a - b)
  const median = ts[PASSES >> 1]!
  console.log(`${name.padEnd(32)} ${median.toFixed(0).padStart(6)} ms  ${((median * 1000) / rows).toFixed(2).padStart(6)} µs/row  (${ts[0]!.toFixed(0)}–${ts.at(-1)!.toFixed(0)})`)
}

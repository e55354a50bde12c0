/**
 * The input readers' own speed on the main thread: the CSV chunker on 200k
 * short rows, quoted and not, the JSON Lines chunker on the generated 100k
 * dump as it is ("\n") and with "\r\n" line ends, and the JSON-array chunker
 * on its first 60k rows as an indented array and wrapped in an object that
 * holds it. Median ms of 7 passes each, fed in 64 kB pieces as a file is.
 *
 *   npx esbuild benchmarks/batch/readers.ts --bundle --platform=node --format=esm \
 *     --external:csv-parse --external:zod --outfile=benchmarks/.cache/readers.mjs
 *   nice node benchmarks/.cache/readers.mjs
 *
 * To compare two commits, bundle it in a checkout of each and run the two
 * alternately (the machine is noisy).
 */
import { CsvChunker } from '../../src/batch/csv.js'
import { JsonArrayChunker } from '../../src/batch/json-array.js'
import { JsonlChunker } from '../../src/batch/jsonl.js'
import type { BytesChunk } from '../../src/batch/protocol.js'
import { dump100k } from './chunks.js'

const PASSES = 7
const PIECE = 65536

function median(feed: () => void): number {
  const times: number[] = []
  for (let p = 0; p < PASSES; p++) {
    const t = performance.now()
    feed()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return times[PASSES >> 1]!
}

function pieces(bytes: Buffer, chunker: { feed(b: Uint8Array, out: BytesChunk[]): void; end(out: BytesChunk[]): void }): void {
  const out: BytesChunk[] = []
  for (let at = 0; at < bytes.length; at += PIECE) chunker.feed(bytes.subarray(at, at + PIECE), out)
  chunker.end(out)
}

for (const quoted of [true, false]) {
  const csvRows = ['id,text,rating']
  for (let i = 0; i < 200_000; i++) csvRows.push(quoted ? `${i},"ok ${i % 97}",${1 + (i % 5)}` : `${i},ok ${i % 97},${1 + (i % 5)}`)
  const csv = Buffer.from(`${csvRows.join('\n')}\n`)
  const ms = median(() => pieces(csv, new CsvChunker(256, 1 << 24)))
  console.log(`csv, 200k short ${quoted ? 'quoted' : 'unquoted'} rows (${(csv.length / 1e6).toFixed(1)} MB): ${ms.toFixed(0)} ms`)
}

const jsonl = dump100k('readers')
const crlf = Buffer.from(jsonl.toString('latin1').replaceAll('\n', '\r\n'), 'latin1')
console.log(`jsonl, 100k rows, "\\n" (${(jsonl.length / 1e6).toFixed(1)} MB): ${median(() => pieces(jsonl, new JsonlChunker(256, 1 << 24))).toFixed(1)} ms`)
console.log(`jsonl, the same with "\\r\\n" (${(crlf.length / 1e6).toFixed(1)} MB): ${median(() => pieces(crlf, new JsonlChunker(256, 1 << 24))).toFixed(1)} ms`)
const rows: unknown[] = []
for (const line of jsonl.toString('utf8').split('\n').slice(0, 60_000)) {
  try {
    rows.push(JSON.parse(line))
  } catch {
    // The dump's broken lines are no array elements.
  }
}
const indented = Buffer.from(JSON.stringify(rows, null, 2))
const wrapped = Buffer.from(JSON.stringify({ meta: { total: rows.length }, data: { reviews: rows }, next: null }, null, 2))
console.log(`json array, ${rows.length} rows indented (${(indented.length / 1e6).toFixed(1)} MB): ${median(() => pieces(indented, new JsonArrayChunker(256, 1 << 24))).toFixed(0)} ms`)
console.log(`json object holding them (${(wrapped.length / 1e6).toFixed(1)} MB): ${median(() => pieces(wrapped, new JsonArrayChunker(256, 1 << 24))).toFixed(0)} ms`)

/**
 * JSON Lines chunks as the reader hands them to the per-review stage, cut
 * from a dump held in memory: for the benchmarks that run the stage in one
 * thread (stage.ts, warmup.ts, fresh.ts).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { BytesChunk } from '../../src/batch/protocol.js'

/**
 * The generated 100k-row dump's bytes (benchmarks/.cache/dump-v2-100000.jsonl);
 * without it, says how to make it and exits.
 *
 * @param who The benchmark's name, for the message.
 */
export function dump100k(who: string): Buffer {
  const dump = new URL('../.cache/dump-v2-100000.jsonl', import.meta.url)
  if (!existsSync(dump)) {
    console.error(`${who}: no benchmarks/.cache/dump-v2-100000.jsonl (node benchmarks/batch/generate.mjs 100000 makes it)`)
    process.exit(1)
  }
  return readFileSync(dump)
}

/** The first `rows` lines of `buf` (or all of them), in chunks of `size` rows. */
export function dumpChunks(buf: Buffer, rows: number, size: number): BytesChunk[] {
  const chunks: BytesChunk[] = []
  let pos = 0
  let row = 0
  while (row < rows && pos < buf.length) {
    const starts: number[] = []
    const ends: number[] = []
    const lines: number[] = []
    const begin = pos
    while (starts.length < size && pos < buf.length && row < rows) {
      let nl = buf.indexOf(10, pos)
      if (nl < 0) nl = buf.length
      starts.push(pos - begin)
      ends.push(nl - begin)
      lines.push(row + 1)
      pos = nl + 1
      row++
    }
    chunks.push({
      kind: 'jsonl',
      seq: chunks.length,
      start: row - starts.length,
      rows: starts.length,
      endOffset: pos,
      bytes: new Uint8Array(buf.subarray(begin, pos)),
      starts: Uint32Array.from(starts),
      ends: Uint32Array.from(ends),
      lines: Uint32Array.from(lines),
      problems: [],
      unterminated: false,
      header: null,
      delimiter: ',',
    })
  }
  return chunks
}

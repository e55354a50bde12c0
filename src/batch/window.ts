/**
 * Windows of a batch (`window` option): chunks are cut where a window ends,
 * so each window is whole chunks, whatever the chunk size.
 */
import type { BytesChunk, Chunk, ObjectsChunk } from './protocol.js'

/** Rows `[from, to)` of a chunk as a chunk of their own, with its own bytes (a worker takes them over). */
function rowsOf(chunk: Chunk, from: number, to: number): Chunk {
  if (chunk.kind === 'objects') {
    const part: ObjectsChunk = { ...chunk, start: chunk.start + from, rows: to - from, items: chunk.items.slice(from, to) }
    return part
  }
  const first = chunk.starts[from]!
  const last = chunk.ends[to - 1]!
  const starts = new Uint32Array(to - from)
  const ends = new Uint32Array(to - from)
  for (let i = from; i < to; i++) {
    starts[i - from] = chunk.starts[i]! - first
    ends[i - from] = chunk.ends[i]! - first
  }
  const part: BytesChunk = {
    ...chunk,
    start: chunk.start + from,
    rows: to - from,
    bytes: chunk.bytes.slice(first, last),
    starts,
    ends,
    lines: chunk.lines.slice(from, to),
    problems: chunk.problems.filter((p) => p.at >= from && p.at < to).map((p) => ({ ...p, at: p.at - from })),
    // Only the last part ends where the chunk does.
    unterminated: chunk.unterminated && to === chunk.rows,
  }
  return part
}

/**
 * The chunks, cut at every multiple of `window` rows and numbered again in
 * order (`seq`); as they are when there are no windows.
 */
export async function* cutAtWindows(chunks: AsyncIterable<Chunk>, window: number | undefined): AsyncGenerator<Chunk> {
  if (window === undefined) {
    yield* chunks
    return
  }
  let seq = 0
  for await (const chunk of chunks) {
    let from = 0
    while (from < chunk.rows) {
      const row = chunk.start + from
      const to = Math.min(chunk.rows, from + (window - (row % window)))
      const part = from === 0 && to === chunk.rows ? chunk : rowsOf(chunk, from, to)
      part.seq = seq++
      yield part
      from = to
    }
  }
}

/** Whether a window ends after the first `rows` rows (never without windows: `window` undefined or 0). */
export function windowEndsAfter(rows: number, window: number | undefined): boolean {
  return window !== undefined && window > 0 && rows > 0 && rows % window === 0
}

/** Whether a chunk is the last of its window. */
export function endsWindow(chunk: Chunk, window: number | undefined): boolean {
  return windowEndsAfter(chunk.start + chunk.rows, window)
}

/**
 * Windows of a batch (`window` option): chunks are cut where a window ends,
 * so each window is whole chunks, whatever the chunk size.
 */
import type { BytesChunk, Chunk, ObjectsChunk } from './protocol.js'

/** Rows `[from, to)` of a chunk as a chunk of their own, with its own bytes (a worker takes them over). */
function rowsOf(chunk: Chunk, from: number, to: number): Chunk {
  const part = chunk.kind === 'objects' ? objectRows(chunk, from, to) : byteRows(chunk, from, to)
  // Only the last part closes a window that the chunk closed for quiet.
  if (to < chunk.rows) delete part.windowEnd
  return part
}

function objectRows(chunk: ObjectsChunk, from: number, to: number): ObjectsChunk {
  return { ...chunk, start: chunk.start + from, rows: to - from, items: chunk.items.slice(from, to) }
}

function byteRows(chunk: BytesChunk, from: number, to: number): BytesChunk {
  const first = chunk.starts[from]!
  const last = chunk.ends[to - 1]!
  const starts = new Uint32Array(to - from)
  const ends = new Uint32Array(to - from)
  for (let i = from; i < to; i++) {
    starts[i - from] = chunk.starts[i]! - first
    ends[i - from] = chunk.ends[i]! - first
  }
  return {
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
    // A window closed for quiet (no rows): passed on, not numbered, as it never reaches a worker.
    if (chunk.rows === 0) {
      yield chunk
      continue
    }
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
  return chunk.windowEnd === true || windowEndsAfter(chunk.start + chunk.rows, window)
}

/** What `QuietWindows.wait` gives when the input stayed quiet. */
export const QUIET: unique symbol = Symbol('quiet')

/**
 * Closes a window when the input goes quiet (`windowIdleMs`): a source waits
 * for its next read through `wait`, which gives QUIET when a window has rows
 * and no row has been finished for the idle time (bytes that finish no row,
 * a blank keep-alive line or half a line, do not count); the source then
 * hands out the rows it holds with `windowEnd` set (or a chunk of no rows
 * that says only that). The read itself is kept and waited for again, never
 * asked for twice.
 */
export class QuietWindows {
  /** Rows handed out in chunks so far. */
  private out = 0
  /** Rows finished (handed out or held) when last counted, and when that count last grew. */
  private finished = 0
  private lastRowAt = 0
  /** Whether rows have been handed out since the last window ended. */
  private open = false

  /**
   * @param window Rows per window (undefined: no windows, never quiet).
   * @param idleMs Quiet time that closes a window (undefined: windows close on their row count only).
   */
  constructor(
    private readonly window: number | undefined,
    private readonly idleMs: number | undefined,
  ) {}

  /**
   * `read`, or QUIET when it has not settled by the time the window's last
   * row is `idleMs` old while the window has rows (handed out, or `held`:
   * finished by the source but not yet in a chunk).
   */
  wait<T>(read: Promise<T>, held: number): Promise<T | typeof QUIET> {
    if (!this.live) return read
    const now = performance.now()
    if (this.out + held !== this.finished) {
      this.finished = this.out + held
      this.lastRowAt = now
    }
    if (!this.open && held === 0) return read
    const left = Math.max(0, this.lastRowAt + this.idleMs! - now)
    return new Promise<T | typeof QUIET>((resolve, reject) => {
      const timer = setTimeout(() => resolve(QUIET), left)
      read.then(
        (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }

  /** Whether windows also end when the input goes quiet. */
  get live(): boolean {
    return this.window !== undefined && this.idleMs !== undefined
  }

  /** Note a chunk handed out. */
  saw(chunk: Chunk): void {
    this.out += chunk.rows
    this.open = !endsWindow(chunk, this.window)
  }

  /**
   * The chunks that close a window for quiet: the rows the source held
   * (`flushed`, the last one marked), or `empty` when it held none.
   */
  close<C extends Chunk>(flushed: C[], empty: () => C): C[] {
    const out = flushed.length > 0 ? flushed : [empty()]
    out[out.length - 1]!.windowEnd = true
    for (const chunk of flushed) this.out += chunk.rows
    this.open = false
    return out
  }
}

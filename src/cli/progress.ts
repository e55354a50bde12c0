/**
 * The progress line on stderr (only when it is a terminal): rows, rows/s, and
 * for files of known size the share read and an ETA. Redrawn in place.
 */
import { groupedInt } from '../metrics/format.js'
import type { Progress } from '../review/index.js'

/** Least time between two redraws. */
const REDRAW_MS = 100
/** How often the line shows the time the cross-review pass has taken (it draws between the pass's steps). */
const PASS_TICK_MS = 1000

/** `12,345` */
export function count(n: number): string {
  return groupedInt(n)
}

/** `1:05`, `1:02:03` */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`
}

/** An `onProgress` that draws on the line: rows read, then the cross-review pass. */
export function drawProgress(line: ProgressLine): (p: Progress) => void {
  return (p) => (p.phase === 'crossReview' ? line.crossReview(p.rows) : line.analyzing(p))
}

export class ProgressLine {
  private last = 0
  private drawn = false
  /** Redraws the cross-review pass's line with its time so far, while it runs. */
  private ticking: NodeJS.Timeout | null = null

  constructor(private readonly stream: NodeJS.WriteStream) {}

  /** Pass 1: rows analyzed so far. */
  analyzing(p: Progress): void {
    this.rowsLine('analyzing', p)
  }

  /** A report's results files: rows read so far. */
  reading(p: Progress): void {
    this.rowsLine('reading', p)
  }

  private rowsLine(verb: string, p: Progress): void {
    this.stopTicking()
    const seconds = p.elapsedMs / 1000
    const rate = seconds > 0 ? p.rows / seconds : 0
    let text = `${verb} ${count(p.rows)} rows · ${count(Math.round(rate))} rows/s`
    if (p.bytes !== undefined && p.totalBytes !== undefined && p.totalBytes > 0) {
      const share = Math.min(1, p.bytes / p.totalBytes)
      // Short enough for the ETA to fit 80 columns: "3.7 of 6.4 MB gz (57%)".
      text += ` · ${(p.bytes / 1048576).toFixed(1)} of ${megabytes(p.totalBytes)}${p.compressed === true ? ' gz' : ''} (${Math.floor(share * 100)}%)`
      if (share > 0.01 && seconds > 1) text += ` · ETA ${duration((seconds / share) * (1 - share))}`
    } else if (p.bytes !== undefined) text += ` · ${megabytes(p.bytes)}`
    this.draw(text, false)
  }

  /**
   * The cross-review pass has started. It gives the event loop a turn
   * between its steps, where the line adds the time it has taken (a pass
   * over millions of rows takes a minute) until the rows are written.
   */
  crossReview(rows: number): void {
    const text = `comparing ${count(rows)} rows for copies, bursts and reviewer activity`
    this.draw(text, true)
    this.stopTicking()
    const started = Date.now()
    const ticking = setInterval(() => {
      if (this.ticking === ticking) this.draw(`${text} · ${duration((Date.now() - started) / 1000)}`, true)
    }, PASS_TICK_MS)
    ticking.unref()
    this.ticking = ticking
  }

  /** Pass 2: rows written so far. */
  writing(done: number, total: number): void {
    this.stopTicking()
    this.draw(`writing ${count(done)} of ${count(total)} rows`, false)
  }

  /** Erase the line (before the summary). */
  clear(): void {
    this.stopTicking()
    if (this.drawn) this.stream.write('\r\x1b[2K')
    this.drawn = false
  }

  private stopTicking(): void {
    if (this.ticking === null) return
    clearInterval(this.ticking)
    this.ticking = null
  }

  private draw(text: string, force: boolean): void {
    const now = performance.now()
    if (!force && now - this.last < REDRAW_MS) return
    this.last = now
    // A pseudo-terminal may report 0 columns: draw for 80 then.
    const columns = this.stream.columns
    const width = (columns !== undefined && columns > 0 ? columns : 80) - 1
    this.stream.write(`\r\x1b[2K${text.length > width ? text.slice(0, width) : text}`)
    this.drawn = true
  }
}

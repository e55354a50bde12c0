/**
 * Runs the per-review stage on chunks, in worker threads or in-process, and
 * hands the results back in input order. `submit` resolves once there is room
 * for another chunk, which is the backpressure the reader waits on.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Context } from '../analyze.js'
import { prime, primeInProcess } from './prime.js'
import type { Chunk, ChunkResult, FromWorker, ToWorker, WorkerInit } from './protocol.js'
import { Stage } from './stage.js'

/** Chunks queued per worker: one running, one waiting, so a worker never idles between messages. */
const CHUNKS_PER_WORKER = 2

/**
 * A worker's old-generation limit in MB, plus WORKER_HEAP_BYTES_PER_CHAR per
 * character of the longest text allowed. A worker holds about 40 MB of live
 * data (the analyzers' tables); without a limit V8 lets its heap grow to
 * several times that before collecting (150–190 MB per worker on the 1M-row
 * benchmark dump), with one it collects sooner (about 100 MB), at no
 * measurable cost in speed.
 */
const WORKER_HEAP_MB = 512
/** Heap a review may need per character of its text (tokens, spans), generously. */
const WORKER_HEAP_BYTES_PER_CHAR = 256

/** The old-generation limit of a worker for texts of up to `maxTextLength` characters. */
export function workerHeapMb(maxTextLength: number): number {
  return WORKER_HEAP_MB + Math.ceil((maxTextLength * WORKER_HEAP_BYTES_PER_CHAR) / (1024 * 1024))
}

/**
 * Where the running code lives: a `.ts` file under `src/` (tests, tsx), a
 * bundle in `dist/`, or another program's bundle that took recensio in.
 * Undefined when neither name is known.
 */
function thisFile(): string | undefined {
  // The CJS build has `__filename`, the ESM build `import.meta.url`. Bundlers
  // rewrite them: webpack's ESM output keeps `__filename` (a ReferenceError)
  // after deciding `typeof __filename` is 'string', esbuild's CJS output
  // empties `import.meta`. So each is tried, and neither may throw.
  try {
    if (typeof __filename === 'string') return __filename
  } catch {}
  try {
    const url = import.meta.url as string | undefined
    if (typeof url === 'string' && url.startsWith('file:')) return fileURLToPath(url)
  } catch {}
  return undefined
}

/**
 * The built worker's file name: distinctive, as a program that bundled
 * recensio may have a `worker.js` of its own beside its bundle, which a pool
 * would start and then wait on forever.
 */
export const WORKER_FILE = 'recensio-worker.js'

/** How to start a worker, or null when only in-process runs are possible. */
export interface WorkerEntry {
  url: URL
}

let entry: WorkerEntry | null | undefined

/**
 * The worker entry: `recensio-worker.js` beside the bundle, or, when running
 * from source, `worker.ts` loaded through tsx. Null when neither is there
 * (for example when recensio was bundled into another program).
 */
export function workerEntry(): WorkerEntry | null {
  if (entry !== undefined) return entry
  const here = thisFile()
  entry = null
  if (here === undefined) return entry
  if (here.endsWith('.ts')) {
    const source = join(dirname(here), 'worker.ts')
    let api: string | undefined
    try {
      api = join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')
    } catch {
      api = undefined
    }
    if (api !== undefined && existsSync(api) && existsSync(source)) {
      const code = `const { tsImport } = await import(${JSON.stringify(pathToFileURL(api).href)});\nawait tsImport(${JSON.stringify(pathToFileURL(source).href)}, import.meta.url);\n`
      entry = { url: new URL(`data:text/javascript,${encodeURIComponent(code)}`) }
    }
  } else {
    const built = join(dirname(here), WORKER_FILE)
    if (existsSync(built)) entry = { url: pathToFileURL(built) }
  }
  return entry
}

let warned = false

/**
 * Say once per process that worker threads were wanted but their file is
 * missing, so the run goes on in-process: a bundle that took recensio in
 * otherwise loses its threads without a word.
 */
export function warnNoWorker(): void {
  if (warned) return
  warned = true
  const where = thisFile()
  process.emitWarning(
    `recensio runs this batch on the calling thread: its worker threads need ${WORKER_FILE}, which is not beside ${where ?? 'the running code'}. ` +
      'If recensio was bundled into your program, leave it out of the bundle (esbuild --external:recensio, webpack externals) to get worker threads; pass workers: 0 to run in-process without this warning.',
    { code: 'RECENSIO_NO_WORKER' },
  )
}

/** Runs chunks and delivers their results in `seq` order. */
export interface Runner {
  /** Number of worker threads (0 when in-process). */
  readonly threads: number
  /** Queue a chunk; resolves when another may be submitted. */
  submit(chunk: Chunk): Promise<void>
  /** Resolves once every submitted chunk's result has been delivered. */
  drain(): Promise<void>
  close(): Promise<void>
}

type Deliver = (result: ChunkResult) => void

/** The per-review stage on the calling thread, yielding to the event loop between chunks. */
export class InProcessRunner implements Runner {
  readonly threads = 0
  private readonly stage: Stage
  private started = false

  /** @param totalBytes The input's size, when known: whether to prime the analyzers (see `primeInProcess`). */
  constructor(
    private readonly ctx: Context,
    private readonly deliver: Deliver,
    private readonly totalBytes?: number,
  ) {
    this.stage = new Stage(ctx)
  }

  async submit(chunk: Chunk): Promise<void> {
    if (!this.started) {
      this.started = true
      if (primeInProcess(this.totalBytes, chunk.rows, this.ctx.options.chunkSize)) prime(this.ctx)
    }
    this.deliver(this.stage.run(chunk))
    // Let reads, writes, progress and Ctrl-C run between chunks.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }

  async drain(): Promise<void> {}
  async close(): Promise<void> {}
}

interface Slot {
  worker: Worker
  inflight: number
}

/**
 * The process's Node flags, for its worker threads as by default, less
 * `--input-type`: a thread started with it refuses its file (a script run
 * as `node --input-type=module -e …` could not start one). Undefined, so
 * that threads inherit the flags, unless the process has that flag: flags
 * given to a thread are checked, and V8 and process-wide ones
 * (`--max-old-space-size`, `--expose-gc`) refused.
 */
const WORKER_EXEC_ARGV = process.execArgv.some((flag) => flag.startsWith('--input-type'))
  ? process.execArgv.filter((flag) => !flag.startsWith('--input-type'))
  : undefined

/** A fixed pool of worker threads; results are reordered into input order. */
export class WorkerPool implements Runner {
  readonly threads: number
  private readonly slots: Slot[] = []
  private readonly waiting: (() => void)[] = []
  private readonly ready = new Map<number, ChunkResult>()
  /** The `seq` of the next result to deliver: the first chunk's (a pool may start mid-stream), then one more each time. */
  private next = -1
  private outstanding = 0
  private failure: Error | null = null
  private closing = false
  private local: Stage | undefined

  constructor(
    size: number,
    url: URL,
    init: WorkerInit,
    private readonly ctx: Context,
    private readonly deliver: Deliver,
  ) {
    this.threads = size
    const heap = workerHeapMb(ctx.options.schema.maxTextLength)
    for (let i = 0; i < size; i++) {
      const worker = new Worker(url, { workerData: init, ...(WORKER_EXEC_ARGV === undefined ? {} : { execArgv: WORKER_EXEC_ARGV }), resourceLimits: { maxOldGenerationSizeMb: heap } })
      const slot: Slot = { worker, inflight: 0 }
      worker.on('message', (message: FromWorker) => this.receive(slot, message))
      worker.on('error', (error) => this.fail(error))
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a worker thread stopped unexpectedly (exit code ${code})`))
      })
      // An idle thread does not keep the process alive: a run dropped half-read (an iterator never returned) must not hang it.
      // After the listeners: a 'message' listener refs the thread's port again.
      worker.unref()
      this.slots.push(slot)
    }
  }

  async submit(chunk: Chunk): Promise<void> {
    let slot = this.freeSlot()
    while (slot === undefined && this.failure === null) {
      await new Promise<void>((resolve) => this.waiting.push(resolve))
      slot = this.freeSlot()
    }
    if (this.failure !== null) throw this.failure
    slot = slot!
    if (this.next < 0) this.next = chunk.seq
    if (slot.inflight === 0) slot.worker.ref()
    slot.inflight++
    this.outstanding++
    const message: ToWorker = { type: 'chunk', chunk }
    if (chunk.kind === 'objects') {
      try {
        slot.worker.postMessage(message)
      } catch {
        // Rows that cannot be cloned (functions, class instances with handles) run here instead.
        if (slot.inflight === 1) slot.worker.unref()
        slot.inflight--
        this.outstanding--
        this.accept((this.local ??= new Stage(this.ctx)).run(chunk))
      }
    } else {
      slot.worker.postMessage(message, [chunk.bytes.buffer as ArrayBuffer, chunk.starts.buffer as ArrayBuffer, chunk.ends.buffer as ArrayBuffer, chunk.lines.buffer as ArrayBuffer])
    }
  }

  async drain(): Promise<void> {
    while (this.outstanding > 0 && this.failure === null) await new Promise<void>((resolve) => this.waiting.push(resolve))
    if (this.failure !== null) throw this.failure
    // Results that could not be put in order would be rows lost without a word.
    if (this.ready.size > 0) throw new Error(`chunks ${[...this.ready.keys()].join(', ')} came back out of sequence (expected chunk ${this.next})`)
  }

  async close(): Promise<void> {
    this.closing = true
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }

  private freeSlot(): Slot | undefined {
    let best: Slot | undefined
    for (const s of this.slots) if (s.inflight < CHUNKS_PER_WORKER && (best === undefined || s.inflight < best.inflight)) best = s
    return best
  }

  private receive(slot: Slot, message: FromWorker): void {
    if (slot.inflight === 1) slot.worker.unref()
    slot.inflight--
    this.outstanding--
    if (message.type === 'failed') {
      this.fail(new Error(`a worker failed on chunk ${message.seq}: ${message.message}`))
      return
    }
    this.accept(message.result)
  }

  private accept(result: ChunkResult): void {
    this.ready.set(result.seq, result)
    let r = this.ready.get(this.next)
    while (r !== undefined) {
      this.ready.delete(this.next)
      this.next++
      try {
        this.deliver(r)
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)))
        return
      }
      r = this.ready.get(this.next)
    }
    this.wake()
  }

  private fail(error: Error): void {
    if (this.failure === null && !this.closing) this.failure = error
    this.wake()
  }

  private wake(): void {
    const waiting = this.waiting.splice(0)
    for (const w of waiting) w()
  }
}

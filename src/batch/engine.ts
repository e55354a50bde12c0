/**
 * The two passes of a batch.
 *
 * 1. Rows stream from the source in chunks to the per-review stage (worker
 *    threads, or this thread), with backpressure. Results come back in input
 *    order as bytes and typed arrays: their output lines go to the spill
 *    (memory, then a temporary file) with their tallies for the summary,
 *    and their compact records to the cross-review state, whose full chunks
 *    wait in another temporary file. No raw text is kept, and this thread
 *    never parses a row.
 * 2. Once the last row is in (and the workers are gone), the cross-review
 *    pass runs; the spill streams back about 1 MB at a time, the rows with
 *    batch signals get their authenticity re-made (the only rows parsed),
 *    every other byte is copied as it is, and the output lines are handed
 *    out in input order.
 *
 * With windows, each window is a batch of its own, and the next one goes
 * through pass 1 while the one before is handed out.
 *
 * Everything that reaches the output is computed per row or in input order,
 * so the bytes do not depend on the worker count or the chunk size.
 */
import { cores } from './cores.js'
import { contextFor } from '../analyze.js'
import { type AuthenticitySummary, type CrossReviewResult, CrossReviewState, type RatingTotals, combineSignals, mergeWindowSummaries } from '../authenticity/index.js'
import { type AuthenticityResult, type CanonicalField, type CountedField, FieldResolver, type FieldMap, type Progress, RecensioError, type ResolvedOptions, TEXT_FIELDS, addKeyCount, isAliasOf, mostUsedColumns, otherTextKeys } from '../review/index.js'
import { InProcessRunner, type Runner, WorkerPool, warnNoWorker, workerEntry } from './pool.js'
import type { Chunk, ChunkResult, FieldCounts, WorkerOptions } from './protocol.js'
import { type Source, inputFacts } from './source.js'
import { ByteBuilder } from './bytes.js'
import { authenticitySpan } from './output-line.js'
import { ChunkFile, Spill } from './spill.js'
import { cutAtWindows, endsWindow } from './window.js'
import { SummaryBuilder } from './summary.js'
import { type Tally, mergeTally } from './tally.js'
import type { BatchSummary } from './types.js'

/** Least time between two progress reports. */
const PROGRESS_EVERY_MS = 200
/**
 * Input bytes per default worker thread: each worker pays about a second of
 * start-up and warm-up (benchmarks/batch/warmup.ts), which a smaller share
 * does not repay. On the 2-core benchmark machine one worker beat two on
 * 10k and 30k rows (1.73 vs 2.13–2.25 s, 2.75–2.87 vs 3.21–3.34 s), two beat
 * one from 100k rows (35 MB) on.
 */
const BYTES_PER_DEFAULT_WORKER = 16 * 1024 * 1024
/**
 * Files smaller than this run in-process unless several workers are asked
 * for (about 40,000 rows of 400 bytes). A lone worker thread loads the
 * modules and builds the analyzers' tables again, and hands every chunk
 * across threads: on the benchmark machine the analysis of 10k, 20k and
 * 30k-row dumps took 1.06–1.17, 2.27–2.76 and 2.67–3.29 s in-process
 * against 1.23–1.38, 2.65–2.85 and 2.94–3.33 s with one worker.
 */
const SMALL_INPUT_BYTES = BYTES_PER_DEFAULT_WORKER
/**
 * Inputs of unknown size (stdin, compressed files, iterables) of at most this
 * many rows (about SMALL_INPUT_BYTES of 400-byte rows), and under
 * SMALL_INPUT_BYTES (objects are not counted), run in-process unless several
 * workers are asked for: their rows are held until the input proves longer.
 * The byte bound keeps long texts from holding hundreds of megabytes, and
 * from running on this thread alone where a file of their size gets workers.
 */
const SMALL_STREAM_ROWS = 40_000
/**
 * Rows of an input of unknown size are held for at most this long: a stream
 * that is still coming after it is slow, and its rows would otherwise wait
 * unanalyzed (with no progress to show) until the row or byte bound or the
 * end. Piped files and .gz inputs of SMALL_INPUT_BYTES come in well within it.
 */
const SMALL_STREAM_MS = 1000
/** A live stream's (`windowIdleMs`) windows of at most this many rows run in-process until one is longer. */
const LIVE_WINDOW_ROWS = 2048

const NEWLINE = 0x0a

/** Columns named in the message about a CSV without a text column. */
const MAX_COLUMNS_SHOWN = 20

/**
 * A CSV or a sheet whose header has no column for the review text would give
 * an error row per row; it is refused at once, naming the columns it does have.
 *
 * @param columns The header's column names.
 * @param map The batch's explicit field mapping.
 * @param sheet True for a workbook's sheet (its header is a row, and neither JSON nor in another encoding).
 * @throws RecensioError when no column can hold the text.
 */
export function checkTextColumn(columns: readonly string[], map: FieldMap, sheet = false): void {
  const explicit = map.text
  // The text, or a half of a review asked for apart (`TEXT_FIELDS`): as mapped, or by an alias when the text is not mapped.
  for (const field of TEXT_FIELDS) {
    const mapped = map[field]
    if (mapped !== undefined ? columns.includes(mapped) : explicit === undefined && columns.some((name) => isAliasOf(field, name))) return
  }
  // Fields past the header's end are named column_N (counting from 1) by the row reader.
  const past = explicit === undefined ? null : /^column_(\d+)$/.exec(explicit)
  if (past !== null && Number(past[1]) > columns.length) return
  const where = sheet ? "sheet's header row" : 'CSV header'
  const shown = columns.slice(0, MAX_COLUMNS_SHOWN).join(', ') + (columns.length > MAX_COLUMNS_SHOWN ? ', …' : '')
  // JSON read as CSV (a forced format, or a .csv name, which the format is not told past): the way out is the format, not --map.
  if (!sheet && /^\s*[[{]/.test(columns[0] ?? '')) {
    throw new RecensioError(
      'invalid_file',
      `the first line is JSON, not a CSV header (${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}): it was read as CSV (a .csv or .tsv name, or --input-format csv); if it is JSON Lines or JSON, run again with --input-format jsonl or json (option format)`,
    )
  }
  // A header read as UTF-8 from a Windows-1252 file ("Rese\uFFFDa") names no column that can be
  // mapped: the way out is the encoding, not --map.
  const encoding = !sheet && columns.some((name) => name.includes('\uFFFD'))
    ? ': its names are not UTF-8 (Latin-1 or Windows-1252?): if it was saved by a spreadsheet on Windows, run again with --encoding windows-1252'
    : ''
  if (explicit !== undefined) {
    throw new RecensioError('invalid_option', `no column "${explicit}" (mapped to text) in the ${where}: ${shown}${encoding}`)
  }
  throw new RecensioError(
    'invalid_file',
    encoding === ''
      ? `no review text column in the ${where} (${shown}): say which column holds the text with --map text=COLUMN (option map.text)`
      : `no review text column in the ${where} (${shown})${encoding} (option encoding)`,
  )
}

/** Add a chunk's (or a window's) field-detection counts to a window's, a batch's or a file's. */
function addFieldCounts(used: Map<CountedField, Map<string, number>>, add: FieldCounts | ReadonlyMap<CountedField, ReadonlyMap<string, number>>): void {
  for (const [field, keys] of add) {
    let counts = used.get(field)
    if (counts === undefined) used.set(field, (counts = new Map()))
    for (const [key, n] of keys) addKeyCount(counts, key, n)
  }
}

/** Add field-detection counts to those of `file` among `files`. */
function addFileCounts(files: Map<string, Map<CountedField, Map<string, number>>>, file: string, add: FieldCounts | ReadonlyMap<CountedField, ReadonlyMap<string, number>>): void {
  let used = files.get(file)
  if (used === undefined) files.set(file, (used = new Map()))
  addFieldCounts(used, add)
}

/** Add the result rows read for `keep`, and how many had each key, to a window's or a batch's. */
function addKept(kept: { rows: number; keys: number[] }, add: { readonly rows: number; readonly keys: readonly number[] }): void {
  kept.rows += add.rows
  add.keys.forEach((n, k) => (kept.keys[k]! += n))
}

/**
 * Worker threads when the options do not say: one per BYTES_PER_DEFAULT_WORKER
 * of a file, up to one per core; one per core when the size is not known
 * (stdin, compressed input).
 */
export function defaultWorkers(totalBytes?: number): number {
  if (totalBytes === undefined) return cores()
  return Math.max(1, Math.min(cores(), Math.ceil(totalBytes / BYTES_PER_DEFAULT_WORKER)))
}

/** The options a worker resolves (validated here): everything but callbacks and run control. */
function workerOptions(resolved: ResolvedOptions): WorkerOptions {
  const { onProgress: _p, signal: _s, workers: _w, chunkSize: _c, format: _f, window: _v, windowIdleMs: _i, arrayPath: _j, ...rest } = resolved.raw
  return rest as WorkerOptions
}

/** One batch run: its two passes, its output lines and its summary. */
export class Engine {
  private finished: BatchSummary | undefined
  /** A stop was asked for (the signal fired). */
  private aborted = false
  /** Writing stopped before the last of the output: rows were left out. */
  private cut = false
  private threads = 0
  private analyzed = 0
  /** Rows of the windows taken to be handed out (not those of a window read ahead and dropped). */
  private taken = 0
  /** The windows read and not yet written, whose temporary files are still there. */
  private readonly open = new Set<WindowRun>()
  /** The loop over the results ended early: a window being read ahead ends with the rows it has. */
  private leaving = false
  private started = 0

  /**
   * @param source Where the rows come from.
   * @param resolved The batch's options.
   * @param tuning `spillLimit`: bytes of results kept in memory before
   *   spilling to disk; `smallStreamRows`, `smallStreamBytes`,
   *   `smallStreamMs`: the rows, bytes and time of an input of unknown size
   *   that runs in-process when it ends within them (SMALL_STREAM_ROWS,
   *   SMALL_INPUT_BYTES, SMALL_STREAM_MS).
   */
  constructor(
    private readonly source: Source,
    private readonly resolved: ResolvedOptions,
    private readonly tuning: { spillLimit?: number; smallStreamRows?: number; smallStreamBytes?: number; smallStreamMs?: number } = {},
  ) {}

  /** Rows through the per-review stage so far (all of them once the first batch is out). */
  get rowsAnalyzed(): number {
    return this.analyzed
  }

  /**
   * Rows of the output so far: those of the windows taken to be handed out
   * (all of them without windows), not those of the window read meanwhile.
   */
  get rowsToWrite(): number {
    return this.taken
  }

  /** Remove the temporary files now, synchronously (the process is about to exit). */
  abandon(): void {
    for (const run of this.open) {
      run.spill.disposeSync()
      run.parked.dispose()
    }
  }

  /** The summary, once `batches()` has been read to the end. */
  summary(): BatchSummary | undefined {
    return this.finished
  }

  /** The output lines, in input order, a batch at a time. */
  async *batches(): AsyncGenerator<OutputBatch> {
    const { resolved, source } = this
    this.started = performance.now()
    const signal = resolved.raw.signal
    const onAbort = () => {
      this.aborted = true
      // A source waiting on stdin or a socket only notices when it is closed.
      void source.close()
    }
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    const window = resolved.window
    const fields = new FieldResolver(resolved.map)
    const input: BatchSummary['input'] = { format: source.format }
    const { ratingScale, cesScale, csatScale } = resolved.schema
    const builder = new SummaryBuilder(contextFor(resolved).taxonomy.stages, input, this.started, { rating: ratingScale, ces: cesScale, csat: csatScale })
    // On abort the source is closed: it hands out the rows already read, then ends.
    // A signal that fired before the run started stops it before any row
    // (the source has already read its first bytes to tell the format).
    const chunks = cutAtWindows(this.aborted ? noChunks() : source.chunks(), window)[Symbol.asyncIterator]()
    const { smallStreamRows, smallStreamBytes, smallStreamMs } = this.tuning
    const small = { rows: smallStreamRows ?? SMALL_STREAM_ROWS, bytes: smallStreamBytes ?? SMALL_INPUT_BYTES, ms: smallStreamMs ?? SMALL_STREAM_MS }
    const reader = new FirstPass(resolved, source, this.started, chunks, fields, this, small)
    const time = { analyze: 0, cross: 0 }
    let authenticity: { summary: AuthenticitySummary; totals: RatingTotals } | null = null
    let scored = 0
    // The next window is read and scored while the one before is handed out
    // (read ahead): a consumer that takes its time with the results (a
    // database write, a slow pipe) no longer stalls the threads. At most two
    // windows are held: the one being written and the one being read.
    let ahead: WindowRun | null = this.readWindow(reader, 1)
    try {
      for (let windows = 1; ahead !== null; windows++) {
        const run: WindowRun = ahead
        ahead = null
        const waitStart = performance.now()
        const ended = await run.read
        const rows = this.analyzed - run.first
        reader.count(run.facts)
        this.taken += rows
        // The last window: the workers' heaps are gone before the cross-review pass needs the memory.
        if (ended) await reader.close()
        const analyzed = performance.now()
        if (rows > 0) reader.reportCrossReview()
        // Between its steps the pass gives the event loop a turn: a server's requests wait one step, not the whole pass.
        const found = await run.cross.finishAsync(resolved)
        run.parked.dispose()
        time.analyze += analyzed - waitStart
        time.cross += performance.now() - analyzed
        // An input that ends where a window does leaves an empty last window: it adds nothing.
        if (rows > 0) scored++
        if (authenticity === null) authenticity = { summary: found.summary, totals: found.totals }
        else if (rows > 0) authenticity = mergeWindowSummaries(authenticity.summary, authenticity.totals, found.summary, found.totals)
        // Stopped while reading: this window's rows are all written, and no more are read.
        if (!ended && !this.aborted) ahead = this.readWindow(reader, windows + 1)
        yield* this.writeWindow(found, run.spill, run.first, builder)
        await run.spill.dispose()
        this.open.delete(run)
        // Stopped while writing: the output ends with this window (or with
        // the block the stop cut it at), and the window read meanwhile is dropped.
        if (this.aborted) break
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      // A stop while writing, or a loop over the results that ended early,
      // leaves the next window being read: it ends once the source is closed.
      if (ahead !== null) {
        this.leaving = true
        await source.close()
        await ahead.read.catch(() => false)
        if (this.analyzed > ahead.first) this.cut = true
      }
      this.threads = reader.threads
      await reader.close()
      await source.close()
      for (const run of this.open) {
        await run.spill.dispose()
        run.parked.dispose()
      }
      this.open.clear()
    }
    Object.assign(input, inputFacts(source))
    const others = otherTextKeys(fields.used)
    if (others.length > 0) input.otherTextKeys = others
    if (source.files !== undefined) {
      input.files = source.files()
      // After a stop, the files count the rows of the windows taken to be
      // handed out, not those read past them (a window read ahead and
      // dropped, the rest of the chunk the last window ended in).
      let left = this.taken
      for (const file of input.files) {
        if (this.aborted) file.rows = Math.min(file.rows, left)
        left -= file.rows
        const used = reader.fileFields.get(file.name)
        if (used === undefined) continue
        file.fields = mostUsedColumns(used)
        const others = otherTextKeys(used)
        if (others.length > 0) file.otherTextKeys = others
      }
    }
    // A signal that fired once every row was read and written left nothing out.
    const partial = this.aborted && (this.cut || !reader.ended || !source.exhausted)
    const summary = builder.finish(fields, authenticity!.summary, this.threads, partial, time.analyze, time.cross)
    if (window !== undefined) summary.windows = scored
    const missingKeep = resolved.keep.filter((_, k) => reader.kept.keys[k] === 0)
    if (reader.kept.rows > 0 && missingKeep.length > 0) summary.missingKeep = missingKeep
    this.finished = summary
  }

  /** Count rows through the per-review stage (called by the first pass as results come in). */
  noteAnalyzed(rows: number): void {
    this.analyzed += rows
  }

  /** Whether a stop was asked for. */
  get stopping(): boolean {
    return this.aborted || this.leaving
  }

  /** Start reading window `n` (the whole input without windows) into a spill and cross-review state of its own. */
  private readWindow(reader: FirstPass, n: number): WindowRun {
    const window = this.resolved.window
    const spill = new Spill<Tally>(mergeTally, this.tuning.spillLimit)
    // The state's stored columns wait on disk until the pass: while the
    // workers run, memory holds only the chunks being filled.
    const parked = new ChunkFile()
    const cross = new CrossReviewState({ store: parked, clusterPrefix: window === undefined ? '' : `w${n}-` })
    const facts: WindowFacts = { fields: new Map(), kept: { rows: 0, keys: this.resolved.keep.map(() => 0) }, files: new Map() }
    const run: WindowRun = { first: this.analyzed, cross, spill, parked, facts, read: reader.window(cross, spill, facts, window) }
    // Its error is thrown where it is awaited; until then it is not unhandled.
    run.read.catch(() => {})
    this.open.add(run)
    return run
  }

  /** Pass 2 of a window: its spill back in order, with the batch signals, as output lines. */
  private async *writeWindow(found: CrossReviewResult, spill: Spill<Tally>, first: number, builder: SummaryBuilder): AsyncGenerator<OutputBatch> {
    const { resolved } = this
    // Stopped while reading: the rows read so far are all written. Stopped
    // while writing: the output ends at the end of a block (about 1 MB).
    const stoppedWhileReading = this.aborted
    let index = first
    let whole = true
    for await (const { bytes: block, meta: tally } of spill.blocks()) {
      if (whole && this.aborted && !stoppedWhileReading) {
        this.cut = true
        break
      }
      // The bytes are copied as they are; only rows with batch signals have their authenticity re-made.
      let out: ByteBuilder | null = null
      let copied = 0
      const start = index
      for (let pos = 0; pos < block.length; index++) {
        const nl = block.indexOf(NEWLINE, pos)
        const extra = found.signalsFor(index)
        if (extra.length > 0) {
          const [a, b] = authenticitySpan(block, pos, nl)
          const own = JSON.parse(block.toString('utf8', a, b)) as AuthenticityResult
          const combined = combineSignals([...own.signals, ...extra], resolved)
          if (combined.verdict !== own.verdict) builder.moveVerdict(own.verdict, combined.verdict)
          out ??= new ByteBuilder(block.length + (block.length >> 3))
          out.bytes(block, copied, a)
          out.text(JSON.stringify(combined))
          copied = b
        }
        pos = nl + 1
      }
      if (tally !== null) builder.add(tally)
      whole = tally !== null
      if (out !== null) out.bytes(block, copied)
      yield new OutputBatch(index - start, out === null ? block : out.view())
      // Let signals (Ctrl-C) and timers in between blocks, even when the output never pushes back.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
}

/** A window being read, or read and not yet written. */
interface WindowRun {
  /** Rows before it. */
  first: number
  cross: CrossReviewState
  spill: Spill<Tally>
  parked: ChunkFile
  facts: WindowFacts
  /** Settles once its rows are all through the per-review stage: whether the input has ended. */
  read: Promise<boolean>
}

/**
 * What a window's results add to the summary besides their tallies (which
 * are added as its lines are handed out): counted apart, and added once the
 * window is taken to be handed out, so a window read ahead and dropped at a
 * stop adds nothing.
 */
interface WindowFacts {
  /** Field-detection counts. */
  fields: Map<CountedField, Map<string, number>>
  /** The result rows read for `keep`, and how many of them had each `keep` key. */
  kept: { rows: number; keys: number[] }
  /** With several files: each file's field-detection counts, by its name. */
  files: Map<string, Map<CountedField, Map<string, number>>>
}

/** No chunks (a run stopped before it started). */
async function* noChunks(): AsyncGenerator<Chunk> {}

/** What the first pass tells its engine. */
interface PassHost {
  noteAnalyzed(rows: number): void
  readonly rowsAnalyzed: number
  readonly stopping: boolean
}

/**
 * Pass 1, a window at a time: chunks to the per-review stage (worker threads,
 * or this thread), their results into the window's spill and cross-review
 * state. The threads live from the first window to the last.
 */
class FirstPass {
  private runner: Runner | null = null
  private held: Chunk[] = []
  private heldRows = 0
  private heldBytes = 0
  /** When the first of the rows held now came. */
  private heldSince = 0
  /** Whether the input is scored in windows (`window`). */
  private windowed = false
  /**
   * Whether the runner is this thread only until a window holds more than
   * LIVE_WINDOW_ROWS rows: a stream that went quiet before its first window
   * filled is not worth threads yet (`windowIdleMs`).
   */
  private provisional = false
  private current: { cross: CrossReviewState; spill: Spill<Tally>; facts: WindowFacts } | null = null
  private readonly ctx: ReturnType<typeof contextFor>
  private readonly wanted: number
  private readonly insist: boolean
  private readonly entry: ReturnType<typeof workerEntry>
  private reported: number
  private bytesDone = 0
  /** A compressed file's progress: its bytes read when each chunk was handed on, by chunk. */
  private readonly readAt = new Map<number, number>()
  /** Whether the chunks have run out (the input's end, or its stop). */
  ended = false
  /** Whether a CSV's header was checked for a text column (at its first chunk). */
  private headerChecked = false
  /** The result rows read for `keep`, and how many of them had each `keep` key. */
  readonly kept: { rows: number; keys: number[] }
  threads = 0
  /** With several files: each file's field-detection counts, by its name. */
  readonly fileFields = new Map<string, Map<CountedField, Map<string, number>>>()

  constructor(
    private readonly resolved: ResolvedOptions,
    private readonly source: Source,
    private readonly started: number,
    private readonly chunks: AsyncIterator<Chunk>,
    private readonly fields: FieldResolver,
    private readonly host: PassHost,
    private readonly smallStream: { rows: number; bytes: number; ms: number },
  ) {
    this.ctx = contextFor(resolved)
    this.kept = { rows: 0, keys: resolved.keep.map(() => 0) }
    this.reported = started
    // Threads cost a start-up (loading the analyzers' data in each): small
    // inputs run in-process, unless more than one worker was asked for, which
    // is honoured for anything longer than one chunk. One worker is a thread
    // too: this thread keeps reading, spilling and storing records meanwhile,
    // and the worker's heap (the analyzers' tables and their garbage) is
    // gone before the cross-review pass needs the memory. No workers (0)
    // runs on this thread whatever the size.
    this.wanted = resolved.workers ?? defaultWorkers(source.totalBytes)
    this.insist = resolved.workers !== undefined && this.wanted > 1
    const small = !this.insist && source.totalBytes !== undefined && source.totalBytes < SMALL_INPUT_BYTES
    this.entry = small || this.wanted === 0 ? null : workerEntry()
    // Threads were asked for, or a file's size called for them, but recensio
    // was bundled into another program without its worker file.
    if (this.entry === null && !small && this.wanted > 0 && (resolved.workers !== undefined || source.totalBytes !== undefined)) warnNoWorker()
  }

  private report(force: boolean): void {
    const onProgress = this.resolved.raw.onProgress
    if (onProgress === undefined) return
    const now = performance.now()
    if (!force && now - this.reported < PROGRESS_EVERY_MS) return
    this.reported = now
    onProgress(this.progress(now))
  }

  /** Tell `onProgress` that the window's rows are all in and the cross-review pass starts. */
  reportCrossReview(): void {
    this.resolved.raw.onProgress?.({ ...this.progress(performance.now()), phase: 'crossReview' })
  }

  private progress(now: number): Progress {
    const { source } = this
    const progress: Progress = { rows: this.host.rowsAnalyzed, elapsedMs: Math.round(now - this.started) }
    const compressed = source.compressed
    if (compressed !== undefined) {
      progress.bytes = this.bytesDone
      progress.totalBytes = compressed.totalBytes
      if (compressed.encoded !== true) progress.compressed = true
    } else {
      if (source.format !== 'objects') progress.bytes = this.bytesDone
      if (source.totalBytes !== undefined) progress.totalBytes = source.totalBytes
    }
    return progress
  }

  private readonly deliver = (result: ChunkResult): void => {
    const { cross, spill, facts } = this.current!
    let from = 0
    for (const { end, tally } of result.parts) {
      spill.append(result.spill.subarray(from, end), tally)
      from = end
    }
    cross.addBatch(result.records)
    addFieldCounts(facts.fields, result.fields)
    addKept(facts.kept, result.kept)
    if (result.file !== undefined) addFileCounts(facts.files, result.file, result.fields)
    this.host.noteAnalyzed(result.rows)
    if (this.source.compressed === undefined) this.bytesDone = result.endOffset
    else {
      this.bytesDone = this.readAt.get(result.seq) ?? this.bytesDone
      this.readAt.delete(result.seq)
    }
    this.report(false)
  }

  /**
   * Whether the rows held so far are few enough to keep holding (unless
   * several workers were asked for). An input of unknown size counts its rows
   * across windows, which run in-process meanwhile; only an input without
   * windows keeps its rows waiting, so only it gets threads once slow.
   */
  private holding(): boolean {
    if (this.source.live) return this.heldRows <= LIVE_WINDOW_ROWS
    if (this.source.totalBytes !== undefined) return false
    const { rows, bytes, ms } = this.smallStream
    return this.heldRows <= rows && this.heldBytes < bytes && (this.windowed || performance.now() - this.heldSince < ms)
  }

  private async submit(chunk: Chunk): Promise<void> {
    if (this.runner === null || this.provisional) {
      if (this.entry === null) this.runner ??= new InProcessRunner(this.ctx, this.deliver, this.source.totalBytes)
      else {
        // Hold the first rows of an input of unknown size: if it ends within
        // them, threads are not worth starting. A file's size already said so.
        // A stopped run ends with the rows it has: they are not worth threads either.
        if (this.heldRows === 0) this.heldSince = performance.now()
        this.held.push(chunk)
        this.heldRows += chunk.rows
        if (chunk.kind !== 'objects') this.heldBytes += chunk.bytes.length
        if (this.insist ? this.held.length < 2 : this.host.stopping || this.holding()) return
        await this.start(true)
        return
      }
    }
    await this.runner.submit(chunk)
  }

  /** Start the runner (worker threads, or this thread) and hand it the rows held so far. */
  private async start(threads: boolean): Promise<void> {
    const entry = this.entry
    const runner =
      threads && entry !== null
        ? new WorkerPool(this.wanted, entry.url, { options: workerOptions(this.resolved) }, this.ctx, this.deliver)
        : new InProcessRunner(this.ctx, this.deliver, this.source.totalBytes)
    this.runner = runner
    this.threads = runner.threads
    this.provisional = false
    if (threads || this.source.live) {
      this.heldRows = 0
      this.heldBytes = 0
    }
    for (const h of this.held.splice(0)) await runner.submit(h)
  }

  /**
   * Run the rows of the next window (or of the whole input when there are no
   * windows) into `cross`, `spill` and `facts`.
   *
   * @returns Whether the input has ended.
   */
  async window(cross: CrossReviewState, spill: Spill<Tally>, facts: WindowFacts, window: number | undefined): Promise<boolean> {
    this.current = { cross, spill, facts }
    this.windowed = window !== undefined
    const before = this.host.rowsAnalyzed
    const compressed = this.source.compressed
    try {
      for (;;) {
        const next = await this.chunks.next()
        if (next.done === true) {
          this.ended = true
          // A CSV whose header was settled at its end (every line taken for
          // a title: a file of one column, piped) left no chunk to check.
          const header = this.headerChecked ? null : this.source.header()
          if (header !== null) checkTextColumn(header.columns, this.resolved.map, this.source.format === 'xlsx')
          break
        }
        const chunk = next.value
        // The input went quiet: the window ends with the rows it has.
        if (chunk.rows === 0) break
        if (compressed !== undefined) this.readAt.set(chunk.seq, compressed.bytesRead())
        if (chunk.kind === 'csv' && chunk.start === 0) {
          checkTextColumn(chunk.header ?? [], this.resolved.map)
          this.headerChecked = true
        }
        await this.submit(chunk)
        if (endsWindow(chunk, window)) break
      }
    } catch (error) {
      // Closing the source on abort may end its read with an error.
      if (!this.host.stopping) throw error
      this.ended = true
    }
    // The rows so far did not decide: in-process when the input has ended
    // within them, or is a live stream (`windowIdleMs`) whose windows come
    // in small (until a window brings more rows), or an input of unknown size
    // still within its bounds (until its windows bring more), unless several
    // workers were asked for; else threads.
    if (this.held.length > 0) {
      const threads = !this.ended && (this.insist || (!this.source.live && !this.holding()))
      await this.start(threads)
      this.provisional = !threads && !this.ended
    }
    if (this.runner !== null) await this.runner.drain()
    // A window of no rows (an input that ends where a window does) reports nothing new.
    if (this.host.rowsAnalyzed > before || before === 0) this.report(true)
    return this.ended || this.host.stopping
  }

  /** Add a window's facts to the batch's, as it is taken to be handed out. */
  count(facts: WindowFacts): void {
    addFieldCounts(this.fields.used, facts.fields)
    addKept(this.kept, facts.kept)
    for (const [file, counts] of facts.files) addFileCounts(this.fileFields, file, counts)
  }

  /** Stop the threads. */
  async close(): Promise<void> {
    const runner = this.runner
    this.runner = null
    await runner?.close()
  }
}

/** A run of output lines, in input order: JSON Lines as UTF-8 bytes, each line ending in "\n". */
export class OutputBatch {
  /**
   * @param rows Lines in the batch.
   * @param bytes The lines' bytes (owned by the batch).
   */
  constructor(
    readonly rows: number,
    readonly bytes: Buffer,
  ) {}

  /** The lines as strings (JSON, no newline). */
  lines(): string[] {
    const text = this.bytes.toString('utf8')
    const lines = text.split('\n')
    lines.pop()
    return lines
  }
}

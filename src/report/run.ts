/**
 * `runReport`: what `recensio report <file>` does. It reads a results file
 * (rows with `ok`) or analyzes an input dump first, builds the report, reads
 * the texts of the reviews the report shows back from the dump, and writes
 * the HTML (and the JSON when asked).
 */
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type FieldMap, FieldResolver, type Options, RecensioError, type ResultRow, coerceString, describePaths, describeValue, errorRowText, joinParts, resolveOptions } from '../review/index.js'
import { type OutputPlan, OutputPathError, planOutput, sameFile, sameTarget, systemErrorText, writeOutput } from '../cli/output.js'
import { checkSeveralInputs, isPipe } from '../batch/several.js'
import { TempFileError } from '../batch/spill.js'
import { ProgressLine, drawProgress } from '../cli/progress.js'
import { ReportBuilder, cutText } from './build.js'
import { groupedInt } from '../metrics/format.js'
import { count, renderReportHtml } from './html.js'
import type { ReportOptions } from './options.js'
import { type FileProgress, detectKind, lines, resultRowProblem } from './read.js'
import type { Report } from './types.js'

/** Arguments of `runReport` (the `recensio report` command's options). */
export interface RunReportArgs {
  /**
   * A results JSONL file (rows with `ok`) or an input dump (JSONL, JSON or
   * CSV); `-` reads either from stdin. Several files (all results, or all
   * dumps, read as one batch) make one report.
   */
  input: string | readonly string[]
  /** Where to write the HTML (default: the input's path with `.html`; none when reading stdin). */
  out?: string | undefined
  /** Where to write the report as JSON (default: not written); `-` is stdout. */
  json?: string | undefined
  /** Kept fields to break the figures down by (kept automatically when the input is a dump). */
  groupBy?: readonly string[] | undefined
  /** Field mapping of the input dump, as `--map` gives it (e.g. `{ nps: 'likelihood' }`). */
  map?: FieldMap | undefined
  /** Print nothing on stderr. */
  quiet?: boolean | undefined
  /** Analysis options used when the input is a dump (`cesScale` and `csatScale` are also read for results files). */
  options?: Options | undefined
  /** Report options (title, CES direction, caps). */
  report?: ReportOptions | undefined
}

/** What `runReport` produced. */
export interface RunReportResult {
  report: Report
  htmlPath?: string
  jsonPath?: string
}

function defaultOut(input: string): string {
  const name = input.replace(/\.gz$/i, '')
  const ext = extname(name)
  return `${ext === '' ? name : name.slice(0, -ext.length)}.html`
}

function surveyScales(options: Options | undefined): Pick<ReportOptions, 'cesScale' | 'csatScale'> {
  const out: Pick<ReportOptions, 'cesScale' | 'csatScale'> = {}
  if (options?.cesScale !== undefined) out.cesScale = options.cesScale
  if (options?.csatScale !== undefined) out.csatScale = options.csatScale
  return out
}

/** Lines of a results file read between two redraws of the progress line (which redraws at most every 100 ms). */
const PROGRESS_LINES = 1024

/** The lines of a results file that are no result row: how many, the first few, and what is wrong with the first that looked like one. */
interface BadLines {
  lines: number[]
  count: number
  /** The first line that looked like a result row but was not one, and its field that is wrong ("sentiment.score"). */
  first?: { n: number; wrong: string }
}

async function* resultRows(path: string, bad: BadLines, onIncomplete: (why: string) => void, onLine: (file: FileProgress) => void): AsyncGenerator<ResultRow> {
  for await (const { line, n, file } of lines(path, undefined, onIncomplete)) {
    onLine(file)
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      value = undefined
    }
    // A row of the right shape with a field of the wrong type (edited by hand or another tool) would stop the report with a TypeError.
    const wrong = resultRowProblem(value)
    if (wrong === null) yield value as ResultRow
    else {
      bad.count++
      if (bad.lines.length < 5) bad.lines.push(n)
      if (bad.first === undefined && wrong !== 'the row') bad.first = { n, wrong }
    }
  }
}

/**
 * Read the texts of the reviews a report shows (flagged reviews, cluster
 * members) back from the input dump, matching by id (or by row number for
 * rows without one), and put them into the report. The dump is read with the
 * analysis's own reader, so rows, row numbers and CSV columns (`column_N`
 * past the header, the delimiter, `sep=`) are the ones the analysis saw.
 *
 * @param report The report to complete (changed in place).
 * @param path The input dump, or several read as one batch.
 * @param options The options the dump was analyzed with (`map`, `format`, `encoding`).
 */
export async function attachTexts(report: Report, path: string | readonly string[], options: Options = {}): Promise<void> {
  const a = report.authenticity
  const wanted = new Set<string>()
  for (const f of a.flagged) wanted.add(f.id)
  for (const c of a.clusters) for (const m of c.members) wanted.add(m.id)
  if (wanted.size === 0) return
  const texts = new Map<string, string>()
  const resolved = resolveOptions(options)
  const resolver = new FieldResolver(resolved.map)
  const { openInputs } = await import('../batch/file.js')
  const { ChunkReader, csvWidth, namedFields } = await import('../batch/read-rows.js')
  const named = namedFields(resolved)
  const source = await openInputs(typeof path === 'string' ? [path] : path, resolved)
  try {
    for await (const chunk of source.chunks()) {
      if (chunk.kind === 'objects') continue
      const reader = new ChunkReader(chunk, csvWidth(chunk.header ?? [], named))
      for (let i = 0; i < chunk.rows && texts.size < wanted.size; i++) {
        const r = reader.row(i)
        if (!r.ok || typeof r.raw !== 'object' || r.raw === null || Array.isArray(r.raw)) continue
        const canonical = resolver.resolve(r.raw as Record<string, unknown>)
        const id = coerceString(canonical.id)
        const key = typeof id === 'string' ? id : String(chunk.start + i + 1)
        if (!wanted.has(key) || texts.has(key)) continue
        // A review in halves (pros and cons): the text it was analyzed as.
        const joined = canonical.pros === undefined && canonical.cons === undefined ? null : joinParts(canonical.text, canonical.pros, canonical.cons)
        const text = coerceString(joined !== null && !('code' in joined) ? joined.text : canonical.text)
        if (typeof text !== 'string') continue
        texts.set(key, cutText(text))
      }
      if (texts.size === wanted.size) break
    }
  } finally {
    await source.close()
  }
  for (const item of [...a.flagged, ...a.clusters.flatMap((c) => c.members)]) {
    const text = texts.get(item.id)
    if (item.text === undefined && text !== undefined) item.text = text
  }
  if (texts.size > 0) a.texts = 'input'
}

/**
 * Build the analyst report of a results file or an input dump and write it as
 * one self-contained HTML page (and as JSON when `json` is given). The kind of
 * file is told by its first row: rows with `ok` are results; anything else is
 * analyzed first with `analyzeFile`.
 *
 * @param args See `RunReportArgs`.
 * @returns The report and the paths written.
 */
export async function runReport(args: RunReportArgs): Promise<RunReportResult> {
  checkArgs(args)
  const inputs = typeof args.input === 'string' ? [args.input] : args.input
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((p) => typeof p !== 'string' || p === '')) {
    throw new RecensioError('invalid_file', `expected the path of a results file or an input dump, or an array of them, got ${describePaths(args.input)}`)
  }
  if (inputs.length === 1 && inputs[0] === '-') return reportOfStream(args, () => process.stdin, 'stdin')
  if (inputs.length > 1) {
    checkSeveralInputs(inputs)
    if (args.out === undefined && args.json === undefined) {
      throw new RecensioError('invalid_option', 'with several inputs, the report needs --out report.html or --json report.json: there is no one input to name it after')
    }
  }
  for (const input of inputs) {
    if (!existsSync(input)) throw new RecensioError('invalid_file', `cannot read ${input}: no such file`)
    if (statSync(input).isDirectory()) throw new RecensioError('invalid_file', `${input} is a directory, not a file`)
  }
  // A pipe by its name (`report <(zcat results.jsonl.gz)`, a FIFO) can be read once only, from its start: copied, as stdin is.
  if (inputs.length === 1 && isPipe(inputs[0]!)) return reportOfStream(args, () => createReadStream(inputs[0]!), inputs[0]!)
  return reportOf(args, inputs, performance.now())
}

/** The keys `runReport` reads; any other is a typo that would silently fall back to a default (an `outt` would write the HTML next to the input). */
const RUN_REPORT_KEYS: ReadonlySet<string> = new Set<keyof RunReportArgs>(['input', 'out', 'json', 'groupBy', 'map', 'quiet', 'options', 'report'])

/** Refuse arguments that are not an object, or that name a key `runReport` does not read. */
function checkArgs(args: unknown): void {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new RecensioError('invalid_option', `runReport: expected an object such as { input: 'results.jsonl', out: 'report.html' }, got ${describeValue(args)}`)
  }
  const unknown = Object.keys(args).filter((key) => !RUN_REPORT_KEYS.has(key))
  if (unknown.length === 0) return
  const issues = unknown.map((key) => ({ field: key, code: 'invalid_option' as const, message: `unknown argument "${key}"` }))
  throw new RecensioError(
    'invalid_option',
    `runReport: unknown argument${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (expected ${[...RUN_REPORT_KEYS].join(', ')})`,
    issues,
  )
}

/**
 * `-` (standard input) or a pipe by its name, saved to a temporary file
 * first (an input dump is read twice: analyzed, then read back for the
 * texts the report shows).
 *
 * @param open The stream to copy, opened once the copy's file is made.
 * @param name What messages call the input ("stdin", or the pipe's path).
 */
async function reportOfStream(args: RunReportArgs, open: () => Readable, name: string): Promise<RunReportResult> {
  if (args.out === undefined && args.json === undefined) {
    const what = name === 'stdin' ? 'stdin (-)' : `${name}, a pipe`
    throw new RecensioError('invalid_option', `reading ${what}, the report needs --out report.html or --json report.json: there is no input file to name it after`)
  }
  const started = performance.now()
  // Stopped by a signal (Ctrl-C) while it copies or reads, the copy goes before the process does, as the signal would end it.
  // Listened for before the folder is made, and the folder made at once: a signal between the two would leave it behind.
  let dir: string | undefined
  const onSignal = (signal: NodeJS.Signals) => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    process.kill(process.pid, signal)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    try {
      dir = mkdtempSync(join(tmpdir(), 'recensio-report-'))
    } catch (error) {
      throw copyError(error, name)
    }
    const path = join(dir, 'stdin')
    const source = open()
    // `recensio report -` typed at a prompt with nothing piped in would wait for the terminal in silence.
    // process.stdin's isTTY, not node:tty's isatty: importing recensio must load no network module (tty loads net).
    if (source === process.stdin && process.stdin.isTTY === true) {
      process.stderr.write('recensio report: reading reviews from the terminal (stdin): type or paste JSON Lines or CSV, then Ctrl-D; to report on a file, give its name or pipe it in\n')
    }
    try {
      await pipeline(source, createWriteStream(path))
    } catch (error) {
      throw copyError(error, name)
    }
    try {
      return await reportOf(args, [path], started, name)
    } catch (error) {
      // The temporary file is no name to show: the input is stdin, or the pipe.
      if (error instanceof RecensioError) throw new RecensioError(error.code, error.message.replaceAll(path, name), error.issues)
      throw error
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  }
}

/** The copy of stdin (or of a pipe, `name`) could not be made: one line that says where and why. */
function copyError(error: unknown, name: string): TempFileError {
  return new TempFileError(
    `cannot write a temporary file in ${tmpdir()} (${systemErrorText(error)}): the report keeps a copy of ${name} to read it twice; set TMPDIR to a folder with room, or give the file's name`,
    error,
  )
}

/** What the inputs are: results files or input dumps, not both. */
async function kindOf(inputs: readonly string[]): Promise<'results' | 'input'> {
  const kinds: ('results' | 'input')[] = []
  for (const input of inputs) kinds.push(await detectKind(input))
  const other = kinds.findIndex((k) => k !== kinds[0])
  if (other < 0) return kinds[0]!
  const [results, dump] = kinds[0] === 'results' ? [inputs[0], inputs[other]] : [inputs[other], inputs[0]]
  throw new RecensioError('invalid_file', `${results} holds results and ${dump} is an input dump: give results files or input dumps, not both`)
}

/** How an output path will be written; a path that cannot be (a folder, under /proc, no permission) is refused before any work. */
async function planReportOutput(path: string | undefined): Promise<OutputPlan | undefined> {
  if (path === undefined || path === '-') return undefined
  try {
    return await planOutput(path)
  } catch (error) {
    const why = error instanceof OutputPathError ? error.message : 'permission denied'
    throw new RecensioError('invalid_file', `cannot write the report to ${path}: ${why}`)
  }
}

/** An output file the report will write, as its flag names it. */
interface PlannedOutput {
  flag: '--out' | '--json'
  path: string
  plan: OutputPlan
}

/** Fail before any work when an output names an input file (it would replace it) or both outputs name one file. */
async function checkOutputs(inputs: readonly string[], outputs: PlannedOutput[]): Promise<void> {
  for (const { flag, path, plan } of outputs) {
    for (const input of inputs) {
      if ((await sameFile(input, plan.target)) === true) throw new RecensioError('invalid_option', `${flag} ${path} is an input file: the report would replace it; choose another name`)
    }
  }
  const [html, json] = outputs
  if (html !== undefined && json !== undefined && (await sameTarget(html.plan, json.plan))) {
    throw new RecensioError('invalid_option', `--out and --json both name ${html.path}: the JSON would replace the HTML; choose two names`)
  }
}

/** The report of the inputs; `copyOf`: the one input is a temporary copy of stdin or a pipe, so named in messages. */
async function reportOf(args: RunReportArgs, inputs: readonly string[], started: number, copyOf?: string): Promise<RunReportResult> {
  const fromStdin = copyOf !== undefined
  const input = inputs[0]!
  // From stdin or several files, the HTML is written only where --out says (there is no one input name to derive one from).
  const out = fromStdin || inputs.length > 1 ? args.out : (args.out ?? defaultOut(input))
  const htmlPlan = await planReportOutput(out)
  const jsonPlan = await planReportOutput(args.json)
  const planned: PlannedOutput[] = []
  if (htmlPlan !== undefined) planned.push({ flag: '--out', path: out!, plan: htmlPlan })
  if (jsonPlan !== undefined) planned.push({ flag: '--json', path: args.json!, plan: jsonPlan })
  // From stdin the one input is a temporary file of recensio's own.
  await checkOutputs(fromStdin ? [] : inputs, planned)
  const kind = await kindOf(inputs)
  const name = copyOf ?? inputs.join(', ')
  const reportOptions: ReportOptions = {
    ...surveyScales(args.options),
    ...args.report,
    source: { kind, file: name },
  }
  if (args.groupBy !== undefined) reportOptions.groupBy = [...(args.report?.groupBy ?? []), ...args.groupBy]
  const builder = new ReportBuilder(reportOptions)
  const notes: string[] = []
  /** Why the input ended early (a compressed file cut off, or with trailing data): a note in the report and a warning on stderr. */
  const warnings: string[] = []
  let report: Report

  // Millions of rows take a while: a progress line on a terminal, as analyze draws it.
  const progress = args.quiet !== true && args.options?.onProgress === undefined && process.stderr.isTTY === true ? new ProgressLine(process.stderr) : null
  if (kind === 'results') {
    const sizes = progress === null ? [] : inputs.map((file) => statSync(file).size)
    const total = sizes.reduce((sum, size) => sum + size, 0)
    let before = 0
    let lineCount = 0
    const onLine = (file: FileProgress) => {
      if (progress === null || ++lineCount % PROGRESS_LINES !== 0) return
      progress.reading({ rows: lineCount, elapsedMs: performance.now() - started, bytes: before + file.bytes(), totalBytes: total, ...(file.compressed ? { compressed: true } : {}) })
    }
    for (const [k, file] of inputs.entries()) {
      // Each results file is a run of its own: its ids and cluster names are not the others'.
      if (k > 0) builder.nextFile()
      const bad: BadLines = { lines: [], count: 0 }
      try {
        for await (const row of resultRows(file, bad, (why) => warnings.push(why), onLine)) builder.add(row)
      } finally {
        progress?.clear()
      }
      before += sizes[k] ?? 0
      if (bad.count > 0) {
        const of = inputs.length === 1 ? 'the results file' : file
        const why = bad.first === undefined ? '' : bad.count === 1 ? `; its ${bad.first.wrong} is missing or of the wrong type` : `; line ${bad.first.n}'s ${bad.first.wrong} is missing or of the wrong type`
        notes.push(
          bad.count === 1
            ? `1 line of ${of} is not a result row and was skipped (line ${bad.lines[0]}${why}).`
            : `${count(bad.count, 'line')} of ${of} are not result rows and were skipped (lines ${bad.lines.join(', ')}${bad.count > bad.lines.length ? ', …' : ''}${why}).`,
        )
      }
    }
    report = builder.finish()
  } else {
    const map: FieldMap = {}
    for (const [k, v] of Object.entries({ ...args.options?.map, ...args.map })) if (v !== undefined) map[k as keyof FieldMap] = v
    const keep = [...new Set([...(args.options?.keep ?? []), ...(reportOptions.groupBy ?? [])])]
    const options: Options = { ...args.options, explain: args.options?.explain ?? true }
    if (Object.keys(map).length > 0) options.map = map
    if (keep.length > 0) options.keep = keep
    // Loaded here so a report from a results file does not load the analyzers.
    const { analyzeFile, missingColumnsTexts, offScaleTexts, otherDateOrderText, relativeDatesText, repeatedColumnsText, titleLinesText } = await import('../batch/index.js')
    if (progress !== null) options.onProgress = drawProgress(progress)
    const run = analyzeFile(inputs, options)
    try {
      for await (const row of run) builder.add(row)
    } finally {
      progress?.clear()
    }
    const summary = run.summary()
    builder.useProductFigures(summary.authenticity.products)
    if (summary.input.incomplete !== undefined) warnings.push(summary.input.incomplete)
    for (const file of summary.input.files ?? [{ ...summary.input, name: input }]) {
      const sheet = file.format === 'xlsx'
      if (file.headerLine !== undefined && file.titleLines !== undefined) warnings.push(titleLinesText(file.name, file.headerLine, file.titleLines, sheet))
      if (file.repeatedColumns !== undefined) warnings.push(repeatedColumnsText(file.name, file.repeatedColumns, sheet))
    }
    // The --map columns and keys the dump lacks, as analyze names them (--keep left out: the group-by notes say which fields no row has).
    warnings.push(...missingColumnsTexts(summary, { map }))
    if (summary.otherDateOrder !== undefined) warnings.push(otherDateOrderText(summary.otherDateOrder))
    warnings.push(...offScaleTexts(summary))
    if (summary.relativeDates !== undefined) warnings.push(relativeDatesText(summary.relativeDates))
    report = builder.finish()
    await attachTexts(report, inputs, options)
  }
  // A report of error rows alone is an empty page: why is said where the command was run.
  const first = report.errors.samples[0]
  if (report.totals.ok === 0 && first !== undefined) {
    const which = report.totals.errors === 1 ? 'its one row is an error row:' : `all ${count(report.totals.errors, 'row')} are error rows; the first:`
    warnings.push(`no row could be analyzed: ${which} ${errorRowText(first.row, first.id, first.field, first.message)}`)
  }
  // From stdin the input is a temporary file: messages name it "stdin".
  const named = (text: string) => (fromStdin ? text.replaceAll(input, name) : text)
  // What the page notes (a group-by field no row has, tables cut short, lines skipped) is said on stderr too.
  const told = [...report.notes, ...notes]
  report.notes.push(...notes, ...warnings.map((w) => `${named(w)}.`))

  const result: RunReportResult = { report }
  // Written under a temporary name and renamed (a device in place): a full disk leaves nothing under the name.
  if (out !== undefined && out !== '-') {
    await writeOutput(out, renderReportHtml(report), htmlPlan)
    result.htmlPath = out
  }
  if (args.json !== undefined) {
    await writeOutput(args.json, `${JSON.stringify(report, null, 2)}\n`, jsonPlan)
    result.jsonPath = args.json
  }
  if (args.quiet !== true) {
    const a = report.authenticity
    const written = [result.htmlPath, result.jsonPath === '-' ? 'stdout' : result.jsonPath].filter((p) => p !== undefined).join(' and ')
    const ms = Math.round(performance.now() - started)
    for (const w of warnings) process.stderr.write(`recensio report: warning: ${named(w)}\n`)
    for (const n of told) process.stderr.write(`recensio report: note: ${named(n)}\n`)
    process.stderr.write(
      `recensio report: ${count(report.totals.ok, 'review')} (${count(report.totals.errors, 'error row')}), ${groupedInt(a.flaggedTotal)} flagged, from ${inputs.length > 1 ? `${inputs.length} ${kind === 'results' ? 'results files' : 'input dumps'}` : kind === 'results' ? 'a results file' : 'an input dump'} in ${ms} ms${written === '' ? '' : ` → ${written}`}\n`,
    )
  }
  return result
}

/** `recensio analyze <file...|-> [options]`. */
import { resolve } from 'node:path'
import { isatty } from 'node:tty'
import { parseArgs } from 'node:util'
import { INPUT_ENCODINGS } from '../batch/encoding.js'
import { Engine } from '../batch/engine.js'
import { missingColumnsTexts, offScaleTexts, otherDateOrderText, relativeDatesText } from '../batch/summary.js'
import { ChainSource } from '../batch/chain.js'
import { repeatedColumnsText, titleLinesText } from '../batch/csv.js'
import { openInputs, refuseWithoutText } from '../batch/file.js'
import { type Source, inputFacts } from '../batch/source.js'
import { TempFileError } from '../batch/spill.js'
import type { BatchSummary } from '../batch/types.js'
import { loadTaxonomyFile } from '../journey/index.js'
import { signedFixed } from '../metrics/index.js'
import { ANALYZE_FLAGS as FLAGS, type ErrorRowLimit, UsageError, errorRowLimit, joinNegativeValues, list, oneOf, parseMap, seconds, unknownFlagHint, wholeNumber } from './flags.js'
import { problemLine, terminalText } from './problem.js'
import { type DateOrder, FIELD_ALIASES, FieldResolver, type Options, RecensioError, namesDayFirstDates, resolveOptions } from '../review/index.js'
import { csvHeader } from './csv-output.js'
import { JsonToCsv } from './json-to-csv.js'
import { EXIT, analyzeHelp } from './help.js'
import { type OutputPlan, OutputPathError, OutputWriteError, type Sink, fileSink, makeFolders, planOutput, sameFile, sameTarget, stdoutSink, systemErrorText, writeOutput } from './output.js'
import { ProgressLine, count, drawProgress } from './progress.js'

/** The `analyze` command line, read. */
export interface AnalyzeArgs {
  /** The input paths (`-` for stdin, alone); several are one batch. */
  inputs: string[]
  out: string | undefined
  format: 'jsonl' | 'csv'
  inputFormat: 'jsonl' | 'json' | 'csv' | undefined
  /** Where to write the summary as JSON; `-` is stdout (the results then go to a file). */
  summaryJson: string | undefined
  /** `--max-error-rows`: more error rows than this (or an input cut short) end the run with exit 3. */
  maxErrorRows: ErrorRowLimit | undefined
  quiet: boolean
  options: Options
}

/** Output paths that are this process's stdout. */
const STDOUT_PATH = /^\/dev\/(?:stdout|fd\/1)$|^\/proc\/self\/fd\/1$/

/** Read the command line of `analyze`; throws `UsageError`, returns null for `--help`. */
export function parseAnalyzeArgs(argv: string[]): AnalyzeArgs | null {
  let parsed
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, FLAGS), options: FLAGS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? unknownFlagHint(error.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''), FLAGS) : String(error))
  }
  const { values, positionals } = parsed
  if (values.help === true) return null
  if (positionals.length === 0) throw new UsageError('analyze: missing the input file (a path, or - for stdin)')
  if (positionals.length > 1 && positionals.includes('-')) throw new UsageError('analyze: stdin (-) cannot be one of several inputs: give the files by name')
  if (positionals.includes('')) throw new UsageError('analyze: an input path is empty ("")')
  const out = values.out
  const given = oneOf('format', values.format, ['jsonl', 'csv'] as const)
  const named = out === undefined ? undefined : /\.csv(?:\.gz)?$/i.test(out) ? 'csv' : /\.(?:jsonl|ndjson|json)(?:\.gz)?$/i.test(out) ? 'jsonl' : undefined
  // JSON Lines under a .csv name (or CSV under a .jsonl one) is a mistake no program reading it would undo.
  if (given !== undefined && named !== undefined && given !== named) {
    throw new UsageError(`--format ${given}: --out ${out} names a ${named === 'csv' ? 'CSV' : 'JSON Lines'} file; leave out --format (the name decides), or give the file a .${given} name`)
  }
  const format = given ?? named ?? 'jsonl'
  const options: Options = {}
  const map = parseMap(values.map)
  if (map !== undefined) options.map = map
  const keep = list(values.keep)
  if (keep.length > 0) options.keep = keep
  const lang = oneOf('lang', values.lang, ['es', 'it', 'en'] as const)
  if (lang !== undefined) options.lang = lang
  if (values['rating-scale'] !== undefined) options.ratingScale = values['rating-scale']
  if (values['csat-scale'] !== undefined) options.csatScale = values['csat-scale']
  if (values['ces-scale'] !== undefined) options.cesScale = values['ces-scale']
  const dateOrder = oneOf('date-order', values['date-order'], ['mdy', 'dmy'] as const)
  if (dateOrder !== undefined) options.dateOrder = dateOrder
  if (values['reference-date'] !== undefined) options.referenceDate = values['reference-date']
  const encoding = oneOf('encoding', values.encoding, INPUT_ENCODINGS)
  if (encoding !== undefined) options.encoding = encoding
  if (values.explain === true) options.explain = true
  const workers = wholeNumber('workers', values.workers, 0)
  if (workers !== undefined) options.workers = workers
  const chunkSize = wholeNumber('chunk-size', values['chunk-size'])
  if (chunkSize !== undefined) options.chunkSize = chunkSize
  const window = wholeNumber('window', values.window)
  if (window !== undefined) options.window = window
  const idle = seconds('window-idle', values['window-idle'])
  if (idle !== undefined) {
    if (window === undefined) throw new UsageError('--window-idle: needs --window (the most rows a window holds), as in --window 1000 --window-idle 5')
    options.windowIdleMs = idle
  }
  if (values.taxonomy !== undefined) options.taxonomy = loadTaxonomyFile(values.taxonomy)
  const inputFormat = oneOf('input-format', values['input-format'], ['jsonl', 'json', 'csv'] as const)
  if (values['array-path'] !== undefined) {
    if (inputFormat !== undefined && inputFormat !== 'json') throw new UsageError(`--array-path: needs JSON input, not ${inputFormat} (--input-format ${inputFormat})`)
    options.arrayPath = values['array-path']
  }
  // `-` is stdout, as for report --json: only when the results go to a file, or the two would mix.
  if (values['summary-json'] === '-' && (out === undefined || out === '-' || STDOUT_PATH.test(resolve(out)))) {
    throw new UsageError('--summary-json -: the results go to stdout already; write the summary to a file, or the results with --out FILE')
  }
  return {
    inputs: positionals,
    out: out === '-' ? undefined : out,
    format,
    inputFormat,
    summaryJson: values['summary-json'],
    maxErrorRows: errorRowLimit('max-error-rows', values['max-error-rows']),
    quiet: values.quiet === true,
    options,
  }
}

/** Input files named in the summary line; the JSON summary lists all. */
const FILES_SHOWN = 5

/** Names of the text field listed when no row has one. */
const TEXT_NAMES_SHOWN = 6

function percent(n: number, total: number): string {
  return `${total === 0 ? 0 : Math.round((n / total) * 1000) / 10}%`
}

/** A sentiment average with its sign, as the report writes it: "+0.37", "−0.16", "+0.00" for 0.004, "0.00" for zero. */
function signed(x: number | null, digits = 2): string {
  return x === null ? '–' : signedFixed(x, digits)
}

/**
 * The short summary printed to stderr.
 *
 * @param s The batch summary.
 * @param where Where the results went (a path or "stdout").
 * @param textKey The key `--map` gave the text, if any.
 * @param dateOrder The `--date-order` given, if any: without it a Spanish or Italian date column reads day first, and the columns line says so.
 * @returns The summary's lines.
 */
export function summaryText(s: BatchSummary, where: string, textKey?: string, dateOrder?: DateOrder): string {
  const seconds = s.elapsedMs / 1000
  const rate = seconds > 0 ? Math.round(s.rows / seconds) : 0
  const threads = s.workers === 0 ? 'in-process' : s.workers === 1 ? '1 worker' : `${s.workers} workers`
  const windows = s.windows === undefined ? '' : `, ${count(s.windows)} ${s.windows === 1 ? 'window' : 'windows'}`
  const lines = [`recensio: ${count(s.rows)} ${s.rows === 1 ? 'row' : 'rows'} → ${where} in ${seconds.toFixed(1)} s (${count(rate)} rows/s, ${threads}${windows})`]
  const files = s.input.files
  if (files !== undefined) {
    const shown = files.slice(0, FILES_SHOWN).map((f) => `${f.name}${f.arrayPath === undefined ? '' : ` (${f.arrayPath})`} ${count(f.rows)}`)
    const more = files.length > FILES_SHOWN ? ` · and ${count(files.length - FILES_SHOWN)} more (summary-json lists them)` : ''
    lines.push(`  files (rows): ${shown.join(' · ')}${more}`)
  }
  else if (s.input.arrayPath !== undefined) lines.push(`  read the array at "${s.input.arrayPath}" in the JSON object`)
  const codes = Object.entries(s.errorCodes)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${count(n)}`)
  lines.push(`  ok ${count(s.ok)} · error rows ${count(s.errors)}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`)
  // An empty file, or a CSV export that is only its header, writes nothing: say why, as it exits 0.
  if (s.rows === 0 && !s.aborted) lines.push(s.input.columns === undefined || files !== undefined ? '  the input holds no rows' : s.input.format === 'xlsx' ? "  the sheet holds a header row and no rows under it" : '  the CSV holds a header and no rows under it')
  if (s.ok > 0) {
    const langs = Object.entries(s.languages)
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code} ${percent(n, s.ok)}`)
    lines.push(`  languages: ${langs.join(' · ')}`)
    const l = s.sentiment.labels
    lines.push(
      `  sentiment: average ${signed(s.sentiment.average, 3)} (positive ${percent(l.positive, s.ok)}, neutral ${percent(l.neutral, s.ok)}, negative ${percent(l.negative, s.ok)})`,
    )
    const stages = Object.entries(s.journey)
      .filter(([, st]) => st.count > 0)
      .sort((a, b) => b[1].count - a[1].count)
      .map(([stage, st]) => `${stage} ${count(st.count)} (${signed(st.averageSentiment)})`)
    if (stages.length > 0) lines.push(`  journey (reviews, average sentiment): ${stages.join(' · ')}`)
    const v = s.verdicts
    lines.push(`  authenticity: genuine ${count(v.genuine)} · suspicious ${count(v.suspicious)} · likely fake ${count(v.likely_fake)}`)
  }
  lines.push(...columnsLines(s, dateOrder === undefined))
  const otherTexts = otherTextColumns(s, textKey)
  if (otherTexts !== null) {
    const what = `also a text ${otherTexts.keys ? 'key' : 'column'}`
    lines.push(`  not read${otherTexts.file === undefined ? '' : ` in ${otherTexts.file}`}: ${otherTexts.others.map((c) => `"${c}"`).join(', ')}, ${what} (the text is "${otherTexts.read}"; ${mapTextFlag(otherTexts.others[0]!)} reads another)`)
  }
  // Rows whose text is read from their halves (pros and cons) have one.
  if ((s.errorCodes.required ?? 0) > 0 && s.fields.text === undefined && s.fields.pros === undefined && s.fields.cons === undefined) {
    const names = FIELD_ALIASES.text.slice(0, TEXT_NAMES_SHOWN).join(', ')
    lines.push(
      textKey === undefined
        ? `  no row has a text field (${names}, …): name its key with --map text=KEY`
        : `  no row has the key "${textKey}" that --map text=${textKey} names`,
    )
  }
  if (s.errorSamples.length > 0) lines.push(`  first error: ${s.errorSamples[0]}`)
  if (s.otherDateOrder !== undefined) lines.push(`  dates: ${otherDateOrderText(s.otherDateOrder)}`)
  for (const text of offScaleTexts(s)) lines.push(`  scales: ${text}`)
  if (s.relativeDates !== undefined) lines.push(`  dates: ${relativeDatesText(s.relativeDates)}`)
  return lines.join('\n')
}

/**
 * The header's other columns that name a review text, beside the one read as
 * it (`review` read, `comment` left out: its words are not scored) and those
 * read as another field (`--map cons=Comment`), when `--map` named no text;
 * for rows without a header (JSON), the keys that did so in rows that had
 * them (`keys`); null when there are none. When the batch read several
 * files, the first file that has any, named.
 */
function otherTextColumns(s: BatchSummary, textKey: string | undefined): { read: string; others: string[]; keys: boolean; file?: string } | null {
  if (textKey !== undefined) return null
  const resolver = new FieldResolver()
  const files = s.input.files ?? []
  const inputs = files.length > 1 ? files : [{ name: undefined, columns: s.input.columns, fields: s.fields, otherTextKeys: s.input.otherTextKeys }]
  for (const input of inputs) {
    const read = input.fields?.text
    if (read === undefined) continue
    const keys = input.columns === undefined
    let others = input.otherTextKeys ?? []
    if (!keys) {
      // A column read as another field (`--map cons=Comment`) is read.
      const used = new Set(Object.values(input.fields ?? {}))
      others = [...new Set(input.columns)].filter((c) => !used.has(c) && resolver.fieldOf(c) === 'text')
    }
    if (others.length > 0) return input.name === undefined ? { read, others, keys } : { read, others, keys, file: input.name }
  }
  return null
}

/** `--map text=COLUMN` as a shell takes it: in single quotes when the name holds more than letters, digits, `_`, `.` and `-`. */
function mapTextFlag(column: string): string {
  const pair = `text=${column}`
  return /^[\w.=-]+$/.test(pair) ? `--map ${pair}` : `--map '${pair.replaceAll("'", "'\\''")}'`
}

/** A field map as the summary shows it: `text ← Reseña, rating ← Valoración` (fields read from a key of their own name left out). */
function columnsText(fields: BatchSummary['fields'], dayFirstByName: boolean): string {
  return Object.entries(fields)
    .filter(([field, column]) => field !== column)
    .map(([field, column]) => `${field} ← ${column}${field === 'date' && dayFirstByName && namesDayFirstDates(column) ? ' (day first)' : ''}`)
    .join(', ')
}

/**
 * The summary's columns lines: one for the batch, or, when its files were
 * read through different columns (a Spanish and an Italian export), one per
 * set of files read alike, so that no file's columns hide behind another's.
 */
function columnsLines(s: BatchSummary, dayFirstByName: boolean): string[] {
  const files = s.input.files
  const groups = new Map<string, string[]>()
  for (const file of files ?? []) {
    if (file.rows === 0) continue
    const text = columnsText(file.fields ?? {}, dayFirstByName)
    const names = groups.get(text)
    if (names === undefined) groups.set(text, [file.name])
    else names.push(file.name)
  }
  if (groups.size < 2) {
    const text = columnsText(s.fields, dayFirstByName)
    return text === '' ? [] : [`  columns: ${text}`]
  }
  const lines = [...groups]
    .filter(([text]) => text !== '')
    .map(([text, names]) => {
      const shown = names.slice(0, FILES_SHOWN).join(', ') + (names.length > FILES_SHOWN ? ` and ${count(names.length - FILES_SHOWN)} more` : '')
      return `  columns of ${shown}: ${text}`
    })
  return lines.length > FILES_SHOWN ? [...lines.slice(0, FILES_SHOWN), `  and ${count(lines.length - FILES_SHOWN)} more sets of columns (summary-json lists each file's)`] : lines
}

/**
 * The `--keep` and `--map` columns a CSV header does not have, as summary
 * lines (their values come out empty), one per CSV file that lacks some
 * when the batch read several, and the `--map` and `--keep` keys no JSON
 * row had (`missingKeep` in the summary); null when all are there.
 */
export function missingColumnsLine(s: BatchSummary, options: Options): string | null {
  const lines = missingColumnsTexts(s, options)
  return lines.length === 0 ? null : lines.map((line) => `  ${line}`).join('\n')
}

/** The streams a command writes its messages to. */
export interface Io {
  stderr: NodeJS.WriteStream
}

/**
 * Fail before any work when an output path is a folder or cannot be written.
 * Missing folders on the path are made only once the run starts
 * (`--out results/run.jsonl` in a fresh checkout), as `recensio report` does.
 */
async function checkWritable(path: string | undefined, what: string): Promise<OutputPlan | undefined> {
  if (path === undefined) return undefined
  try {
    return await planOutput(path)
  } catch (error) {
    const why = error instanceof OutputPathError ? error.message : 'permission denied'
    throw new RecensioError('invalid_file', `cannot ${what} ${path}: ${why}`)
  }
}


/** Fail before any work when --out and --summary-json name the same file (also through links): the summary would replace the results. */
async function checkDistinct(out: string | undefined, outPlan: OutputPlan | undefined, summary: string | undefined, summaryPlan: OutputPlan | undefined): Promise<void> {
  if (out === undefined || summary === undefined || outPlan === undefined || summaryPlan === undefined) return
  if (await sameTarget(outPlan, summaryPlan)) throw new UsageError(`--out and --summary-json both name ${out}: the summary would replace the results; choose two names`)
}

/** Fail before any work when an output path names the input file, which it would replace. */
async function checkNotInput(input: string, path: string | undefined, flag: string): Promise<void> {
  if (input === '-' || path === undefined) return
  if ((await sameFile(input, path)) === true) throw new UsageError(`${flag} ${path} is an input file: its results would replace it; choose another name`)
}

/**
 * Ctrl-C and SIGTERM: the first stops the run, whose finished rows are still
 * written; a second one, or one before any work started, exits at once
 * without leaving a partial file under the output name.
 */
class Stopper {
  code: number = EXIT.ok
  /** A second signal came: the process exits once the output is discarded, and says nothing more. */
  quitting = false
  private count = 0
  private running = false
  sink: Sink | null = null
  engine: Engine | null = null
  /** Writes `--summary-json` as failed, for a signal before the batch starts (set only for a regular file, which a write never blocks on). */
  failedSummary: ((code: number, error: unknown) => Promise<void>) | null = null
  private readonly handler = (signal: NodeJS.Signals) => this.onSignal(signal)

  constructor(
    private readonly controller: AbortController,
    private readonly progress: ProgressLine | null,
    private readonly say: (text: string) => void,
  ) {
    process.on('SIGINT', this.handler)
    process.on('SIGTERM', this.handler)
  }

  /** The batch is running: a signal now stops it gracefully. */
  started(): void {
    this.running = true
  }

  dispose(): void {
    process.off('SIGINT', this.handler)
    process.off('SIGTERM', this.handler)
  }

  private onSignal(signal: NodeJS.Signals): void {
    this.count++
    this.code = signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted
    this.progress?.clear()
    if (this.count > 1 || !this.running) {
      this.quitting = true
      this.engine?.abandon()
      const exit = () => process.exit(this.code)
      if (this.count === 1) {
        // The first signal before the batch starts (a pipe still being waited for) quits too, says so, and says so in
        // --summary-json, so that a job never reads the last run's.
        const why = `interrupted (${signal}) before the batch started: nothing was written`
        this.say(`recensio: ${why}`)
        if (this.failedSummary !== null) {
          void this.failedSummary(this.code, new Error(why)).finally(exit)
          return
        }
      }
      if (this.sink !== null) void this.sink.discard().finally(exit)
      else exit()
      return
    }
    // A supervisor stops a pipeline step with SIGTERM: Ctrl-C is not what it would send next.
    this.say(
      signal === 'SIGTERM'
        ? 'recensio: stopping (SIGTERM); the rows finished so far are being written (another SIGTERM or Ctrl-C quits at once)'
        : 'recensio: stopping; the rows finished so far are being written (Ctrl-C again to quit at once)',
    )
    this.controller.abort()
  }
}

/** Run `recensio analyze`; resolves to the exit code. */
export async function runAnalyze(argv: string[], io: Io): Promise<number> {
  // Messages quote the input (ids, columns, a JSON parser's excerpt): its control characters are escaped.
  const say = (text: string) => io.stderr.write(`${terminalText(text)}\n`)
  let args: AnalyzeArgs | null
  try {
    args = parseAnalyzeArgs(argv)
    // A flag value the options refuse (--workers 999, --rating-scale 5-1) is a bad flag too.
    if (args !== null) resolveOptions(args.options)
  } catch (error) {
    if (error instanceof UsageError || error instanceof RecensioError) {
      say(`recensio: ${problemLine(error)}`)
      // A bad flag gets a pointer to the help; a bad taxonomy file needs none.
      if (error instanceof UsageError || error.code === 'invalid_option') say("Try 'recensio analyze --help'.")
      return EXIT.usage
    }
    throw error
  }
  if (args === null) {
    process.stdout.write(`${analyzeHelp()}\n`)
    return EXIT.ok
  }

  const progress = !args.quiet && io.stderr.isTTY === true ? new ProgressLine(io.stderr) : null
  const controller = new AbortController()
  const stopper = new Stopper(controller, progress, say)
  const options: Options = { ...args.options, signal: controller.signal }
  if (progress !== null) options.onProgress = drawProgress(progress)
  try {
    let source: Source
    let sink: Sink
    // Set once the summary's place is checked: a run that fails after that writes why in the summary.
    let failedSummary: ((code: number, error: unknown) => Promise<void>) | undefined
    try {
      const resolved = resolveOptions(options)
      const summaryFile = args.summaryJson === '-' ? undefined : args.summaryJson
      for (const input of args.inputs) await checkNotInput(input, summaryFile, '--summary-json')
      const summaryPlan = await checkWritable(summaryFile, 'write the summary to')
      const summaryJson = args.summaryJson
      const writeFailed = summaryJson === undefined ? undefined : (code: number, error: unknown) => writeFailedSummary(summaryJson, code, error, summaryPlan, say)
      // An --out refused (a folder, an input file) fails the run as a missing input does: the summary says so.
      failedSummary = writeFailed
      for (const input of args.inputs) await checkNotInput(input, args.out, '--out')
      const outPlan = await checkWritable(args.out, 'write the results to')
      // Unless --out names the summary's file: a failed summary would replace what is there.
      failedSummary = undefined
      await checkDistinct(args.out, outPlan, summaryFile, summaryPlan)
      failedSummary = writeFailed
      // A named pipe or a device is not written on the way out: its reader may never come.
      if (writeFailed !== undefined && summaryPlan !== undefined && !summaryPlan.inPlace) stopper.failedSummary = writeFailed
      // `recensio analyze -` typed at a prompt with nothing piped in would wait for the terminal in silence.
      if (args.inputs[0] === '-' && isatty(0)) {
        say('recensio: reading reviews from the terminal (stdin): type or paste JSON Lines or CSV, then Ctrl-D; to analyze a file, give its name or pipe it in (cat FILE | recensio analyze -)')
      }
      source = await openInputs(args.inputs, resolved, args.inputFormat)
      const parts = source instanceof ChainSource ? source.parts : [{ name: args.inputs[0] === '-' ? 'stdin' : args.inputs[0]!, checked: source }]
      for (const { name, checked: part } of parts) {
        if (part.pages !== undefined) {
          say(`recensio: warning: the lines of ${name} look like pages of answers with the reviews in "${part.pages}"; they are read as rows: to read the reviews, run again with --array-path ${part.pages}`)
        }
        const facts = inputFacts(part)
        const sheet = part.format === 'xlsx'
        if (facts.repeatedColumns !== undefined) say(`recensio: warning: ${repeatedColumnsText(name, facts.repeatedColumns, sheet)}`)
        if (facts.headerLine !== undefined && facts.titleLines !== undefined) say(`recensio: warning: ${titleLinesText(name, facts.headerLine, facts.titleLines, sheet)}`)
        if (!part.invalidUtf8) continue
        say(
          `recensio: warning: ${name} is not UTF-8 (Latin-1 or Windows-1252?): its bad bytes become U+FFFD, with a warning in the row; if it was saved by a spreadsheet on Windows, run again with --encoding windows-1252`,
        )
      }
      // A CSV or a sheet without a text column is refused before any output folder is made, and after
      // the warnings above, which may say why (a Windows-1252 header).
      await refuseWithoutText(source, resolved.map)
      try {
        sink = args.out === undefined ? stdoutSink() : await fileSink(args.out, outPlan)
        if (summaryPlan !== undefined) await makeFolders(summaryPlan)
      } catch (error) {
        await source.close()
        const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message
        throw new RecensioError('invalid_file', `cannot write ${args.out}: ${why}`)
      }
      stopper.sink = sink
      stopper.started()
      return await write(args, resolved, source, sink, summaryPlan, controller, stopper, progress, say)
    } catch (error) {
      // Quitting at once: a write the discard cut short is no failure to report.
      if (stopper.quitting) return stopper.code
      if (error instanceof RecensioError || error instanceof UsageError) {
        say(`recensio: ${problemLine(error)}`)
        await failedSummary?.(EXIT.usage, error)
        return EXIT.usage
      }
      // A full disk, a device error (of the output or of the batch's own temporary file): the temporary output is gone, nothing is left under its name.
      if (error instanceof OutputWriteError || error instanceof TempFileError) {
        say(`recensio: ${error.message}`)
        await failedSummary?.(EXIT.failure, error)
        return EXIT.failure
      }
      throw error
    }
  } finally {
    stopper.dispose()
  }
}

async function write(
  args: AnalyzeArgs,
  resolved: ReturnType<typeof resolveOptions>,
  source: Source,
  sink: Sink,
  summaryPlan: OutputPlan | undefined,
  controller: AbortController,
  stopper: Stopper,
  progress: ProgressLine | null,
  say: (text: string) => void,
): Promise<number> {
  const engine = new Engine(source, resolved)
  stopper.engine = engine
  const keep = resolved.keep
  try {
    const csv = args.format === 'csv' ? new JsonToCsv(keep) : null
    if (csv !== null) await sink.write(`${args.out === undefined ? '' : '\uFEFF'}${csvHeader(keep)}\n`)
    let written = 0
    for await (const batch of engine.batches()) {
      if (sink.closed) {
        controller.abort()
        continue
      }
      if (csv !== null) await sink.write(csv.lines(batch.bytes))
      else await sink.write(batch.bytes)
      written += batch.rows
      progress?.writing(written, engine.rowsToWrite)
    }
    await sink.commit()
  } catch (error) {
    progress?.clear()
    await sink.discard()
    throw error
  }
  progress?.clear()
  const summary = engine.summary()
  // The reader went away (head, or a pipeline Ctrl-C stopped as a whole): no summary on stderr, but a
  // --summary-json file is still written, marked aborted, so that a job never reads the last run's; a
  // signal still sets the exit code.
  if (sink.closed) {
    if (summary !== undefined && args.summaryJson !== undefined && args.summaryJson !== '-') {
      const failed = await writeSummaryJson(args.summaryJson, summary, summaryPlan, say)
      if (failed) return EXIT.failure
    }
    return stopper.code
  }
  if (summary === undefined) return EXIT.failure
  if (args.summaryJson !== undefined && (await writeSummaryJson(args.summaryJson, summary, summaryPlan, say))) return EXIT.failure
  say(summaryText(summary, args.out ?? 'stdout', args.options.map?.text, args.options.dateOrder))
  const missing = missingColumnsLine(summary, args.options)
  if (missing !== null) say(missing)
  if (summary.input.incomplete !== undefined) say(`recensio: warning: ${summary.input.incomplete}`)
  if (summary.aborted) {
    say(`recensio: interrupted: the output holds the first ${count(summary.rows)} rows only`)
    return stopper.code === EXIT.ok ? EXIT.interrupted : stopper.code
  }
  const over = args.maxErrorRows === undefined ? null : overErrorRows(summary, args.maxErrorRows)
  if (over !== null) {
    say(`recensio: ${over}: exit ${EXIT.overErrorRows}`)
    return EXIT.overErrorRows
  }
  return EXIT.ok
}

/** Why a finished run fails `--max-error-rows`, or null when it passes. */
function overErrorRows(s: BatchSummary, limit: ErrorRowLimit): string | null {
  if (s.input.incomplete !== undefined) return `the input was cut short, so rows may be missing that no error row counts (--max-error-rows ${limit.given})`
  if ('rows' in limit ? s.errors <= limit.rows : withinShare(s.errors, s.rows, limit.percent)) return null
  const share = 'rows' in limit ? percent(s.errors, s.rows) : shareOver(s.errors, s.rows, limit.percent)
  return `${count(s.errors)} error row${s.errors === 1 ? '' : 's'} of ${count(s.rows)} (${share}), over --max-error-rows ${limit.given}`
}

/**
 * The share of error rows over a `--max-error-rows` share, with as many
 * decimals as it takes to show it over (2 of 1,900 over 0.1%: "0.11%", where
 * one decimal reads "0.1%", as if it were within).
 */
function shareOver(errors: number, rows: number, [digits, scale]: readonly [bigint, bigint]): string {
  const limit = Number(digits) / Number(scale)
  const share = (errors / rows) * 100
  let shown = 0
  for (let d = 1; d <= 10; d++) {
    shown = Math.round(share * 10 ** d) / 10 ** d
    if (shown > limit) break
  }
  return `${shown}%`
}

/** Whether `errors` of `rows` are at most `percent` (digits over a scale) percent of them, in whole numbers. */
function withinShare(errors: number, rows: number, [digits, scale]: readonly [bigint, bigint]): boolean {
  return BigInt(errors) * 100n * scale <= digits * BigInt(rows)
}

/** What `--summary-json` holds after a failed run. */
interface FailedSummary {
  failed: true
  /** The process's exit code: 2 for an input or an option refused, 1 for a failed write. */
  exitCode: number
  /** The message said on stderr, without its `recensio: `. */
  error: string
  /** The error's code, when it has one (`invalid_file`). */
  code?: string
}

/**
 * Write `--summary-json` for a run that failed (an unreadable input, a full
 * disk): `{ failed: true, exitCode, error }` in place of the counts, so that a
 * job reading the file never takes an earlier run's numbers for this one's.
 */
async function writeFailedSummary(path: string, exitCode: number, error: unknown, plan: OutputPlan | undefined, say: (text: string) => void): Promise<void> {
  // A refused run makes no folders: where the folder is missing, no earlier summary can be misread.
  if (plan !== undefined && plan.missing.length > 0) return
  const failure: FailedSummary = {
    failed: true,
    exitCode,
    error: error instanceof RecensioError || error instanceof UsageError ? problemLine(error) : (error as Error).message,
  }
  if (error instanceof RecensioError) failure.code = error.code
  await writeSummaryJson(path, failure, plan, say)
}

/** Write `--summary-json`; true when it failed, said in one line. */
async function writeSummaryJson(path: string, summary: BatchSummary | FailedSummary, plan: OutputPlan | undefined, say: (text: string) => void): Promise<boolean> {
  try {
    await writeOutput(path, `${JSON.stringify(summary, null, 2)}\n`, plan)
    return false
  } catch (error) {
    const where = path === '-' ? 'stdout' : path
    say(`recensio: cannot write the summary to ${where}: ${systemErrorText(error instanceof OutputWriteError ? error.cause : error)}`)
    return true
  }
}

/** `recensio report`: argument parsing for the CLI, around `runReport`. */
import { parseArgs } from 'node:util'
import { type Options, RecensioError, resolveOptions } from '../review/index.js'
import { INPUT_ENCODINGS } from '../review/options.js'
import { TempFileError } from '../batch/spill.js'
import { type ReportOptions, resolveReportOptions } from './options.js'
import { ANALYZE_FLAGS, UsageError, analyzeFlags, joinNegativeValues, list, oneOf, parseMap, unknownFlagHint, wholeNumber } from '../cli/flags.js'
import { OutputWriteError } from '../cli/output.js'
import { problemLine } from '../cli/problem.js'
import { runReport } from './run.js'

/** Usage text of `recensio report`. */
export const REPORT_USAGE = `Usage: recensio report <results.jsonl | reviews.jsonl | reviews.csv>... [options]

Writes a self-contained HTML report (ratings, CSAT, star-based index, survey
NPS/CES, sentiment per journey stage, products, channels, authenticity).
A results file (the output of \`recensio analyze\`) is read as is; an input
dump (JSON Lines, JSON, CSV or an Excel workbook) is analyzed first. Either
may be gzip-compressed; "-" reads either from stdin. Several files make one
report: all results files, or all input dumps (analyzed as one batch, as
analyze does). From stdin or several files, --out or --json names the output.

Options:
  -o, --out <file>          HTML file to write (default: the input's name with .html; "-" for none)
      --json <file>         also write the report as JSON ("-" for stdout)
                            (a name ending in .gz is written gzip-compressed)
      --group-by <fields>   break figures down by kept fields, e.g. country,store
  -m, --map <k=v,...>       input columns of canonical fields, e.g. nps=recommend,ces=effort
  -k, --keep <fields>       input fields to keep (group-by fields are kept anyway)
      --ces-scale <a-b>     scale of the CES answers (default 1-7)
      --ces-direction <d>   higher_is_easier (default, CES 2.0) or lower_is_easier
      --csat-scale <a-b>    scale of the CSAT answers (default 1-5)
      --rating-scale <a-b>  scale of the ratings in the input (default 1-5)
      --date-order <o>      mdy (default) or dmy: how dates like 05/03/2024 read
      --reference-date <d>  the day the reviews were exported: "3 days ago" counts back from it
      --encoding <name>     utf-8 (default) or windows-1252 (latin1)
  -l, --lang <es|it|en>     skip language detection
      --input-format <jsonl|json|csv>  input format (default: from the extension)
      --array-path <key.key...>  in a JSON object, the array of reviews (default: the first with review texts)
  -w, --workers <n>         worker threads for an input dump (0: in-process)
      --title <text>        heading of the page
  -q, --quiet               no progress line, summary, warnings or notes on
                            stderr (the page keeps the warnings and notes);
                            errors are still printed
  -h, --help                show this help
`

const FLAGS = {
  ...analyzeFlags('out', 'map', 'keep', 'ces-scale', 'csat-scale', 'rating-scale', 'date-order', 'reference-date', 'encoding', 'lang', 'input-format', 'array-path', 'workers', 'quiet', 'help'),
  json: { type: 'string' },
  'group-by': { type: 'string', multiple: true },
  'ces-direction': { type: 'string' },
  title: { type: 'string' },
} as const

/**
 * Run `recensio report` with the arguments after the subcommand.
 *
 * @param argv The arguments, e.g. `['results.jsonl', '--out', 'report.html']`.
 * @returns The exit code: 0 done, 1 failed, 2 bad usage or an unreadable input.
 */
export async function reportCommand(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, FLAGS), allowPositionals: true, options: FLAGS })
  } catch (err) {
    // node:util's parseArgs explains a stray '-' value at length: keep its first sentence.
    const analyzeOnly = Object.keys(ANALYZE_FLAGS).filter((f) => !(f in FLAGS))
    const hint = 'an option of recensio analyze: analyze the dump with it, then report the results file'
    const message = unknownFlagHint((err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, ''), FLAGS, { flags: analyzeOnly, hint })
    process.stderr.write(`recensio report: ${message}\nTry 'recensio report --help'.\n`)
    return 2
  }
  const { values: v, positionals } = parsed
  if (v.help === true) {
    process.stdout.write(REPORT_USAGE)
    return 0
  }
  // One line, as analyze says it: the whole usage would push the problem off the screen.
  const missing = positionals.length === 0 ? 'missing the input file (a results file or a dump, or - for stdin)' : positionals.includes('') ? 'an input path is empty ("")' : null
  if (missing !== null) {
    process.stderr.write(`recensio report: ${missing}\nTry 'recensio report --help'.\n`)
    return 2
  }
  try {
    const options: Record<string, unknown> = {}
    const keep = list(v.keep)
    if (keep.length > 0) options.keep = keep
    if (v['ces-scale'] !== undefined) options.cesScale = v['ces-scale']
    if (v['csat-scale'] !== undefined) options.csatScale = v['csat-scale']
    if (v['rating-scale'] !== undefined) options.ratingScale = v['rating-scale']
    // Each choice said as analyze says it, before any work.
    const dateOrder = oneOf('date-order', v['date-order'], ['mdy', 'dmy'] as const)
    if (dateOrder !== undefined) options.dateOrder = dateOrder
    if (v['reference-date'] !== undefined) options.referenceDate = v['reference-date']
    const encoding = oneOf('encoding', v.encoding, INPUT_ENCODINGS)
    if (encoding !== undefined) options.encoding = encoding
    const lang = oneOf('lang', v.lang, ['es', 'it', 'en'] as const)
    if (lang !== undefined) options.lang = lang
    const format = oneOf('input-format', v['input-format'], ['jsonl', 'json', 'csv'] as const)
    if (format !== undefined) options.format = format
    if (v['array-path'] !== undefined) options.arrayPath = v['array-path']
    const workers = wholeNumber('workers', v.workers, 0)
    if (workers !== undefined) options.workers = workers
    const report: Record<string, unknown> = {}
    if (v.title !== undefined) report.title = v.title
    const cesDirection = oneOf('ces-direction', v['ces-direction'], ['higher_is_easier', 'lower_is_easier'] as const)
    if (cesDirection !== undefined) report.cesDirection = cesDirection
    const args: Parameters<typeof runReport>[0] = {
      input: positionals.length === 1 ? positionals[0]! : positionals,
      map: parseMap(v.map) ?? {},
      groupBy: list(v['group-by']),
      quiet: v.quiet === true,
      options: options as Options,
      report: report as ReportOptions,
    }
    if (v.out !== undefined) args.out = v.out
    if (v.json !== undefined) args.json = v.json
    // A flag value the options refuse (--workers 999, --ces-scale 5-1) is a bad flag too.
    try {
      resolveOptions(args.options)
      resolveReportOptions(args.report)
    } catch (err) {
      if (err instanceof RecensioError && err.code === 'invalid_option') throw new UsageError(problemLine(err))
      throw err
    }
    // Ctrl-C or SIGTERM: no page is written (a report of part of a dump would read as all of it), and the stop
    // is said; then the signal ends the process as it would have, once the copy of a piped dump is removed
    // (its listener, added later, runs after this one).
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`${process.stderr.isTTY === true ? '\n' : ''}recensio report: interrupted (${signal}): no report was written\n`)
      process.kill(process.pid, signal)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    try {
      await runReport(args)
    } finally {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }
    return 0
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`recensio report: ${err.message}\nTry 'recensio report --help'.\n`)
      return 2
    }
    // A full disk, a device error (of the output or of the batch's temporary file): nothing is left under the output name.
    if (err instanceof OutputWriteError || err instanceof TempFileError) {
      process.stderr.write(`recensio report: ${err.message}\n`)
      return 1
    }
    if (err instanceof RecensioError) {
      process.stderr.write(`recensio report: ${problemLine(err)}\n`)
      // As for analyze: a bad option or an unreadable input is a usage error.
      return err.code === 'invalid_option' || err.code === 'invalid_file' ? 2 : 1
    }
    throw err
  }
}

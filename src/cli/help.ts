/** The CLI's help texts. */
import { cores } from '../batch/cores.js'

/** Exit codes, documented in `--help` and the README. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  overErrorRows: 3,
  interrupted: 130,
  terminated: 143,
} as const

export function mainHelp(): string {
  return `recensio: score customer reviews in Spanish, Italian and English: language,
sentiment, fake-review signals and customer-journey stages.

Usage:
  recensio analyze <file...|-> [options]  score JSONL, JSON, CSV or .xlsx dumps (recensio analyze --help)
  recensio report <file...|-> [options]   an HTML report of results files or dumps (recensio report --help)
  recensio --version
  recensio --help

Example:
  recensio analyze reviews.csv --out results.jsonl --summary-json summary.json

${exitCodes()}`
}

export function analyzeHelp(): string {
  return `Usage: recensio analyze <file...|-> [options]

Reads reviews from a JSON Lines file, a JSON array (or an object that holds
one), a CSV file or an Excel workbook (.xlsx: its first sheet), gzip-compressed
or not (or - for stdin), and writes one result per input row (per element of
an array), in input order. Several files are one batch, read one after another
(copies and bursts are found across them). Rows that cannot be read or lack a
text become error rows naming the row, the id and the field; they never stop
the run. A short summary goes to stderr; a progress line too when stderr is a
terminal.

Output:
  -o, --out <file|->              where to write the results (default: stdout);
                                  gzip-compressed when the name ends in .gz
  -f, --format <jsonl|csv>        output format (default: jsonl; csv when --out
                                  ends in .csv or .csv.gz)
      --max-error-rows <n|p%>     exit 3 when more rows than this are error rows
                                  (a count, or a share such as 0.5%), or when
                                  the input was cut short; the output is whole
      --summary-json <file|->     also write the batch summary as JSON (- for
                                  stdout, when --out names a file); a failed
                                  run writes {"failed": true, "error": ...}
  -q, --quiet                     no progress line (the summary and warnings are
                                  still printed)
  -h, --help                      show this help

Input:
      --input-format <jsonl|json|csv>
                                  force the input format (default: from the
                                  extension, then from the content)
      --array-path <key.key...>   in a JSON object, the array of reviews to read,
                                  e.g. data.reviews (default: the first array
                                  of objects with review texts); also reads
                                  objects one per line (pages of answers)
  -m, --map <field=column,...>    which input column holds each field, e.g.
                                  text=reviewText,rating=overall (common export
                                  column names in English, Spanish and Italian
                                  are recognized without it, in any case); in
                                  JSON, author=user.name reads a key inside an
                                  object
  -k, --keep <column,...>         input columns to echo in each result under "fields"
                                  (user.name reads a key inside an object)
      --rating-scale <min-max>    scale of the rating column, e.g. 0-10 (default 1-5)
      --csat-scale <min-max>      scale of a csat survey column (default 1-5)
      --ces-scale <min-max>       scale of a ces survey column (default 1-7)
      --encoding <name>           utf-8 (default) or windows-1252 (latin1): a CSV
                                  saved by a spreadsheet on Windows (files that
                                  are UTF-8 after all are still read as UTF-8)
      --date-order <mdy|dmy>      how dates like 05/03/2024 read: month first
                                  or day first (default: day first from a Fecha
                                  or Data column, else month first); 05.03.2024
                                  is day first
      --reference-date <date>     the day the reviews were exported: relative
                                  dates ("3 days ago", "hace 2 semanas") count
                                  back from it (without it they are no date)

Analysis:
  -l, --lang <es|it|en>           skip language detection: every row is in this language
      --explain                   list the words that moved each sentiment score
      --taxonomy <file.json>      extend or replace the journey stages
  -w, --workers <n>               worker threads (default: one per 16 MB of the
                                  file, up to one per core, ${cores()} here); run
                                  in-process: 0, and unless more than one is
                                  asked for, files under 16 MB (also on stdin,
                                  < file) and piped or .gz inputs that end
                                  within 40,000 rows, 16 MB and one second
      --chunk-size <n>            rows per message to a worker (default 256)
      --window <n>                score the input in windows of n rows, each a
                                  batch of its own written as soon as it is done
                                  (for streams that never end: write to stdout,
                                  as --out renames its file into place at the
                                  end); copies, bursts and reviewer activity
                                  are found within a window
      --window-idle <seconds>     with --window: also end a window when no row
                                  has come for this long (2, 0.5, 500ms, 1m or
                                  1h), so a quiet stream's rows are not held
                                  back (windows still end at every n rows; a
                                  file is read to its end, never quiet)

Fields: id, text (required), title, rating, date, author, product, verified,
lang, channel, segment, nps, ces, csat; and pros and cons, the halves of a
review asked for apart (Booking.com's positive and negative review), read as
its text (after the text, when a row has one). CSV may use , ; or tab,
quoted fields with commas and newlines, and a UTF-8 BOM. CSV output flattens
the main fields (a CSV file starts with a UTF-8 BOM, for Excel; stdout has
none); text cells that a spreadsheet would run as a formula start with an
apostrophe.
Output files are written under a temporary name and renamed when complete;
one named *.gz is gzip-compressed as it is written (a whole gzip file even
when Ctrl-C stops the run).

Examples:
  recensio analyze reviews.jsonl --out results.jsonl
  recensio analyze export.csv --map text=reviewText,rating=overall --out results.csv
  recensio analyze survey.csv --rating-scale 0-10 --keep order_id --summary-json summary.json
  zcat dump.jsonl.gz | recensio analyze - --workers 4 > results.jsonl
  tail -f reviews.jsonl | recensio analyze - --window 1000 --window-idle 5 >> results.jsonl

${exitCodes()}`
}

function exitCodes(): string {
  return `Exit codes:
  0    done (also when some rows are error rows)
  1    runtime failure, such as a full disk (nothing is left under the output name)
  2    usage error, or an input that is missing, unreadable or not JSONL, JSON,
       CSV or .xlsx
  3    done, but with more error rows than --max-error-rows allows, or an input
       cut short (a .gz without its end) under --max-error-rows
  130  interrupted by Ctrl-C (143 for SIGTERM): the output holds every row
       finished before the stop, is valid, and the summary says it is partial`
}

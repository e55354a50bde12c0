/** One-line problem messages shared by the CLI commands. */
import { RecensioError } from '../review/index.js'

/** The flag of each option the command line sets, for messages about a bad value. */
const OPTION_FLAGS: Record<string, string> = {
  map: '--map',
  cesScale: '--ces-scale',
  csatScale: '--csat-scale',
  cesDirection: '--ces-direction',
  groupBy: '--group-by',
  keep: '--keep',
  lang: '--lang',
  ratingScale: '--rating-scale',
  dateOrder: '--date-order',
  referenceDate: '--reference-date',
  encoding: '--encoding',
  workers: '--workers',
  chunkSize: '--chunk-size',
  window: '--window',
  windowIdleMs: '--window-idle',
  taxonomy: '--taxonomy',
  arrayPath: '--array-path',
}

/**
 * A problem as one line: bad option values are named by their flag, and
 * messages quoting a file's content (a JSON parser's) lose their line breaks.
 */
export function problemLine(error: Error): string {
  let message = error.message
  if (error instanceof RecensioError && error.code === 'invalid_option' && error.issues.length > 0) {
    message = error.issues
      .map((issue) => {
        const flag = OPTION_FLAGS[issue.field.split('.')[0]!]
        return flag === undefined ? issue.message : issue.message.replace(/^(?:report )?option "[^"]*": /, `${flag}: `)
      })
      .join('; ')
  }
  return terminalText(message.replace(/\s*[\r\n]+\s*/g, ' ').trim())
}

/** Control characters other than tab and line feed: C0, DEL and C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * Text for a terminal: the control characters a message may quote from the
 * input (a JSON parser's error quotes the line; ids and column names are the
 * file's) written as `\u001b` escapes, so an escape sequence or a NUL in a
 * file never reaches the terminal raw.
 */
export function terminalText(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

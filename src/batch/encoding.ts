/**
 * Input encodings other than UTF-8. Spreadsheets on Windows save "CSV" in the
 * system's ANSI code page: Windows-1252 for Spanish and Italian. Such input is
 * decoded as it streams and handed on as UTF-8, so everything after the
 * reader sees UTF-8 only.
 */
import { type Readable, Transform } from 'node:stream'
import type { InputEncoding } from '../review/options.js'

export { INPUT_ENCODINGS, type InputEncoding } from '../review/options.js'

/** Whether an encoding names UTF-8 (either spelling). */
export function isUtf8(encoding: InputEncoding): encoding is 'utf-8' | 'utf8' {
  return encoding === 'utf-8' || encoding === 'utf8'
}

/**
 * A stream that turns bytes in `encoding` into UTF-8 bytes (a character cut
 * between two pieces is carried over).
 *
 * @param encoding The input's encoding (not UTF-8).
 * @returns A Transform to pipe the raw bytes through.
 */
export function toUtf8(encoding: Exclude<InputEncoding, 'utf-8' | 'utf8'>): Transform {
  const decoder = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding)
  // A UTF-8 byte-order mark ("CSV UTF-8" from Excel) says the bytes are UTF-8 already: passed on as they are.
  let first = true
  let utf8 = false
  return new Transform({
    transform(piece: Buffer, _enc, done) {
      if (first && piece.length > 0) {
        first = false
        utf8 = piece.length >= 3 && piece[0] === 0xef && piece[1] === 0xbb && piece[2] === 0xbf
      }
      done(null, utf8 ? piece : Buffer.from(decoder.decode(piece, { stream: true }), 'utf8'))
    },
    flush(done) {
      const rest = utf8 ? '' : decoder.decode()
      done(null, rest === '' ? undefined : Buffer.from(rest, 'utf8'))
    },
  })
}

/**
 * `raw` as UTF-8: itself when `encoding` is UTF-8 (or not given), else decoded
 * as it streams, with errors passed on and closing the result closing `raw`.
 */
export function asUtf8(raw: Readable, encoding: InputEncoding | undefined): Readable {
  if (encoding === undefined || isUtf8(encoding)) return raw
  const out = raw.pipe(toUtf8(encoding))
  raw.on('error', (error: Error) => out.destroy(error))
  out.on('close', () => raw.destroy())
  return out
}

/**
 * Input encodings other than UTF-8. Spreadsheets on Windows save "CSV" in the
 * system's ANSI code page: Windows-1252 for Spanish and Italian. Such input is
 * decoded as it streams and handed on as UTF-8, so everything after the
 * reader sees UTF-8 only.
 */
import { type Readable, Transform } from 'node:stream'
import type { InputEncoding } from '../review/options.js'
import { type WideText, hasInvalidUtf8 } from './detect.js'

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
 * @param counted Told the length of each piece taken (the file's progress: decoded accents outgrow it).
 * @returns A Transform to pipe the raw bytes through.
 */
export function toUtf8(encoding: Exclude<InputEncoding, 'utf-8' | 'utf8'>, counted?: (bytes: number) => void): Transform {
  const decoder = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding)
  // A UTF-8 byte-order mark ("CSV UTF-8" from Excel) says the bytes are UTF-8 already: passed on as they are.
  // So do bytes past ASCII that read as valid UTF-8 (one file of a batch exported as UTF-8, another from
  // Excel on Windows): Windows-1252 text almost never does ("é" then a letter is not UTF-8), and decoding
  // UTF-8 as Windows-1252 would turn "★★★★☆" and every accent into mojibake. ASCII reads the same either way,
  // so the choice waits for the first piece past it.
  let first = true
  let decided = false
  let utf8 = false
  /** Undecided: the bytes past ASCII that end a piece (a character the piece cut, in UTF-8), held for the next. */
  let held: Buffer | null = null
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      counted?.(chunk.length)
      let piece = chunk
      if (first && piece.length > 0) {
        first = false
        utf8 = piece.length >= 3 && piece[0] === 0xef && piece[1] === 0xbb && piece[2] === 0xbf
        decided = utf8
      }
      if (!decided) {
        if (held !== null) [piece, held] = [Buffer.concat([held, piece]), null]
        const whole = wholeUtf8End(piece)
        if (!isAscii(piece.subarray(0, whole))) {
          decided = true
          utf8 = !hasInvalidUtf8(piece, false)
        } else if (whole < piece.length) [piece, held] = [piece.subarray(0, whole), piece.subarray(whole)]
      }
      done(null, utf8 || !decided ? piece : Buffer.from(decoder.decode(piece, { stream: true }), 'utf8'))
    },
    flush(done) {
      // Bytes held to the end did not finish a UTF-8 character: Windows-1252 then.
      const rest = utf8 ? '' : decoder.decode(held ?? undefined)
      done(null, rest === '' ? undefined : Buffer.from(rest, 'utf8'))
    },
  })
}

/** Where `piece` ends but for a UTF-8 character it cuts off: a lead byte near its end with fewer continuation bytes than it needs. */
function wholeUtf8End(piece: Uint8Array): number {
  let k = piece.length - 1
  while (k >= 0 && k > piece.length - 4 && (piece[k]! & 0xc0) === 0x80) k--
  if (k < 0 || piece[k]! < 0xc0) return piece.length
  const lead = piece[k]!
  const needs = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2
  return piece.length - k < needs ? k : piece.length
}

/** Whether every byte is ASCII (reads the same in UTF-8 and Windows-1252). */
function isAscii(piece: Uint8Array): boolean {
  for (let i = 0; i < piece.length; i++) if (piece[i]! >= 0x80) return false
  return true
}

/** Wide text decoded as it streams: the UTF-8 bytes, and the bytes taken so far (the file's progress). */
export interface WideDecoded {
  stream: Readable
  bytesIn(): number
}

/**
 * UTF-16 bytes (Google Play Console's review exports, Excel's "Unicode
 * text") or UTF-32 bytes as UTF-8, decoded as they stream: a character cut
 * between two pieces is carried over, the byte order mark is dropped, and
 * an unpaired surrogate, a number past U+10FFFF or a cut last character
 * becomes U+FFFD. Errors of `raw` are passed on, and closing the result
 * closes `raw`.
 *
 * @param raw The wide bytes.
 * @param wide Their width and byte order (from `wideText`).
 */
export function wideToUtf8(raw: Readable, wide: WideText): WideDecoded {
  const decoder = wide.width === 4 ? new Utf32Decoder(wide.order === 'little-endian') : new TextDecoder(wide.order === 'little-endian' ? 'utf-16le' : 'utf-16be')
  let bytes = 0
  const decode = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length
      const text = decoder.decode(chunk, { stream: true })
      done(null, text === '' ? undefined : Buffer.from(text, 'utf8'))
    },
    flush(done) {
      const rest = decoder.decode()
      done(null, rest === '' ? undefined : Buffer.from(rest, 'utf8'))
    },
  })
  return { stream: decodedThrough(raw, decode), bytesIn: () => bytes }
}

/** UTF-32 as TextDecoder decodes UTF-16 (which has no UTF-32 decoder): a character cut between two pieces is carried over. */
class Utf32Decoder {
  private carry: Buffer = Buffer.alloc(0)
  private started = false

  constructor(private readonly littleEndian: boolean) {}

  decode(piece?: Uint8Array, options?: { stream?: boolean }): string {
    const bytes = piece === undefined ? this.carry : this.carry.length === 0 ? Buffer.from(piece.buffer, piece.byteOffset, piece.length) : Buffer.concat([this.carry, piece])
    const whole = bytes.length & ~3
    // Two UTF-16 code units at most per character; one more for a cut last character.
    const units = new Uint16Array((whole >> 1) + 1)
    let n = 0
    for (let at = 0; at < whole; at += 4) {
      const code = this.littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at)
      if (!this.started) {
        this.started = true
        if (code === 0xfeff) continue
      }
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) units[n++] = 0xfffd
      else if (code > 0xffff) {
        units[n++] = 0xd800 + ((code - 0x10000) >> 10)
        units[n++] = 0xdc00 + ((code - 0x10000) & 0x3ff)
      } else units[n++] = code
    }
    this.carry = bytes.subarray(whole)
    if (options?.stream !== true && this.carry.length > 0) {
      units[n++] = 0xfffd
      this.carry = Buffer.alloc(0)
    }
    return Buffer.from(units.buffer, 0, 2 * n).toString('utf16le')
  }
}

/** `raw` piped through a decoder, with errors of `raw` passed on and closing the result closing `raw`. */
function decodedThrough(raw: Readable, decoder: Transform): Readable {
  const out = raw.pipe(decoder)
  raw.on('error', (error: Error) => out.destroy(error))
  out.on('close', () => raw.destroy())
  return out
}

/**
 * `raw` as UTF-8: itself when `encoding` is UTF-8 (or not given), else decoded
 * as it streams, with errors passed on and closing the result closing `raw`.
 *
 * @param counted Told the length of each piece of `raw` decoded.
 */
export function asUtf8(raw: Readable, encoding: InputEncoding | undefined, counted?: (bytes: number) => void): Readable {
  if (encoding === undefined || isUtf8(encoding)) return raw
  return decodedThrough(raw, toUtf8(encoding, counted))
}

/**
 * A JSON array of reviews (`[{…}, {…}]`, on one line or indented, as
 * scrapers and APIs export them) → chunks of rows, one per element, streamed:
 * the array is never parsed whole. The scanner follows strings, escapes and
 * nesting byte by byte to find where each top-level element ends; the
 * workers parse each element as they parse a JSON line, so an element that is
 * not an object, or not valid JSON, becomes an error row like a bad line.
 *
 * A string that runs into a raw newline is broken (valid JSON escapes every
 * newline): an exporter that did not escape a quote ("a 5" screen") has
 * turned the rest of the text inside out. From there the element ends before
 * the first line that looks like the next element: it starts with "{" at the
 * broken element's own indentation (column 0 when that element did not start
 * its line), right after a ",". So the damage stays one error row, as a bad
 * line does in JSON Lines, in the two layouts exports use (one element per
 * line, or indented), and a nested object or a text's own line break does
 * not pass for an element. Valid arrays never take this path.
 */
import { JsonRowChunker } from './jsonl.js'
import type { BytesChunk } from './protocol.js'

const NEWLINE = 0x0a
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
}

/** Where the scanner is: before the opening bracket, between elements, inside one, after the closing bracket, after text that follows the array (reported once, then ignored). */
const At = { Start: 0, Between: 1, Element: 2, End: 3, Garbage: 4 } as const
type At = (typeof At)[keyof typeof At]

/** JSON array bytes in, chunks of elements out (each element one row). */
export class JsonArrayChunker extends JsonRowChunker {
  private at: At = At.Start
  private depth = 0
  private inString = false
  private escaped = false
  /** Whether the element has a string broken by a raw newline. */
  private broken = false
  /** Column of the element's first byte when only spaces came before it on its line, else -1. */
  private indent = -1
  /** Column of the next byte; whether only spaces came before it on its line; the last byte that was not a space. */
  private col = 0
  private blank = true
  private prev = 0
  /** Line of the byte being read, and of the element being read. */
  private line = 1
  private rowLine = 1

  feed(buf: Uint8Array, out: BytesChunk[]): void {
    let from = this.at === At.Element ? 0 : -1
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]!
      // Where the byte sits, for telling the next element after a broken string.
      const col = this.col
      const blank = this.blank
      const prev = this.prev
      if (c === NEWLINE) {
        this.line++
        this.col = 0
        this.blank = true
      } else {
        this.col++
        if (!isSpace(c)) {
          this.blank = false
          this.prev = c
        }
      }
      const at = this.at
      if (at === At.Garbage) continue
      if (at === At.Start || at === At.End) {
        // Another array right after the first ("[…][…]") is read on; anything else is reported once.
        if (c === OPEN_BRACKET) this.at = At.Between
        else if (!isSpace(c)) {
          this.garbage(out, at === At.Start ? 'the file does not start with "["' : `line ${this.line} has text after the end of the JSON array; it was not read`)
        }
        continue
      }
      if (at === At.Between) {
        if (isSpace(c) || c === COMMA) continue
        if (c === CLOSE_BRACKET) {
          this.at = At.End
          continue
        }
        // The element's first byte is read below, as part of it.
        this.startElement(blank ? col : -1)
        from = i
      } else if (this.broken && c === OPEN_BRACE && blank && prev === COMMA && col === Math.max(0, this.indent)) {
        // The next element's first line: the broken one ends before it.
        this.endElement(buf.subarray(from, i), i, out)
        this.startElement(col)
        from = i
      }
      if (this.inString) {
        if (c === NEWLINE) {
          this.broken = true
          this.escaped = false
        } else if (this.escaped) this.escaped = false
        else if (c === BACKSLASH) this.escaped = true
        else if (c === QUOTE) this.inString = false
        continue
      }
      if (c === QUOTE) this.inString = true
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth > 0) {
          if (--this.depth === 0) {
            this.endElement(buf.subarray(from, i + 1), i + 1, out)
            from = -1
          }
        } else {
          // "]" after a bare value (a number, a string): the value ends, and so does the array.
          this.endElement(buf.subarray(from, i), i, out)
          from = -1
          this.at = c === CLOSE_BRACKET ? At.End : At.Garbage
        }
      } else if (c === COMMA && this.depth === 0) {
        this.endElement(buf.subarray(from, i), i, out)
        from = -1
      }
    }
    if (this.at === At.Element && from >= 0) this.add(buf.subarray(from))
    this.base += buf.length
  }

  end(out: BytesChunk[]): void {
    const b = this.builder
    let unterminated = false
    this.rowEnd = this.base
    if (this.at === At.Element && this.depth === 0 && !this.inString) {
      // A bare value (a number) that the file ends after: a row of its own, and the array is not closed.
      this.closeRow()
      b.problemRow(this.line, 'truncated', `the file ends at line ${this.line} before the JSON array is closed with "]": it may be cut off`)
    } else if (this.at === At.Element) {
      // Cut inside an element: it is the chunk's unterminated last row.
      unterminated = true
      this.closeRow()
    } else if (this.at === At.Between) {
      b.problemRow(this.line, 'truncated', `the file ends at line ${this.line} before the JSON array is closed with "]": it may be cut off`)
    } else if (this.at === At.Start && this.base > 0) {
      b.problemRow(this.line, 'invalid_row', 'the file holds no JSON array')
    }
    if (b.rows > 0) out.push(this.take(unterminated))
  }

  private startElement(indent: number): void {
    this.indent = indent
    this.at = At.Element
    this.depth = 0
    this.inString = false
    this.escaped = false
    this.broken = false
    this.rowLine = this.line
  }

  private endElement(piece: Uint8Array, endInBuf: number, out: BytesChunk[]): void {
    this.add(piece)
    this.rowEnd = this.base + endInBuf
    this.closeRow()
    this.at = At.Between
    if (this.builder.full) out.push(this.take(false))
  }

  private closeRow(): void {
    const b = this.builder
    if (this.skipped >= 0) this.endSkipped(this.rowLine, `the element at line ${this.rowLine}`)
    else b.endRow(this.rowLine)
  }

  private garbage(out: BytesChunk[], message: string): void {
    this.builder.problemRow(this.line, 'invalid_row', message)
    this.at = At.Garbage
    if (this.builder.full) out.push(this.take(false))
  }
}

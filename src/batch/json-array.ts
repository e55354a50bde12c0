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
 * not pass for an element.
 *
 * An array written on one line has no line to go by. There a string is also
 * broken when what follows it cannot follow a string in JSON (`"5" wide"`:
 * a letter after the closing quote), and until a line break the element ends
 * before the first `}, {` whose object starts with the broken element's own
 * first key (`{"id":`): exports write every element's keys in one order, and
 * a nested object (a shop's reply) seldom starts with the element's first
 * key. Valid arrays never take either path.
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
const COLON = 0x3a
/** Longest first key (with its quotes) the one-line resync looks for. */
const MAX_KEY_BYTES = 64

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
  /** A string has just closed: the next byte that is not a space must be one that can follow it. */
  private afterString = false
  /** Whether the element has had no line break yet. */
  private oneLine = true
  /** The element's first key, quotes included (keyState 0: not seen yet, 1: being read, 2: read, or none). */
  private readonly key = new Uint8Array(MAX_KEY_BYTES)
  private keyLength = 0
  private keyState = 0
  /**
   * The one-line resync: how much of `}` `,` `{` first-key `:` has been read
   * (0: none, 1: "}", 2: ",", 3: "{" and `keyMatched` bytes of the key,
   * 4: the whole key), and where its "{" is in the input.
   */
  private sync = 0
  private keyMatched = 0
  private syncAt = 0

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
        this.oneLine = false
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
      } else if (this.broken && this.oneLine && this.keyLength > 0 && this.skipped < 0 && this.resync(c, this.base + i)) {
        // The next element of a one-line array, read through its first key and ":".
        from = this.splitAt(this.syncAt, buf, from, out)
        continue
      }
      if (this.inString) {
        if (c === NEWLINE) {
          this.broken = true
          this.escaped = false
        } else if (this.escaped) this.escaped = false
        else if (c === BACKSLASH) this.escaped = true
        else if (c === QUOTE) {
          this.inString = false
          this.afterString = true
        }
        if (this.keyState === 1) this.readKey(c)
        continue
      }
      if (this.afterString && !isSpace(c)) {
        this.afterString = false
        if (c !== COLON && c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET) this.broken = true
      }
      if (c === QUOTE) {
        this.inString = true
        if (this.keyState === 0 && this.depth === 1) {
          this.keyState = 1
          this.keyLength = 0
          this.readKey(c)
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++
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
    } else if (this.at === At.Element && this.broken) {
      // A broken string ran to the end: the array's "]" is in the element, which is a bad row, not a cut-off one.
      this.closeRow()
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
    this.afterString = false
    this.oneLine = true
    this.keyState = 0
    this.keyLength = 0
    this.sync = 0
    this.rowLine = this.line
  }

  /** A byte of the element's first key (from its opening quote to its closing one). */
  private readKey(c: number): void {
    if (this.keyLength === MAX_KEY_BYTES) {
      // Too long to look for: no resync for this element.
      this.keyLength = 0
      this.keyState = 2
      return
    }
    this.key[this.keyLength++] = c
    if (c === QUOTE && this.keyLength > 1 && !this.escaped) this.keyState = 2
  }

  /** Read a byte of a broken one-line element; true when it completes `}` `,` `{` first-key `:` (the "{" is at `syncAt`). */
  private resync(c: number, offset: number): boolean {
    const space = isSpace(c)
    switch (this.sync) {
      case 1:
        if (c === COMMA) this.sync = 2
        else if (!space && c !== CLOSE_BRACE) this.sync = 0
        return false
      case 2:
        if (c === OPEN_BRACE) {
          this.sync = 3
          this.keyMatched = 0
          this.syncAt = offset
        } else if (!space) this.sync = c === CLOSE_BRACE ? 1 : 0
        return false
      case 3:
        if (space && this.keyMatched === 0) return false
        if (c === this.key[this.keyMatched]) {
          if (++this.keyMatched === this.keyLength) this.sync = 4
          return false
        }
        break
      case 4:
        if (c === COLON) {
          this.sync = 0
          return true
        }
        if (space) return false
        break
    }
    this.sync = c === CLOSE_BRACE ? 1 : 0
    return false
  }

  /**
   * End the broken element before input offset `at` (a "{" already read, up
   * to the current byte) and go on in the next element, past its first key.
   *
   * @returns Where the next element's bytes start in `buf`.
   */
  private splitAt(at: number, buf: Uint8Array, from: number, out: BytesChunk[]): number {
    const inBuf = at - this.base
    let moved: Uint8Array | null = null
    if (inBuf >= from) this.endElement(buf.subarray(from, inBuf), inBuf, out)
    else {
      // The "{" came in an earlier piece: its bytes so far move from the broken element to the next.
      const row = this.builder.rowView()
      moved = row.slice(row.length - (this.base - at))
      this.builder.trim(moved.length)
      this.rowEnd = at
      this.closeRow()
      this.at = At.Between
      if (this.builder.full) out.push(this.take(false))
    }
    const keyLength = this.keyLength
    this.startElement(-1)
    // Inside the next element's object, past its first key, which is the broken one's.
    this.depth = 1
    this.keyState = 2
    this.keyLength = keyLength
    if (moved !== null) this.add(moved)
    return Math.max(inBuf, 0)
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

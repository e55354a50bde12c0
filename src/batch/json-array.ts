/**
 * A JSON array of reviews (`[{…}, {…}]`, on one line or indented, as
 * scrapers and APIs export them) → chunks of rows, one per element, streamed:
 * the array is never parsed whole. The scanner follows strings, escapes and
 * nesting byte by byte to find where each top-level element ends; the
 * workers parse each element as they parse a JSON line, so an element that is
 * not an object, or not valid JSON, becomes an error row like a bad line.
 *
 * An element is broken when an exporter did not escape a quote ("a 5"
 * screen"), which turns the rest of its text inside out. It shows as a
 * string that runs into a raw newline (valid JSON escapes every newline), or
 * as a byte JSON's grammar does not allow where it stands (` screen` after a
 * string, a letter after a ","), checked loosely outside strings; an
 * element's closing "}" only ends it when a "," or "]" comes next (or a "{":
 * JSON Lines in brackets), as a stray quote can close its object early, and
 * a broken element's own braces and commas end nothing. From there it ends before
 * the first line that looks like the next element: it starts with "{" at the
 * broken element's own indentation (column 0 when that element did not start
 * its line), right after a ",". So the damage stays one error row, as a bad
 * line does in JSON Lines, in the two layouts exports use (one element per
 * line, or indented), and a nested object or a text's own line break does
 * not pass for an element.
 *
 * An array written on one line has no line to go by: until a line break a
 * broken element ends before the first `, {` whose object starts with the
 * first key of the elements (`{"id":`, read from the last element whose first
 * key and ":" came whole), whatever its nesting or strings seemed to be:
 * exports write every element's keys in one order, and a nested object (a
 * shop's reply) seldom starts with that key. Valid arrays never take either
 * path, and their rows are the same bytes, however the input is cut.
 *
 * An input that starts with "{" is an object that holds the array (an API's
 * answer, or pages of them one after another): a `WrapperScanner` follows
 * it to the array, which is read as above, and then to its end.
 */
import {
  ARRAY,
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  Expect,
  NEWLINE,
  OBJECT,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  isLiteralByte,
  isSpace,
} from './json-bytes.js'
import { Step, WrapperScanner, pathText } from './json-wrapper.js'
import { JsonRowChunker } from './jsonl.js'
import type { ErrorCode } from '../review/index.js'
import type { BytesChunk } from './protocol.js'

/** Longest first key (with its quotes) the one-line resync looks for. */
const MAX_KEY_BYTES = 64
/** Deepest nesting whose grammar is checked (deeper elements are not checked). */
const MAX_CHECKED_DEPTH = 256

/**
 * Where the scanner is: before the opening bracket, between elements, inside
 * one, after the closing bracket, after text that follows the array (reported
 * once, then ignored), or after an element's closing "}" or "]" until a ","
 * or "]" says it really ended (a string closed early by a stray quote can
 * close its object too soon). When an object wraps the array
 * (`{"reviews": […]}`): in that object before the array (Outer), after it
 * (Tail), after the object's closing "}" (After), and past a damaged one,
 * until the next object starts a line (Skip). The wrapper states come after
 * Closed, so the bytes of elements pay one test for them.
 */
const At = { Start: 0, Between: 1, Element: 2, End: 3, Garbage: 4, Closed: 5, Outer: 6, Tail: 7, After: 8, Skip: 9 } as const
type At = (typeof At)[keyof typeof At]

/** JSON array bytes (bare, or in objects that hold it) in, chunks of elements out (each element one row). */
export class JsonArrayChunker extends JsonRowChunker {
  private at: At = At.Start
  private depth = 0
  private inString = false
  private escaped = false
  /** Whether the element is broken: a string ran into a raw newline, or a byte stood where JSON's grammar allows none. */
  private broken = false
  /** Column of the element's first byte when only spaces came before it on its line, else -1. */
  private indent = -1
  /** Column of the next byte; whether only spaces came before it on its line; the last byte that was not a space. */
  private col = 0
  private blank = true
  private prev = 0
  /** The line of a "," that came after the array's "]" (0: none since the last element): the "]" may have been in a broken text. */
  private reopened = 0
  /** Where the element that may have ended ends in the input, and the spaces read since. */
  private closedAt = 0
  private trailing = 0
  /** Line of the byte being read, and of the element being read. */
  private line = 1
  private rowLine = 1
  /** What the grammar lets come next, the open containers (OBJECT, ARRAY) and whether the open string is a key. */
  private expect: Expect = Expect.Value
  private readonly stack = new Uint8Array(MAX_CHECKED_DEPTH)
  private sp = 0
  private keyString = false
  /** Whether the element has had no line break yet. */
  private oneLine = true
  /**
   * The first key (quotes included) of the last element whose first key and
   * ":" were read whole, which the one-line resync looks for; and the element
   * being read's own first key (keyState 0: not seen yet, 1: being read,
   * 2: read, waiting for its ":", 3: done or none).
   */
  private readonly key = new Uint8Array(MAX_KEY_BYTES)
  private keyLength = 0
  private readonly ownKey = new Uint8Array(MAX_KEY_BYTES)
  private ownKeyLength = 0
  private keyState = 0
  /**
   * The one-line resync: how much of `,` `{` first-key `:` has been read
   * (0: none, 1: ",", 2: "{" and `keyMatched` bytes of the key, 3: the whole
   * key), and where its "{" is in the input.
   */
  private sync = 0
  private keyMatched = 0
  private syncAt = 0
  /** The object around the array, when the input starts with "{" (null: a bare array). */
  private wrapper: WrapperScanner | null = null
  /** Line of the wrapping object's "{". */
  private wrapperLine = 0
  /** Column of the wrapping object's "{" when it starts its line, else -1: a broken element ends before the next object there. */
  private wrapperCol = -1
  /**
   * Whether the objects that hold the array are one per line (pages of
   * answers: one closed on the line it started, where it started a line): a
   * "{" that starts a line where they start is the next page, however the
   * one before it ended.
   */
  private pageLines = false
  /** The key path of the first array read in a wrapping object ("reviews", "data.items"), once found. */
  path: string | null = null

  /**
   * @param chunkSize Rows per chunk, at most.
   * @param maxRowBytes The longest row kept.
   * @param window Rows per window (0: none), where chunks also end.
   * @param want In an input that is an object: the keys down to the array to read; null for its first array of objects.
   */
  constructor(
    chunkSize: number,
    maxRowBytes: number,
    window = 0,
    private readonly want: readonly string[] | null = null,
  ) {
    super(chunkSize, maxRowBytes, window)
  }

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
      let at = this.at
      if (at === At.Garbage) continue
      if (this.pageLines && c === OPEN_BRACE && blank && col === this.wrapperCol && at !== At.After && at !== At.Skip) {
        // The next page, though this one was cut off: its whole elements are rows, and the rest one error row.
        if (at === At.Element) this.endElement(buf.subarray(from, i), i, out)
        else {
          if (at === At.Closed) this.endRow(this.closedAt, out)
          this.problem(out, this.wrapperLine, 'truncated', `the JSON object that starts at line ${this.wrapperLine} is cut off before line ${this.line}; the next one is read`)
        }
        from = -1
        this.openWrapper(col)
        continue
      }
      if (at > At.Closed || (at === At.End && this.wrapper !== null)) {
        // In an object that holds the array: before it, after it, after the object, or skipping a damaged one.
        const wrapper = this.wrapper!
        if (at === At.End) {
          // The array has been read: the object around it goes on.
          wrapper.resume()
          this.at = at = At.Tail
        }
        if (at === At.After || at === At.Skip) {
          // Objects one after another (pages of an API's answers) are read on; a damaged one is skipped to the next.
          if (c === OPEN_BRACE && (at === At.After || (blank && col === Math.max(0, this.wrapperCol)))) this.openWrapper(blank ? col : -1)
          else if (at === At.After && !isSpace(c)) this.damaged(out, `line ${this.line} has text after the end of the JSON object; it was not read`)
          continue
        }
        if (at === At.Tail && wrapper.wantsKey && c !== QUOTE && c !== CLOSE_BRACE && !isSpace(c)) {
          // A "," after the array's "]" and no key (nor the object's end): the "]" was in a text broken by a stray quote, and the elements go on.
          this.reopened = this.line
          this.at = at = At.Between
        } else {
          const step = wrapper.step(c)
          if (step === Step.Continue) continue
          if (step === Step.Found) {
            this.path ??= pathText(wrapper.found!)
            this.at = At.Between
            // Found at the array's "[" (a path asked for), or at its first element's "{", read below as the element's.
            if (c === OPEN_BRACKET) continue
            at = At.Between
          } else if (step === Step.Closed) {
            if (this.line === this.wrapperLine && this.wrapperCol >= 0) this.pageLines = true
            this.at = At.After
            if (at === At.Outer) this.problem(out, this.wrapperLine, 'invalid_row', this.noArray())
            continue
          } else {
            this.damaged(
              out,
              at === At.Outer
                ? `line ${this.line}: the JSON object that starts at line ${this.wrapperLine} is not valid JSON (${wrapper.problem}); it was not read`
                : `line ${this.line} has text after the end of the JSON array that is not valid JSON (${wrapper.problem}); it was not read`,
            )
            continue
          }
        }
      }
      if (at === At.Closed) {
        if (isSpace(c)) {
          this.trailing++
          continue
        }
        if (c === COMMA || c === CLOSE_BRACKET || c === OPEN_BRACE || c === OPEN_BRACKET) {
          this.endRow(this.closedAt, out)
          // "{" or "[": a comma is missing, and the next element starts here.
          if (c === COMMA || c === CLOSE_BRACKET) {
            this.at = c === CLOSE_BRACKET ? At.End : At.Between
            continue
          }
          at = At.Between
        } else {
          // Not the end after all: the "}" was in the text, and the element goes on, broken.
          this.at = at = At.Element
          this.broken = true
          this.depth = 1
          if (this.trailing > 0) this.add(new Uint8Array(this.trailing).fill(0x20))
          from = i
        }
      }
      if (at === At.Start || at === At.End) {
        // Another array right after the first ("[…][…]") is read on; a "," means the "]" was in a
        // text broken by a stray quote, and the elements go on; anything else is reported once.
        if (c === OPEN_BRACKET) this.at = At.Between
        else if (c === OPEN_BRACE && at === At.Start) this.openWrapper(blank ? col : -1)
        else if (c === COMMA && at === At.End) {
          this.at = At.Between
          this.reopened = this.line
        }
        else if (!isSpace(c)) {
          this.garbage(out, at === At.Start ? 'the file does not start with "[" or "{"' : `line ${this.line} has text after the end of the JSON array; it was not read`)
        }
        continue
      }
      if (at === At.Between) {
        if (isSpace(c) || c === COMMA) continue
        if (c === CLOSE_BRACKET) {
          this.at = At.End
          continue
        }
        // The element's first byte is read below, as part of it. One that
        // starts mid-line (what follows a "}" that was in a broken text) is
        // told from the next element by the indentation of the one before.
        this.startElement(blank ? col : this.indent)
        from = i
      } else if (this.broken && c === OPEN_BRACE && blank && prev !== COMMA && col === this.wrapperCol && this.wrapper !== null) {
        // The next object that holds an array (a page of answers, one after another; no "," before it, as before
        // the next element): the broken element takes the rest of its own, also when the page was cut off inside it.
        this.endElement(buf.subarray(from, i), i, out)
        from = -1
        this.openWrapper(col)
        continue
      } else if (this.broken && c === OPEN_BRACE && blank && prev === COMMA && col === Math.max(0, this.indent)) {
        // The next element's first line: the broken one ends before it.
        this.endElement(buf.subarray(from, i), i, out)
        this.startElement(col)
        from = i
      } else if (this.broken && this.oneLine) {
        // A broken element of a one-line array: its strings and nesting mean
        // nothing any more; it ends where the next element starts (read
        // through its first key and ":"), or with the input.
        if (this.keyLength > 0 && this.skipped < 0 && this.resync(c, this.base + i)) from = this.splitAt(this.syncAt, buf, from, out)
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
          if (this.expect !== Expect.Unchecked) this.expect = this.keyString ? Expect.Colon : Expect.AfterValue
        }
        if (this.keyState === 1) this.readKey(c, !this.inString)
        continue
      }
      if (this.expect !== Expect.Unchecked && !this.broken && !this.grammatical(c)) {
        this.broken = true
        // The byte that broke it may start the next element's "," too.
        this.sync = 0
        this.resync(c, this.base + i)
      }
      if (c === QUOTE) {
        this.inString = true
        if (this.keyState === 0 && this.depth === 1) {
          this.keyState = 1
          this.ownKeyLength = 0
          this.readKey(c, false)
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth > 0) {
          // A broken element's nesting means little: it ends by the rules for broken elements only.
          if (--this.depth === 0 && !this.broken) {
            // The element ends here if a "," or "]" comes next.
            this.add(buf.subarray(from, i + 1))
            this.closedAt = this.base + i + 1
            this.trailing = 0
            this.at = At.Closed
            from = -1
          }
        } else if (!this.broken) {
          // "]" after a bare value (a number, a string): the value ends, and so does the array.
          // A "}" there closes nothing: the value ends, and the "}" is passed over.
          this.endElement(buf.subarray(from, i), i, out)
          from = -1
          if (c === CLOSE_BRACKET) this.at = At.End
        }
        // (A broken element's nesting means little: a stray "}", "]" or "," does not end it.)
      } else if (c === COMMA && this.depth === 0 && !this.broken) {
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
    // The last element is whole, but the array is not closed (said below, as for any array left open).
    if (this.at === At.Closed) this.endRow(this.closedAt, out)
    if (this.at === At.Element && this.broken && (this.prev === CLOSE_BRACKET || (this.wrapper !== null && this.prev === CLOSE_BRACE))) {
      // A broken string ran to the end: the array's "]" (or the object's "}" around it) is in the element, which is a bad row, not a cut-off one.
      this.closeRow()
    } else if (this.at === At.Element && this.depth === 0 && !this.inString && !this.broken) {
      // A bare value (a number) that the file ends after: a row of its own, and the array is not closed.
      this.closeRow()
      b.problemRow(this.line, 'truncated', `the file ends at line ${this.line} before the JSON array is closed with "]": it may be cut off`)
    } else if (this.at === At.Element) {
      // Cut inside an element: it is the chunk's unterminated last row.
      unterminated = true
      this.closeRow()
    } else if (this.at === At.Between && this.reopened > 0) {
      // Only a "," after the array's "]": text after the array, not an array cut off.
      b.problemRow(this.reopened, 'invalid_row', `line ${this.reopened} has text after the end of the JSON array; it was not read`)
    } else if (this.at === At.Between) {
      b.problemRow(this.line, 'truncated', `the file ends at line ${this.line} before the JSON array is closed with "]": it may be cut off`)
    } else if (this.at === At.Start && this.base > 0) {
      b.problemRow(this.line, 'invalid_row', 'the file holds no JSON array')
    } else if (this.at === At.Outer) {
      b.problemRow(this.line, 'truncated', `the file ends at line ${this.line} inside the JSON object that starts at line ${this.wrapperLine}, before ${this.want === null ? 'an array of reviews' : `the array at "${pathText(this.want)}"`}: it may be cut off`)
    } else if (this.wrapper !== null && (this.at === At.End || this.at === At.Tail)) {
      b.problemRow(this.line, 'truncated', `the file ends at line ${this.line} before the JSON object around the array is closed with "}": it may be cut off`)
    }
    if (b.rows > 0) out.push(this.take(unterminated))
  }

  /**
   * Hand out the finished rows. When reading stops for good, an element that
   * has closed is one of them; for a pause (a quiet window) it waits for its
   * "," or "]": a "}" in a text broken by a stray quote looks the same.
   */
  override flush(out: BytesChunk[], stopping = false): void {
    if (stopping && this.at === At.Closed) this.endRow(this.closedAt, out)
    super.flush(out)
  }

  /** An object starts where an array is looked for: the array is in it. */
  private openWrapper(col: number): void {
    this.wrapper = new WrapperScanner(this.want)
    this.wrapperLine = this.line
    this.wrapperCol = col
    this.wrapper.step(OPEN_BRACE)
    this.at = At.Outer
  }

  /** Why a wrapping object gave no rows. */
  private noArray(): string {
    return this.want === null
      ? `the JSON object that starts at line ${this.wrapperLine} holds no array of objects (reviews); name the array to read with the arrayPath option (--array-path)`
      : `the JSON object that starts at line ${this.wrapperLine} holds no array at "${pathText(this.want)}"`
  }

  private startElement(indent: number): void {
    this.reopened = 0
    this.indent = indent
    this.at = At.Element
    this.depth = 0
    this.inString = false
    this.escaped = false
    this.broken = false
    this.expect = Expect.Value
    this.sp = 0
    this.oneLine = true
    this.keyState = 0
    this.sync = 0
    this.rowLine = this.line
  }

  /**
   * Whether byte `c` (outside strings) may come here by JSON's grammar, and
   * what may come after it. A loose check, to tell where a string broke:
   * the worker's JSON.parse has the last word on every element.
   */
  private grammatical(c: number): boolean {
    let e = this.expect
    if (e === Expect.Literal) {
      if (isLiteralByte(c)) return true
      e = this.expect = Expect.AfterValue
    }
    if (isSpace(c)) return true
    const top = this.sp === 0 ? 0 : this.stack[this.sp - 1]!
    const valueHere = e === Expect.Value || e === Expect.ValueOrEnd
    switch (c) {
      case QUOTE:
        this.keyString = e === Expect.Key || e === Expect.KeyOrEnd
        return valueHere || this.keyString
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (!valueHere) return false
        if (this.sp === MAX_CHECKED_DEPTH) {
          this.expect = Expect.Unchecked
          return true
        }
        this.stack[this.sp++] = c === OPEN_BRACE ? OBJECT : ARRAY
        this.expect = c === OPEN_BRACE ? Expect.KeyOrEnd : Expect.ValueOrEnd
        return true
      case CLOSE_BRACE:
        if (top !== OBJECT || (e !== Expect.KeyOrEnd && e !== Expect.AfterValue)) return false
        this.sp--
        this.expect = Expect.AfterValue
        return true
      case CLOSE_BRACKET:
        // After a bare value, the array's own "]".
        if (this.sp === 0) return e === Expect.AfterValue
        if (top !== ARRAY || (e !== Expect.ValueOrEnd && e !== Expect.AfterValue)) return false
        this.sp--
        this.expect = Expect.AfterValue
        return true
      case COMMA:
        if (e !== Expect.AfterValue) return false
        this.expect = top === OBJECT ? Expect.Key : Expect.Value
        return true
      case COLON:
        if (e !== Expect.Colon) return false
        this.expect = Expect.Value
        if (this.keyState === 2 && this.sp === 1) {
          // The element's first key, read whole: the one to look for after a break.
          this.key.set(this.ownKey.subarray(0, this.ownKeyLength))
          this.keyLength = this.ownKeyLength
          this.keyState = 3
        }
        return true
      default:
        if (!valueHere || !isLiteralByte(c)) return false
        this.expect = Expect.Literal
        return true
    }
  }

  /** A byte of the element's first key (from its opening quote to its closing one). */
  private readKey(c: number, closing: boolean): void {
    if (this.ownKeyLength === MAX_KEY_BYTES) {
      // Too long to look for: the last element's key stays.
      this.keyState = 3
      return
    }
    this.ownKey[this.ownKeyLength++] = c
    if (closing) this.keyState = 2
  }

  /** Read a byte of a broken one-line element; true when it completes `,` `{` first-key `:` (the "{" is at `syncAt`). */
  private resync(c: number, offset: number): boolean {
    const space = isSpace(c)
    switch (this.sync) {
      case 1:
        if (c === OPEN_BRACE) {
          this.sync = 2
          this.keyMatched = 0
          this.syncAt = offset
          return false
        }
        if (space) return false
        break
      case 2:
        if (space && this.keyMatched === 0) return false
        if (c === this.key[this.keyMatched]) {
          if (++this.keyMatched === this.keyLength) this.sync = 3
          return false
        }
        break
      case 3:
        if (c === COLON) {
          this.sync = 0
          return true
        }
        if (space) return false
        break
    }
    this.sync = c === COMMA ? 1 : 0
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
    if (inBuf < from) {
      // The "{" came in an earlier piece: its bytes so far move from the broken element to the next.
      const row = this.builder.rowView()
      moved = row.slice(row.length - (this.base - at))
      this.builder.trim(moved.length)
    }
    this.endElement(buf.subarray(from, Math.max(from, inBuf)), inBuf, out)
    this.startElement(-1)
    // Inside the next element's object, past its first key (the broken one's) and ":": a value comes next.
    this.depth = 1
    this.stack[0] = OBJECT
    this.sp = 1
    this.expect = Expect.Value
    this.keyState = 3
    if (moved !== null) this.add(moved)
    return Math.max(inBuf, 0)
  }

  /** End the element with `piece`, the rest of its bytes in this buffer, which end at `endInBuf`. */
  private endElement(piece: Uint8Array, endInBuf: number, out: BytesChunk[]): void {
    this.add(piece)
    this.endRow(this.base + endInBuf, out)
  }

  /** The element is a row, its bytes in the input ending at `end`; the next is looked for. */
  private endRow(end: number, out: BytesChunk[]): void {
    this.rowEnd = end
    this.closeRow()
    this.at = At.Between
    if (this.builder.full) out.push(this.take(false))
  }

  private closeRow(): void {
    const b = this.builder
    if (this.skipped >= 0) this.endSkipped(this.rowLine, `the element at line ${this.rowLine}`)
    else b.endRow(this.rowLine)
  }

  /** Text an object that holds the array cannot have: said once, and skipped to the next object that starts a line where the first did (the next page). */
  private damaged(out: BytesChunk[], message: string): void {
    this.garbage(out, message)
    this.at = At.Skip
  }

  private garbage(out: BytesChunk[], message: string): void {
    this.problem(out, this.line, 'invalid_row', message)
    this.at = At.Garbage
  }

  /** A row of no bytes that says what is wrong; the chunk goes out if it is full. */
  private problem(out: BytesChunk[], line: number, code: ErrorCode, message: string): void {
    this.builder.problemRow(line, code, message)
    if (this.builder.full) out.push(this.take(false))
  }
}

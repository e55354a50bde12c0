/**
 * CSV lines made straight from recensio's JSON output lines, without parsing
 * them into objects. Most of a line's ~800 bytes are the journey's evidence
 * and spans, which the CSV does not show: `JSON.parse` of the whole line cost
 * four times `csvLine` itself (about 10 µs a row against 2.5), and the CSV
 * write took five times the JSON Lines one.
 *
 * A line is `JSON.stringify` of a result or an error row as recensio builds
 * them (`analyzeValid`, `RowValidator`, the stage's error rows): its keys in
 * that order, no whitespace, a finite number written as `String(n)` (so its
 * text is its cell), strings with JSON's escapes. The scanner expects that
 * layout key by key, reads the values the CSV shows and steps over the rest
 * (a journey tag's evidence and spans without reading them, see `journey`).
 * Where a line differs in anything (a key missing, added or moved, a value of
 * another type) it is read with `JSON.parse` and `csvLine` instead, so every
 * line comes out as `csvLine` writes it; `fallbacks` counts those lines. (A
 * line that is not JSON, which recensio never writes, is not always refused
 * as `JSON.parse` refuses it: the values stepped over are not checked.)
 *
 * It reads the bytes as Latin-1, one character a byte, which costs a tenth of
 * decoding them as UTF-8 (the layout is ASCII either way); a string that
 * holds other bytes, or an escape, is decoded from the bytes as UTF-8.
 */
import type { ResultRow } from '../review/index.js'
import { CSV_COLUMNS, csvLine, textCell } from './csv-output.js'

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const MINUS = 0x2d
const PLUS = 0x2b
const DOT = 0x2e
const LOWER_E = 0x65
const UPPER_E = 0x45
const DIGIT_0 = 0x30
const DIGIT_9 = 0x39
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
/** Bytes from here on belong to a character beyond ASCII. */
const NOT_ASCII = 0x80

function isDigit(b: number): boolean {
  return b >= DIGIT_0 && b <= DIGIT_9
}

const EMPTY: Buffer = Buffer.alloc(0)

/** Thrown inside the scanner for a line it does not expect; never leaves it. */
const UNEXPECTED = new Error('an output line the CSV scanner does not expect')

function column(name: (typeof CSV_COLUMNS)[number]): number {
  return CSV_COLUMNS.indexOf(name)
}

const ID = column('id')
const OK = column('ok')
const ROW = column('row')
const PRODUCT = column('product')
const AUTHOR = column('author')
const DATE = column('date')
const DAYLESS = column('dayless')
const RATING = column('rating')
const LANGUAGE = column('language')
const LANGUAGE_CONFIDENCE = column('language.confidence')
const SCORE = column('sentiment.score')
const LABEL = column('sentiment.label')
const STARS = column('sentiment.stars')
const JOURNEY = column('journey')
const JOURNEY_SENTIMENT = column('journey.sentiment')
const FAKE_SCORE = column('authenticity.fakeScore')
const VERDICT = column('authenticity.verdict')
const SIGNALS = column('authenticity.signals')
const REASONS = column('authenticity.reasons')
const ERROR_FIELD = column('error.field')
const ERROR_CODE = column('error.code')
const ERROR_MESSAGE = column('error.message')

/** The keys of a result row after `date` that the CSV does not show, in their order (`analyzeValid`). */
const UNSHOWN_TAIL = [',"channel":', ',"segment":', ',"survey":', ',"warnings":']

/** Where a journey tag's sentiment starts, after its evidence and spans. */
const TAG_SENTIMENT = ',"sentiment":{"score":'

/** What a string scanned held besides plain ASCII characters. */
const ESCAPED = 1
const WIDE = 2

/**
 * Turns blocks of output lines into CSV lines, as `csvLine(JSON.parse(line), keep)`
 * would: one per batch of `analyze --format csv`.
 */
export class JsonToCsv {
  /** Lines read with `JSON.parse` and `csvLine`, their layout not the one expected. */
  fallbacks = 0
  /** The cells of the line being made: the fixed columns, then the kept fields. */
  private readonly cells: string[]
  /** Each kept key's cells (a key kept twice fills two). */
  private readonly keepCells = new Map<string, number[]>()
  /** The line each kept cell was last filled for, to tell that every kept key was there. */
  private readonly filledAt: Int32Array
  private lineNo = 0
  private filled = 0
  // The scanner's place: the bytes, the same read as Latin-1, where it is, and where the line ends.
  private bytes: Buffer = EMPTY
  private s = ''
  private p = 0
  private end = 0
  /** What the last string scanned held (ESCAPED, WIDE). */
  private held = 0

  /** @param keep The kept input fields (`--keep`), in column order. */
  constructor(private readonly keep: readonly string[]) {
    this.cells = new Array<string>(CSV_COLUMNS.length + keep.length).fill('')
    this.filledAt = new Int32Array(keep.length).fill(-1)
    keep.forEach((key, k) => {
      const at = this.keepCells.get(key)
      if (at === undefined) this.keepCells.set(key, [CSV_COLUMNS.length + k])
      else at.push(CSV_COLUMNS.length + k)
    })
  }

  /**
   * The CSV lines of a block of output lines.
   *
   * @param bytes Output lines as UTF-8, each ended by a newline.
   * @returns One CSV line per output line, each ended by a newline.
   */
  lines(bytes: Buffer): string {
    const s = bytes.toString('latin1')
    this.bytes = bytes
    this.s = s
    let out = ''
    for (let pos = 0; pos < s.length; ) {
      let nl = s.indexOf('\n', pos)
      if (nl < 0) nl = s.length
      out += `${this.lineAt(pos, nl)}\n`
      pos = nl + 1
    }
    this.bytes = EMPTY
    this.s = ''
    return out
  }

  private lineAt(from: number, to: number): string {
    try {
      return this.line(from, to)
    } catch (error) {
      if (error !== UNEXPECTED) throw error
      this.fallbacks++
      return csvLine(JSON.parse(this.bytes.toString('utf8', from, to)) as ResultRow, this.keep)
    }
  }

  private line(from: number, to: number): string {
    const cells = this.cells
    cells.fill('')
    this.lineNo++
    this.filled = 0
    this.p = from
    this.end = to
    this.expect('{"id":')
    cells[ID] = this.cell()
    if (this.has(',"ok":true,"row":')) {
      cells[OK] = 'true'
      cells[ROW] = this.cell()
      this.result()
    } else {
      this.expect(',"ok":false,"row":')
      cells[OK] = 'false'
      cells[ROW] = this.cell()
      this.expect(',"error":{"field":')
      cells[ERROR_FIELD] = this.cell()
      this.expect(',"code":')
      cells[ERROR_CODE] = this.cell()
      this.expect(',"message":')
      cells[ERROR_MESSAGE] = this.cell()
      this.expect('}')
    }
    if (this.has(',"fields":')) this.fields()
    this.expect('}')
    if (this.p !== to) throw UNEXPECTED
    return cells.join(',')
  }

  /** A result row's members after `row`, up to its `fields`. */
  private result(): void {
    const cells = this.cells
    this.expect(',"language":{"code":')
    cells[LANGUAGE] = this.cell()
    this.expect(',"confidence":')
    cells[LANGUAGE_CONFIDENCE] = this.cell()
    this.expect(',"source":')
    this.skip()
    this.expect('},"sentiment":{"score":')
    cells[SCORE] = this.cell()
    this.expect(',"label":')
    cells[LABEL] = this.cell()
    this.expect(',"stars":')
    cells[STARS] = this.cell()
    this.expect(',"confidence":')
    this.skip()
    if (this.has(',"explain":')) this.skip()
    this.expect('},"journey":[')
    this.journey()
    this.expect(',"authenticity":{"fakeScore":')
    cells[FAKE_SCORE] = this.cell()
    this.expect(',"verdict":')
    cells[VERDICT] = this.cell()
    this.expect(',"signals":[')
    this.signals()
    this.expect('},"rating":')
    cells[RATING] = this.cell()
    this.expect(',"date":')
    cells[DATE] = this.cell()
    if (this.has(',"dayless":')) cells[DAYLESS] = this.cell()
    if (this.has(',"product":')) cells[PRODUCT] = this.cell()
    if (this.has(',"author":')) cells[AUTHOR] = this.cell()
    for (const key of UNSHOWN_TAIL) if (this.has(key)) this.skip()
  }

  /**
   * The journey's tags (after its `[`, up to and with its `]`): the stages,
   * and each with its sentiment label. A tag's evidence and spans, most of a
   * line's bytes, are not read: the scanner goes on at the next
   * `,"sentiment":{"score":`, which no string can hold (its quotes would be
   * escaped) and no span or evidence has, so it is the tag's own (`tagJourney`
   * writes every tag with it, last).
   */
  private journey(): void {
    let stages = ''
    let labelled = ''
    if (!this.has(']')) {
      let first = true
      do {
        this.expect('{"stage":')
        const stage = this.string()
        this.expect(',"confidence":')
        this.skip()
        this.expect(',"evidence":[')
        const at = this.s.indexOf(TAG_SENTIMENT, this.p)
        if (at < 0 || at >= this.end) throw UNEXPECTED
        this.p = at + TAG_SENTIMENT.length
        this.skip()
        this.expect(',"label":')
        const label = this.string()
        this.expect('}}')
        if (first) {
          stages = stage
          labelled = `${stage}:${label}`
          first = false
        } else {
          stages += `;${stage}`
          labelled += `;${stage}:${label}`
        }
      } while (this.more(CLOSE_BRACKET))
    }
    this.cells[JOURNEY] = textCell(stages)
    this.cells[JOURNEY_SENTIMENT] = textCell(labelled)
  }

  /** The signals (after their `[`, up to and with their `]`): the types, and the reasons. */
  private signals(): void {
    let types = ''
    let reasons = ''
    if (!this.has(']')) {
      let first = true
      do {
        this.expect('{"type":')
        const type = this.string()
        this.expect(',"strength":')
        this.skip()
        this.expect(',"reason":')
        const reason = this.string()
        // The evidence members that follow vary by signal; none is shown.
        while (this.more(CLOSE_BRACE)) {
          this.key()
          this.skip()
        }
        if (first) {
          types = type
          reasons = reason
          first = false
        } else {
          types += `;${type}`
          reasons += ` | ${reason}`
        }
      } while (this.more(CLOSE_BRACKET))
    }
    this.cells[SIGNALS] = textCell(types)
    this.cells[REASONS] = textCell(reasons)
  }

  /** The kept fields (after `"fields":`): each key matched as JSON reads it, escapes and all; every kept key must be there. */
  private fields(): void {
    this.expect('{')
    if (!this.has('}')) {
      do {
        const key = this.key()
        const at = this.keepCells.get(key)
        if (at === undefined) {
          this.skip()
          continue
        }
        const value = this.cell()
        for (const i of at) {
          this.cells[i] = value
          const k = i - CSV_COLUMNS.length
          if (this.filledAt[k] !== this.lineNo) {
            this.filledAt[k] = this.lineNo
            this.filled++
          }
        }
      } while (this.more(CLOSE_BRACE))
    }
    // A kept key the fields lack reads, in `csvLine`, whatever the object inherits under that name.
    if (this.filled !== this.keep.length) throw UNEXPECTED
  }

  /** Step over `text`, which must come next. */
  private expect(text: string): void {
    if (!this.has(text)) throw UNEXPECTED
  }

  /** Step over `text` (ASCII) if it comes next. */
  private has(text: string): boolean {
    const { bytes, p } = this
    const n = text.length
    if (p + n > this.end) return false
    for (let i = 0; i < n; i++) if (bytes[p + i] !== text.charCodeAt(i)) return false
    this.p = p + n
    return true
  }

  /** After a member or an element: true past a comma (another follows), false past `close`. */
  private more(close: number): boolean {
    const c = this.bytes[this.p++]
    if (c === COMMA) return true
    if (c === close) return false
    throw UNEXPECTED
  }

  /** A key and its colon, read as JSON reads it. */
  private key(): string {
    const key = this.string()
    if (this.bytes[this.p++] !== COLON) throw UNEXPECTED
    return key
  }

  /** The index of the quote that closes the string opened at `p`; `held` says what it held. */
  private stringEnd(p: number): number {
    const { bytes, end } = this
    let held = 0
    for (let i = p + 1; i < end; i++) {
      const c = bytes[i]!
      if (c === QUOTE) {
        this.held = held
        return i
      }
      if (c === BACKSLASH) {
        held |= ESCAPED
        i++
      } else if (c >= NOT_ASCII) held |= WIDE
    }
    throw UNEXPECTED
  }

  /** The string whose quotes are at `p` and `q`, as JSON reads it; `held` is what it held. */
  private stringAt(p: number, q: number, held: number): string {
    if (held === 0) return this.s.slice(p + 1, q)
    if (held === WIDE) return this.bytes.toString('utf8', p + 1, q)
    return JSON.parse(this.bytes.toString('utf8', p, q + 1)) as string
  }

  /** The string that comes next, as JSON reads it; any other value is unexpected. */
  private string(): string {
    const p = this.p
    if (this.bytes[p] !== QUOTE) throw UNEXPECTED
    const q = this.stringEnd(p)
    this.p = q + 1
    return this.stringAt(p, q, this.held)
  }

  /** Step over the value that comes next. */
  private skip(): void {
    this.p = this.valueEnd(this.p)
  }

  /** Where the value at `p` ends (the position after it). */
  private valueEnd(p: number): number {
    const { bytes, end } = this
    const c = bytes[p]
    if (c === QUOTE) return this.stringEnd(p) + 1
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0
      for (let i = p; i < end; i++) {
        const b = bytes[i]
        if (b === QUOTE) i = this.stringEnd(i)
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++
        else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && --depth === 0) return i + 1
      }
      throw UNEXPECTED
    }
    // A number, true, false or null runs to the next , } or ].
    let i = p
    while (i < end) {
      const b = bytes[i]
      if (b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET) break
      i++
    }
    if (i === p) throw UNEXPECTED
    return i
  }

  /**
   * The cell of the number written from `p` to `after`: `String` of its value,
   * as `csvLine` writes it. That is the number's own text when it has no
   * exponent, at most 15 significant digits (so no shorter text reads as the
   * same double), no trailing zero after its point, and a value of 0 or from
   * 1e-6 to under 1e21 (what `String` writes without an exponent): the text
   * `JSON.stringify` writes for the scores, ratings and row numbers of a line.
   * Any other number (a kept 0.30000000000000004) is converted.
   */
  private numberCell(p: number, after: number): string {
    const bytes = this.bytes
    let i = p
    const negative = bytes[i] === MINUS
    if (negative) i++
    const start = i
    while (i < after && isDigit(bytes[i]!)) i++
    const whole = i - start
    // JSON allows no leading zero, and no point or exponent without digits: such a line is read by JSON.parse.
    if (whole === 0 || (whole > 1 && bytes[start] === DIGIT_0)) throw UNEXPECTED
    let plain = whole <= 21
    let point = i
    if (i < after && bytes[i] === DOT) {
      point = i++
      const from = i
      while (i < after && isDigit(bytes[i]!)) i++
      if (i === from) throw UNEXPECTED
      if (bytes[i - 1] === DIGIT_0) plain = false
    }
    const digitsEnd = i
    if (i < after) {
      if (bytes[i] !== LOWER_E && bytes[i] !== UPPER_E) throw UNEXPECTED
      if (++i < after && (bytes[i] === PLUS || bytes[i] === MINUS)) i++
      const from = i
      while (i < after && isDigit(bytes[i]!)) i++
      if (i === from || i !== after) throw UNEXPECTED
      plain = false
    }
    if (plain) {
      // The significant digits, from the first one not zero to the last one not zero.
      let first = start
      while (first < digitsEnd && (bytes[first] === DIGIT_0 || first === point)) first++
      if (first === digitsEnd) plain = !negative && digitsEnd === start + 1
      else {
        let last = digitsEnd - 1
        while (bytes[last] === DIGIT_0 || last === point) last--
        const significant = last - first + 1 - (first < point && point < last ? 1 : 0)
        // Under 1e-6 `String` writes an exponent: 0.000001 has five zeros after its point.
        plain = significant <= 15 && (first < point || first - point <= 6)
      }
    }
    const text = this.s.slice(p, after)
    if (plain) return text
    const n = Number(text)
    return Number.isFinite(n) ? String(n) : ''
  }

  /** The value that comes next as `csvLine` writes it in a cell. */
  private cell(): string {
    const { s, p } = this
    const c = this.bytes[p]!
    if (c === QUOTE) {
      const q = this.stringEnd(p)
      this.p = q + 1
      return textCell(this.stringAt(p, q, this.held))
    }
    const after = this.valueEnd(p)
    this.p = after
    // An object or an array (a kept value, seldom): written as csvLine writes it, whatever its text.
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return textCell(JSON.stringify(JSON.parse(this.bytes.toString('utf8', p, after))))
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return this.numberCell(p, after)
    if (after - p === 4 && s.startsWith('null', p)) return ''
    if (after - p === 4 && s.startsWith('true', p)) return 'true'
    if (after - p === 5 && s.startsWith('false', p)) return 'false'
    throw UNEXPECTED
  }
}

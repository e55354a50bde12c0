/**
 * A JSON object around the array of reviews, as APIs and some exports write
 * it: `{"reviews": [{…}, …], "next": …}`, `{"data": {"items": […]}}`,
 * `{"feed": {"entry": […]}}`. The scanner follows the object byte by byte
 * (strings, keys, nesting; loosely checked) until it reaches the array to
 * read: the one at the key path asked for (`jsonPath`, "data.items"), else
 * the first array whose first element is an object, reached through objects
 * only (an array of tags or of numbers is passed over, and so is any array
 * inside another array). Once the array has been read, the same scanner
 * follows the rest of the object to its closing "}".
 */

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/** Deepest nesting the scanner follows. */
const MAX_DEPTH = 1024
/** Longest key (in bytes, escapes included) that can be part of a path. */
const MAX_KEY_BYTES = 1024
/** Top-level keys with string values kept for `stringKeys` (the format check looks at them). */
const MAX_STRING_KEYS = 64

const OBJECT = 1
const ARRAY = 2
/** The path entry of a container that is not reached through objects only. */
const NO_KEY = null

/** What may come next. */
const Expect = { Value: 0, ValueOrEnd: 1, Key: 2, KeyOrEnd: 3, Colon: 4, AfterValue: 5, Literal: 6 } as const
type Expect = (typeof Expect)[keyof typeof Expect]

/** What a byte did: nothing of note, opened the array to read, closed the object, or broke its grammar. */
export const Step = { Continue: 0, Found: 1, Closed: 2, Invalid: 3 } as const
export type Step = (typeof Step)[keyof typeof Step]

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
}

function isLiteralByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) || b === 0x2e || b === 0x2b || b === 0x2d || b === 0x45
}

/** A key path as the summary shows it. */
export function pathText(keys: readonly string[]): string {
  return keys.join('.')
}

/**
 * Follows a JSON object from its opening "{" (the first byte given to
 * `step`) to the array of reviews in it, and after that array (see
 * `resume`) to the object's end.
 */
export class WrapperScanner {
  private readonly stack = new Uint8Array(MAX_DEPTH)
  /** The key of each open container (the root's is ""), or null when a container is reached through an array. */
  private readonly keys: (string | null)[] = []
  private depth = 0
  private expect: Expect = Expect.Value
  private inString = false
  private escaped = false
  private isKey = false
  private readonly keyBytes = new Uint8Array(MAX_KEY_BYTES)
  private keyLength = 0
  /** The last key read whole, or null when it was too long to keep. */
  private key: string | null = null
  /** The path of a "[" that may open the array: its first element decides (when looking for the first array of objects). */
  private pending: string[] | null = null
  /** The path of the array read, once found. */
  found: string[] | null = null
  /** Top-level keys whose values are strings (up to MAX_STRING_KEYS), read so far. */
  readonly stringKeys: string[] = []
  /** Why the last `Invalid` step was one. */
  problem = ''

  /** @param want The keys down to the array to read, or null for the first array of objects. */
  constructor(private readonly want: readonly string[] | null) {}

  /**
   * Read one byte. `Found` comes at the "[" of the array asked for by
   * path, or, when looking for the first array of objects, at the first
   * byte of its first element (which is not consumed: the caller reads it
   * as the element's first byte). After `Found`, call `resume` once the
   * array's "]" has been read.
   */
  step(c: number): Step {
    if (this.inString) {
      if (this.escaped) this.escaped = false
      else if (c === BACKSLASH) this.escaped = true
      else if (c === QUOTE) {
        this.inString = false
        if (this.isKey) {
          this.key = this.decodeKey()
          this.expect = Expect.Colon
        } else {
          if (this.depth === 1 && this.key !== null && this.stringKeys.length < MAX_STRING_KEYS) this.stringKeys.push(this.key)
          this.expect = Expect.AfterValue
        }
        return Step.Continue
      }
      if (this.isKey) {
        if (this.keyLength < MAX_KEY_BYTES) this.keyBytes[this.keyLength] = c
        this.keyLength++
      }
      return Step.Continue
    }
    if (this.pending !== null) {
      if (isSpace(c)) return Step.Continue
      const path = this.pending
      this.pending = null
      if (c === OPEN_BRACE) {
        this.found = path
        return Step.Found
      }
      // Not an array of objects: followed as any other value.
      if (!this.open(ARRAY)) return Step.Invalid
    }
    let e = this.expect
    if (e === Expect.Literal) {
      if (isLiteralByte(c)) return Step.Continue
      e = this.expect = Expect.AfterValue
    }
    if (isSpace(c)) return Step.Continue
    const top = this.depth === 0 ? 0 : this.stack[this.depth - 1]!
    const valueHere = e === Expect.Value || e === Expect.ValueOrEnd
    switch (c) {
      case QUOTE:
        this.isKey = e === Expect.Key || e === Expect.KeyOrEnd
        if (!valueHere && !this.isKey) return this.invalid('a string where none can be')
        this.inString = true
        this.escaped = false
        this.keyLength = 0
        return Step.Continue
      case COLON:
        if (e !== Expect.Colon) return this.invalid('a ":" where none can be')
        this.expect = Expect.Value
        return Step.Continue
      case COMMA:
        if (e !== Expect.AfterValue) return this.invalid('a "," where none can be')
        this.expect = top === OBJECT ? Expect.Key : Expect.Value
        return Step.Continue
      case OPEN_BRACE:
        if (!valueHere) return this.invalid('a "{" where none can be')
        return this.open(OBJECT) ? Step.Continue : Step.Invalid
      case OPEN_BRACKET:
        if (!valueHere) return this.invalid('a "[" where none can be')
        if (top === OBJECT) {
          const path = this.pathHere()
          if (path !== null && this.want === null) {
            this.pending = path
            return Step.Continue
          }
          if (path !== null && sameKeys(path, this.want!)) {
            this.found = path
            return Step.Found
          }
        }
        return this.open(ARRAY) ? Step.Continue : Step.Invalid
      case CLOSE_BRACE:
        if (top !== OBJECT || (e !== Expect.KeyOrEnd && e !== Expect.AfterValue)) return this.invalid('a "}" where none can be')
        return this.close()
      case CLOSE_BRACKET:
        if (top !== ARRAY || (e !== Expect.ValueOrEnd && e !== Expect.AfterValue)) return this.invalid('a "]" where none can be')
        return this.close()
      default:
        if (!valueHere || !isLiteralByte(c)) return this.invalid(`"${String.fromCharCode(c)}" where it cannot be`)
        this.expect = Expect.Literal
        return Step.Continue
    }
  }

  /** The array found has been read to its "]": go on in the object around it. */
  resume(): void {
    this.expect = Expect.AfterValue
  }

  /** Whether the scanner is where a key must come (after a ","), so a "{" there is not the object's. */
  get wantsKey(): boolean {
    return !this.inString && this.expect === Expect.Key
  }

  private invalid(why: string): Step {
    this.problem = why
    return Step.Invalid
  }

  private open(kind: number): boolean {
    if (this.depth === MAX_DEPTH) {
      this.problem = `it nests deeper than ${MAX_DEPTH} levels`
      return false
    }
    const top = this.depth === 0 ? 0 : this.stack[this.depth - 1]!
    const key = this.depth === 0 ? '' : top === OBJECT && this.keys[this.depth - 1] !== NO_KEY ? this.key : NO_KEY
    this.keys[this.depth] = kind === OBJECT ? key : NO_KEY
    this.stack[this.depth++] = kind
    this.expect = kind === OBJECT ? Expect.KeyOrEnd : Expect.ValueOrEnd
    return true
  }

  private close(): Step {
    this.depth--
    this.expect = Expect.AfterValue
    return this.depth === 0 ? Step.Closed : Step.Continue
  }

  /** The keys down to the value being read (the last key read), or null when it is reached through an array or a key could not be kept. */
  private pathHere(): string[] | null {
    if (this.key === null) return null
    const path: string[] = []
    for (let d = 1; d < this.depth; d++) {
      const k = this.keys[d]
      if (k === null || k === undefined) return null
      path.push(k)
    }
    path.push(this.key)
    return path
  }

  private decodeKey(): string | null {
    if (this.keyLength > MAX_KEY_BYTES) return null
    const raw = Buffer.from(this.keyBytes.buffer, 0, this.keyLength).toString('utf8')
    if (raw.indexOf('\\') < 0) return raw
    try {
      return JSON.parse(`"${raw}"`) as string
    } catch {
      return null
    }
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Look for the array of reviews in the first bytes of a JSON object.
 *
 * @param head Bytes from the object's "{".
 * @param want The keys down to the array, or null for the first array of objects.
 * @returns The array's path when it opens within `head`; `none` when the object closes (or breaks) first; `unknown` when `head` ends first. `stringKeys` are the top-level keys with string values read before.
 */
export function findWrappedArray(head: Uint8Array, want: readonly string[] | null): { path: string[] | 'none' | 'unknown'; stringKeys: string[] } {
  const scanner = new WrapperScanner(want)
  for (let i = 0; i < head.length; i++) {
    const step = scanner.step(head[i]!)
    if (step === Step.Found) return { path: scanner.found!, stringKeys: scanner.stringKeys }
    if (step === Step.Closed || step === Step.Invalid) return { path: 'none', stringKeys: scanner.stringKeys }
  }
  return { path: 'unknown', stringKeys: scanner.stringKeys }
}

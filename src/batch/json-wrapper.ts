/**
 * A JSON object around the array of reviews, as APIs and some exports write
 * it: `{"reviews": [{…}, …], "next": …}`, `{"data": {"items": […]}}`,
 * `{"result": {"address_components": […], "reviews": […]}}`. The scanner
 * follows the object byte by byte (strings, keys, nesting; loosely checked)
 * to the array to read: the one at a key path (`arrayPath`, "data.items"),
 * or, with none, the first array whose first element is an object, reached
 * through objects only (an array of tags or numbers is passed over, and so
 * is any array inside another array). Once that array has been read, the
 * scanner follows the rest of the object to its closing "}", reading no
 * other array. Which array a path-less input reads is chosen from its first
 * bytes (`surveyArrays`): the first array of objects whose first object has
 * a review text, as an API's answer may list other things first.
 */
import {
  ARRAY,
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  Expect,
  OBJECT,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  isLiteralByte,
  isSpace,
} from './json-bytes.js'
import { holdsText, isPlainObject, rowWrapper } from '../review/fields.js'

/** Deepest nesting the scanner follows. */
const MAX_DEPTH = 1024
/** Longest key (in bytes, escapes included) that can be part of a path. */
const MAX_PATH_KEY_BYTES = 1024
/** Top-level keys with string values kept for `stringKeys` (the format check looks at them). */
const MAX_STRING_KEYS = 64

/** What a byte did: nothing of note, opened the array to read, closed the object, or broke its grammar. */
export const Step = { Continue: 0, Found: 1, Closed: 2, Invalid: 3 } as const
export type Step = (typeof Step)[keyof typeof Step]

/** A key path as the summary shows it, and as `arrayPath` takes it. */
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
  private readonly keyBytes = new Uint8Array(MAX_PATH_KEY_BYTES)
  private keyLength = 0
  /** The last key read whole, or null when it was too long to keep. */
  private key: string | null = null
  /** The path of a "[" that may open the array: its first element decides (when looking for the first array of objects). */
  private pending: string[] | null = null
  /** Whether the array has been read: no other is looked for in this object. */
  private done = false
  /** The path of the array read, once found. */
  found: string[] | null = null
  /** The path of the first empty array reached through objects (when looking for the first array of objects): a page with no reviews. */
  empty: string[] | null = null
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
   * array's "]" has been read, or `passOver` to go on looking.
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
        if (this.keyLength < MAX_PATH_KEY_BYTES) this.keyBytes[this.keyLength] = c
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
      if (c === CLOSE_BRACKET) this.empty ??= path
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
        if (top === OBJECT && !this.done) {
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
        // A "," before the "}" is let pass, as some writers leave one.
        if (top !== OBJECT || e === Expect.Colon || e === Expect.Value) return this.invalid('a "}" where none can be')
        return this.close()
      case CLOSE_BRACKET:
        if (top !== ARRAY || (e !== Expect.ValueOrEnd && e !== Expect.AfterValue && e !== Expect.Value)) return this.invalid('a "]" where none can be')
        return this.close()
      default:
        if (!valueHere || !isLiteralByte(c)) return this.invalid(`"${String.fromCharCode(c)}" where it cannot be`)
        this.expect = Expect.Literal
        return Step.Continue
    }
  }

  /** The array found has been read to its "]": go on in the object around it, reading no other array. */
  resume(): void {
    this.done = true
    this.expect = Expect.AfterValue
  }

  /** The array found at its first element is not the one: follow it as any other value (the caller then steps its first byte again). */
  passOver(): void {
    this.open(ARRAY)
  }

  /** Whether the last byte read is inside a string (a key or a value). */
  get inText(): boolean {
    return this.inString
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
    const key = this.depth === 0 ? '' : top === OBJECT && this.keys[this.depth - 1] !== null ? this.key : null
    this.keys[this.depth] = kind === OBJECT ? key : null
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
    if (this.keyLength > MAX_PATH_KEY_BYTES) return null
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
 * Whether a line starts a JSON object that goes on after it (valid so far,
 * not closed, and not inside a string): an object written over several
 * lines. A line that stops inside a string is a JSON Lines row broken by a
 * line break in its text.
 */
export function opensOnto(line: Uint8Array): boolean {
  // A path no array has: every array is followed as a value.
  const scanner = new WrapperScanner([])
  for (let i = 0; i < line.length; i++) {
    const step = scanner.step(line[i]!)
    if (step === Step.Closed || step === Step.Invalid) return false
  }
  return !scanner.inText
}

/** What the first bytes of JSON objects say about the array of reviews in them. */
export interface ArraySurvey {
  /**
   * The array to read: the first array of objects with a review text in one
   * of its first objects, else the first array of objects, else (the object
   * ended with none) its first empty array, as an answer with no reviews
   * holds; null when none opens in the bytes.
   */
  path: string[] | null
  /** Whether `path`'s array has objects with a review text. */
  textual: boolean
  /** Whether the (last) object ended (or broke) within the bytes. */
  ended: boolean
  /** The first object's top-level keys with string values, read before the scan stopped. */
  stringKeys: string[]
  /** True when `path` is an empty array, taken for want of an array of objects (a page with no reviews, or a row's empty list). */
  empty?: true
}

/** Objects of a candidate array looked into for a review text. */
const ELEMENTS_LOOKED_AT = 5

/**
 * Look for the array of reviews in the first bytes of a JSON object, or of
 * several objects one after another (pages, when `objects` > 1).
 *
 * @param head Bytes from the first object's "{".
 * @param isText Whether a key names a review text.
 * @param objects How many objects one after another to look into, at most.
 */
export function surveyArrays(head: Uint8Array, isText: (key: string) => boolean, objects = 1): ArraySurvey {
  let scanner = new WrapperScanner(null)
  let stringKeys = scanner.stringKeys
  let first: string[] | null = null
  let empty: string[] | null = null
  let seen = 1
  for (let i = 0; i < head.length; i++) {
    const step = scanner.step(head[i]!)
    if (step === Step.Found) {
      const path = scanner.found!
      if (hasText(head, i, isText)) return { path, textual: true, ended: false, stringKeys }
      first ??= path
      scanner.passOver()
      scanner.step(head[i]!)
    } else if (step === Step.Invalid) return { path: first, textual: false, ended: true, stringKeys }
    else if (step === Step.Closed) {
      // The next object, if it comes before anything else.
      let next = i + 1
      while (next < head.length && isSpace(head[next]!)) next++
      if (seen === objects || next >= head.length || head[next] !== OPEN_BRACE) {
        const path = first ?? empty ?? scanner.empty
        return first === null && path !== null ? { path, textual: false, ended: true, stringKeys, empty: true } : { path, textual: false, ended: true, stringKeys }
      }
      empty ??= scanner.empty
      scanner = new WrapperScanner(null)
      seen++
      i = next - 1
    }
  }
  return { path: first, textual: false, ended: false, stringKeys }
}

/**
 * A JSON object that starts at `bytes[0]` and ends within them without an
 * array at `want`: where it ends and the paths of the arrays of objects it
 * holds (for the message that refuses it). Null when it holds that array, is
 * not valid JSON, or does not end within the bytes.
 *
 * @param bytes Bytes from the object's "{".
 * @param want The keys down to the array asked for.
 */
export function lacksArray(bytes: Uint8Array, want: readonly string[]): { end: number; arrays: string[] } | null {
  const asked = new WrapperScanner(want)
  let end = -1
  for (let i = 0; i < bytes.length && end < 0; i++) {
    const step = asked.step(bytes[i]!)
    if (step === Step.Found || step === Step.Invalid) return null
    if (step === Step.Closed) end = i + 1
  }
  if (end < 0) return null
  const arrays: string[] = []
  const any = new WrapperScanner(null)
  for (let i = 0; i < end; i++) {
    const step = any.step(bytes[i]!)
    if (step !== Step.Found) continue
    arrays.push(pathText(any.found!))
    any.passOver()
    any.step(bytes[i]!)
  }
  return { end, arrays }
}

/** Whether one of the first objects of the array whose first object starts at `head[from]` has a review text, within `head`. */
function hasText(head: Uint8Array, from: number, isText: (key: string) => boolean): boolean {
  let depth = 0
  let inString = false
  let escaped = false
  let start = from
  let looked = 0
  for (let i = from; i < head.length; i++) {
    const c = head[i]!
    if (inString) {
      if (escaped) escaped = false
      else if (c === BACKSLASH) escaped = true
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) inString = true
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth++ === 0) start = i
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0 && --depth === 0) {
      const element = head.subarray(start, i + 1)
      if (objectHasText(Buffer.from(element.buffer, element.byteOffset, element.length).toString('utf8'), isText) === true) return true
      if (++looked === ELEMENTS_LOOKED_AT) return false
    } else if (depth === 0 && (c === CLOSE_BRACKET || c === CLOSE_BRACE)) return false
  }
  return false
}

/**
 * Whether JSON text is an object with a review text (a string under a key
 * `isText` names); null when it is not valid JSON.
 */
export function objectHasText(json: string, isText: (key: string) => boolean): boolean | null {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null
  }
  // Or its fields in a wrapper, as JSON:API, GraphQL and Google Play rows keep them (`rowWrapper`).
  return holdsText(value, isText) || (isPlainObject(value) && rowWrapper(value, isText) !== null)
}

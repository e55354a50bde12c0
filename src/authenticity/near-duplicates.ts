/**
 * `NearDuplicateIndex`: near-duplicate lookup for reviews that arrive one at a
 * time (a moderation queue that screens testimonials before publishing them,
 * a pipeline). A batch finds copies within itself; this index keeps the
 * fingerprints of the reviews added so far and tells which of them a new
 * review repeats, with the same fingerprint, LSH bands and similarity
 * estimate as the batch (see fingerprint.ts).
 */
import { RecensioError, describeValue } from '../review/index.js'
import { makeDoc } from '../text/index.js'
import { Column } from './columns.js'
import { DUPLICATE_SIMILARITY } from './duplicates.js'
import { BANDS, STORED_WORDS, estimateSimilarity, exactHash, fingerprint } from './fingerprint.js'
import { LONE_SURROGATE, type RestoredIndex, indexFromBytes, indexToBytes } from './near-duplicates-bytes.js'

/** A review added earlier that a text repeats. */
export interface NearDuplicate {
  /** The id it was added with. */
  id: string
  /** Estimated word-3-gram Jaccard similarity, 1 for the same text. */
  similarity: number
}

/** Options of a `NearDuplicateIndex`. */
export interface NearDuplicateIndexOptions {
  /** Similarity from which a review counts as a near-duplicate (default 0.45, as in a batch). */
  threshold?: number | undefined
}

/** `NearDuplicateIndex.add`'s options, as an object. */
export interface NearDuplicateAddOptions {
  /** Most matches returned (default 10). */
  limit?: number | undefined
}

/** What `match` returns, and which stored review it leaves out. */
export interface NearDuplicateMatchOptions {
  /** Most matches returned (default 10). */
  limit?: number | undefined
  /**
   * The id the text belongs to (an edited review checked before it replaces
   * its published text): that id's stored text is left out, as `add` leaves
   * it out, so a review is not reported as a copy of itself.
   */
  id?: string | undefined
}

/** Candidates read per LSH bucket, newest first: a text copied thousands of times is found through its latest copies. */
const MAX_BUCKET_READ = 256

/**
 * Reviews added so far, by fingerprint. Texts with fewer than five content
 * words have no fingerprint: they are neither matched nor stored (short
 * copies — "Great product!" — are too common to mean anything alone). An id
 * added again (an edited or re-submitted review) replaces its earlier text:
 * a review is never reported as a copy of itself, and matches name each id
 * once. A stored review takes about 0.8 kB (80 MB per 100,000); replaced and
 * deleted texts are dropped once they outnumber the stored ones. `add` and
 * `match` take 16–24 µs per review. `toBytes` and `NearDuplicateIndex.fromBytes`
 * keep an index across restarts (145 bytes per stored review plus its id).
 *
 * @example
 * const index = new NearDuplicateIndex()
 * index.add('r1', 'The blender crushes ice in seconds and the jar is easy to clean.')
 * index.match('The blender crushes ice in seconds and the jar is so easy to clean!')
 * // → [{ id: 'r1', similarity: 0.643 }]
 */
export class NearDuplicateIndex {
  private readonly threshold: number
  private ids: string[] = []
  /** Per stored review: shingle count, text hash, bands and sketch (STORED_WORDS), and the last call that compared it. */
  private counts = new Column(Int32Array)
  private exact = new Column(Float64Array)
  private store = new Column(Uint32Array, STORED_WORDS)
  private stamp = new Column(Uint32Array)
  /** 1 for a stored review whose id was added again or deleted since (its buckets still point at it). */
  private replaced = new Column(Uint8Array)
  /** Id → the stored review holding its latest text. */
  private latest = new Map<string, number>()
  /** Per band: band value → the stored review with it, or the list of them (most values are held once). */
  private buckets: Map<number, number | number[]>[] = Array.from({ length: BANDS }, () => new Map())
  private round = 0

  constructor(given: NearDuplicateIndexOptions = {}) {
    const options: NearDuplicateIndexOptions = given ?? {}
    if (typeof options !== 'object') throw refused('options', 'invalid_option', `options must be an object, got ${describeValue(options)}`)
    const unknown = Object.keys(options).filter((k) => k !== 'threshold')
    if (unknown.length > 0) {
      const message = `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`
      throw new RecensioError(
        'invalid_option',
        `NearDuplicateIndex: ${message}`,
        unknown.map((field) => ({ field, code: 'invalid_option', message: `unknown option "${field}"` })),
      )
    }
    const threshold = options.threshold ?? DUPLICATE_SIMILARITY
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
      throw refused('threshold', 'invalid_option', `threshold must be a number in (0, 1], got ${describeValue(threshold)}`)
    }
    this.threshold = threshold
  }

  /** Reviews stored (those with a fingerprint; an id added again counts once). */
  get size(): number {
    return this.latest.size
  }

  /**
   * The stored reviews a text repeats, most similar first (ties: earliest
   * added first). A text stored thousands of times is matched through its
   * 256 latest copies per LSH band.
   *
   * @param text A review's text.
   * @param options Most matches returned (a number, default 10), or `{ limit, id }`: with `id`, that id's stored text is left out.
   */
  match(text: string, options: number | NearDuplicateMatchOptions = 10): NearDuplicate[] {
    const { limit, id } = limitOptions(options, 'match')
    const sig = signatureOf(text, 'match')
    if (sig === null) return []
    const own = id === undefined ? undefined : this.latest.get(id)
    return this.find(sig, limit, own)
  }

  /**
   * Store a review, and return the stored reviews it repeats (as `match` would
   * have, before it was stored, leaving out an earlier text of the same id):
   * one call screens and remembers. Adding an id again replaces its earlier
   * text, which later calls no longer match; with a text too short to
   * fingerprint (an edit down to "Great!") the id is forgotten, as `delete`
   * forgets it: it no longer counts in `size`.
   *
   * @param id The review's id, returned by later matches (a well-formed string: one with a lone UTF-16 surrogate is refused).
   * @param text Its text.
   * @param options Most matches returned (a number, default 10), or `{ limit }`, as `match` takes it.
   */
  add(id: string, text: string, options: number | NearDuplicateAddOptions = 10): NearDuplicate[] {
    checkId(id, 'add')
    // An id stored must survive `toBytes`, whose UTF-8 cannot hold half of a surrogate pair.
    if (LONE_SURROGATE.test(id)) {
      throw refused('id', 'invalid_value', `expected a well-formed string id, got ${describeValue(id)} with a lone UTF-16 surrogate (half of an emoji cut off?)`, 'NearDuplicateIndex.add')
    }
    const { limit } = limitOptions(options, 'add')
    const sig = signatureOf(text, 'add')
    if (sig === null) {
      // The review no longer reads as its earlier text: no later call may name it for that.
      this.delete(id)
      return []
    }
    const previous = this.latest.get(id)
    if (previous !== undefined) this.replaced.set(previous, 1)
    const found = this.find(sig, limit)
    const k = this.ids.length
    this.ids.push(id)
    this.latest.set(id, k)
    this.counts.set(k, sig.words[0]!)
    this.exact.set(k, sig.exact)
    this.store.setRow(k, sig.words.subarray(1))
    this.stamp.set(k, 0)
    this.replaced.set(k, 0)
    for (let b = 0; b < BANDS; b++) addToBucket(this.buckets[b]!, sig.words[1 + b]!, k)
    if (previous !== undefined) this.compactIfMostlyGone()
    return found
  }

  /**
   * Forget a review (a testimonial withdrawn, rejected after all, or erased on
   * request): later calls no longer match its text.
   *
   * @param id The id it was added with.
   * @returns Whether the id was stored.
   */
  delete(id: string): boolean {
    checkId(id, 'delete')
    const k = this.latest.get(id)
    if (k === undefined) return false
    this.replaced.set(k, 1)
    this.latest.delete(id)
    this.compactIfMostlyGone()
    return true
  }

  /**
   * The index as bytes, to keep across restarts (in a file, a database
   * column): `NearDuplicateIndex.fromBytes` gives back an index that answers
   * every later call as this one would. They hold the ids and fingerprints of
   * the stored reviews, never their texts, and of a deleted or replaced text
   * only its band values, until the index drops it.
   *
   * @returns A new `Uint8Array`: about 145 bytes per stored review, plus its id.
   */
  toBytes(): Uint8Array {
    const { threshold, ids, counts, exact, store, replaced } = this
    return indexToBytes({ threshold, ids, counts, exact, store, replaced }, this.latest.size)
  }

  /**
   * The index whose bytes `toBytes` gave, as it was then: the same matches,
   * similarities and order, and the same threshold. Throws a `RecensioError`
   * (`invalid_file`) saying what it expected and found for bytes cut short,
   * changed, of another format version, or saved by a recensio whose
   * fingerprints differ.
   *
   * @param bytes What `toBytes` returned, or a `Buffer` of it read back from a file.
   * @returns A new index.
   */
  static fromBytes(bytes: Uint8Array | ArrayBuffer): NearDuplicateIndex {
    const saved = indexFromBytes(bytes)
    // `this`, not the class's name: a static member that names its class makes the
    // bundler rename the class (`_NearDuplicateIndex`), as with RecensioError.
    const index = new this({ threshold: saved.threshold })
    index.restore(saved)
    return index
  }

  /** Take the columns of a saved index, and rebuild its buckets (each in row order, as `add` filled them). */
  private restore(saved: RestoredIndex): void {
    this.ids = saved.ids
    this.counts = saved.counts
    this.exact = saved.exact
    this.store = saved.store
    this.replaced = saved.replaced
    this.latest = saved.latest
    const rows = saved.ids.length
    // The stamps of the rows read by the last calls are not saved: a call only tells its own marks apart.
    if (rows > 0) this.stamp.set(rows - 1, 0)
    this.rebuildBuckets()
  }

  /**
   * The LSH buckets of the stored rows, each in row order, as `add` fills
   * them. One band at a time: filling one map, rather than all twelve row by
   * row, takes half the time.
   */
  private rebuildBuckets(): void {
    const rows = this.ids.length
    this.buckets = Array.from({ length: BANDS }, () => new Map())
    for (let b = 0; b < BANDS; b++) {
      const bucket = this.buckets[b]!
      for (let k = 0; k < rows; k++) addToBucket(bucket, this.store.get(k, b), k)
    }
  }

  /**
   * Copy the live reviews into new columns and buckets once replaced and
   * deleted texts outnumber them (and MIN_COMPACT): memory stays within about
   * twice what the live reviews need however often texts are edited, at a
   * cost spread over the calls that made them garbage. Order is kept, so
   * ties and bucket reads (newest first) come out as before.
   */
  private compactIfMostlyGone(): void {
    const gone = this.ids.length - this.latest.size
    if (gone < MIN_COMPACT || gone <= this.latest.size) return
    const ids: string[] = []
    const counts = new Column(Int32Array)
    const exact = new Column(Float64Array)
    const store = new Column(Uint32Array, STORED_WORDS)
    const stamp = new Column(Uint32Array)
    const replaced = new Column(Uint8Array)
    for (let k = 0; k < this.ids.length; k++) {
      if (this.replaced.get(k) === 1) continue
      const n = ids.length
      const id = this.ids[k]!
      ids.push(id)
      this.latest.set(id, n)
      counts.set(n, this.counts.get(k))
      exact.set(n, this.exact.get(k))
      const { chunk, offset } = this.store.at(k)
      store.setRow(n, chunk.subarray(offset, offset + STORED_WORDS))
      stamp.set(n, 0)
      replaced.set(n, 0)
    }
    this.ids = ids
    this.counts = counts
    this.exact = exact
    this.store = store
    this.stamp = stamp
    this.replaced = replaced
    this.rebuildBuckets()
  }

  /** The stored reviews `sig` repeats, leaving out stored review `skip` (an id's own text). */
  private find(sig: Signature, limit: number, skip = -1): NearDuplicate[] {
    const words = sig.words
    if (this.round === 0xffffffff) {
      // The marks of which stored reviews a call has compared would wrap: start them over.
      for (let k = 0; k < this.ids.length; k++) this.stamp.set(k, 0)
      this.round = 0
    }
    const round = ++this.round
    const found: { k: number; similarity: number }[] = []
    for (let b = 0; b < BANDS; b++) {
      const bucket = this.buckets[b]!.get(words[1 + b]!)
      if (bucket === undefined) continue
      if (typeof bucket === 'number') {
        if (bucket !== skip) this.check(sig, bucket, round, found)
        continue
      }
      for (let i = bucket.length - 1; i >= Math.max(0, bucket.length - MAX_BUCKET_READ); i--) {
        if (bucket[i] !== skip) this.check(sig, bucket[i]!, round, found)
      }
    }
    found.sort((x, y) => y.similarity - x.similarity || x.k - y.k)
    return found.slice(0, limit).map(({ k, similarity }) => ({ id: this.ids[k]!, similarity: Math.round(similarity * 1000) / 1000 }))
  }

  private check(sig: Signature, k: number, round: number, found: { k: number; similarity: number }[]): void {
    if (this.stamp.get(k) === round) return
    this.stamp.set(k, round)
    if (this.replaced.get(k) === 1) return
    const words = sig.words
    let similarity = 1
    if (this.exact.get(k) !== sig.exact) {
      const { chunk, offset } = this.store.at(k)
      similarity = estimateSimilarity(words, 1, words[0]!, chunk, offset, this.counts.get(k), this.threshold)
    }
    if (similarity >= this.threshold) found.push({ k, similarity })
  }
}
// The CommonJS build assigns the class to exports.NearDuplicateIndex, which gives it no name of its own ("").
Object.defineProperty(NearDuplicateIndex, 'name', { value: 'NearDuplicateIndex' })

/** Replaced or deleted texts kept before the index is compacted, at least (see `compactIfMostlyGone`). */
const MIN_COMPACT = 1024

function addToBucket(bucket: Map<number, number | number[]>, key: number, k: number): void {
  const held = bucket.get(key)
  if (held === undefined) bucket.set(key, k)
  else if (typeof held === 'number') bucket.set(key, [held, k])
  else held.push(k)
}

interface Signature {
  /** Shingle count, bands, sketch (as `fingerprint` gives them). */
  words: Uint32Array
  exact: number
}

/** The error for one bad argument, with its issue (`issues[0].field` names the argument). */
function refused(field: string, code: 'invalid_option' | 'invalid_value', message: string, where = 'NearDuplicateIndex'): RecensioError {
  return new RecensioError(code, `${where}: ${message}`, [{ field, code, message }])
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw refused('limit', 'invalid_option', `limit must be a whole number of matches, at least 1, got ${describeValue(limit)}`)
}

/**
 * The limit (and for `match`, the id) of an options argument: a number, or
 * `{ limit }` (`{ limit, id }` for `match`).
 */
function limitOptions(options: number | NearDuplicateMatchOptions, method: 'add' | 'match'): { limit: number; id: string | undefined } {
  if (typeof options === 'number') {
    checkLimit(options)
    return { limit: options, id: undefined }
  }
  const where = `NearDuplicateIndex.${method}`
  const keys = method === 'match' ? ['limit', 'id'] : ['limit']
  if (typeof options !== 'object' || options === null) {
    throw refused('options', 'invalid_option', `expected a limit or { ${keys.join(', ')} }, got ${options === null ? 'null' : typeof options}`, where)
  }
  const unknown = Object.keys(options).filter((k) => !keys.includes(k))
  if (unknown.length > 0) {
    const hint = unknown[0] === 'id' ? ': add takes the id as its first argument' : ''
    throw refused(unknown[0]!, 'invalid_option', `unknown option "${unknown[0]}"${hint}`, where)
  }
  const limit = options.limit ?? 10
  checkLimit(limit)
  const id = options.id
  if (id !== undefined) checkId(id, method)
  return { limit, id }
}

function checkId(id: unknown, method: string): void {
  if (typeof id !== 'string' || id === '') throw refused('id', 'invalid_value', `expected a non-empty string id, got ${describeValue(id)}`, `NearDuplicateIndex.${method}`)
}

function signatureOf(text: string, method: string): Signature | null {
  if (typeof text !== 'string') throw refused('text', 'invalid_value', `expected the review's text as a string, got ${describeValue(text)}`, `NearDuplicateIndex.${method}`)
  const doc = makeDoc(text)
  const words = fingerprint(doc)
  return words === null ? null : { words, exact: exactHash(doc) }
}

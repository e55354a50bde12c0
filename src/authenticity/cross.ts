/**
 * The cross-review pass. Records arrive one by one (from workers, in any
 * order) and are stored columnar (typed arrays, interned products, hashed
 * authors, ids as UTF-8 bytes; never text); `finish` finds cross-listings,
 * near-duplicate clusters, bursts and reviewer patterns, in input order, so
 * the result does not depend on the order records were added in.
 *
 * Memory (benchmarks/authenticity/memory.ts, 1M synthetic records, 85% long
 * enough to sign): about 205 bytes per review stored (130 per signature, 45 of
 * other columns, the id bytes); the pass first indexes the texts and releases
 * the signatures, then builds the rest, so its peak is about 120 bytes per
 * review above the stored state. Given a `ChunkStore` (the batch core gives a
 * temporary file), full chunks of the stored columns wait there until
 * `finish`, which reads them back one column at a time: while a batch is
 * read, memory holds the chunks being filled and the ids (about 15 MB at 1M
 * rows instead of 190 MB).
 *
 * Shards: two states built on different shards merge with `merge` (see there).
 */
import type { ResolvedOptions, Signal, SignalType } from '../review/index.js'
import { SIGNAL_TYPES } from '../review/types.js'
import { CHUNK_ROWS, CHUNK_SHIFT, type ChunkStore, Column, StringColumn } from './columns.js'
import { findBursts, type BurstTable } from './bursts.js'
import { type DuplicateTable, type TextIndex, findDuplicates, indexTexts } from './duplicates.js'
import { findActivity, type ActivityTable } from './activity.js'
import { STORED_WORDS } from './fingerprint.js'
import { denseIds, groupBy, hash53, mix53, UnionFind } from './stats.js'
import type { ReviewRecord } from './types.js'
import { ScoreAccumulator, verdictOf, weightOf } from './verdict.js'
import { describeCrossSignals } from './reasons.js'

/** Per-product authenticity figures for the batch summary (ReviewMeta-style). */
export interface ProductAuthenticity {
  product: string
  reviews: number
  averageRating: number | null
  /** Average rating without likely_fake reviews (cross-listings counted once). */
  adjustedRating: number | null
  /** Share of reviews removed as likely_fake. */
  removedShare: number
  /** Near-duplicate clusters with a review of this product. */
  clusters: number
  /** Bursts that include a review of this product. */
  bursts: number
  /** Reviews also listed under another product (same author, text, date and rating). */
  crossListed: number
  /** Products sharing cross-listed reviews with this one (variants), if any. */
  siblings?: string[]
}

/** A near-duplicate cluster, for the summary. */
export interface ClusterInfo {
  cluster: string
  /** Reviews in the cluster (cross-listings counted once). */
  reviews: number
  authors: number
  products: string[]
  /** Ids of up to 10 members, in input order. */
  sample: string[]
}

/** A burst, for the summary. */
export interface BurstInfo {
  products: string[]
  window: { start: string; end: string }
  count: number
  expected: number
  pValue: number
  /** Share of the burst's rated reviews with its most common extreme rating (1 or 5 stars). */
  oneSided: number
  /** Share of the burst's reviews whose author has no review outside the burst (or no known author). */
  newAuthors: number
}

/**
 * The authenticity part of the batch summary. `finish` fills every field; the
 * optional ones may be absent from a summary made without a cross-review pass.
 */
export interface AuthenticitySummary {
  products: ProductAuthenticity[]
  duplicateClusters: number
  bursts: number
  /** Rows analyzed by the cross-review pass. */
  reviews?: number
  /** Distinct reviews once cross-listings are counted once. */
  uniqueReviews?: number
  /** Rows that are cross-listings of another row. */
  crossListed?: number
  /** Average rating over distinct reviews, and without likely_fake ones. */
  averageRating?: number | null
  adjustedRating?: number | null
  /** Share of distinct reviews that are likely_fake. */
  removedShare?: number
  /** The largest clusters (up to 100), by size. */
  clusterDetails?: ClusterInfo[]
  /** The bursts (up to 100), most significant first. */
  burstDetails?: BurstInfo[]
}

/** What the cross-review pass found. */
export interface CrossReviewResult {
  /** The batch signals of the record with this index (empty when none). */
  signalsFor(index: number): Signal[]
  /**
   * fakeScore and verdict of the record with this index, from its per-review
   * signals followed by `signalsFor(index)` (what `combineSignals` gives).
   */
  scoreFor(index: number): { fakeScore: number; verdict: 'genuine' | 'suspicious' | 'likely_fake' } | undefined
  summary: AuthenticitySummary
  /** The sums behind the summary's batch-wide ratings, for adding batches up (windows). */
  totals: RatingTotals
}

/** Distinct reviews with a rating and their rating sum, all and without likely_fake ones, and the likely_fake ones. */
export interface RatingTotals {
  rated: number
  ratingSum: number
  keptRated: number
  keptSum: number
  removed: number
}

/**
 * The authenticity summaries of consecutive windows as one: counts and
 * batch-wide ratings add up; clusters and bursts are listed from every
 * window (the 100 largest and most significant); per-product figures need
 * one batch and are left out.
 */
export function mergeWindowSummaries(a: AuthenticitySummary, at: RatingTotals, b: AuthenticitySummary, bt: RatingTotals): { summary: AuthenticitySummary; totals: RatingTotals } {
  const totals: RatingTotals = {
    rated: at.rated + bt.rated,
    ratingSum: at.ratingSum + bt.ratingSum,
    keptRated: at.keptRated + bt.keptRated,
    keptSum: at.keptSum + bt.keptSum,
    removed: at.removed + bt.removed,
  }
  const unique = (a.uniqueReviews ?? 0) + (b.uniqueReviews ?? 0)
  const summary: AuthenticitySummary = {
    products: [],
    duplicateClusters: a.duplicateClusters + b.duplicateClusters,
    bursts: a.bursts + b.bursts,
    reviews: (a.reviews ?? 0) + (b.reviews ?? 0),
    uniqueReviews: unique,
    crossListed: (a.crossListed ?? 0) + (b.crossListed ?? 0),
    averageRating: average(totals.ratingSum, totals.rated),
    adjustedRating: average(totals.keptSum, totals.keptRated),
    removedShare: unique === 0 ? 0 : Math.round((totals.removed / unique) * 1000) / 1000,
    // Stable sorts: ties keep window order.
    clusterDetails: [...(a.clusterDetails ?? []), ...(b.clusterDetails ?? [])].sort((x, y) => y.reviews - x.reviews).slice(0, 100),
    burstDetails: [...(a.burstDetails ?? []), ...(b.burstDetails ?? [])].sort((x, y) => x.pValue - y.pValue).slice(0, 100),
  }
  return { summary, totals }
}

/** A mean to two decimals, or null for none. */
function average(sum: number, k: number): number | null {
  return k === 0 ? null : Math.round((sum / k) * 100) / 100
}

/** No date. */
export const NO_TIME = -0x80000000
/** The latest minute a record can hold. */
const MAX_MINUTE = 0x7fffffff

// A signal's code in the pass's records is its place in SIGNAL_TYPES.
const CODE_OF = new Map(SIGNAL_TYPES.map((t, i) => [t, i]))

/** Resolves on the event loop's next turn, after pending I/O and timers. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

const FLAG_VERIFIED_KNOWN = 1
const FLAG_VERIFIED = 2
const FLAG_GENERIC = 4

/** Per-review signals kept per record at most. */
const MAX_RECORD_SIGNALS = 255

/** A record's date (epoch ms) as stored: minutes since the epoch, NO_TIME when unknown. */
function minuteOf(date: number | undefined): number {
  if (date === undefined) return NO_TIME
  const minute = Math.floor(date / 60_000)
  // Minutes are stored in 32 bits: a date before about 2113 BC or after AD
  // 6053 (a typing error, surely) has no time for bursts and activity.
  return minute > NO_TIME && minute <= MAX_MINUTE ? minute : NO_TIME
}

/** A record's rating as stored: stars × 10, 0 when unknown. */
function ratingOf(rating: number | undefined): number {
  return rating === undefined ? 0 : Math.max(1, Math.round(rating * 10))
}

/** A record's verified flags as stored (the generic flag comes from its signals). */
function verifiedFlags(verified: boolean | undefined): number {
  return verified === undefined ? 0 : FLAG_VERIFIED_KNOWN | (verified ? FLAG_VERIFIED : 0)
}

/**
 * Many records in columns, as a worker sends them: every field a typed array
 * (transferred, not cloned) but the product names, which are listed once per
 * batch. `CrossReviewState.addBatch` stores it exactly as `add` would store
 * each record.
 */
export interface RecordBatch {
  count: number
  index: Int32Array
  /** The ids' UTF-8 bytes, one after the other; id k ends at `idEnds[k]`. */
  idBytes: Uint8Array
  idEnds: Uint32Array
  /** Position of each record's product in `products`, -1 when none. */
  product: Int32Array
  products: string[]
  /** `hash53` of the author, NaN when none. */
  author: Float64Array
  minute: Int32Array
  rating: Uint8Array
  flags: Uint8Array
  exact: Float64Array
  words: Uint16Array
  /** Row of each record's signature in `sigs` (STORED_WORDS words each), -1 when none. */
  sigRef: Int32Array
  sigs: Uint32Array
  sigShingles: Uint16Array
  /** Per-review signals: count per record, then code and strength of each, in record order. */
  signalCount: Uint8Array
  signalType: Uint8Array
  signalStrength: Float64Array
}

/** The buffers of a batch, for `postMessage`'s transfer list. */
export function recordBatchBuffers(b: RecordBatch): ArrayBuffer[] {
  const arrays = [b.index, b.idBytes, b.idEnds, b.product, b.author, b.minute, b.rating, b.flags, b.exact, b.words, b.sigRef, b.sigs, b.sigShingles, b.signalCount, b.signalType, b.signalStrength]
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]
}

const idEncoder = new TextEncoder()

/** Builds a `RecordBatch` from records as they are made, so no record object outlives its review. */
export class RecordBatchBuilder {
  private n = 0
  private readonly index: Int32Array
  private idBytes: Uint8Array
  private idUsed = 0
  private readonly idEnds: Uint32Array
  private readonly product: Int32Array
  private readonly products: string[] = []
  private readonly productAt = new Map<string, number>()
  private readonly author: Float64Array
  private readonly minute: Int32Array
  private readonly rating: Uint8Array
  private readonly flags: Uint8Array
  private readonly exact: Float64Array
  private readonly words: Uint16Array
  private readonly sigRef: Int32Array
  private readonly sigs: Uint32Array
  private readonly sigShingles: Uint16Array
  private signed = 0
  private readonly signalCount: Uint8Array
  private signalType: Uint8Array
  private signalStrength: Float64Array
  private signals = 0

  /** @param capacity Most records the batch will hold. */
  constructor(private readonly capacity: number) {
    this.index = new Int32Array(capacity)
    this.idBytes = new Uint8Array(Math.max(64, capacity * 16))
    this.idEnds = new Uint32Array(capacity)
    this.product = new Int32Array(capacity)
    this.author = new Float64Array(capacity)
    this.minute = new Int32Array(capacity)
    this.rating = new Uint8Array(capacity)
    this.flags = new Uint8Array(capacity)
    this.exact = new Float64Array(capacity)
    this.words = new Uint16Array(capacity)
    this.sigRef = new Int32Array(capacity)
    this.sigs = new Uint32Array(capacity * STORED_WORDS)
    this.sigShingles = new Uint16Array(capacity)
    this.signalCount = new Uint8Array(capacity)
    this.signalType = new Uint8Array(Math.max(16, capacity * 2))
    this.signalStrength = new Float64Array(this.signalType.length)
  }

  /** Records pushed so far. */
  get size(): number {
    return this.n
  }

  /** Add one record (at most `capacity`). */
  push(record: ReviewRecord): void {
    const k = this.n
    if (k >= this.capacity) throw new Error('RecordBatchBuilder: over capacity')
    this.n++
    this.index[k] = record.index
    const id = StringColumn.cut(record.id)
    if (this.idUsed + id.length * 3 > this.idBytes.length) {
      const grown = new Uint8Array(Math.max(this.idBytes.length * 2, this.idUsed + id.length * 3))
      grown.set(this.idBytes.subarray(0, this.idUsed))
      this.idBytes = grown
    }
    this.idUsed += idEncoder.encodeInto(id, this.idBytes.subarray(this.idUsed)).written
    this.idEnds[k] = this.idUsed
    if (record.product === undefined) this.product[k] = -1
    else {
      let p = this.productAt.get(record.product)
      if (p === undefined) {
        p = this.products.length
        this.products.push(record.product)
        this.productAt.set(record.product, p)
      }
      this.product[k] = p
    }
    this.author[k] = record.author === undefined ? Number.NaN : hash53(record.author)
    this.minute[k] = minuteOf(record.date)
    this.rating[k] = ratingOf(record.rating)
    this.exact[k] = record.exact
    this.words[k] = Math.min(record.words, 0xffff)
    if (record.signature !== null) {
      this.sigs.set(record.signature.subarray(1, 1 + STORED_WORDS), this.signed * STORED_WORDS)
      this.sigShingles[this.signed] = Math.min(record.signature[0]!, 0xffff)
      this.sigRef[k] = this.signed++
    } else this.sigRef[k] = -1
    let flags = verifiedFlags(record.verified)
    let count = 0
    for (const sig of record.signals) {
      const code = CODE_OF.get(sig.type)
      if (code === undefined || count === MAX_RECORD_SIGNALS) continue
      if (sig.type === 'low_information') flags |= FLAG_GENERIC
      if (this.signals === this.signalType.length) {
        const type = new Uint8Array(this.signals * 2)
        type.set(this.signalType)
        this.signalType = type
        const strength = new Float64Array(this.signals * 2)
        strength.set(this.signalStrength)
        this.signalStrength = strength
      }
      this.signalType[this.signals] = code
      this.signalStrength[this.signals] = sig.strength
      this.signals++
      count++
    }
    this.signalCount[k] = count
    this.flags[k] = flags
  }

  /** The batch (its arrays may be longer than needed: `count` says how many records). */
  finish(): RecordBatch {
    return {
      count: this.n,
      index: this.index,
      idBytes: this.idBytes,
      idEnds: this.idEnds,
      product: this.product,
      products: this.products,
      author: this.author,
      minute: this.minute,
      rating: this.rating,
      flags: this.flags,
      exact: this.exact,
      words: this.words,
      sigRef: this.sigRef,
      sigs: this.sigs,
      sigShingles: this.sigShingles,
      signalCount: this.signalCount,
      signalType: this.signalType,
      signalStrength: this.signalStrength,
    }
  }
}

/**
 * The rows of a finished pass, in input order (row r = the r-th smallest
 * index), as flat arrays the finders read.
 */
export interface Rows {
  n: number
  index: Int32Array
  product: Int32Array
  /** Dense author id, -1 when unknown. */
  author: Int32Array
  authors: number
  /** Minutes since the epoch, NO_TIME when unknown. */
  minute: Int32Array
  /** Stars × 10, 0 when unknown. */
  rating: Uint8Array
  /** Text hashes (emptied once units are found). */
  exact: Float64Array
  words: Uint16Array
  generic: Uint8Array
  productNames: string[]
  id(r: number): string
  /** Cross-listing unit of each row (rows with the same author, text, day and rating on other products share one). */
  unit: Int32Array
  units: number
  /** First row of each unit. */
  unitRep: Int32Array
  /** Rows per unit (CSR: unitStart[u]..unitStart[u+1] in unitRows). */
  unitStart: Int32Array
  unitRows: Int32Array
  /** Earliest time (minutes) of each unit's rows, NO_TIME when unknown. */
  unitMinute: Int32Array
  /** Product family (variants joined by cross-listings) of each product, and the products per family root. */
  family: Int32Array
  familySize: Int32Array
}

export class CrossReviewState {
  private n = 0
  private readonly index = new Column(Int32Array)
  private readonly ids = new StringColumn()
  private readonly product = new Column(Int32Array)
  private readonly author = new Column(Float64Array)
  private readonly minute = new Column(Int32Array)
  private readonly rating = new Column(Uint8Array)
  private readonly flags = new Column(Uint8Array)
  private readonly exact = new Column(Float64Array)
  private readonly words = new Column(Uint16Array)
  private readonly sigRef = new Column(Int32Array)
  private sigCount = 0
  private readonly sigs = new Column(Uint32Array, STORED_WORDS)
  /** Shingle count of each stored signature (capped at 65,535). */
  private readonly sigShingles = new Column(Uint16Array)
  private readonly psStart = new Column(Uint32Array)
  private readonly psCount = new Column(Uint8Array)
  private psUsed = 0
  private readonly psType = new Column(Uint8Array)
  private readonly psStrength = new Column(Float64Array)
  private readonly productNames: string[] = []
  private readonly productIds = new Map<string, number>()
  private finished = false
  private readonly store: ChunkStore | null
  private readonly clusterPrefix: string

  /**
   * @param options `store`: where full chunks of the stored columns wait for
   *   `finish` (a batch of a million rows then holds about 15 MB of them in
   *   memory instead of 190 MB); without one, everything stays in memory.
   *   `clusterPrefix`: put before cluster names (`dup-1`), so the clusters of
   *   several batches (windows) keep apart.
   */
  constructor(options: { store?: ChunkStore; clusterPrefix?: string } = {}) {
    this.store = options.store ?? null
    this.clusterPrefix = options.clusterPrefix ?? ''
  }

  /** Every stored column (ids aside), for parking and restoring. */
  private columns(): Column<Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array>[] {
    return [
      this.index,
      this.product,
      this.author,
      this.minute,
      this.rating,
      this.flags,
      this.exact,
      this.words,
      this.sigRef,
      this.sigs,
      this.sigShingles,
      this.psStart,
      this.psCount,
      this.psType,
      this.psStrength,
    ]
  }

  /** Move the full chunks to the store, if there is one. */
  private park(): void {
    if (this.store === null) return
    for (const col of this.columns()) col.park(this.store)
  }

  /** Bring a column's parked chunks back before it is read. */
  private restore<A extends Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array>(col: Column<A>): Column<A> {
    if (this.store !== null) col.restore(this.store)
    return col
  }

  /** Number of records added. */
  get size(): number {
    return this.n
  }

  private internProduct(name: string | undefined): number {
    if (name === undefined) return -1
    let id = this.productIds.get(name)
    if (id === undefined) {
      id = this.productNames.length
      this.productNames.push(name)
      this.productIds.set(name, id)
    }
    return id
  }

  /** Add one record (any order; `record.index` is its input position). */
  add(record: ReviewRecord): void {
    if (this.finished) throw new Error('CrossReviewState: add() after finish()')
    const s = this.n++
    this.index.set(s, record.index)
    this.ids.set(s, record.id)
    this.product.set(s, this.internProduct(record.product))
    this.author.set(s, record.author === undefined ? Number.NaN : hash53(record.author))
    this.minute.set(s, minuteOf(record.date))
    this.rating.set(s, ratingOf(record.rating))
    let flags = verifiedFlags(record.verified)
    this.exact.set(s, record.exact)
    this.words.set(s, Math.min(record.words, 0xffff))
    if (record.signature !== null) {
      this.sigs.setRow(this.sigCount, record.signature.subarray(1))
      this.sigShingles.set(this.sigCount, Math.min(record.signature[0]!, 0xffff))
      this.sigRef.set(s, this.sigCount++)
    } else this.sigRef.set(s, -1)
    this.psStart.set(s, this.psUsed)
    let count = 0
    for (const sig of record.signals) {
      const code = CODE_OF.get(sig.type)
      if (code === undefined || count === MAX_RECORD_SIGNALS) continue
      if (sig.type === 'low_information') flags |= FLAG_GENERIC
      this.psType.set(this.psUsed, code)
      this.psStrength.set(this.psUsed, sig.strength)
      this.psUsed++
      count++
    }
    this.psCount.set(s, count)
    this.flags.set(s, flags)
    if ((s & (CHUNK_ROWS - 1)) === 0) this.park()
  }

  /** Add a batch of records (see `RecordBatch`); the same as adding each of its records in order. */
  addBatch(b: RecordBatch): void {
    if (this.finished) throw new Error('CrossReviewState: add() after finish()')
    const productIds = new Int32Array(b.products.length)
    for (let p = 0; p < b.products.length; p++) productIds[p] = this.internProduct(b.products[p])
    const first = this.n
    const count = b.count
    // Columns the batch holds as stored: one copy each.
    this.index.setRows(first, b.index, 0, count)
    this.author.setRows(first, b.author, 0, count)
    this.minute.setRows(first, b.minute, 0, count)
    this.rating.setRows(first, b.rating, 0, count)
    this.flags.setRows(first, b.flags, 0, count)
    this.exact.setRows(first, b.exact, 0, count)
    this.words.setRows(first, b.words, 0, count)
    this.psCount.setRows(first, b.signalCount, 0, count)
    // Signatures and signals are numbered in record order, in the batch (RecordBatchBuilder
    // hands out `sigRef` 0, 1, 2… as records come) as here.
    let signed = 0
    let signals = 0
    for (let k = 0; k < count; k++) {
      const s = first + k
      this.ids.setBytes(s, b.idBytes.subarray(k === 0 ? 0 : b.idEnds[k - 1]!, b.idEnds[k]!))
      const p = b.product[k]!
      this.product.set(s, p < 0 ? -1 : productIds[p]!)
      const ref = b.sigRef[k]!
      this.sigRef.set(s, ref < 0 ? -1 : this.sigCount + signed++)
      this.psStart.set(s, this.psUsed + signals)
      signals += b.signalCount[k]!
    }
    this.sigs.setRows(this.sigCount, b.sigs, 0, signed)
    this.sigShingles.setRows(this.sigCount, b.sigShingles, 0, signed)
    this.psType.setRows(this.psUsed, b.signalType, 0, signals)
    this.psStrength.setRows(this.psUsed, b.signalStrength, 0, signals)
    this.n += count
    this.sigCount += signed
    this.psUsed += signals
    this.park()
  }

  /**
   * Fold another shard's state into this one. The stored rows are appended
   * (indices are global input positions, so they stay unique) and product
   * names are re-interned; `finish` then derives everything from the union.
   *
   * The derived state is a set of commutative merges, so an engine that keeps
   * partial state per key can merge it the same way:
   * - near-duplicate index: LSH buckets keyed by band value → the union of
   *   the member lists (a review's signature is fixed, so buckets never split);
   * - cross-listing units: keyed by (author, text hash, day, rating) → union;
   * - bursts: per product family and day, counts of distinct units → sums
   *   (route by product, or by family once variants are known);
   * - reviewer activity: per author, unit counts per day, per product and a
   *   rating histogram → sums (route by author).
   */
  merge(other: CrossReviewState): void {
    if (this.finished || other.finished) throw new Error('CrossReviewState: merge() after finish()')
    for (const col of other.columns()) other.restore(col)
    for (let s = 0; s < other.n; s++) {
      const d = this.n++
      this.index.set(d, other.index.get(s))
      this.ids.set(d, other.ids.get(s))
      const p = other.product.get(s)
      this.product.set(d, p < 0 ? -1 : this.internProduct(other.productNames[p]))
      this.author.set(d, other.author.get(s))
      this.minute.set(d, other.minute.get(s))
      this.rating.set(d, other.rating.get(s))
      this.flags.set(d, other.flags.get(s))
      this.exact.set(d, other.exact.get(s))
      this.words.set(d, other.words.get(s))
      const ref = other.sigRef.get(s)
      if (ref >= 0) {
        const { chunk, offset } = other.sigs.at(ref)
        this.sigs.setRow(this.sigCount, chunk.subarray(offset, offset + STORED_WORDS))
        this.sigShingles.set(this.sigCount, other.sigShingles.get(ref))
        this.sigRef.set(d, this.sigCount++)
      } else this.sigRef.set(d, -1)
      const start = other.psStart.get(s)
      const count = other.psCount.get(s)
      this.psStart.set(d, this.psUsed)
      for (let k = 0; k < count; k++) {
        this.psType.set(this.psUsed, other.psType.get(start + k))
        this.psStrength.set(this.psUsed, other.psStrength.get(start + k))
        this.psUsed++
      }
      this.psCount.set(d, count)
    }
    this.park()
  }

  /** Bytes held by the stored columns (for the memory benchmark). */
  bytes(): number {
    return (
      this.index.bytes() +
      this.ids.byteSize() +
      this.product.bytes() +
      this.author.bytes() +
      this.minute.bytes() +
      this.rating.bytes() +
      this.flags.bytes() +
      this.exact.bytes() +
      this.words.bytes() +
      this.sigRef.bytes() +
      this.sigs.bytes() +
      this.sigShingles.bytes() +
      this.psStart.bytes() +
      this.psCount.bytes() +
      this.psType.bytes() +
      this.psStrength.bytes()
    )
  }

  /** Slots in input order (row r = the slot with the r-th smallest index). */
  private inputOrder(): Int32Array {
    const n = this.n
    let min = Number.POSITIVE_INFINITY
    let max = Number.NEGATIVE_INFINITY
    for (let s = 0; s < n; s++) {
      const i = this.index.get(s)
      if (i < min) min = i
      if (i > max) max = i
    }
    const slot = new Int32Array(n)
    if (n > 0 && max - min < 4 * n + 1024) {
      // Dense indices (the usual case): place each slot at its index, O(n).
      const at = new Int32Array(max - min + 1).fill(-1)
      let duplicates = false
      for (let s = 0; s < n; s++) {
        const k = this.index.get(s) - min
        if (at[k] !== -1) duplicates = true
        at[k] = s
      }
      if (!duplicates) {
        let r = 0
        for (let k = 0; k < at.length; k++) if (at[k] !== -1) slot[r++] = at[k]!
        return slot
      }
    }
    for (let s = 0; s < n; s++) slot[s] = s
    const keys = new Float64Array(n)
    for (let s = 0; s < n; s++) keys[s] = this.index.get(s)
    return slot.sort((x, y) => keys[x]! - keys[y]! || x - y)
  }

  /** Copy a column into a flat array in input order, dropping each chunk once read. */
  private gather<A extends Int32Array | Uint8Array | Uint16Array | Float64Array>(col: Column<A>, out: A, slot: Int32Array): A {
    const n = this.n
    this.restore(col)
    // When records came roughly in input order (as from the batch core), a
    // chunk is dropped soon after, so a column is never held twice.
    const perChunk = new Int32Array(Math.ceil(n / CHUNK_ROWS) + 1)
    for (let c = 0; c < perChunk.length; c++) perChunk[c] = Math.max(0, Math.min(CHUNK_ROWS, n - c * CHUNK_ROWS))
    for (let r = 0; r < n; r++) {
      const s = slot[r]!
      out[r] = col.get(s)
      const c = s >>> CHUNK_SHIFT
      if (--perChunk[c]! === 0) col.dropChunk(c)
    }
    col.release()
    return out
  }

  /**
   * The stored rows in input order, with units and product families. The
   * columns only the pass needs are moved into flat arrays (their chunks are
   * released); ids and the per-review signals stay for `signalsFor` and the
   * scores. Texts are indexed first, so the signatures (most of the memory)
   * are released before the rest is built. Yields where the pass may pause (see `steps`).
   */
  private *rows(): Generator<void, { rows: Rows; slot: Int32Array; text: TextIndex }> {
    const n = this.n
    const slot = this.inputOrder()
    const exact = this.gather(this.exact, new Float64Array(n), slot)
    const generic = genericOf(this.gather(this.flags, new Uint8Array(n), slot))
    const sigRef = this.gather(this.sigRef, new Int32Array(n), slot)
    yield
    const sigs = this.restore(this.sigs)
    const sigShingles = this.restore(this.sigShingles)
    const text = yield* indexTexts(n, exact, generic, (r, at) => {
      const ref = sigRef[r]!
      if (ref < 0) return false
      at.chunk = sigs.chunkOf(ref)
      at.offset = sigs.offsetOf(ref)
      at.count = sigShingles.get(ref)
      return true
    })
    sigs.release()
    sigShingles.release()
    yield
    const index = this.gather(this.index, new Int32Array(n), slot)
    const product = this.gather(this.product, new Int32Array(n), slot)
    const minute = this.gather(this.minute, new Int32Array(n), slot)
    const rating = this.gather(this.rating, new Uint8Array(n), slot)
    const words = this.gather(this.words, new Uint16Array(n), slot)
    const { ids: author, count: authors } = denseIds(this.gather(this.author, new Float64Array(n), slot))
    const productNames = renumberProducts(product, this.productNames)
    const idCol = this.ids
    const rows: Rows = {
      n,
      index,
      product,
      author,
      authors,
      minute,
      rating,
      exact,
      words,
      generic,
      productNames,
      id: (r) => idCol.get(slot[r]!),
      unit: new Int32Array(0),
      units: 0,
      unitRep: new Int32Array(0),
      unitStart: new Int32Array(0),
      unitRows: new Int32Array(0),
      unitMinute: new Int32Array(0),
      family: new Int32Array(0),
      familySize: new Int32Array(0),
    }
    yield
    findUnits(rows)
    rows.exact = new Float64Array(0)
    return { rows, slot, text }
  }

  /**
   * Final scores per row, in the order the batch core combines them:
   * per-review signals, then signalsFor (cross_listed, duplicate, burst,
   * reviewer_activity). Scores are rounded to 3 decimals: stored as
   * thousandths. Also which rows are likely fake.
   */
  private scores(rows: Rows, slot: Int32Array, dups: DuplicateTable, bursts: BurstTable, activity: ActivityTable, options: ResolvedOptions): { fakeScore: Uint16Array; likelyFake: Uint8Array } {
    const n = rows.n
    const fakeScore = new Uint16Array(n)
    const wCross = weightOf('cross_listed', options)
    const wDup = weightOf('duplicate', options)
    const wBurst = weightOf('burst', options)
    const wAct = weightOf('reviewer_activity', options)
    this.restore(this.psStart)
    this.restore(this.psCount)
    this.restore(this.psType)
    this.restore(this.psStrength)
    for (let r = 0; r < n; r++) {
      const s = slot[r]!
      const acc = new ScoreAccumulator()
      const start = this.psStart.get(s)
      const count = this.psCount.get(s)
      for (let k = 0; k < count; k++) acc.add(weightOf(SIGNAL_TYPES[this.psType.get(start + k)]!, options), this.psStrength.get(start + k))
      const u = rows.unit[r]!
      if (rows.unitStart[u + 1]! - rows.unitStart[u]! > 1) acc.add(wCross, 1)
      if (dups.strengthMilli[r]! > 0) acc.add(wDup, dups.strengthMilli[r]! / 1000)
      const b = bursts.unitBurst[u]!
      if (b >= 0) acc.add(wBurst, bursts.strength[b]!)
      const a = activity.record[r]!
      if (a >= 0) acc.add(wAct, activity.authors[a]!.strength)
      fakeScore[r] = Math.round(acc.score() * 1000)
    }
    const likelyFake = new Uint8Array(n)
    for (let r = 0; r < n; r++) likelyFake[r] = verdictOf(fakeScore[r]! / 1000, options) === 'likely_fake' ? 1 : 0
    return { fakeScore, likelyFake }
  }

  /**
   * Run the cross-review pass. It ends the state: `add`, `merge` and a second
   * `finish` throw afterwards (the pass moves the columns it reads).
   *
   * @param options Resolved options (weights and thresholds, for the summary's verdicts).
   * @returns Per-index batch signals, scores, and the authenticity summary.
   */
  finish(options: ResolvedOptions): CrossReviewResult {
    const steps = this.steps(options)
    for (;;) {
      const step = steps.next()
      if (step.done === true) return step.value
    }
  }

  /**
   * `finish`, giving the event loop a turn between the pass's steps: the
   * pass runs on the calling thread (a few seconds per million rows), and a
   * server that scores batches beside its requests is held no longer than
   * one step at a time. The result is the same as `finish`'s.
   *
   * @param options Resolved options, as for `finish`.
   * @param pause Awaited between steps (default: until the event loop's next turn, `setImmediate`).
   */
  async finishAsync(options: ResolvedOptions, pause: () => Promise<void> = nextTurn): Promise<CrossReviewResult> {
    const steps = this.steps(options)
    for (;;) {
      const step = steps.next()
      if (step.done === true) return step.value
      await pause()
    }
  }

  /** The pass in steps (0.2–0.7 s each for a million rows on the benchmark machine); each `yield` is a pause point. */
  private *steps(options: ResolvedOptions): Generator<void, CrossReviewResult> {
    if (this.finished) throw new Error('CrossReviewState: finish() was already called')
    this.finished = true
    const { rows, slot, text } = yield* this.rows()
    const n = rows.n
    yield
    const dups = findDuplicates(rows, text, this.clusterPrefix)
    yield
    const bursts = findBursts(rows)
    yield
    const activity = findActivity(rows, dups)
    yield

    const { fakeScore, likelyFake } = this.scores(rows, slot, dups, bursts, activity, options)
    yield

    const { summary, totals } = summarize(rows, dups, bursts, likelyFake)

    const maxIndex = n === 0 ? -1 : rows.index[n - 1]!
    const rowOf = (index: number): number => {
      if (index < 0 || index > maxIndex) return -1
      // rows are sorted by index: binary search
      let lo = 0
      let hi = n - 1
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (rows.index[mid]! < index) lo = mid + 1
        else hi = mid
      }
      return rows.index[lo] === index ? lo : -1
    }
    return {
      signalsFor(index) {
        const r = rowOf(index)
        return r < 0 ? [] : describeCrossSignals(r, rows, dups, bursts, activity)
      },
      scoreFor(index) {
        const r = rowOf(index)
        if (r < 0) return undefined
        const score = fakeScore[r]! / 1000
        return { fakeScore: score, verdict: verdictOf(score, options) }
      },
      summary,
      totals,
    }
  }
}

/** The generic-praise flag of each row, from its stored flags (in place). */
function genericOf(flags: Uint8Array): Uint8Array {
  for (let r = 0; r < flags.length; r++) flags[r] = (flags[r]! & FLAG_GENERIC) !== 0 ? 1 : 0
  return flags
}

/**
 * Products renumbered by first appearance in input order (in place), so ids
 * (and everything ordered by them) do not depend on the order records
 * arrived in; returns the names in the new order.
 */
function renumberProducts(product: Int32Array, names: readonly string[]): string[] {
  const renumber = new Int32Array(names.length).fill(-1)
  const productNames: string[] = []
  for (let r = 0; r < product.length; r++) {
    const p = product[r]!
    if (p < 0) continue
    if (renumber[p] === -1) {
      renumber[p] = productNames.length
      productNames.push(names[p]!)
    }
    product[r] = renumber[p]!
  }
  return productNames
}

/** Cross-listing units and product families (fills rows.unit … rows.family). */
function findUnits(rows: Rows): void {
  const { n, author, exact, minute, rating, product, words } = rows
  const dayOf = (r: number) => (minute[r] === NO_TIME ? -1 : Math.floor(minute[r]! / 1440))
  // Same author, text, day and rating; rows without an author are their own unit;
  // a unit holds each product once (a second row on the same product is a repeat, not a listing).
  const products = new Map<number, Set<number>>()
  const provisional = groupBy(
    n,
    (r) => {
      if (author[r]! < 0) return Math.imul(r, 0x9e3779b1)
      let h = mix53(exact[r]!) ^ Math.imul(author[r]! + 1, 0x85ebca6b)
      h = Math.imul(h ^ dayOf(r) ^ (h >>> 13), 0xc2b2ae35)
      return Math.imul(h ^ rating[r]! ^ (h >>> 16), 0x85ebca6b) >>> 0
    },
    (a, b) => author[a]! >= 0 && author[a] === author[b] && exact[a] === exact[b] && rating[a] === rating[b] && dayOf(a) === dayOf(b),
    (rep, r) => {
      let set = products.get(rep)
      if (set === undefined) products.set(rep, (set = new Set([product[rep]!])))
      if (set.has(product[r]!)) return false
      set.add(product[r]!)
      return true
    },
  )
  products.clear()
  const unit = new Int32Array(n)
  let units = 0
  const unitRep: number[] = []
  for (let r = 0; r < n; r++) {
    if (provisional[r] === r) {
      unit[r] = units++
      unitRep.push(r)
    } else unit[r] = unit[provisional[r]!]!
  }
  const unitStart = new Int32Array(units + 1)
  for (let r = 0; r < n; r++) unitStart[unit[r]! + 1]++
  for (let u = 0; u < units; u++) unitStart[u + 1]! += unitStart[u]!
  const fill = unitStart.slice(0, units)
  const unitRows = new Int32Array(n)
  for (let r = 0; r < n; r++) unitRows[fill[unit[r]!]!++] = r
  // Families: products joined by cross-listings of texts long enough to sign.
  const uf = new UnionFind(rows.productNames.length)
  for (let u = 0; u < units; u++) {
    const a = unitStart[u]!
    const b = unitStart[u + 1]!
    if (b - a < 2 || words[unitRows[a]!]! < FAMILY_MIN_WORDS) continue
    for (let k = a + 1; k < b; k++) {
      const p = product[unitRows[k]!]!
      const q = product[unitRows[a]!]!
      if (p >= 0 && q >= 0) uf.union(p, q)
    }
  }
  const unitMinute = new Int32Array(units).fill(NO_TIME)
  for (let r = 0; r < n; r++) {
    const m = minute[r]!
    const u = unit[r]!
    if (m !== NO_TIME && (unitMinute[u] === NO_TIME || m < unitMinute[u]!)) unitMinute[u] = m
  }
  const family = new Int32Array(rows.productNames.length)
  const familySize = new Int32Array(family.length)
  for (let p = 0; p < family.length; p++) {
    family[p] = uf.find(p)
    familySize[family[p]!]++
  }
  rows.unit = unit
  rows.units = units
  rows.unitRep = Int32Array.from(unitRep)
  rows.unitStart = unitStart
  rows.unitRows = unitRows
  rows.unitMinute = unitMinute
  rows.family = family
  rows.familySize = familySize
}

/** Cross-listings of texts shorter than this do not join products into one family. */
const FAMILY_MIN_WORDS = 5

function summarize(rows: Rows, dups: DuplicateTable, bursts: BurstTable, likelyFake: Uint8Array): { summary: AuthenticitySummary; totals: RatingTotals } {
  const P = rows.productNames.length
  const count = new Int32Array(P)
  const rated = new Int32Array(P)
  const ratingSum = new Float64Array(P)
  const keptRated = new Int32Array(P)
  const keptSum = new Float64Array(P)
  const removed = new Int32Array(P)
  const crossListed = new Int32Array(P)
  const clusterSets: (Set<number> | undefined)[] = new Array(P)
  const burstSets: (Set<number> | undefined)[] = new Array(P)
  const siblings: (Set<number> | undefined)[] = new Array(P)
  for (let r = 0; r < rows.n; r++) {
    const p = rows.product[r]!
    if (p < 0) continue
    count[p]++
    const u = rows.unit[r]!
    const unitSize = rows.unitStart[u + 1]! - rows.unitStart[u]!
    if (unitSize > 1) {
      crossListed[p]++
      const set = (siblings[p] ??= new Set())
      for (let k = rows.unitStart[u]!; k < rows.unitStart[u + 1]!; k++) {
        const q = rows.product[rows.unitRows[k]!]!
        if (q !== p && q >= 0) set.add(q)
      }
    }
    if (rows.rating[r]! > 0) {
      rated[p]++
      ratingSum[p]! += rows.rating[r]! / 10
      if (likelyFake[r] === 0) {
        keptRated[p]++
        keptSum[p]! += rows.rating[r]! / 10
      }
    }
    if (likelyFake[r] === 1) removed[p]++
    const c = dups.cluster[r]!
    if (c >= 0) (clusterSets[p] ??= new Set()).add(c)
    const b = bursts.unitBurst[u]!
    if (b >= 0) (burstSets[p] ??= new Set()).add(b)
  }
  const avg = (sum: number, k: number) => (k === 0 ? null : Math.round((sum / k) * 100) / 100)
  const products: ProductAuthenticity[] = []
  for (let p = 0; p < P; p++) {
    if (count[p] === 0) continue
    const entry: ProductAuthenticity = {
      product: rows.productNames[p]!,
      reviews: count[p]!,
      averageRating: avg(ratingSum[p]!, rated[p]!),
      adjustedRating: avg(keptSum[p]!, keptRated[p]!),
      removedShare: Math.round((removed[p]! / count[p]!) * 1000) / 1000,
      clusters: clusterSets[p]?.size ?? 0,
      bursts: burstSets[p]?.size ?? 0,
      crossListed: crossListed[p]!,
    }
    const sib = siblings[p]
    if (sib !== undefined && sib.size > 0) entry.siblings = [...sib].sort((a, b) => a - b).map((q) => rows.productNames[q]!)
    products.push(entry)
  }
  // Batch-wide figures count each unit once (its first row stands for it).
  let unitsRated = 0
  let unitSum = 0
  let keptUnits = 0
  let keptUnitSum = 0
  let removedUnits = 0
  for (let u = 0; u < rows.units; u++) {
    const r = rows.unitRep[u]!
    if (likelyFake[r] === 1) removedUnits++
    if (rows.rating[r]! === 0) continue
    unitsRated++
    unitSum += rows.rating[r]! / 10
    if (likelyFake[r] === 0) {
      keptUnits++
      keptUnitSum += rows.rating[r]! / 10
    }
  }
  const totals: RatingTotals = { rated: unitsRated, ratingSum: unitSum, keptRated: keptUnits, keptSum: keptUnitSum, removed: removedUnits }
  const summary: AuthenticitySummary = {
    products,
    duplicateClusters: dups.clusters.length,
    bursts: bursts.bursts.length,
    reviews: rows.n,
    uniqueReviews: rows.units,
    crossListed: rows.n - rows.units,
    averageRating: avg(unitSum, unitsRated),
    adjustedRating: avg(keptUnitSum, keptUnits),
    removedShare: rows.units === 0 ? 0 : Math.round((removedUnits / rows.units) * 1000) / 1000,
    clusterDetails: dups.clusters
      .slice()
      .sort((a, b) => b.units - a.units || a.firstRow - b.firstRow)
      .slice(0, 100)
      .map((c) => ({
        cluster: c.name,
        reviews: c.units,
        authors: c.authors,
        products: c.products.map((p) => rows.productNames[p]!),
        sample: c.sample.map((r) => rows.id(r)),
      })),
    burstDetails: bursts.bursts
      .slice()
      .sort((a, b) => a.pValue - b.pValue || a.start - b.start)
      .slice(0, 100)
      .map((b) => ({
        products: b.products.map((p) => rows.productNames[p]!),
        window: { start: new Date(b.start * 60_000).toISOString(), end: new Date(b.end * 60_000).toISOString() },
        count: b.count,
        expected: b.expected,
        pValue: b.pValue,
        oneSided: b.oneSided,
        newAuthors: b.newAuthors,
      })),
  }
  return { summary, totals }
}

/**
 * The cross-review pass. Records arrive one by one (from workers, in any
 * order) and are stored compactly; `finish` finds copies, bursts and reviewer
 * patterns. Two states built on different shards merge with `merge`.
 * (Placeholder until the authenticity part lands: stores nothing, finds nothing.)
 */
import type { ResolvedOptions, Signal } from '../review/index.js'
import type { ReviewRecord } from './types.js'

/** Per-product authenticity figures for the batch summary. */
export interface ProductAuthenticity {
  product: string
  reviews: number
  averageRating: number | null
  /** Average rating without likely_fake reviews (cross-listings counted once). */
  adjustedRating: number | null
  /** Share of reviews removed as likely_fake. */
  removedShare: number
  clusters: number
  bursts: number
}

export interface AuthenticitySummary {
  products: ProductAuthenticity[]
  duplicateClusters: number
  bursts: number
}

/** What the cross-review pass found. */
export interface CrossReviewResult {
  /** The batch signals of the record with this index (empty when none). */
  signalsFor(index: number): Signal[]
  summary: AuthenticitySummary
}

export class CrossReviewState {
  /** Add one record (any order; `record.index` is its input position). */
  add(_record: ReviewRecord): void {}

  /** Fold another shard's state into this one. */
  merge(_other: CrossReviewState): void {}

  /** Run the cross-review pass. */
  finish(_options: ResolvedOptions): CrossReviewResult {
    return { signalsFor: () => [], summary: { products: [], duplicateClusters: 0, bursts: 0 } }
  }
}

import type { Signal } from '../review/index.js'
import type { ReviewRecord } from './types.js'

/** What the cross-review pass adds: extra signals per record index. */
export interface CrossReviewResult {
  signals: Map<number, Signal[]>
}

/** The cross-review pass over a batch's compact records. (Placeholder: no batch signals yet.) */
export function crossReview(_records: Iterable<ReviewRecord>): CrossReviewResult {
  return { signals: new Map() }
}

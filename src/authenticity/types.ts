import type { Signal } from '../review/index.js'

/**
 * The compact per-review record the cross-review pass works on. It is made in
 * the per-review stage (in a worker) and never holds the raw text.
 */
export interface ReviewRecord {
  /** 0-based position in the batch (input order, error rows included). */
  index: number
  id: string
  product: string | undefined
  author: string | undefined
  /** Epoch ms (UTC). */
  date: number | undefined
  /** 1–5 stars. */
  rating: number | undefined
  verified: boolean | undefined
  /** Sentiment score in [-1, 1]. */
  sentiment: number
  /** MinHash signature of the text's shingles; null when the text is too short to compare. */
  signature: Uint32Array | null
  /** Hash of the normalized text, for exact copies and cross-listings. */
  exact: number
  /** Number of word tokens. */
  words: number
  /** The per-review signals already found, so the verdict can be recomputed with the batch ones. */
  signals: Signal[]
}

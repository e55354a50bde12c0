/**
 * Field mapping: which key of a user's row holds each canonical field. Users map
 * explicitly (`map: { text: 'reviewText' }`); otherwise common export column
 * names are recognized, and the summary says which were used.
 */

export const CANONICAL_FIELDS = [
  'id',
  'text',
  'title',
  'rating',
  'date',
  'author',
  'product',
  'verified',
  'lang',
  'channel',
  'segment',
  'nps',
  'ces',
  'csat',
] as const

export type CanonicalField = (typeof CANONICAL_FIELDS)[number]

/** Column names seen in review exports (Amazon, Yelp, Trustpilot, app stores, survey tools). */
export const FIELD_ALIASES: Record<CanonicalField, readonly string[]> = {
  id: ['id', 'review_id', 'reviewId', 'reviewID', 'ID', 'Id'],
  text: ['text', 'reviewText', 'review_text', 'review_body', 'body', 'content', 'comment', 'review', 'Text', 'Review', 'Comment'],
  title: ['title', 'summary', 'review_title', 'review_headline', 'headline', 'subject', 'Title'],
  rating: ['rating', 'stars', 'overall', 'star_rating', 'score', 'Rating', 'Stars'],
  date: ['date', 'review_date', 'timestamp', 'created_at', 'unixReviewTime', 'time', 'Date'],
  author: ['author', 'user', 'reviewerID', 'reviewer_id', 'user_id', 'userId', 'customer_id', 'Author'],
  product: ['product', 'asin', 'product_id', 'productId', 'item_id', 'sku', 'parent_asin', 'Product'],
  verified: ['verified', 'verified_purchase', 'verifiedPurchase', 'is_verified'],
  lang: ['lang', 'language', 'language_code', 'locale'],
  channel: ['channel', 'source_channel'],
  segment: ['segment', 'market', 'customer_segment'],
  nps: ['nps', 'nps_score', 'likelihood_to_recommend'],
  ces: ['ces', 'ces_score', 'effort'],
  csat: ['csat', 'csat_score', 'satisfaction'],
}

export type FieldMap = Partial<Record<CanonicalField, string>>

/**
 * Per-batch resolution of field names. Explicit mappings win; otherwise the
 * first alias present in a row is used, and every alias used is counted.
 */
export class FieldResolver {
  private readonly candidates: [CanonicalField, readonly string[]][]
  /** canonical field → source key → rows that used it. */
  readonly used = new Map<CanonicalField, Map<string, number>>()

  constructor(map: FieldMap = {}) {
    this.candidates = CANONICAL_FIELDS.map((field) => {
      const explicit = map[field]
      return [field, explicit !== undefined ? [explicit] : FIELD_ALIASES[field]]
    })
  }

  /** The canonical-keyed view of one row (values not yet coerced). */
  resolve(row: Record<string, unknown>): Partial<Record<CanonicalField, unknown>> {
    const out: Partial<Record<CanonicalField, unknown>> = {}
    for (const [field, keys] of this.candidates) {
      for (const key of keys) {
        const value = row[key]
        if (value !== undefined) {
          out[field] = value
          let counts = this.used.get(field)
          if (counts === undefined) this.used.set(field, (counts = new Map()))
          counts.set(key, (counts.get(key) ?? 0) + 1)
          break
        }
      }
    }
    return out
  }

  /** The source column used most for each canonical field, for the summary. */
  detected(): Partial<Record<CanonicalField, string>> {
    const out: Partial<Record<CanonicalField, string>> = {}
    for (const [field, counts] of this.used) {
      let best = ''
      let most = -1
      for (const [key, n] of counts) if (n > most) [best, most] = [key, n]
      out[field] = best
    }
    return out
  }
}

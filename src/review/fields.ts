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

/** No alias of a field was found in the row. */
const NO_RANK = 0x7fffffff

/**
 * Per-batch resolution of field names. Explicit mappings win; otherwise the
 * first alias present in a row is used, and every alias used is counted.
 */
export class FieldResolver {
  private readonly candidates: [CanonicalField, readonly string[]][]
  /** Source key → the fields it can fill, each with its rank among that field's keys. */
  private readonly uses = new Map<string, { field: number; rank: number }[]>()
  // Per-row scratch, by field index: the best rank found so far, and its key and value.
  private readonly bestRank = new Int32Array(CANONICAL_FIELDS.length)
  private readonly bestKey: string[] = CANONICAL_FIELDS.map(() => '')
  private readonly bestValue: unknown[] = CANONICAL_FIELDS.map(() => undefined)
  /** canonical field → source key → rows that used it. */
  readonly used = new Map<CanonicalField, Map<string, number>>()

  constructor(map: FieldMap = {}) {
    this.candidates = CANONICAL_FIELDS.map((field) => {
      const explicit = map[field]
      return [field, explicit !== undefined ? [explicit] : FIELD_ALIASES[field]]
    })
    this.candidates.forEach(([, keys], field) => {
      keys.forEach((key, rank) => {
        let list = this.uses.get(key)
        if (list === undefined) this.uses.set(key, (list = []))
        list.push({ field, rank })
      })
    })
  }

  /**
   * The canonical-keyed view of one row (values not yet coerced). A plain
   * object is read through its own keys (a row has a handful; the aliases are
   * ninety, and most reads would miss); the answer is the same, since such an
   * object has no other properties to find. Any other object is read alias by alias.
   */
  resolve(row: Record<string, unknown>): Partial<Record<CanonicalField, unknown>> {
    const proto: unknown = Object.getPrototypeOf(row)
    // Plain objects (JSON rows) are read through their own keys; class
    // instances and objects with getters on a prototype, alias by alias.
    if (proto !== Object.prototype && proto !== null) return this.resolveByAliases(row)
    const rank = this.bestRank
    rank.fill(NO_RANK)
    const names = Object.getOwnPropertyNames(row)
    for (let n = 0; n < names.length; n++) {
      const uses = this.uses.get(names[n]!)
      if (uses === undefined) continue
      const value = row[names[n]!]
      if (value === undefined) continue
      for (let u = 0; u < uses.length; u++) {
        const { field, rank: r } = uses[u]!
        if (r < rank[field]!) {
          rank[field] = r
          this.bestKey[field] = names[n]!
          this.bestValue[field] = value
        }
      }
    }
    const out: Partial<Record<CanonicalField, unknown>> = {}
    for (let f = 0; f < CANONICAL_FIELDS.length; f++) {
      if (rank[f] === NO_RANK) continue
      const field = CANONICAL_FIELDS[f]!
      out[field] = this.bestValue[f]
      this.bestValue[f] = undefined
      this.count(field, this.bestKey[f]!)
    }
    return out
  }

  /** `resolve` for any object: each field's keys in order, the first with a value wins. */
  private resolveByAliases(row: Record<string, unknown>): Partial<Record<CanonicalField, unknown>> {
    const out: Partial<Record<CanonicalField, unknown>> = {}
    for (const [field, keys] of this.candidates) {
      for (const key of keys) {
        const value = row[key]
        if (value !== undefined) {
          out[field] = value
          this.count(field, key)
          break
        }
      }
    }
    return out
  }

  private count(field: CanonicalField, key: string): void {
    let counts = this.used.get(field)
    if (counts === undefined) this.used.set(field, (counts = new Map()))
    counts.set(key, (counts.get(key) ?? 0) + 1)
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

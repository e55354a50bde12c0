/**
 * Field mapping: which key of a user's row holds each canonical field. Users map
 * explicitly (`map: { text: 'reviewText' }`); otherwise common export column
 * names are recognized (in English, Spanish and Italian, whatever their case,
 * accents, spaces, underscores or hyphens: "Review Text", "RESEÑA",
 * "fecha"), and the summary says which were used.
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
  'pros',
  'cons',
] as const

export type CanonicalField = (typeof CANONICAL_FIELDS)[number]

/**
 * Counted beside the fields in `FieldResolver.used`: the keys that name a
 * review text in rows whose text was read from another key (`comment` beside
 * `review`), whose words were not scored.
 */
export const OTHER_TEXT = 'otherText'

/** What `FieldResolver.used` counts keys for: each field, and `OTHER_TEXT`. */
export type CountedField = CanonicalField | typeof OTHER_TEXT

/** The date's index among the canonical fields. */
const DATE = CANONICAL_FIELDS.indexOf('date')
/** The text's index among the canonical fields. */
const TEXT = CANONICAL_FIELDS.indexOf('text')

/** The Spanish and Italian date columns' names: their exports write "05/03/2024" day first (see `namesDayFirstDates`). */
const DAY_FIRST_DATE_NAMES = ['fecha', 'fecha_reseña', 'fecha_opinión', 'fecha_publicación', 'data_recensione', 'data_pubblicazione']

/**
 * Column names seen in review exports (Amazon, Yelp, Trustpilot, app stores,
 * review apps, survey tools, Spanish and Italian shops), most specific first: when a row
 * has two of a field's names, the earlier one is used. A `review_` name comes
 * before the bare one: an export of places or products with their reviews
 * has `rating` for the place's average and `review_rating` for the review's. A name also matches
 * in any case, with or without accents, spaces, underscores, hyphens or dots
 * (`looseName`), after every name matched as written. A reviewer's e-mail
 * column is no author unless `map` names it: the results and the report
 * would carry the addresses.
 */
export const FIELD_ALIASES: Record<CanonicalField, readonly string[]> = {
  id: ['review_id', 'id', 'reviewId', 'reviewID', 'ID', 'Id', 'id_reseña', 'id_opinión', 'id_recensione', 'comment_ID'],
  text: [
    // A review before a comment (an agent's note beside it), as written and in any case alike, as "reseña" and "recensione" come before "comentario" and "commento".
    'text', 'reviewText', 'review_text', 'review_body', 'body', 'content', 'review', 'comment', 'Text', 'Review', 'Comment',
    'comments', 'opinion', 'texto', 'reseña', 'comentario', 'comentarios', 'opinión', 'testo', 'recensione', 'commento', 'commenti', 'opinione',
    'review_content', 'texto_reseña', 'testo_recensione',
    // WordPress (WooCommerce) comments, Feefo's service review, Olist's order reviews.
    'comment_content', 'service_comment', 'review_comment_message',
    // Reevoo's general comment beside its good and bad points; Google Takeout's Maps reviews.
    'general_comments', 'review_text_published',
  ],
  title: ['review_title', 'title', 'summary', 'review_headline', 'headline', 'subject', 'Title', 'título', 'titolo', 'título_reseña', 'titolo_recensione', 'review_comment_title'],
  rating: ['review_rating', 'review_score', 'review_stars', 'rating', 'stars', 'overall', 'star_rating', 'score', 'Rating', 'Stars', 'puntuación', 'valoración', 'calificación', 'estrellas', 'valutazione', 'voto', 'stelle', 'punteggio', 'service_rating', 'five_star_rating_published'],
  date: [
    'review_date', 'date', 'timestamp', 'created_at', 'published_at', 'submitted_at', 'unixReviewTime', 'time', 'Date',
    ...DAY_FIRST_DATE_NAMES,
    // Trustpilot, Google Play Console, Outscraper and Apify (Google Maps) exports.
    'Review Created (UTC)', 'Review Submit Date and Time', 'review_datetime_utc', 'publishedAtDate',
    // Review APIs: Google Business Profile, Yelp, Bazaarvoice, BigCommerce, WooCommerce (its UTC date first), and common database names.
    'createTime', 'time_created', 'date_reviewed', 'date_created_gmt', 'date_created', 'creation_date', 'posted_at', 'submission_time',
    // App Store Connect, Tripadvisor, VTEX; WordPress comments (UTC first), Feefo, Olist.
    'createdDate', 'published_date', 'reviewDateTime', 'comment_date_gmt', 'comment_date', 'feedback_date', 'review_creation_date',
    // The relative dates of scrapers ("3 days ago"), after their absolute ones when a row has both.
    'publishAt', 'relative_time_description', 'review_date_relative',
  ],
  author: [
    // WordPress comments name the commenter before their user_id, which is 0 for every guest.
    'author', 'comment_author', 'user', 'reviewerID', 'reviewer_id', 'user_id', 'userId', 'customer_id', 'Author', 'reviewer', 'reviewer_name', 'author_name',
    'customer', 'customer_name', 'username', 'autor', 'usuario', 'cliente', 'autore', 'utente',
    'Review Consumer User ID', 'author_id', 'author_title', 'consumer', 'user_nickname',
    // Yotpo, App Store Connect, PowerReviews; Booking.com's guest; the customer of a support desk's ticket (Zendesk, Freshdesk).
    'display_name', 'reviewerNickname', 'review_display', 'guest_name', 'requester_id',
  ],
  product: ['product', 'asin', 'product_id', 'productId', 'item_id', 'sku', 'parent_asin', 'product_sku', 'Product', 'producto', 'artículo', 'id_producto', 'prodotto', 'articolo', 'id_prodotto', 'product_handle', 'Package Name', 'place_id', 'business_id', 'listing_id', 'location_id', 'page_id', 'comment_post_ID', 'product_external_id'],
  verified: [
    'verified', 'verified_purchase', 'verifiedPurchase', 'is_verified', 'verificado', 'compra_verificada', 'verificato', 'acquisto_verificato',
    // PowerReviews and Yotpo, Okendo, VTEX, Meta's review feed, Google's Merchant API.
    'verified_buyer', 'is_verified_buyer', 'verifiedPurchaser', 'has_verified_purchase', 'is_verified_purchase',
  ],
  lang: ['lang', 'language', 'language_code', 'locale', 'idioma', 'lingua', 'review_language', 'content_locale', 'reviewer_language'],
  channel: ['channel', 'source_channel', 'canal', 'canale'],
  segment: ['segment', 'market', 'customer_segment', 'segmento', 'mercado', 'mercato'],
  nps: ['nps', 'nps_score', 'likelihood_to_recommend'],
  ces: ['ces', 'ces_score', 'effort'],
  csat: ['csat', 'csat_score', 'satisfaction'],
  // The halves of a review asked for apart (Booking.com's "Positive review" and "Negative review",
  // Glassdoor's and G2's pros and cons, Reevoo's good and bad points), read as the text (`joinParts`).
  pros: [
    'pros', 'positive_review', 'good_points', 'liked', 'positive_comment', 'positive_comments',
    'comentario_positivo', 'comentarios_positivos', 'aspectos_positivos', 'lo_mejor', 'lo_positivo', 'ventajas',
    'recensione_positiva', 'commento_positivo', 'commenti_positivi', 'aspetti_positivi', 'pregi', 'punti_di_forza',
  ],
  cons: [
    'cons', 'negative_review', 'bad_points', 'disliked', 'negative_comment', 'negative_comments',
    'comentario_negativo', 'comentarios_negativos', 'aspectos_negativos', 'lo_peor', 'lo_negativo', 'desventajas', 'contras',
    'recensione_negativa', 'commento_negativo', 'commenti_negativi', 'aspetti_negativi', 'difetti', 'punti_deboli',
  ],
}

/** The fields a review's text is read from: its own, and the halves of one asked for apart (`joinParts`). */
export const TEXT_FIELDS = ['text', 'pros', 'cons'] as const

/**
 * A column name as aliases are matched loosely: lower case, accents folded,
 * without spaces, underscores, hyphens and dots ("Review Text", "review-text"
 * and "reviewText" are one name; "Reseña" is "resena").
 */
export function looseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_.-]+/g, '')
}

/** Loose name → the fields it names, each with its rank: after every alias of that field as written. */
const LOOSE_USES = new Map<string, { field: number; rank: number }[]>()
CANONICAL_FIELDS.forEach((field, f) => {
  const aliases = FIELD_ALIASES[field]
  aliases.forEach((alias, rank) => {
    const loose = looseName(alias)
    let list = LOOSE_USES.get(loose)
    if (list === undefined) LOOSE_USES.set(loose, (list = []))
    if (!list.some((u) => u.field === f)) list.push({ field: f, rank: aliases.length + rank })
  })
})

/**
 * Names that are a field's only inside an API's wrapper (`rowWrapper`), as
 * written, after all of its other names: Google Play's comment keeps its
 * date as `lastModified` (the last edit, the date Play shows), where a
 * column of that name in another export may be when a database last
 * touched the row, the same day for every row.
 */
const WRAPPED_ALIASES: Partial<Record<CanonicalField, readonly string[]>> = { date: ['lastModified'] }

/** The rank of a wrapper-only name (`WRAPPED_ALIASES`): after every name of its field, as written or loosely. */
const WRAPPED_RANK = 0x7ffffff0

/**
 * The rank of a name that is a field's only when its value looks like one:
 * after every other name of the field.
 */
const IF_LOOKS_RIGHT = 0x7ffffffe
/**
 * Italian's "Data" is the date of an Italian export, but any data in an
 * English one: it is read as the date when it holds a date's shape (`looksLikeDate`).
 */
LOOSE_USES.set('data', [{ field: DATE, rank: IF_LOOKS_RIGHT }])

/**
 * Loose names of the Spanish and Italian date columns, Italian's "Data" too:
 * their exports write "05/03/2024" day first, as the countries do, so such a
 * column reads day first unless `dateOrder` says otherwise.
 */
const DAY_FIRST_NAMES = new Set([...DAY_FIRST_DATE_NAMES, 'data'].map(looseName))

/**
 * Whether a date column's name is Spanish or Italian ("Fecha", "Data",
 * "data_recensione"), so that its numeric dates read day first when the
 * `dateOrder` option is not given.
 *
 * @param key The column or key the date was read from (`FieldResolver.dateKey`).
 */
export function namesDayFirstDates(key: string): boolean {
  if (DAY_FIRST_NAMES.has(looseName(key))) return true
  // A key inside an API's wrapper (`attributes.fecha`, see `rowWrapper`).
  const dot = key.lastIndexOf('.')
  return dot > 0 && DAY_FIRST_NAMES.has(looseName(key.slice(dot + 1)))
}

/**
 * Day, month and year in numbers ("05/03/2024", "2024-03-05", "5.3.24"; ISO's
 * "2024-03-05T14:30:00" too, as a workbook's date cell with a time reads), or a
 * day, a month name and a year ("5 marzo 2024", "5 de marzo de 2024").
 */
const DATE_SHAPE = /^\s*(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}\.?\s+(?:de\s+)?\p{L}{3,}\.?\s+(?:de\s+)?\d{4})(?:\b|(?=T\d))/u

/** Whether a value has a date's shape (a Date, or a string as `DATE_SHAPE` says), for a name that is a date's only then. */
function looksLikeDate(value: unknown): boolean {
  return value instanceof Date || (typeof value === 'string' && DATE_SHAPE.test(value))
}

/**
 * Whether a column name names a field by one of its aliases, as written or
 * loosely (`looseName`).
 *
 * @param field A canonical field.
 * @param name A column name or row key.
 */
export function isAliasOf(field: CanonicalField, name: string): boolean {
  if (FIELD_ALIASES[field].includes(name)) return true
  const f = CANONICAL_FIELDS.indexOf(field)
  return LOOSE_USES.get(looseName(name))?.some((u) => u.field === f) ?? false
}

/** Whether a column name names the review text, or a half it is read from, by an alias (`TEXT_FIELDS`). */
export function namesText(name: string): boolean {
  return TEXT_FIELDS.some((field) => isAliasOf(field, name))
}

/** Whether a column name names any field by an alias. */
export function namesField(name: string): boolean {
  return CANONICAL_FIELDS.some((field) => isAliasOf(field, name))
}

/** Names of unknown keys whose loose uses are remembered, at most (a row's keys repeat from row to row). */
const LOOSE_CACHE_MAX = 4096

/**
 * Source keys counted per canonical field, at most, and the longest counted
 * or remembered: rows that name a field with ever new keys (`"t_ext"`,
 * `"t__ext"` …, or keys of a megabyte, from a service's callers) would
 * otherwise grow `analyze`'s long-lived counts without end. Real exports name
 * a field with a handful of keys, a batch of many files with a few dozen.
 */
export const MAX_COUNTED_KEYS = 256
export const MAX_COUNTED_KEY_LENGTH = 1024

/** Add `n` rows to `key`'s count in `counts`: a key not counted yet is left out once `most` are (MAX_COUNTED_KEYS), or when longer than MAX_COUNTED_KEY_LENGTH. */
export function addKeyCount(counts: Map<string, number>, key: string, n: number, most = MAX_COUNTED_KEYS): void {
  const had = counts.get(key)
  if (had !== undefined) counts.set(key, had + n)
  else if (counts.size < most && key.length <= MAX_COUNTED_KEY_LENGTH) counts.set(key, n)
}

/** Input key of each canonical field; a dotted path (`user.name`) also reads a key inside an object. */
export type FieldMap = Partial<Record<CanonicalField, string>>

/** MySQL's zero date, as its dumps write a date never set (`coerceDate` reads it as no date). */
const ZERO_DATE = '0000-00-00 00:00:00'

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
  /** Keys inside a wrapper → the fields they name there only (`WRAPPED_ALIASES`, for fields not mapped explicitly). */
  private readonly wrapped = new Map<string, { field: number; rank: number }[]>()
  /** Other keys seen → the fields they name loosely (an empty list: none). */
  private readonly loose = new Map<string, { field: number; rank: number }[]>()
  /** Fields given an explicit mapping: matched as written only. */
  private readonly explicit: boolean[]
  // Per-row scratch, by field index: the best rank found so far, and its key and value.
  private readonly bestRank = new Int32Array(CANONICAL_FIELDS.length)
  private readonly bestKey: string[] = CANONICAL_FIELDS.map(() => '')
  private readonly bestValue: unknown[] = CANONICAL_FIELDS.map(() => undefined)
  /** canonical field → source key → rows that used it; and `OTHER_TEXT` → a text key passed over → rows. */
  readonly used = new Map<CountedField, Map<string, number>>()
  /** Per-row scratch: the row's keys (or its wrapper's, by their path) that name the text first (most rows have one), `textNamedCount` of them, and their strings. */
  private readonly textNamed: string[] = []
  private readonly textNamedValue: string[] = []
  private textNamedCount = 0
  /** Explicit mappings that name a key inside an object (`user.name`): the field, the mapping, and the keys down to it. */
  private readonly paths: [number, string, string[]][]
  /** The key the last resolved row's date was read from, or undefined when it had none. */
  dateKey: string | undefined = undefined
  /** The key the last resolved row's text was read from, or undefined when it had none. */
  private textKey: string | undefined = undefined

  /**
   * @param map Explicit keys (or dotted paths) per field.
   * @param countLimit Keys counted per field at most (see MAX_COUNTED_KEYS). A batch's chunk of up to
   *   this many rows has every key counted, so what a batch adds up does not depend on its chunk size.
   */
  constructor(map: FieldMap = {}, private readonly countLimit = MAX_COUNTED_KEYS) {
    this.candidates = CANONICAL_FIELDS.map((field) => {
      const explicit = map[field]
      return [field, explicit !== undefined ? [explicit] : FIELD_ALIASES[field]]
    })
    this.explicit = CANONICAL_FIELDS.map((field) => map[field] !== undefined)
    this.paths = []
    CANONICAL_FIELDS.forEach((field, f) => {
      const keys = keyPath(map[field])
      if (keys !== null) this.paths.push([f, map[field]!, keys])
    })
    this.candidates.forEach(([, keys], field) => {
      keys.forEach((key, rank) => {
        let list = this.uses.get(key)
        if (list === undefined) this.uses.set(key, (list = []))
        list.push({ field, rank })
      })
    })
    for (const [field, keys] of Object.entries(WRAPPED_ALIASES)) {
      const f = CANONICAL_FIELDS.indexOf(field as CanonicalField)
      if (!this.explicit[f]) for (const key of keys ?? []) this.wrapped.set(key, [{ field: f, rank: WRAPPED_RANK }])
    }
    // A key listed for some fields may name others loosely ("TEXT" mapped to the title is also text's "text").
    for (const [key, list] of this.uses) {
      for (const use of LOOSE_USES.get(looseName(key)) ?? []) {
        if (!this.explicit[use.field] && !list.some((u) => u.field === use.field)) list.push(use)
      }
    }
  }

  /**
   * The canonical-keyed view of one row (values not yet coerced). A plain
   * object is read through its own keys (a row has a handful; the aliases are
   * some 150, and most reads would miss); the answer is the same, since such an
   * object has no other properties to find. Any other object is read alias by alias.
   */
  resolve(row: Record<string, unknown>, wrapper: Wrapper | null = null): Partial<Record<CanonicalField, unknown>> {
    const proto: unknown = Object.getPrototypeOf(row)
    // Plain objects (JSON rows) are read through their own keys; class
    // instances and objects with getters on a prototype, alias by alias.
    if (proto !== Object.prototype && proto !== null) return this.resolveByAliases(row)
    const rank = this.bestRank
    rank.fill(NO_RANK)
    this.textNamedCount = 0
    this.rankKeys(row, wrapper?.key ?? null, '')
    // The keys inside a wrapper (`rowWrapper`) after those beside it, which win a tie.
    if (wrapper !== null) this.rankKeys(wrapper.inner, null, `${wrapper.path}.`)
    // A key named as written wins over the same name read as a path ("user.name" as one column of a CSV).
    for (let p = 0; p < this.paths.length; p++) {
      const [f, name, keys] = this.paths[p]!
      if (rank[f] !== NO_RANK) continue
      const value = valueAt(row, keys)
      if (value === undefined) continue
      rank[f] = 0
      this.bestKey[f] = name
      this.bestValue[f] = value
    }
    if (this.textNamedCount > 1) this.countOtherTexts()
    const out: Partial<Record<CanonicalField, unknown>> = {}
    this.dateKey = undefined
    this.textKey = undefined
    for (let f = 0; f < CANONICAL_FIELDS.length; f++) {
      if (rank[f] === NO_RANK) continue
      this.take(out, f, this.bestKey[f]!, this.bestValue[f])
      this.bestValue[f] = undefined
    }
    return out
  }

  /**
   * Put a field's value in the canonical row and count the key it came from.
   * An API's object where an author or product id belongs (`"user": { "id":
   * "u1", "name": "Ann" }`) gives its id, or else its name, read as the key
   * `user.id` (see `NESTED_KEYS`); an explicit mapping reads what it names.
   */
  private take(out: Partial<Record<CanonicalField, unknown>>, f: number, key: string, value: unknown): void {
    const field = CANONICAL_FIELDS[f]!
    // A database export's typed value (`{"$oid": …}`, `{"$date": …}`, a timestamp's `{seconds, nanos}`) as the value it holds.
    if (typeof value === 'object' && value !== null) value = typedValue(value, f === DATE) ?? value
    if (typeof value === 'object' && value !== null && !this.explicit[f] && (field === 'author' || field === 'product')) {
      const inner = nestedKey(value)
      // A reviewer who chose to stay anonymous, or an object with nothing in it, is nobody's id: the row has none.
      if (inner === NO_ONE) return
      if (inner !== null) {
        value = (value as Record<string, unknown>)[inner]
        key = `${key}.${inner}`
      }
    }
    out[field] = value
    if (f === DATE) this.dateKey = key
    this.count(field, key)
  }

  /** Rank a plain object's keys for each field they name (but `skip`), as `resolve` reads them; each key read as `prefix` + the key. */
  private rankKeys(row: Record<string, unknown>, skip: string | null, prefix: string): void {
    const rank = this.bestRank
    const names = Object.getOwnPropertyNames(row)
    for (let n = 0; n < names.length; n++) {
      const uses = this.uses.get(names[n]!) ?? (prefix === '' ? undefined : this.wrapped.get(names[n]!)) ?? this.looseUses(names[n]!)
      if (uses.length === 0 || names[n] === skip) continue
      const value = row[names[n]!]
      // MySQL's zero date names none: WordPress's comment_date_gmt of an imported comment gives way to its comment_date.
      if (value === undefined || value === ZERO_DATE) continue
      if (uses[0]!.field === TEXT && typeof value === 'string') {
        this.textNamed[this.textNamedCount] = prefix === '' ? names[n]! : prefix + names[n]!
        this.textNamedValue[this.textNamedCount++] = value
      }
      for (let u = 0; u < uses.length; u++) {
        const { field, rank: r } = uses[u]!
        if (r < rank[field]! && (r !== IF_LOOKS_RIGHT || looksLikeDate(value))) {
          rank[field] = r
          this.bestKey[field] = prefix === '' ? names[n]! : prefix + names[n]!
          this.bestValue[field] = value
        }
      }
    }
  }

  /**
   * Count the row's keys that name a text but were read for no field (the
   * text came from another), when they hold words: the summary names them.
   */
  private countOtherTexts(): void {
    const rank = this.bestRank
    for (let k = 0; k < this.textNamedCount; k++) {
      const key = this.textNamed[k]!
      let read = false
      for (let f = 0; f < CANONICAL_FIELDS.length && !read; f++) read = rank[f] !== NO_RANK && this.bestKey[f] === key
      if (!read) this.countOtherText(key, this.textNamedValue[k]!)
    }
  }

  /** Count a key that names the text and was not read, when its value holds words. */
  private countOtherText(key: string, value: string): void {
    if (value.trim() === '') return
    let counts = this.used.get(OTHER_TEXT)
    if (counts === undefined) this.used.set(OTHER_TEXT, (counts = new Map()))
    addKeyCount(counts, key, 1, this.countLimit)
  }

  /** The fields a key not listed as written names loosely (remembered per key). */
  private looseUses(name: string): { field: number; rank: number }[] {
    let uses = this.loose.get(name)
    if (uses === undefined) {
      uses = (LOOSE_USES.get(looseName(name)) ?? []).filter((u) => !this.explicit[u.field])
      if (name.length > MAX_COUNTED_KEY_LENGTH) return uses
      if (this.loose.size >= LOOSE_CACHE_MAX) this.loose.clear()
      this.loose.set(name, uses)
    }
    return uses
  }

  /** `resolve` for any object: each field's keys in order, the first with a value wins; then its keys read loosely. */
  private resolveByAliases(row: Record<string, unknown>): Partial<Record<CanonicalField, unknown>> {
    const out: Partial<Record<CanonicalField, unknown>> = {}
    this.dateKey = undefined
    this.textKey = undefined
    let keys: string[] | null = null
    // The keys read for a field, for the count of text keys passed over.
    const read = new Set<string>()
    this.candidates.forEach(([field, names], f) => {
      for (const key of names) {
        const value = row[key]
        if (value !== undefined) {
          read.add(key)
          this.take(out, f, key, value)
          return
        }
      }
      if (this.explicit[f]) {
        const path = this.paths.find((p) => p[0] === f)
        const value = path === undefined ? undefined : valueAt(row, path[2])
        if (value === undefined) return
        out[field] = value
        this.count(field, path![1])
        return
      }
      keys ??= allKeys(row)
      let best = NO_RANK
      let bestKey = ''
      for (const key of keys) {
        const use = this.looseUses(key).find((u) => u.field === f)
        if (use !== undefined && use.rank < best && row[key] !== undefined && (use.rank !== IF_LOOKS_RIGHT || looksLikeDate(row[key]))) [best, bestKey] = [use.rank, key]
      }
      if (best === NO_RANK) return
      read.add(bestKey)
      this.take(out, f, bestKey, row[bestKey])
    })
    // As `resolve` counts them: keys that name the text first, with a string, when the row has two or more.
    const named = (keys ?? allKeys(row)).filter((key) => {
      const value = row[key]
      return typeof value === 'string' && value !== ZERO_DATE && (this.uses.get(key) ?? this.looseUses(key))[0]?.field === TEXT
    })
    if (named.length > 1) for (const key of named) if (!read.has(key)) this.countOtherText(key, row[key] as string)
    return out
  }

  /** The canonical field a row's key is read for (as written, by an alias or loosely), or null when it is read for none. */
  fieldOf(key: string): CanonicalField | null {
    const uses = this.uses.get(key) ?? this.looseUses(key)
    if (uses.length > 0) return CANONICAL_FIELDS[uses[0]!.field]!
    const path = this.paths.find((p) => p[1] === key)
    return path === undefined ? null : CANONICAL_FIELDS[path[0]]!
  }

  /** The dotted names of explicit mappings that reach inside objects (`user.name`), with their keys. */
  get mappedPaths(): readonly (readonly [string, readonly string[]])[] {
    return this.paths.map(([, name, keys]) => [name, keys] as const)
  }

  private count(field: CanonicalField, key: string): void {
    let counts = this.used.get(field)
    if (counts === undefined) this.used.set(field, (counts = new Map()))
    addKeyCount(counts, key, 1, this.countLimit)
    if (field === 'text') this.textKey = key
  }

  /**
   * Take back the count of the last resolved row's text, which was not read
   * after all (an object beside the halves the text was read from, `joinParts`).
   */
  uncountText(): void {
    const counts = this.used.get('text')
    const key = this.textKey
    this.textKey = undefined
    const n = key === undefined ? undefined : counts?.get(key)
    if (counts === undefined || key === undefined || n === undefined) return
    if (n > 1) counts.set(key, n - 1)
    else counts.delete(key)
    if (counts.size === 0) this.used.delete('text')
  }

  /** The source column used most for each canonical field, for the summary. */
  detected(): Partial<Record<CanonicalField, string>> {
    return mostUsedColumns(this.used)
  }
}

/**
 * The keys of an object in an author or product column that identify it, as
 * APIs name them (loosely, see `looseName`), ids first: Yelp's `user: { id,
 * name }`, Trustpilot's `consumer: { id, displayName }`, Google's `reviewer:
 * { displayName }`, a shop's `product: { sku, title }`.
 */
const NESTED_KEYS = [
  'id', 'uid', 'userid', 'authorid', 'reviewerid', 'customerid', 'consumerid', 'productid', 'itemid', 'sku', 'asin',
  'name', 'displayname', 'username', 'nickname', 'fullname', 'handle', 'login', 'title', 'slug',
]

/**
 * Said of an object that names no one, as an empty string does: one flagged
 * anonymous (Google's `reviewer: { isAnonymous: true }`, whose name, when it
 * has one, stands in for any reviewer: "A Google User"), an empty object (or
 * one with only `isAnonymous: false`), or one whose identifying keys are all
 * empty (`user: { id: "", name: null }`).
 */
const NO_ONE = Symbol('no one')

/** `nestedRank` of an `isAnonymous` key. */
const IS_ANONYMOUS = -2
/** Keys of author and product objects seen → their rank in `NESTED_KEYS` (-1: none), as an API's rows repeat them. */
const NESTED_RANKS = new Map<string, number>()

/** A key's rank in `NESTED_KEYS` read loosely, -1 when it is none of them, or `IS_ANONYMOUS`. */
function nestedRank(key: string): number {
  let rank = NESTED_RANKS.get(key)
  if (rank === undefined) {
    const name = looseName(key)
    rank = name === 'isanonymous' ? IS_ANONYMOUS : NESTED_KEYS.indexOf(name)
    if (NESTED_RANKS.size >= LOOSE_CACHE_MAX) NESTED_RANKS.clear()
    NESTED_RANKS.set(key, rank)
  }
  return rank
}

/**
 * The key of a plain object whose value identifies it (`NESTED_KEYS`, a
 * non-empty string or a number), `NO_ONE`, or null (an object recensio
 * cannot read: its keys are none of `NESTED_KEYS`, or one holds an object).
 */
function nestedKey(value: object): string | typeof NO_ONE | null {
  if (!isPlainObject(value)) return null
  let best: string | null = null
  let bestRank = NESTED_KEYS.length
  const keys = Object.keys(value)
  // Whether every identifying key seen so far is empty (null, undefined or blank).
  let allEmpty = true
  for (const key of keys) {
    const rank = nestedRank(key)
    if (rank === IS_ANONYMOUS) {
      if ((value as Record<string, unknown>)[key] === true) return NO_ONE
      continue
    }
    if (rank < 0) continue
    const inner = (value as Record<string, unknown>)[key]
    if (inner != null && !(typeof inner === 'string' && inner.trim() === '')) allEmpty = false
    if (rank >= bestRank) continue
    if ((typeof inner === 'string' && inner.trim() !== '') || (typeof inner === 'number' && Number.isFinite(inner))) [best, bestRank] = [key, rank]
  }
  if (best !== null) return best
  // No key but an `isAnonymous: false` says no more than an empty object.
  return keys.every((key) => nestedRank(key) === IS_ANONYMOUS) || (allEmpty && keys.some((key) => nestedRank(key) >= 0)) ? NO_ONE : null
}

/** MongoDB Extended JSON's numbers (`mongoexport` writes `{"$numberInt": "4"}`): their text, which the fields' coercions read. */
const EXTENDED_NUMBERS = new Set(['$numberInt', '$numberLong', '$numberDouble', '$numberDecimal'])
/** The keys of a timestamp object: Protocol Buffers' and the Firestore SDKs' (`{seconds, nanos}`, `{_seconds, _nanoseconds}`). */
const TIMESTAMP_KEYS = new Set(['seconds', 'nanos', 'nanoseconds', '_seconds', '_nanoseconds'])

/**
 * The value a database export's typed object holds, or undefined for any
 * other object: MongoDB Extended JSON, as `mongoexport` writes every id,
 * date and number (`{"$oid": "65e6…"}` → its text, `{"$date":
 * "2024-03-05T10:00:00Z"}` or `{"$date": {"$numberLong": "1709632800000"}}`
 * → the date, `{"$numberInt": "4"}` → "4"), and, for a date, a timestamp
 * object (`{"seconds": 1709632800, "nanos": 0}`, Firestore's `{"_seconds",
 * "_nanoseconds"}`) → epoch ms.
 *
 * @param value An object a row holds where a field's value belongs.
 * @param date Whether the field is the date.
 */
function typedValue(value: object, date: boolean): unknown {
  if (Array.isArray(value) || value instanceof Date) return undefined
  const keys = Object.keys(value)
  const v = (value as Record<string, unknown>)[keys[0]!]
  if (keys.length === 1 && keys[0]!.charCodeAt(0) === 36 /* $ */) {
    if (keys[0] === '$oid' || EXTENDED_NUMBERS.has(keys[0]!)) return typeof v === 'string' || typeof v === 'number' ? v : undefined
    if (keys[0] === '$date') {
      if (typeof v === 'string' || typeof v === 'number') return v
      return typeof v === 'object' && v !== null ? typedValue(v, false) : undefined
    }
    return undefined
  }
  if (!date || keys.length === 0 || keys.length > 2 || !keys.every((k) => TIMESTAMP_KEYS.has(k))) return undefined
  const o = value as Record<string, unknown>
  const seconds = Number(o.seconds ?? o._seconds)
  const nanos = Number(o.nanos ?? o.nanoseconds ?? o._nanoseconds ?? 0)
  // A date before the epoch, or seconds that are not a number, stay the object: the date's coercion refuses it, naming it.
  return Number.isFinite(seconds) && seconds >= 0 && Number.isFinite(nanos) ? seconds * 1000 + Math.floor(nanos / 1e6) : undefined
}

/**
 * The source column used most for each canonical field (the first seen on a tie).
 *
 * @param used Canonical field → source key → rows that used it.
 */
export function mostUsedColumns(used: ReadonlyMap<CountedField, ReadonlyMap<string, number>>): Partial<Record<CanonicalField, string>> {
  const out: Partial<Record<CanonicalField, string>> = {}
  for (const [field, counts] of used) {
    if (field === OTHER_TEXT) continue
    let best = ''
    let most = -1
    for (const [key, n] of counts) if (n > most) [best, most] = [key, n]
    out[field] = best
  }
  return out
}

/**
 * The keys that name a review text in rows whose text was read from another
 * key, most rows first (the first seen on a tie); empty when there are none.
 *
 * @param used Counted field → source key → rows, as `FieldResolver.used` counts them.
 */
export function otherTextKeys(used: ReadonlyMap<CountedField, ReadonlyMap<string, number>>): string[] {
  const counts = used.get(OTHER_TEXT)
  if (counts === undefined) return []
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key]) => key)
}

/**
 * The keys of a dotted name that reaches inside objects ("user.name" →
 * ["user", "name"]), as `map` and `keep` read one; null for a name without
 * dots (or an empty part), which names one key.
 */
export function keyPath(name: string | undefined): string[] | null {
  const keys = name?.split('.')
  return keys !== undefined && keys.length > 1 && keys.every((k) => k !== '') ? keys : null
}

/**
 * Set `key` on an object as its own: `obj.__proto__ = value` would try to set
 * the object's prototype instead, and the key would be lost (a CSV column, a
 * `keep` key of that name).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}

/**
 * The value at `keys` inside nested plain objects (own keys only), and arrays
 * by index (`comments.0.userComment`), or undefined when the path stops short.
 */
export function valueAt(row: object, keys: readonly string[]): unknown {
  let value: unknown = row
  for (const key of keys) {
    if (typeof value !== 'object' || value === null) return undefined
    if (Array.isArray(value)) {
      if (!/^(?:0|[1-9]\d{0,8})$/.test(key)) return undefined
      value = value[Number(key)] as unknown
    } else {
      if (!Object.hasOwn(value, key)) return undefined
      value = (value as Record<string, unknown>)[key]
    }
  }
  return value
}

/** The string keys an object can be read by: its own and its prototypes' (getters of a class). */
export function allKeys(row: object): string[] {
  const keys = new Set<string>()
  for (let o: object | null = row; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Object.getOwnPropertyNames(o)) if (key !== 'constructor') keys.add(key)
  }
  return [...keys]
}

/**
 * Keys an API's row keeps its fields under: JSON:API's `attributes` (App
 * Store Connect's `{ id, type, attributes: { body, rating, … } }`), a
 * GraphQL connection's `node` (`edges: [{ cursor, node: { … } }]`) and a
 * GeoJSON feature's `properties` (Google Takeout's Maps reviews, `{ type:
 * "Feature", geometry, properties: { review_text_published, … } }`).
 */
const WRAPPER_KEYS = ['attributes', 'node', 'properties'] as const

/**
 * Google Play's review API keeps the reviewer's comment first in a list, the
 * developer's reply after it: `{ reviewId, authorName, comments: [{
 * userComment: { text, starRating, lastModified, … } }, { developerComment: … }] }`.
 */
const COMMENTS_PATH = ['comments', '0', 'userComment'] as const
/** `COMMENTS_PATH` as the prefix of the keys read inside it. */
const COMMENTS_KEYS = COMMENTS_PATH.join('.')

/** Where a row's fields are read, besides its own keys: an object inside it (`rowWrapper`). */
export interface Wrapper {
  /** The row's key that holds it, whose own value is not read as a field. */
  key: string
  /** Its path, the prefix of the keys read inside it (`attributes`, `comments.0.userComment`). */
  path: string
  inner: Record<string, unknown>
}

/** Whether a value is a plain object that holds a review text (a string under a key `isText` names). */
export function holdsText(value: unknown, isText: (key: string) => boolean): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((k) => isText(k) && typeof value[k] === 'string')
}

/**
 * The wrapper an API's row keeps its fields in (`WRAPPER_KEYS`, or Google
 * Play's `COMMENTS_PATH`), read by `FieldResolver.resolve` as
 * `attributes.body`, with the keys beside it (JSON:API's `id` is the
 * resource's); null for any other row: no wrapper, a wrapper without a review
 * text, or a row with a text of its own.
 *
 * @param record A row object.
 * @param isText Whether a key names the review text.
 */
export function rowWrapper(record: Record<string, unknown>, isText: (key: string) => boolean): Wrapper | null {
  let found: Wrapper | null = null
  for (const key of WRAPPER_KEYS) {
    const inner = record[key]
    if (holdsText(inner, isText)) {
      found = { key, path: key, inner }
      break
    }
  }
  if (found === null && Array.isArray(record.comments)) {
    const inner = valueAt(record, COMMENTS_PATH)
    if (holdsText(inner, isText)) found = { key: COMMENTS_PATH[0], path: COMMENTS_KEYS, inner }
  }
  if (found === null) return null
  return Object.keys(record).some((k) => k !== found.key && isText(k)) ? null : found
}

/**
 * Whether a row may keep its fields in a wrapper (`rowWrapper`): a quick test
 * that passes over most rows, which have none of its keys.
 */
export function mayWrap(record: Record<string, unknown>): boolean {
  return record.attributes !== undefined || record.node !== undefined || record.properties !== undefined || Array.isArray(record.comments)
}

/**
 * The path of the wrapper a `map.text` path reads the text from
 * (`attributes.body` → `attributes`), whose other keys are read as
 * `rowWrapper`'s are; null when the mapped text is no path into one.
 *
 * @param text The `map` entry of the text.
 */
export function mappedWrapper(text: string | undefined): string[] | null {
  const keys = keyPath(text)
  if (keys === null) return null
  const at = keys.slice(0, -1)
  if (at.length === 1 && (WRAPPER_KEYS as readonly string[]).includes(at[0]!)) return at
  return at.join('.') === COMMENTS_KEYS ? at : null
}

/** Whether a value is a plain object (JSON's, or made with `{}` or `Object.create(null)`), not an array, a Date or a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * The per-review stage: one validated review → its result and the compact
 * record the cross-review pass reads. A pure function of the review and the
 * options, so it runs the same in `analyze`, in a worker, or on a shard.
 */
import { type ReviewRecord, combineSignals, contentSignals, exactHash, fingerprint, isPlaceholderAuthor } from './authenticity/index.js'
import { type CompiledTaxonomy, compileTaxonomy, tagJourney } from './journey/index.js'
import { detectLanguage } from './language/index.js'
import {
  type LanguageResult,
  type Options,
  RecensioError,
  RecentMap,
  type ResolvedOptions,
  type ReviewInHalves,
  type ReviewInput,
  type ReviewResult,
  RowValidator,
  type ValidRow,
  describeValue,
  isoDate,
  partSpan,
  resolveOptions,
} from './review/index.js'
import { ContributionBuffers, scoreSentiment } from './sentiment/index.js'
import { type Doc, type Repair, TokenPool, makeDoc } from './text/index.js'

/** Everything resolved once per options object: validator, taxonomy. */
export interface Context {
  options: ResolvedOptions
  taxonomy: CompiledTaxonomy
  validator: RowValidator
}

const contexts = new WeakMap<ResolvedOptions, Context>()

export function contextFor(options: ResolvedOptions): Context {
  let ctx = contexts.get(options)
  if (ctx === undefined) {
    ctx = { options, taxonomy: taxonomyFor(options), validator: new RowValidator(options) }
    contexts.set(options, ctx)
  }
  return ctx
}

/** User taxonomies compiled, by content, at most (the least recently used is forgotten first). */
const TAXONOMY_CACHE_SIZE = 64
const taxonomies = new RecentMap<string, CompiledTaxonomy>(TAXONOMY_CACHE_SIZE)

/**
 * The options' taxonomy compiled, shared by every options set that holds the
 * same one: a tenant's taxonomy asked for with each `lang`, or with and
 * without `explain`, is compiled once (2 ms, and 5–10 ms per language its
 * matchers are built for) and keeps one set of per-word caches.
 */
function taxonomyFor(options: ResolvedOptions): CompiledTaxonomy {
  if (options.taxonomy === undefined) return compileTaxonomy()
  // A validated taxonomy is plain data: its JSON says all it holds.
  const key = JSON.stringify(options.taxonomy)
  let compiled = taxonomies.get(key)
  if (compiled === undefined) {
    compiled = compileTaxonomy(options.taxonomy)
    taxonomies.set(key, compiled)
  }
  return compiled
}

const REPAIR_WARNINGS: Record<Repair, string> = {
  mojibake: 'repaired mojibake (text decoded with the wrong character set)',
  html: 'removed HTML tags or entities',
  zero_width: 'removed zero-width characters',
  control_chars: 'removed control characters',
  unicode_nfc: 'normalized Unicode to NFC',
  machine_translation: "removed Google's machine translation, kept the reviewer's own words",
}

function warningsOf(doc: Doc): string[] | undefined {
  if (doc.body.repairs.length === 0 && (doc.title === null || doc.title.repairs.length === 0)) return undefined
  const repairs = new Set<Repair>(doc.body.repairs)
  if (doc.title !== null) for (const r of doc.title.repairs) repairs.add(r)
  if (repairs.size === 0) return undefined
  return [...repairs].map((r) => REPAIR_WARNINGS[r])
}

/**
 * The stage's token objects, reused from one review to the next: a review's
 * doc never outlives its `analyzeValid` call (results and records hold only
 * strings, numbers and their own arrays).
 */
const tokenPool = new TokenPool()
/** The sentiment contributions' storage, reused likewise (journey reads them within the same call). */
const contributions = new ContributionBuffers()

export interface Analyzed {
  result: ReviewResult
  record: ReviewRecord
}

/** Run every per-review analyzer on one validated row. `index` is its 0-based batch position. */
export function analyzeValid(valid: ValidRow, ctx: Context, index: number): Analyzed {
  const { review } = valid
  const { options } = ctx
  const doc = makeDoc(review.text, review.title, tokenPool)

  const given = review.lang ?? options.lang
  const language: LanguageResult =
    given !== undefined ? { code: given, confidence: 1, source: 'given' } : detectLanguage(doc)

  const sentiment = scoreSentiment(doc, language.code, { explain: options.explain }, contributions)
  const journey = tagJourney(doc, language.code, sentiment, ctx.taxonomy)
  const signals = contentSignals(doc, review, language.code, sentiment.result)
  const authenticity = combineSignals(signals, options)

  const result: ReviewResult = {
    id: valid.id,
    ok: true,
    row: valid.row,
    language,
    sentiment: sentiment.result,
    journey,
    authenticity,
    rating: review.rating ?? null,
    date: review.date === undefined ? null : isoDate(review.date),
  }
  // The date names no day (the 1st of a month, "2 weeks ago"): say so, so a report or a chart of results does not put it on that day.
  if (valid.dayless) result.dayless = true
  if (review.product !== undefined) result.product = review.product
  if (review.author !== undefined) result.author = review.author
  if (review.channel !== undefined) result.channel = review.channel
  if (review.segment !== undefined) result.segment = review.segment
  if (review.nps !== undefined || review.ces !== undefined || review.csat !== undefined) {
    result.survey = {}
    if (review.nps !== undefined) result.survey.nps = review.nps
    if (review.ces !== undefined) result.survey.ces = review.ces
    if (review.csat !== undefined) result.survey.csat = review.csat
  }
  const warnings = warningsOf(doc)
  if (warnings !== undefined) result.warnings = warnings
  if (valid.otherLang !== undefined) {
    const instead = options.lang === undefined ? 'the language was detected' : `scored as ${options.lang} (option lang)`
    result.warnings = [...(result.warnings ?? []), `lang ${JSON.stringify(valid.otherLang)} is not one recensio scores (es, it, en): ${instead}`]
  }
  if (valid.relativeDate !== undefined) {
    result.warnings = [...(result.warnings ?? []), `date ${JSON.stringify(valid.relativeDate)} is relative and no referenceDate (--reference-date) says when the reviews were exported: the row has no date`]
  }
  if (valid.fields !== undefined) result.fields = valid.fields
  // A text read from its halves: each span into the half it falls in.
  if (valid.parts !== undefined) {
    for (const tag of result.journey) for (const span of tag.spans) partSpan(span, valid.parts)
    for (const evidence of result.sentiment.explain ?? []) partSpan(evidence, valid.parts)
  }

  let words = 0
  for (const t of doc.body.tokens) if (t.kind === 'word') words++
  const record: ReviewRecord = {
    index,
    id: valid.id,
    product: review.product,
    // "Amazon Customer", "Anonymous": no one in particular, so no author for the batch signals.
    author: review.author === undefined || isPlaceholderAuthor(review.author) ? undefined : review.author,
    // A date without a day ("March 2024", read as the 1st; "a month ago") would pile a month's reviews onto one day: no burst evidence.
    date: valid.dayless === true ? undefined : review.date,
    rating: review.rating,
    verified: review.verified,
    sentiment: sentiment.result.score,
    signature: fingerprint(doc),
    exact: exactHash(doc),
    words,
    signals,
  }
  return { result, record }
}

/**
 * Analyze one review: language, sentiment, journey stages and the per-review
 * authenticity signals (copies and bursts need a batch: see `analyzeBatch`).
 *
 * @param review A review object with the canonical fields, or just its text.
 * @param options See `Options`; validated on each new options object.
 * @returns The review's result. Throws a `RecensioError` naming the field when the review is invalid.
 */
export function analyze(review: ReviewInput | string, options?: Options): ReviewResult
/**
 * Analyze one review given in halves (`{ pros, cons }`, with or without a
 * `text`): they are read as its text, and evidence in them has spans whose
 * `field` is `pros` or `cons`.
 *
 * @param review The review's halves, and its other canonical fields.
 * @param options See `Options`.
 * @returns The review's result. Throws a `RecensioError` naming the field when the review is invalid.
 */
export function analyze(review: ReviewInHalves, options?: Options): ReviewResult
/**
 * Analyze one review whose fields are named with `map` (`{ reviewText: … }`
 * with `map: { text: 'reviewText' }`), or that carries fields to `keep`.
 * Any object is taken once options are given (options held in a variable
 * typed `Options` may map fields); without options, only a `ReviewInput`.
 *
 * @param review Any object but an array (which throws `invalid_row`): `map` says which key holds each canonical field.
 * @param options See `Options`, usually with `map` or `keep`.
 * @returns The review's result. Throws a `RecensioError` naming the field when the review is invalid.
 */
export function analyze<Row extends object>(review: Row extends readonly unknown[] ? never : Row, options: Options): ReviewResult
export function analyze(review: unknown, options?: Options): ReviewResult {
  const ctx = contextFor(resolveOptions(options))
  if (typeof review === 'string') {
    // A bare string never throws: blank text gives an evidence-free result,
    // and text over maxTextLength is analyzed up to the cap, with a warning.
    const max = ctx.options.schema.maxTextLength
    const text = review.length > max ? review.slice(0, max) : review
    const out = analyzeValid({ ok: true, row: 0, id: '0', review: { text }, fields: undefined, dayless: false }, ctx, 0).result
    if (text.length < review.length) {
      out.warnings = [...(out.warnings ?? []), `text capped at ${max} characters (maxTextLength)`]
    }
    return out
  }
  if (typeof review !== 'object' || review === null || Array.isArray(review)) {
    // The validator's error names the batch's "row": a call is given one review.
    const got = review === undefined ? 'undefined' : describeValue(review)
    const message = `analyze: expected a review object or a text string, got ${got}`
    throw new RecensioError('invalid_row', message, [{ field: 'review', code: 'invalid_row', message }])
  }
  const valid = ctx.validator.validate(review, 0)
  if (!valid.ok) {
    const id = valid.id === null ? '' : ` (id ${valid.id})`
    throw new RecensioError(valid.error.code, `Invalid review${id}, field "${valid.error.field}": ${valid.error.message}`, [
      valid.error,
    ])
  }
  return analyzeValid(valid, ctx, 0).result
}

export type { ErrorCode, Issue } from './errors.js'
export { RecensioError, describePaths, describeValue, errorRowText } from './errors.js'
export type { DateOrder, Lang, Scale, ScaleOption } from './coerce.js'
export {
  Failure,
  SCALE_FLAGS,
  STAR_SCALE,
  coerceBoolean,
  coerceDate,
  coerceLang,
  coerceRating,
  coerceScore,
  coerceString,
  coerceText,
  coerceTitle,
  dayless,
  hasTimeOfDay,
  isoDate,
  scaleText,
  toStars,
} from './coerce.js'
export type { CanonicalField, CountedField, FieldMap } from './fields.js'
export { CANONICAL_FIELDS, FIELD_ALIASES, FieldResolver, MAX_COUNTED_KEY_LENGTH, MAX_COUNTED_KEYS, TEXT_FIELDS, addKeyCount, isAliasOf, looseName, mostUsedColumns, namesDayFirstDates, namesField, namesText, otherTextKeys, setOwn } from './fields.js'
export type { Review, ReviewHalves, ReviewInHalves, ReviewInput, SchemaSettings } from './schema.js'
export { makeReviewSchema, NPS_SCALE } from './schema.js'
export type { Options, OptionsSchema, ParsedOptions, Progress, ResolvedOptions, Taxonomy, TaxonomyInput, TaxonomySchema } from './options.js'
export {
  LIKELY_FAKE_THRESHOLD,
  MAX_TEXT_LENGTH,
  MAX_WINDOW_IDLE_MS,
  SUSPICIOUS_THRESHOLD,
  optionIssueText,
  optionsSchema,
  resolveOptions,
  resolveParsedOptions,
  scaleSchema,
  taxonomySchema,
} from './options.js'
export type { JoinedText, TextPart } from './parts.js'
export { joinParts, partSpan } from './parts.js'
export type { OffScale, OtherOrderDate, ScaleField, ValidRow } from './validate.js'
export { RowValidator, SCALE_FIELDS } from './validate.js'
export { RecentMap } from './recent.js'
export type * from './types.js'

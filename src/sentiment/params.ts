/**
 * The parameter shapes of the sentiment engine. The values that ship are
 * fitted by `scripts/fit-sentiment.ts` on the development corpora and written
 * to `generated/params.ts`; a few engine constants are chosen by the same
 * script's cross-validated grid search.
 */

/** Global parameters of the token pass (shared by every language). */
export interface EngineParams {
  /** How many word tokens after a negator stay negated (a clause boundary or contrast word ends it earlier). */
  negationScope: number
  /** A negation scope ends after the first term it flips ("not good, and ugly"). */
  negationOnce: boolean
  /** Multiplier for a term written in capitals ("TERRIBLE"). */
  capsBoost: number
  /** Multiplier for an elongated term ("buenísimooo"). */
  elongationBoost: number
  /** Extra weight per "!" ending the sentence (up to 3). */
  exclamationBoost: number
  /** Intensifier factors are raised to this power (1 = as written in the lexicon). */
  intensifierPower: number
  /** Contrast multipliers are raised to this power (1 = as written in the lexicon). */
  contrastPower: number
  /** Multiplier for terms of the title (it is scored with the body). */
  titleWeight: number
  /**
   * A review whose evidence adds up to less than this (one faint word: "ok",
   * "decent") is labelled neutral, its score kept inside the neutral band.
   */
  minMass: number
  /** es/it: weight multiplier for words found through the suffix-stripping fallback (0 turns it off). */
  stemFactor: number
  /** Weight multiplier for terms in an irrealis clause ("if", "would", "esperaba"), to the clause end. */
  irrealisFactor: number
}

/** The aggregate model of one language: evidence masses → a linear score η → score, label, stars. */
export interface LanguageModel {
  /** Coefficient of each evidence class's mass raised to `alpha` (classes in `extract.ts`). */
  beta: number[]
  /** Concavity of the class masses: 1 adds evidence up linearly, lower values saturate. */
  alpha: number
  /** Evidence is scaled by (1 + words)^-density: the same words weigh more in a short review. */
  density: number
  /** Coefficient of ln(1 + words). */
  length: number
  /** Coefficient of the number of "?" (up to 3). */
  question: number
  /** Ordinal thresholds on η between 1|2, 2|3, 3|4 and 4|5 stars. */
  thresholds: number[]
  /** η where the score is 0: the positive/negative cut. */
  zero: number
  /** The neutral band on η: below `low` negative, above `high` positive. */
  low: number
  high: number
  /** η distance beyond the band over which the score approaches ±1. */
  spread: number
  /** Star calibration: stars = 1 + Σ_k σ(starScale · η − starThresholds_k), fitted on the corpus as it is. */
  starScale: number
  starThresholds: number[]
  /** How the fit weighted the rows: each star level, or each star group (1–2 / 3 / 4–5), equally. */
  weighting: 'star' | 'group'
}

/** Everything the scorer reads. */
export interface SentimentParams {
  engine: EngineParams
  models: Record<'en' | 'es' | 'it', LanguageModel>
  /** Hash of the lexicon module the models were fitted on (the staleness test compares it). */
  lexiconHash: string
}

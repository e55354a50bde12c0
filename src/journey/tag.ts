import type { JourneyTag, LanguageCode, Taxonomy } from '../review/index.js'
import type { SentimentAnalysis } from '../sentiment/index.js'
import type { Doc } from '../text/index.js'

export interface CompiledTaxonomy {
  stages: string[]
}

/** Compile the default taxonomy, extended or replaced by the user's. */
export function compileTaxonomy(_taxonomy?: Taxonomy): CompiledTaxonomy {
  return { stages: ['discovery', 'purchase', 'delivery', 'usage', 'support', 'loyalty'] }
}

/** Journey stages a review talks about. (Placeholder until the journey part lands: no tags.) */
export function tagJourney(
  _doc: Doc,
  _lang: LanguageCode,
  _sentiment: SentimentAnalysis,
  _taxonomy: CompiledTaxonomy,
): JourneyTag[] {
  return []
}

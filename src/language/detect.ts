import type { LanguageResult } from '../review/index.js'
import type { Doc } from '../text/index.js'

/** Identify es / it / en, or `und` when the text gives no evidence. (Placeholder until the language part lands.) */
export function detectLanguage(_doc: Doc): LanguageResult {
  return { code: 'und', confidence: 0, source: 'detected' }
}

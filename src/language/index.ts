export type { DetectParams } from './detect.js'
export { DEFAULT_DETECT_PARAMS, decideLanguage, detectLanguage, resetLanguageCache, scoreProfiles } from './detect.js'

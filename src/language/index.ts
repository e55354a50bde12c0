export type { DetectParams } from './detect.js'
export { DEFAULT_DETECT_PARAMS, decideLanguage, detectLanguage, scoreProfiles } from './detect.js'

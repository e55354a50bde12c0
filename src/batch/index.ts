export type { BatchPhases, BatchRun, BatchSummary, InputFile } from './types.js'
export { analyzeBatch } from './run.js'
export { analyzeFile } from './file.js'
export { repeatedColumnsText } from './csv.js'

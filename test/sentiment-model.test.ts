import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { crossValidate, extract, LANGS, loadLangData, shapeOf } from '../scripts/sentiment-cv.js'
import { dataDir } from '../scripts/sentiment-fit-lib.js'
import { generateModules } from '../scripts/sentiment-lexicon.js'
import { PARAMS } from '../src/sentiment/generated/params.js'
import { fnv1a } from '../src/text/index.js'

const root = resolve(import.meta.dirname, '..')
const lexiconPath = resolve(root, 'src/sentiment/generated/lexicon.ts')
const stemsPath = resolve(root, 'src/sentiment/generated/stems.ts')

describe('generated modules', () => {
  test('the lexicon and stems modules match data/lexicons (run npx tsx scripts/build-sentiment.ts)', () => {
    const modules = generateModules(root)
    expect(readFileSync(lexiconPath, 'utf8') === modules.lexicon).toBe(true)
    expect(readFileSync(stemsPath, 'utf8') === modules.stems).toBe(true)
  })

  test('the fitted parameters were fitted on the current lexicon (run scripts/fit-sentiment.ts)', () => {
    expect(PARAMS.lexiconHash).toBe(fnv1a(readFileSync(lexiconPath, 'utf8')).toString(16))
  })
})

const haveData = LANGS.every((l) => existsSync(resolve(dataDir(root), `sentiment_${l}.jsonl`)))
if (!haveData) console.warn(`sentiment accuracy floors skipped: ${dataDir(root)}/sentiment_{en,es,it}.jsonl not found`)

// Floors a little under the 5-fold CV figures of scripts/fit-sentiment.ts: every
// prediction comes from a model fitted on the other folds, as in the fit.
const BALANCED_FLOOR = 0.85
const MACRO_F1_FLOOR = 0.6
const MAE_CEILING = 0.85

describe.skipIf(!haveData)('accuracy (5-fold CV on ../shared/data)', () => {
  test.each(LANGS)('%s balanced accuracy, macro-F1 and stars MAE stay above the floors', (lang) => {
    const d = loadLangData(root, lang)!
    const raw = extract(d, PARAMS.engine)
    const cv = crossValidate(raw, d, shapeOf(PARAMS.models[lang]), PARAMS.engine.minMass)
    expect(cv.balanced).toBeGreaterThanOrEqual(BALANCED_FLOOR)
    expect(cv.f1).toBeGreaterThanOrEqual(MACRO_F1_FLOOR)
    expect(cv.mae).toBeLessThanOrEqual(MAE_CEILING)
  })
})

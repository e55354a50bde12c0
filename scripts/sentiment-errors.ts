/**
 * Print the worst-scored development rows of a language, with their evidence,
 * for lexicon work. Only folds 0–1 (FNV-1a of the id, 5 folds) are ever shown:
 * folds 2–4 stay unread so their figures remain a check on the lexicons.
 *
 *   npx tsx scripts/sentiment-errors.ts en [count] [--missed]
 *   --missed: rows with no evidence at all
 */
import { resolve } from 'node:path'
import { scoreSentiment } from '../src/sentiment/index.js'
import { makeDoc } from '../src/text/index.js'
import { foldOf, loadSentimentRows } from './sentiment-fit-lib.js'

const INSPECTED_FOLDS = 2
const root = resolve(import.meta.dirname, '..')
const lang = (process.argv[2] ?? 'en') as 'en' | 'es' | 'it'
const count = Number(process.argv[3] ?? 30)
const missed = process.argv.includes('--missed')
const rows = (loadSentimentRows(root, lang) ?? []).filter((r) => foldOf(r.id, 5) < INSPECTED_FOLDS)
const scored = rows.map((r) => {
  const a = scoreSentiment(makeDoc(r.text, r.title ?? null), lang, { explain: true })
  const target = (r.stars - 3) / 2
  return { r, a, err: Math.abs(a.result.score - target) }
})
const pick = missed
  ? scored.filter((x) => (x.a.result.explain ?? []).length === 0 && x.r.stars !== 3)
  : scored.filter((x) => x.r.stars !== 3 && (x.r.stars > 3) !== (x.a.result.score > 0)).sort((a, b) => b.err - a.err)
for (const { r, a } of pick.slice(0, count)) {
  const ev = (a.result.explain ?? []).map((e) => `${e.text}(${e.weight})`).join(' ')
  console.log(`${r.stars}★ ${a.result.score.toFixed(2)} | ${r.text.slice(0, 300)}\n     ${ev}`)
}
console.log(`${pick.length} rows`)

/**
 * Compile `data/lexicons/**` into `src/sentiment/generated/lexicon.ts`.
 *
 *   npx tsx scripts/build-sentiment.ts          # write the module, print counts and problems
 *   npx tsx scripts/build-sentiment.ts --check  # exit 1 when the module is stale
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type BuildReport, generateLexiconModule } from './sentiment-lexicon.js'

const root = resolve(import.meta.dirname, '..')
const target = resolve(root, 'src/sentiment/generated/lexicon.ts')
const reports: BuildReport[] = []
const text = generateLexiconModule(root, reports)

for (const r of reports) {
  const counts = Object.entries(r.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  console.log(`${r.lang.padEnd(2)} ${r.file.padEnd(17)} ${counts}`)
  for (const p of r.problems.slice(0, 20)) console.log(`   problem: ${p}`)
  if (r.problems.length > 20) console.log(`   … ${r.problems.length - 20} more problems`)
  if (process.argv.includes('--verbose')) for (const c of r.conflicts) console.log(`   conflict: ${c}`)
  else if (r.conflicts.length > 0) console.log(`   ${r.conflicts.length} conflicts (--verbose lists them)`)
}

if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8')
  if (current !== text) {
    console.error('src/sentiment/generated/lexicon.ts is stale: run npx tsx scripts/build-sentiment.ts')
    process.exit(1)
  }
  console.log('up to date')
} else {
  writeFileSync(target, text)
  console.log(`wrote ${target} (${(text.length / 1024).toFixed(0)} KiB)`)
}

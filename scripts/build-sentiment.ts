/**
 * Compile `data/lexicons/**` into `src/sentiment/generated/lexicon.ts` and
 * the stems of its entries into `src/sentiment/generated/stems.ts`.
 *
 *   npx tsx scripts/build-sentiment.ts          # write the module, print counts and problems
 *   npx tsx scripts/build-sentiment.ts --check  # exit 1 when a module is stale
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type BuildReport, generateModules } from './sentiment-lexicon.js'

const root = resolve(import.meta.dirname, '..')
const targets = { lexicon: resolve(root, 'src/sentiment/generated/lexicon.ts'), stems: resolve(root, 'src/sentiment/generated/stems.ts') }
const reports: BuildReport[] = []
const modules = generateModules(root, reports)

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

for (const key of ['lexicon', 'stems'] as const) {
  const target = targets[key]
  const text = modules[key]
  if (process.argv.includes('--check')) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : ''
    if (current !== text) {
      console.error(`${target} is stale: run npx tsx scripts/build-sentiment.ts`)
      process.exitCode = 1
    } else console.log(`${target} is up to date`)
  } else {
    writeFileSync(target, text)
    console.log(`wrote ${target} (${(text.length / 1024).toFixed(0)} KiB)`)
  }
}

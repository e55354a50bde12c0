/**
 * How long a batch holds the event loop of the process that runs it, as a
 * server scoring a dump beside its requests sees it: a 1 ms interval timer
 * notes the longest gap between its ticks while `analyzeFile` scores the
 * first `--rows` rows of a generated dump with `--workers` threads, and the
 * part of the run (reading, the cross-review pass, writing) it fell in.
 * Each run is a fresh process; with `--against` another build runs beside,
 * interleaved.
 *
 *   npm run build && node benchmarks/batch/stall.mjs
 *   node benchmarks/batch/stall.mjs --against /path/to/other/dist   # e.g. a build of an older commit
 *
 * Options: --rows 200000 --workers 2 --runs 2.
 * The dump is benchmarks/.cache/dump-v2-1000000.jsonl (`node benchmarks/batch/generate.mjs 1000000`).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

if (process.argv[2] === '--child') {
  const [entry, file, workers] = process.argv.slice(3)
  const { analyzeFile } = await import(entry)
  let last = performance.now()
  let worst = 0
  let worstIn = ''
  let part = 'reading'
  let partBefore = part
  const timer = setInterval(() => {
    const now = performance.now()
    if (now - last > worst) {
      worst = now - last
      // A stall that spans parts (the pass, then the first rows written) names both.
      worstIn = partBefore === part ? `in the ${part}` : `from the ${partBefore} to the ${part}`
    }
    last = now
    partBefore = part
  }, 1)
  const run = analyzeFile(file, {
    workers: Number(workers),
    onProgress: (p) => {
      if (p.phase === 'crossReview') part = 'cross-review pass'
    },
  })
  let rows = 0
  for await (const _ of run) if (rows++ === 0) part = 'writing'
  clearInterval(timer)
  const { phases } = run.summary()
  process.stdout.write(JSON.stringify({ rows, stallMs: Math.round(worst), stallIn: worstIn, crossReviewMs: Math.round(phases.crossReviewMs) }))
  process.exit(0)
}

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, workers: { type: 'string', default: '2' }, runs: { type: 'string', default: '2' }, against: { type: 'string' } } })
const dump = join(root, 'benchmarks/.cache/dump-v2-1000000.jsonl')
if (!existsSync(dump)) {
  console.log(`stall: skipped (${dump} is missing: node benchmarks/batch/generate.mjs 1000000)`)
  process.exit(0)
}
const dir = mkdtempSync(join(tmpdir(), 'recensio-stall-'))
try {
  const rows = Number(values.rows)
  const lines = readFileSync(dump, 'utf8').split('\n').slice(0, rows)
  const file = join(dir, 'dump.jsonl')
  writeFileSync(file, `${lines.join('\n')}\n`)
  const builds = [['this build', join(root, 'dist/index.js')]]
  if (values.against !== undefined) builds.push([values.against, join(resolve(values.against), 'index.js')])
  for (let r = 1; r <= Number(values.runs); r++) {
    for (const [name, entry] of builds) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', pathToFileURL(entry).href, file, values.workers], { encoding: 'utf8' })
      const m = JSON.parse(out)
      console.log(`run ${r}, ${name}: ${m.rows.toLocaleString('en-US')} rows, ${values.workers} workers: longest stall ${m.stallMs} ms (${m.stallIn}); cross-review pass ${m.crossReviewMs} ms`)
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

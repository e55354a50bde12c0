/**
 * A pipeline whose consumer takes its time: `analyzeFile` in windows over the
 * first rows of a generated dump, with a sink that waits `--sink-ms` after each
 * window's last row (a database write, a slow pipe). Prints the wall time of
 * each run, in fresh processes, with a fast sink (0 ms) and the slow one, and
 * the time the sink alone waited. With the next window read and scored while
 * one is handed out, the slow run costs about the sink's time plus the first
 * window's; without, the sink's time plus the whole fast run.
 *
 *   npm run build && node benchmarks/batch/slow-consumer.mjs
 *   node benchmarks/batch/slow-consumer.mjs --against benchmarks/.cache/dist-old   # another build, runs interleaved
 *
 * Options: --rows 30000 --window 5000 --workers 2 --sink-ms 1500 --runs 3.
 * The dump is benchmarks/.cache/dump-v2-100000.jsonl (`node benchmarks/batch/generate.mjs 100000`).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

if (process.argv[2] === '--child') {
  const [entry, file, window, workers, sinkMs] = process.argv.slice(3)
  const { analyzeFile } = await import(entry)
  const w = Number(window)
  const started = performance.now()
  let rows = 0
  for await (const _ of analyzeFile(file, { window: w, workers: Number(workers) })) {
    if (++rows % w === 0 && Number(sinkMs) > 0) await new Promise((r) => setTimeout(r, Number(sinkMs)))
  }
  console.log(JSON.stringify({ rows, ms: performance.now() - started }))
} else {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '30000' },
      window: { type: 'string', default: '5000' },
      workers: { type: 'string', default: '2' },
      'sink-ms': { type: 'string', default: '1500' },
      runs: { type: 'string', default: '3' },
      against: { type: 'string' },
    },
  })
  const dump = fileURLToPath(new URL('../.cache/dump-v2-100000.jsonl', import.meta.url))
  if (!existsSync(dump)) {
    console.error('slow-consumer: no benchmarks/.cache/dump-v2-100000.jsonl (node benchmarks/batch/generate.mjs 100000 makes it)')
    process.exit(1)
  }
  const rows = Number(values.rows)
  const scratch = mkdtempSync(join(tmpdir(), 'recensio-slow-'))
  const file = join(scratch, 'dump.jsonl')
  const lines = readFileSync(dump, 'utf8').split('\n', rows)
  writeFileSync(file, `${lines.join('\n')}\n`)
  const builds = [['this build', fileURLToPath(new URL('../../dist', import.meta.url))]]
  if (values.against !== undefined) builds.push([values.against, resolve(values.against)])
  const sinks = [0, Number(values['sink-ms'])]
  const times = new Map()
  for (let run = 0; run < Number(values.runs); run++) {
    for (const [name, dist] of builds) {
      for (const sink of sinks) {
        const entry = pathToFileURL(join(dist, 'index.js')).href
        const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', entry, file, values.window, values.workers, String(sink)], { encoding: 'utf8' }))
        const key = `${name}|${sink}`
        times.set(key, [...(times.get(key) ?? []), out.ms / 1000])
      }
    }
  }
  rmSync(scratch, { recursive: true, force: true })
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  const windows = Math.ceil(rows / Number(values.window))
  console.log(`${rows} rows in windows of ${values.window}, ${values.workers} workers; the slow sink waits ${values['sink-ms']} ms a window, ${((windows * sinks[1]) / 1000).toFixed(1)} s in all; median of ${values.runs} runs (all runs)`)
  for (const [name] of builds) {
    const cell = (sink) => {
      const xs = times.get(`${name}|${sink}`)
      return `${median(xs).toFixed(2)} s (${xs.map((x) => x.toFixed(2)).join(', ')})`
    }
    console.log(`${name}: fast sink ${cell(sinks[0])} · slow sink ${cell(sinks[1])}`)
  }
}

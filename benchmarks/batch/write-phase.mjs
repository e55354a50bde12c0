/**
 * The write phase of `recensio analyze` by output format: the built CLI on a
 * generated dump, `--format csv` and `--format jsonl` to files, in fresh
 * processes, with `summary.phases.writeMs` and the wall time of each run.
 * With `--against`, another build's `dist` runs interleaved with this one,
 * and the two builds' CSV files must be the same bytes.
 *
 *   npm run build && node benchmarks/batch/write-phase.mjs --against ../old-checkout/dist --runs 5
 *
 * Options: --dump benchmarks/.cache/dump-v2-100000.jsonl (`node benchmarks/batch/generate.mjs 100000`),
 * --workers 2, --runs 3. Prints the medians (and ranges), the date, Node and the load average.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    dump: { type: 'string', default: fileURLToPath(new URL('../.cache/dump-v2-100000.jsonl', import.meta.url)) },
    workers: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    against: { type: 'string' },
  },
})
if (!existsSync(values.dump)) {
  console.error(`write-phase: no ${values.dump} (node benchmarks/batch/generate.mjs 100000 makes it)`)
  process.exit(1)
}
const builds = [['this build', fileURLToPath(new URL('../../dist', import.meta.url))]]
if (values.against !== undefined) builds.unshift([values.against, resolve(values.against)])
const scratch = mkdtempSync(join(tmpdir(), 'recensio-write-'))
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')
const started = new Date()
const loadBefore = load()
const times = new Map()
const digests = new Map()

for (let run = 0; run < Number(values.runs); run++) {
  for (const format of ['csv', 'jsonl']) {
    for (const [name, dist] of builds) {
      const out = join(scratch, `out.${format}`)
      const summary = join(scratch, 'summary.json')
      const t = performance.now()
      const r = spawnSync(process.execPath, [join(dist, 'cli.js'), 'analyze', values.dump, '--quiet', '--workers', values.workers, '--format', format, '--out', out, '--summary-json', summary], { encoding: 'utf8' })
      const wallMs = performance.now() - t
      if (r.status !== 0) throw new Error(`${name} ${format}: exit ${r.status}\n${r.stderr}`)
      const { phases } = JSON.parse(readFileSync(summary, 'utf8'))
      const key = `${format}\t${name}`
      if (!times.has(key)) times.set(key, { write: [], wall: [] })
      times.get(key).write.push(phases.writeMs)
      times.get(key).wall.push(wallMs)
      digests.set(key, createHash('sha256').update(readFileSync(out)).digest('hex').slice(0, 16))
    }
  }
}
rmSync(scratch, { recursive: true, force: true })

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`
console.log(`${started.toISOString()} · Node ${process.version} · ${values.dump} · --workers ${values.workers} · ${values.runs} runs, interleaved · load ${loadBefore} → ${load()}`)
console.log('| format | build | writeMs, median (range) | wall ms, median (range) | output sha256 |')
console.log('| --- | --- | ---: | ---: | --- |')
for (const [key, { write, wall }] of times) {
  const [format, name] = key.split('\t')
  console.log(`| ${format} | ${name} | ${median(write).toFixed(0)} (${range(write)}) | ${median(wall).toFixed(0)} (${range(wall)}) | ${digests.get(key)} |`)
}
if (builds.length === 2) {
  const csv = builds.map(([name]) => digests.get(`csv\t${name}`))
  if (csv[0] !== csv[1]) {
    console.error('write-phase: the two builds wrote different CSV bytes')
    process.exit(1)
  }
}

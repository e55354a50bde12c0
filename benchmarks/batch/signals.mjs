#!/usr/bin/env node
// Signal rates on a generated dump, and how many of the planted rows the
// cross-review pass finds: bursts (planted burst rows with a burst signal),
// copies (planted copies with a duplicate signal), and the false alarms on
// the organic rows. Reads the dump's truth file (generate.mjs).
//
//   node benchmarks/batch/signals.mjs [--rows 100000] [--workers 2]
import { execFileSync, spawn } from 'node:child_process'
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { GENERATOR_VERSION, ensureDump, truthPath } from './generate.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const cli = join(root, 'dist/cli.js')
const argv = process.argv.slice(2)
function flag(name, fallback) {
  const at = argv.indexOf(`--${name}`)
  return at >= 0 ? argv[at + 1] : fallback
}
const rows = Number(flag('rows', '100000'))
const workers = flag('workers', '2')

if (!existsSync(resolve(root, '../shared/data'))) {
  console.log('signals: skipped (../shared/data is missing; the dumps are generated from it)')
  process.exit(0)
}
if (!existsSync(cli)) execFileSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })

const dump = await ensureDump(rows)
const truth = JSON.parse(readFileSync(truthPath(dump), 'utf8'))
const burstIds = new Set(truth.bursts.flat())
const copyIds = new Set(truth.copies.map(([copy]) => copy))
const sourceIds = new Set(truth.copies.map(([, source]) => source))

const scratch = mkdtempSync(join(tmpdir(), 'recensio-signals-'))
const out = join(scratch, 'out.jsonl')
await new Promise((resolvePromise, reject) => {
  const child = spawn(process.execPath, [cli, 'analyze', dump, '--quiet', '--workers', workers, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] })
  child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`recensio exited ${code}`))))
})

const counts = new Map()
let ok = 0
let organic = 0
let organicBurst = 0
let organicDuplicate = 0
let burstFound = 0
let copyFound = 0
for await (const line of createInterface({ input: createReadStream(out, 'utf8'), crlfDelay: Infinity })) {
  const r = JSON.parse(line)
  if (!r.ok) continue
  ok++
  const types = new Set(r.authenticity.signals.map((s) => s.type))
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1)
  if (burstIds.has(r.id)) burstFound += types.has('burst') ? 1 : 0
  else if (copyIds.has(r.id)) copyFound += types.has('duplicate') ? 1 : 0
  else {
    organic++
    if (types.has('burst')) organicBurst++
    // The source of a planted copy has a copy by another author: a true duplicate.
    if (types.has('duplicate') && !sourceIds.has(r.id)) organicDuplicate++
  }
}
rmSync(scratch, { recursive: true, force: true })

const pct = (x) => `${(x * 100).toFixed(2)}%`
const lines = [
  `Command: \`node benchmarks/batch/signals.mjs --rows ${rows} --workers ${workers}\` (generator v${GENERATOR_VERSION}, seed 1; load average ${loadavg()[0].toFixed(2)}, ${new Date().toISOString().slice(0, 10)})`,
  '',
  '| signal | share of ok rows |',
  '| --- | ---: |',
  ...[...counts].sort((a, b) => b[1] - a[1]).map(([t, c]) => `| ${t} | ${pct(c / ok)} |`),
  '',
  '| planted or organic | value |',
  '| --- | ---: |',
  `| planted burst rows with a burst signal (${burstIds.size}) | ${(burstFound / Math.max(1, burstIds.size)).toFixed(3)} |`,
  `| planted copies with a duplicate signal (${copyIds.size}) | ${(copyFound / Math.max(1, copyIds.size)).toFixed(3)} |`,
  `| organic rows with a burst signal | ${pct(organicBurst / organic)} |`,
  `| organic rows with a duplicate signal (copies' sources aside) | ${pct(organicDuplicate / organic)} |`,
]
console.log(lines.join('\n'))

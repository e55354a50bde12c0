#!/usr/bin/env node
// Batch throughput: recensio's whole pipeline (the built CLI, 1 and 2
// workers) against sentiment-only and language-only peers streaming the same
// generated dump, in one run, each contender alone in its own process.
//
//   nice node benchmarks/batch/run.mjs [--sizes 10000,100000] [--full] [--runs 3] [--write]
//
// --full adds the 1M-row dump (recensio and the machine ceiling: peak RSS,
// per-review cost and scaling on a long run).
// --write saves the tables to benchmarks/results/batch.md.
// Rows/s is rows over processing time (from the first byte read to the last
// row written, module loading excluded); wall time with start-up is listed
// too, and CPU time per row (all threads, start-up included), which other
// processes on a shared machine disturb less. Medians of --runs runs,
// contenders interleaved so load drifts hit all.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GENERATOR_VERSION, ensureDump } from './generate.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const cli = join(root, 'dist/cli.js')
const rss = join(here, 'rss.cjs')

const argv = process.argv.slice(2)
function flag(name, fallback) {
  const at = argv.indexOf(`--${name}`)
  return at >= 0 ? argv[at + 1] : fallback
}
const full = argv.includes('--full')
const write = argv.includes('--write')
const runs = Number(flag('runs', '3'))
const sizes = flag('sizes', '10000,100000').split(',').map(Number)
const largest = 1_000_000

if (!existsSync(resolve(root, '../shared/data'))) {
  console.log('batch: skipped (../shared/data is missing; the dumps are generated from it)')
  process.exit(0)
}
if (!existsSync(cli) || !existsSync(join(root, 'dist/recensio-worker.js'))) {
  console.error('batch: building dist/ (npx tsup)')
  execFileSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
}

/** Run a command; resolve with its stdout, stderr, wall time and peak RSS. */
function measure(args, keepStdout = true) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, ['-r', rss, ...args], { cwd: root, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - started
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`))
      const m = /maxrss (\d+) cpu (\d+)/.exec(stderr)
      resolvePromise({ stdout, stderr, wallMs, rssMb: m ? Number(m[1]) / 1024 : Number.NaN, cpuMs: m ? Number(m[2]) / 1000 : Number.NaN })
    })
  })
}

const scratch = mkdtempSync(join(tmpdir(), 'recensio-bench-'))
const loadAtStart = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ')

// `--workers 1` runs in-process below 16 MB (the 10k dump): the summary's
// `workers` says what ran, and the table says it beside the name.
const recensio = (workers) => ({
  name: workers === 0 ? 'recensio, in-process (--workers 0)' : `recensio, ${workers} worker${workers > 1 ? 's' : ''}`,
  async run(file, tag = '') {
    const summary = join(scratch, `summary${tag}.json`)
    // Output to /dev/null through stdout: the CLI's own writing is measured, no disk.
    const m = await measure([cli, 'analyze', file, '--quiet', '--workers', String(workers), '--summary-json', summary, '--out', '-'], false)
    const s = JSON.parse(readFileSync(summary, 'utf8'))
    return { rows: s.rows, ms: s.elapsedMs, wallMs: m.wallMs, rssMb: m.rssMb, cpuMs: m.cpuMs, threads: s.workers }
  },
})

// Two independent single-threaded runs at once: what two cores of this machine
// give two processes that share nothing. Shared or SMT cores give less than 2×;
// no worker pool can beat this ceiling.
const ceiling = {
  name: '2 × recensio 1 worker, two processes at once (machine ceiling)',
  async run(file) {
    const one = recensio(1)
    const [a, b] = await Promise.all([one.run(file, 'a'), one.run(file, 'b')])
    return { rows: a.rows + b.rows, ms: Math.max(a.ms, b.ms), wallMs: Math.max(a.wallMs, b.wallMs), rssMb: a.rssMb + b.rssMb, cpuMs: a.cpuMs + b.cpuMs }
  },
}

const peer = (id, name) => ({
  name,
  async run(file) {
    const m = await measure([join(here, 'peers.mjs'), id, file])
    const r = JSON.parse(m.stdout.trim().split('\n').pop())
    return { rows: r.rows, ms: r.ms, wallMs: m.wallMs, rssMb: m.rssMb, cpuMs: m.cpuMs }
  },
})

const inProcess = recensio(0)
const CONTENDERS = [
  recensio(1),
  recensio(2),
  ceiling,
  peer('wink', 'wink-sentiment 5.0.2 (sentiment only)'),
  peer('sentiment', 'sentiment 5.0.2 (AFINN, sentiment only)'),
  peer('natural', 'natural 8.1.1 SentimentAnalyzer (English AFINN, sentiment only)'),
  peer('franc', 'franc 6.2.0 (spa/ita/eng, language only)'),
  peer('parse', 'read + JSON.parse only (floor)'),
  inProcess,
]

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })

async function bench(n, contenders, times) {
  const file = await ensureDump(n)
  const results = new Map(contenders.map((c) => [c.name, []]))
  for (let r = 0; r < times; r++) {
    // Rotate the order each run, so a load spike does not always hit the same contender.
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(k + r) % contenders.length]
      const out = await c.run(file)
      results.get(c.name).push(out)
      process.stderr.write(`batch: ${fmt(n)} rows, run ${r + 1}/${times}, ${c.name}: ${fmt(out.rows / (out.ms / 1000))} rows/s\n`)
    }
  }
  const rows = contenders.map((c) => {
    const rs = results.get(c.name)
    const threads = rs[0].threads
    return {
      name: threads === 0 && c.name !== inProcess.name ? `${c.name} (ran in-process: under 16 MB)` : c.name,
      key: c.name,
      rows: rs[0].rows,
      rate: median(rs.map((x) => x.rows / (x.ms / 1000))),
      wallRate: median(rs.map((x) => x.rows / (x.wallMs / 1000))),
      usPerRow: median(rs.map((x) => (x.ms * 1000) / x.rows)),
      cpuUsPerRow: median(rs.map((x) => (x.cpuMs * 1000) / x.rows)),
      rssMb: median(rs.map((x) => x.rssMb)),
    }
  })
  return { n, rows }
}

const tables = []
const summaryRows = []
for (const n of sizes) {
  const { rows } = await bench(n, CONTENDERS, runs)
  const base = rows[0].rate
  const lines = [
    `### ${fmt(n)} rows (median of ${runs})`,
    '',
    '| contender | rows/s | ratio to recensio 1 worker | rows/s with start-up | µs per row | CPU µs per row | peak RSS (MB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) => `| ${r.name} | ${fmt(r.rate)} | ${fmt(r.rate / base, 2)} | ${fmt(r.wallRate)} | ${fmt(r.usPerRow, 1)} | ${fmt(r.cpuUsPerRow, 1)} | ${fmt(r.rssMb)} |`,
    ),
  ]
  tables.push(lines.join('\n'))
  const by = Object.fromEntries(rows.map((r) => [r.key, r]))
  summaryRows.push({ n, one: by[CONTENDERS[0].name], two: by[CONTENDERS[1].name], ceiling: by[ceiling.name], wink: by[CONTENDERS[3].name], here: by[inProcess.name] })
}
if (full) {
  const { rows } = await bench(largest, [...CONTENDERS.slice(0, 3), inProcess], 1)
  summaryRows.push({ n: largest, one: rows[0], two: rows[1], ceiling: rows[2], wink: undefined, here: rows[3] })
  tables.push(
    [
      `### ${fmt(largest)} rows (one run, recensio only)`,
      '',
      '| contender | rows/s | rows/s with start-up | µs per row | CPU µs per row | peak RSS (MB) |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.name} | ${fmt(r.rate)} | ${fmt(r.wallRate)} | ${fmt(r.usPerRow, 1)} | ${fmt(r.cpuUsPerRow, 1)} | ${fmt(r.rssMb)} |`),
    ].join('\n'),
  )
}

const ratioLines = [
  '### Targets',
  '',
  '| size | 1 worker ÷ wink-sentiment, rows/s (target ≥ 2) | same, by CPU time | in-process ÷ wink-sentiment, rows/s (by CPU time) | 2 workers ÷ 1 worker, rows/s (target ≥ 1.7) | machine ceiling ÷ 1 worker | 2 workers ÷ machine ceiling | µs per row, in-process / 1 / 2 workers | peak RSS, in-process / 1 / 2 workers (MB, target ≤ 500 at 1M) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
]
for (const s of summaryRows) {
  ratioLines.push(
    `| ${fmt(s.n)} | ${s.wink ? fmt(s.one.rate / s.wink.rate, 2) : '–'} | ${s.wink ? fmt(s.wink.cpuUsPerRow / s.one.cpuUsPerRow, 2) : '–'} | ${s.wink ? `${fmt(s.here.rate / s.wink.rate, 2)} (${fmt(s.wink.cpuUsPerRow / s.here.cpuUsPerRow, 2)})` : '–'} | ${fmt(s.two.rate / s.one.rate, 2)} | ${s.ceiling ? fmt(s.ceiling.rate / s.one.rate, 2) : '–'} | ${s.ceiling ? fmt(s.two.rate / s.ceiling.rate, 2) : '–'} | ${fmt(s.here.usPerRow, 1)} / ${fmt(s.one.usPerRow, 1)} / ${fmt(s.two.usPerRow, 1)} | ${fmt(s.here.rssMb)} / ${fmt(s.one.rssMb)} / ${fmt(s.two.rssMb)} |`,
  )
}
if (summaryRows.length > 1) {
  // The target reads "flat from 10k to 1M": the smallest dump against the largest, start-up and JIT warm-up included.
  for (const [label, pick] of [['1 worker', (s) => s.one], ['in-process', (s) => s.here]]) {
    const costs = summaryRows.map((s) => `${fmt(s.n)}: ${fmt(pick(s).usPerRow, 1)} µs`)
    const last = pick(summaryRows[summaryRows.length - 1]).usPerRow
    const prev = pick(summaryRows[summaryRows.length - 2]).usPerRow
    const first = pick(summaryRows[0]).usPerRow
    ratioLines.push(
      '',
      `Per-review cost, ${label} (${costs.join(', ')}): smallest ÷ largest ${fmt(first / last, 2)} (target: within 1.2), next size ÷ largest ${fmt(prev / last, 2)}.`,
    )
  }
}
tables.push(ratioLines.join('\n'))

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const header = [
  `Command: \`${['nice node benchmarks/batch/run.mjs', ...argv].join(' ')}\``,
  `Node ${process.version}, ${cpu} (${cpus().length} cores), load average ${loadAtStart} at start and ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  `Dumps: benchmarks/batch/generate.mjs (generator v${GENERATOR_VERSION}, seed 1) from ../shared/data; each contender in its own process, output to stdout → /dev/null.`,
].join('\n')
const report = `${header}\n\n${tables.join('\n\n')}\n`
console.log(report)
if (write) {
  writeFileSync(join(root, 'benchmarks/results/batch.md'), `# Batch throughput\n\n${report}`)
  console.error('batch: wrote benchmarks/results/batch.md')
}
rmSync(scratch, { recursive: true, force: true })

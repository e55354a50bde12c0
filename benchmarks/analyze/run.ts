/**
 * Per-review stage benchmark: CPU µs per review of `analyze` and of each of
 * its parts, with wink-sentiment on the same texts in the same run.
 *
 *   nice npx tsx benchmarks/analyze/run.ts                        # 3 processes × 5 passes, table to stdout
 *   nice npx tsx benchmarks/analyze/run.ts --baseline 0f091ab     # also the src/ of that commit, before/after
 *   nice npx tsx benchmarks/analyze/run.ts --baseline 0f091ab --overlay 72ce8ba   # its fingerprint files from 72ce8ba
 *   nice npx tsx benchmarks/analyze/run.ts --passes 9 --md out.md
 *   nice npx tsx benchmarks/analyze/run.ts --profile              # CPU profile of analyze, top functions and parts
 *   nice npx tsx benchmarks/analyze/run.ts --profile --only makeDoc   # profile the stage up to a part
 *
 * Texts: the 7,062 rows of ../shared/data/sentiment_{en,es,it}.jsonl.
 * measure.ts is bundled with esbuild (`--bundle --platform=node`) into
 * benchmarks/.cache/ and run with plain node, so the figures are those of the
 * bundled code users run (tsx's CommonJS export getters distort small
 * functions). With --baseline, `git archive` copies that commit's src/ into
 * benchmarks/.cache/ (with --overlay, the fingerprint files come from
 * another commit: see OVERLAID) and the same measure.ts is bundled against it; the two
 * bundles' processes alternate, each with wink-sentiment in it. The machine is shared: compare ratios measured in one run, not
 * absolute figures across runs.
 */
import { execFileSync, execSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')
const cacheDir = resolve(root, 'benchmarks/.cache')
const args = process.argv.slice(2)
function arg(name: string, fallback: string): string {
  const i = args.indexOf(name)
  return i === -1 ? fallback : args[i + 1]!
}
const passes = arg('--passes', '5')
// Processes per bundle; their passes are pooled.
const rounds = Number(arg('--rounds', '3'))
const mdOut = arg('--md', '')
const baseline = arg('--baseline', '')
const overlay = arg('--overlay', '')
const profile = args.includes('--profile')
// With --profile: the stage up to this part is profiled (a prefix of its name), or analyze.
const profiled = arg('--only', 'analyze')

if (!existsSync(resolve(root, '../shared/data/sentiment_en.jsonl'))) {
  console.log('analyze benchmark: skipped, ../shared/data is absent')
  process.exit(0)
}
mkdirSync(cacheDir, { recursive: true })

/** Bundle measure.ts as it sits in `tree` (the checkout, or a copy of an older src/). */
function bundleIn(tree: string, out: string): string {
  execFileSync(
    resolve(root, 'node_modules/.bin/esbuild'),
    [resolve(tree, 'benchmarks/analyze/measure.ts'), '--bundle', '--platform=node', '--format=esm', '--log-level=warning', `--outfile=${out}`],
    { cwd: root, stdio: 'inherit' },
  )
  return out
}

/**
 * Files `--overlay REV` takes from REV instead of from the baseline: the
 * MinHash fingerprint is reworked on its own schedule, so a before/after
 * table of the rest of the stage takes the same fingerprint on both sides.
 */
const OVERLAID = ['src/authenticity/fingerprint.ts', 'src/authenticity/duplicates.ts']

/** A copy of `rev`'s src/ (OVERLAID files from `overlay` when given; today's measure.ts), bundled. */
function baselineBundle(rev: string): string {
  const name = overlay === '' ? rev : `${rev}+${overlay}`
  const tree = resolve(cacheDir, `baseline-${name}`)
  mkdirSync(resolve(tree, 'benchmarks/analyze'), { recursive: true })
  if (!existsSync(resolve(tree, 'src'))) {
    execSync(`git archive ${rev} src | tar -x -C ${JSON.stringify(tree)}`, { cwd: root, stdio: 'inherit' })
    if (overlay !== '') execSync(`git archive ${overlay} ${OVERLAID.join(' ')} | tar -x -C ${JSON.stringify(tree)}`, { cwd: root, stdio: 'inherit' })
  }
  if (!existsSync(resolve(tree, 'node_modules'))) symlinkSync(resolve(root, 'node_modules'), resolve(tree, 'node_modules'))
  copyFileSync(resolve(root, 'benchmarks/analyze/measure.ts'), resolve(tree, 'benchmarks/analyze/measure.ts'))
  return bundleIn(tree, resolve(cacheDir, `analyze-measure-${name}.mjs`))
}

const bundle = bundleIn(root, resolve(cacheDir, 'analyze-measure.mjs'))

interface Result {
  name: string
  median: number
  mad: number
  samples: number[]
}
interface Run {
  texts: number
  passes: number
  node: string
  results: Result[]
}

if (profile) {
  const profDir = resolve(cacheDir, 'analyze-prof')
  rmSync(profDir, { recursive: true, force: true })
  execFileSync('node', ['--cpu-prof', `--cpu-prof-dir=${profDir}`, bundle, '--root', root, '--passes', passes, '--only', profiled], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!
  summarizeProfile(JSON.parse(readFileSync(resolve(profDir, file), 'utf8')) as CpuProfile)
  console.log(`\nprofile: ${resolve(profDir, file)}`)
  process.exit(0)
}

const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ')
function measure(file: string): Run {
  return JSON.parse(execFileSync('node', [file, '--root', root, '--passes', passes], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 })) as Run
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Runs of one bundle pooled: each contender's samples together, median and MAD recomputed. */
function pool(runs: Run[]): Run {
  const first = runs[0]!
  return {
    ...first,
    passes: first.passes * runs.length,
    results: first.results.map((r) => {
      const samples = runs.flatMap((run) => run.results.find((x) => x.name === r.name)!.samples)
      const med = median(samples)
      return { name: r.name, median: med, mad: median(samples.map((x) => Math.abs(x - med))), samples }
    }),
  }
}

// Processes alternate (before, after, before, …) so drift in the machine's load hits both alike.
const beforeFile = baseline === '' ? null : baselineBundle(baseline)
const beforeRuns: Run[] = []
const afterRuns: Run[] = []
for (let r = 0; r < rounds; r++) {
  if (beforeFile !== null) beforeRuns.push(measure(beforeFile))
  afterRuns.push(measure(bundle))
}
const before = beforeFile === null ? null : pool(beforeRuns)
const after = pool(afterRuns)

/** The rows of one run: analyze, wink, and each part as the difference between two stage cuts. */
function rowsOf(run: Run): { name: string; median: number; mad: number | null }[] {
  const whole = run.results.find((r) => r.name === 'analyze')!
  const wink = run.results.find((r) => r.name === 'wink-sentiment')!
  const out: { name: string; median: number; mad: number | null }[] = [
    { name: '**analyze** (whole per-review stage)', median: whole.median, mad: whole.mad },
    { name: 'wink-sentiment 5.0.2 (sentiment only)', median: wink.median, mad: wink.mad },
  ]
  let cut = 0
  for (const r of run.results.filter((x) => x.name.startsWith('stage up to '))) {
    out.push({ name: `part: ${r.name.slice('stage up to '.length)}`, median: r.median - cut, mad: null })
    cut = r.median
  }
  out.push({ name: 'part: result assembly (analyze − the stage up to fingerprint)', median: whole.median - cut, mad: null })
  return out
}

const fmt = (x: number, mad: number | null) => (mad === null ? x.toFixed(1) : `${x.toFixed(1)} ± ${mad.toFixed(1)}`)
const ratio = (run: Run) => {
  const rows = rowsOf(run)
  return rows[0]!.median / rows[1]!.median
}
const lines: string[] = [
  `Command: \`nice npx tsx benchmarks/analyze/run.ts --passes ${passes} --rounds ${rounds}${baseline === '' ? '' : ` --baseline ${baseline}`}${overlay === '' ? '' : ` --overlay ${overlay}`}\``,
  `Node ${after.node}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), load average at start ${load}, ${new Date().toISOString().slice(0, 10)}`,
  `Texts: ${after.texts.toLocaleString('en')} (sentiment_{en,es,it}.jsonl) as \`{ id, text }\` rows. CPU µs (user + system) per review, median of ${after.passes} passes (${rounds} processes × ${passes}) ± median absolute deviation.`,
  'A part costs the difference between the stage cut after it and the stage cut before it: its cost inside the stage.',
  '',
]
const afterRows = rowsOf(after)
if (before === null) {
  lines.push('| contender | CPU µs per review | ÷ wink-sentiment |', '| --- | ---: | ---: |')
  for (const r of afterRows) lines.push(`| ${r.name} | ${fmt(r.median, r.mad)} | ${(r.median / afterRows[1]!.median).toFixed(2)} |`)
} else {
  const beforeRows = rowsOf(before)
  lines.push(
    `| contender | before (${baseline}), µs | after, µs | after ÷ before | before ÷ wink | after ÷ wink |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  )
  afterRows.forEach((r, k) => {
    const b = beforeRows[k]!
    lines.push(
      `| ${r.name} | ${fmt(b.median, b.mad)} | ${fmt(r.median, r.mad)} | ${(r.median / b.median).toFixed(2)} | ${(b.median / beforeRows[1]!.median).toFixed(2)} | ${(r.median / afterRows[1]!.median).toFixed(2)} |`,
    )
  })
}
lines.push('')
if (before !== null) lines.push(`analyze ÷ wink-sentiment before (${baseline}): **${ratio(before).toFixed(2)}**.`)
lines.push(`analyze ÷ wink-sentiment: **${ratio(after).toFixed(2)}** (recensio's rows/s are ${(1 / ratio(after)).toFixed(2)}× wink's).`)
const table = lines.join('\n')
console.log(table)
if (mdOut !== '') writeFileSync(resolve(root, mdOut), `${table}\n`)

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[]
  samples: number[]
  timeDeltas: number[]
}

/**
 * Print the functions with the most self time in the timed passes and the
 * inclusive time of each part, as shares of the timed time plus the garbage
 * collector's (which V8 books at the root, not under the caller).
 */
function summarizeProfile(prof: CpuProfile): void {
  const parent = new Map<number, number>()
  const nodeById = new Map(prof.nodes.map((n) => [n.id, n]))
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const label = (id: number) => {
    const f = nodeById.get(id)!.callFrame
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`
  }
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let timed = 0
  prof.samples.forEach((id, k) => {
    const dt = prof.timeDeltas[k] ?? 0
    const names: string[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) names.push(nodeById.get(at)!.callFrame.functionName)
    const gc = names[0] === '(garbage collector)'
    if (!gc && !names.includes('timeCpu')) return
    timed += dt
    const own = label(id)
    self.set(own, (self.get(own) ?? 0) + dt)
    for (const name of new Set(names)) inclusive.set(name, (inclusive.get(name) ?? 0) + dt)
  })
  const share = (t: number) => `${((t / timed) * 100).toFixed(1).padStart(5)} %`
  console.log('self time, top 40 (share of timed + GC):')
  for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${share(t)}  ${name}`)
  console.log('\ninclusive time of the parts (share of timed + GC):')
  const PARTS = ['(garbage collector)', 'validate', 'makeDoc', 'detectLanguage', 'scoreSentiment', 'tagJourney', 'contentSignals', 'combineSignals', 'fingerprint', 'exactHash', 'warningsOf']
  for (const name of PARTS) console.log(`  ${share(inclusive.get(name) ?? 0)}  ${name}`)
  console.log(`  sampled: ${(timed / 1000).toFixed(0)} ms`)
}

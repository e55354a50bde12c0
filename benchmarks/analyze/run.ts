/**
 * Per-review stage benchmark: CPU µs per review of `analyze` and of each of
 * its parts, with wink-sentiment on the same texts in the same run.
 *
 *   nice npx tsx benchmarks/analyze/run.ts                  # 7 passes, table to stdout
 *   nice npx tsx benchmarks/analyze/run.ts --passes 9 --md out.md
 *   nice npx tsx benchmarks/analyze/run.ts --profile        # CPU profile of analyze, top functions and parts
 *
 * Texts: the 7,062 rows of ../shared/data/sentiment_{en,es,it}.jsonl.
 * measure.ts is bundled with esbuild (`--bundle --platform=node`) into
 * benchmarks/.cache/ and run with plain node, so the figures are those of the
 * bundled code users run (tsx's CommonJS export getters distort small
 * functions). The machine is shared: compare the ratios measured in one run,
 * not absolute figures across runs.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')
const cacheDir = resolve(root, 'benchmarks/.cache')
const bundle = resolve(cacheDir, 'analyze-measure.mjs')
const args = process.argv.slice(2)
function arg(name: string, fallback: string): string {
  const i = args.indexOf(name)
  return i === -1 ? fallback : args[i + 1]!
}
const passes = arg('--passes', '7')
const mdOut = arg('--md', '')
const profile = args.includes('--profile')

if (!existsSync(resolve(root, '../shared/data/sentiment_en.jsonl'))) {
  console.log('analyze benchmark: skipped, ../shared/data is absent')
  process.exit(0)
}

mkdirSync(cacheDir, { recursive: true })
execFileSync(
  resolve(root, 'node_modules/.bin/esbuild'),
  ['benchmarks/analyze/measure.ts', '--bundle', '--platform=node', '--format=esm', '--log-level=warning', `--outfile=${bundle}`],
  { cwd: root, stdio: 'inherit' },
)

interface Result {
  name: string
  median: number
  mad: number
  samples: number[]
}

if (profile) {
  const profDir = resolve(cacheDir, 'analyze-prof')
  rmSync(profDir, { recursive: true, force: true })
  execFileSync('node', ['--cpu-prof', `--cpu-prof-dir=${profDir}`, bundle, '--root', root, '--passes', passes, '--only', 'analyze'], {
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
const stdout = execFileSync('node', [bundle, '--root', root, '--passes', passes], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 })
const run = JSON.parse(stdout) as { texts: number; passes: number; node: string; results: Result[] }
const byName = (prefix: string) => run.results.find((r) => r.name.startsWith(prefix))!
const whole = byName('analyze')
const wink = byName('wink-sentiment')
const parts = run.results.filter((r) => r !== whole && r !== wink)
const sumParts = parts.reduce((s, r) => s + r.median, 0)

const lines: string[] = []
lines.push(
  `Command: \`nice npx tsx benchmarks/analyze/run.ts --passes ${passes}\``,
  `Node ${run.node}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), load average at start ${load}, ${new Date().toISOString().slice(0, 10)}`,
  `Texts: ${run.texts.toLocaleString('en')} (sentiment_{en,es,it}.jsonl); CPU µs per review, median of ${run.passes} passes (± median absolute deviation).`,
  '',
  '| contender | CPU µs per review | share of analyze | ÷ wink-sentiment |',
  '| --- | ---: | ---: | ---: |',
)
for (const r of run.results) {
  const share = r === whole || r === wink ? '' : `${((r.median / whole.median) * 100).toFixed(0)} %`
  lines.push(`| ${r.name} | ${r.median.toFixed(1)} ± ${r.mad.toFixed(1)} | ${share} | ${(r.median / wink.median).toFixed(2)} |`)
}
lines.push(`| sum of the parts, each standalone | ${sumParts.toFixed(1)} | ${((sumParts / whole.median) * 100).toFixed(0)} % | ${(sumParts / wink.median).toFixed(2)} |`)
lines.push(
  '',
  `analyze ÷ wink-sentiment, CPU per review: **${(whole.median / wink.median).toFixed(2)}** (rows/s ratio ${(wink.median / whole.median).toFixed(2)}; target: analyze ≤ 25 µs while wink costs ≈ 29 µs, ≤ 0.86).`,
)
const table = lines.join('\n')
console.log(table)
if (mdOut !== '') writeFileSync(resolve(root, mdOut), `${table}\n`)

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[]
  samples: number[]
  timeDeltas: number[]
}

/**
 * Print the functions with the most self time under `analyze` and the
 * inclusive time of each part, as shares of analyze's time plus the garbage
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
  let stage = 0
  prof.samples.forEach((id, k) => {
    const dt = prof.timeDeltas[k] ?? 0
    const names: string[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) names.push(nodeById.get(at)!.callFrame.functionName)
    const gc = names[0] === '(garbage collector)'
    if (!gc && !names.includes('analyze')) return
    stage += dt
    const own = label(id)
    self.set(own, (self.get(own) ?? 0) + dt)
    for (const name of new Set(names)) inclusive.set(name, (inclusive.get(name) ?? 0) + dt)
  })
  const share = (t: number) => `${((t / stage) * 100).toFixed(1).padStart(5)} %`
  console.log('self time, top 40 (share of analyze + GC):')
  for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${share(t)}  ${name}`)
  console.log('\ninclusive time of the parts (share of analyze + GC):')
  const PARTS = ['(garbage collector)', 'validate', 'makeDoc', 'detectLanguage', 'scoreSentiment', 'tagJourney', 'contentSignals', 'combineSignals', 'fingerprint', 'exactHash', 'warningsOf']
  for (const name of PARTS) console.log(`  ${share(inclusive.get(name) ?? 0)}  ${name}`)
  console.log(`  sampled: ${(stage / 1000).toFixed(0)} ms`)
}

/**
 * Language identification: recensio against eld 2.1 (medium) and franc 6.2
 * (only spa/ita/eng), on the same texts in one run.
 *
 * Texts: the bodies of ../shared/data sentiment_{en,es,it}.jsonl and
 * amazon_verified.jsonl, plus the amazon titles (short texts); every row's `lang`
 * is the label. Also: the first 1–3 words of each body (short es/it texts), and
 * data/language/samples.json (own sentences; other languages must give `und`).
 *
 * Run: `nice npx tsx benchmarks/language/run.ts [--runs 7]`
 * Prints markdown: accuracy by length bucket and language, then throughput
 * (texts/s, median of the runs, ratio to eld).
 */
import { execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { franc } from 'franc'
import { eld } from 'eld/medium'
import {
  BUCKETS,
  type LabelledText,
  REPO_ROOT,
  bucketOf,
  corpusAvailable,
  loadLanguageCorpus,
  wordPrefixes,
} from '../../scripts/language-corpus.js'
import { detectLanguage, resetLanguageCache } from '../../src/language/index.js'
import { type Doc, makeDoc } from '../../src/text/index.js'

type Code = 'es' | 'it' | 'en' | 'und'
interface Contender {
  name: string
  detect: (text: string, doc: Doc) => Code
}

const FRANC: Record<string, Code> = { spa: 'es', ita: 'it', eng: 'en' }
const FRANC_ONLY = ['spa', 'ita', 'eng']
const eldSubset = eld.newInstance()
eldSubset.setLanguageSubset(['es', 'it', 'en'])
const asCode = (c: string): Code => (c === 'es' || c === 'it' || c === 'en' ? c : 'und')

const CONTENDERS: Contender[] = [
  { name: 'recensio', detect: (_t, doc) => detectLanguage(doc).code },
  { name: 'eld 2.1 medium', detect: (t) => asCode(eld.detect(t).language) },
  { name: 'eld 2.1 medium, es/it/en subset', detect: (t) => asCode(eldSubset.detect(t).language) },
  { name: 'franc 6.2 spa/ita/eng', detect: (t) => FRANC[franc(t, { only: FRANC_ONLY })] ?? 'und' },
]

const args = process.argv.slice(2)
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 7) || 7

interface Item {
  lang: Code
  text: string
  doc: Doc
  group: string
}

const pct = (a: number, n: number) => (n === 0 ? '–' : `${((100 * a) / n).toFixed(2)}%`)

/** A markdown table; the first column (and `leftLast`'s last one) left-aligned, numbers right. */
function table(head: string[], rows: string[][], leftLast = false): string {
  const align = (i: number) => (i === 0 || (leftLast && i === head.length - 1) ? '---' : '---:')
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => align(i)).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}

function accuracyTable(items: Item[], groups: string[], title: string): string {
  const head = ['contender', ...groups.map((g) => `${g} (n=${items.filter((i) => i.group === g).length})`)]
  const rows = CONTENDERS.map((c) => {
    const right = new Map<string, number>()
    const total = new Map<string, number>()
    for (const it of items) {
      total.set(it.group, (total.get(it.group) ?? 0) + 1)
      if (c.detect(it.text, it.doc) === it.lang) right.set(it.group, (right.get(it.group) ?? 0) + 1)
    }
    return [c.name, ...groups.map((g) => pct(right.get(g) ?? 0, total.get(g) ?? 0))]
  })
  return `### ${title}\n\n${table(head, rows)}\n`
}

function toItems(texts: LabelledText[], group: (t: LabelledText) => string): Item[] {
  return texts.map((t) => ({ lang: t.lang, text: t.text, doc: makeDoc(t.text), group: group(t) }))
}

function distinct(items: Item[]): Item[] {
  const seen = new Set<string>()
  return items.filter((i) => {
    const k = i.text.trim().toLowerCase()
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** Calibration of recensio's confidence: answers by confidence band, and how many were right. */
function calibration(items: Item[], what: string): string {
  const bands = [0.7, 0.9, 0.99, 1.01]
  const lo = [0.55, 0.7, 0.9, 0.99]
  const n = bands.map(() => 0)
  const right = bands.map(() => 0)
  const conf = bands.map(() => 0)
  for (const it of items) {
    const r = detectLanguage(it.doc)
    if (r.code === 'und') continue
    const b = bands.findIndex((x) => r.confidence < x)
    n[b]!++
    conf[b]! += r.confidence
    if (r.code === it.lang) right[b]!++
  }
  const rows = bands.map((x, b) => [
    `${lo[b]}–${x > 1 ? '1' : x}`,
    String(n[b]),
    n[b] ? (conf[b]! / n[b]!).toFixed(3) : '–',
    pct(right[b]!, n[b]!),
  ])
  return `### recensio confidence vs. accuracy: ${what} (answers other than und)\n\n${table(['confidence', 'answers', 'mean confidence', 'right'], rows)}\n`
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

function throughput(items: Item[]): string {
  const texts = items.map((i) => i.text)
  const docs = items.map((i) => i.doc)
  let sink = 0
  const runners: { name: string; run: () => void; note: string }[] = [
    {
      name: 'recensio, cold cache',
      note: 'detectLanguage on the shared Doc; word cache emptied before each run (a fresh process reading these texts once)',
      run: () => {
        resetLanguageCache()
        for (const d of docs) sink += detectLanguage(d).confidence
      },
    },
    {
      name: 'recensio, warm cache',
      note: 'detectLanguage on the shared Doc, words already cached (a long batch)',
      run: () => {
        for (const d of docs) sink += detectLanguage(d).confidence
      },
    },
    {
      name: 'recensio + makeDoc, cold cache',
      note: 'normalize + tokenize + detect from the raw string (the Doc is otherwise built once for all analyzers)',
      run: () => {
        resetLanguageCache()
        for (const t of texts) sink += detectLanguage(makeDoc(t)).confidence
      },
    },
    {
      name: 'eld 2.1 medium',
      note: 'eld.detect(text)',
      run: () => {
        for (const t of texts) sink += eld.detect(t).language.length
      },
    },
    {
      name: 'franc 6.2 spa/ita/eng',
      note: "franc(text, { only: ['spa', 'ita', 'eng'] })",
      run: () => {
        for (const t of texts) sink += franc(t, { only: FRANC_ONLY }).length
      },
    },
  ]
  // Warm up every contender, then interleave the timed runs.
  for (const r of runners) r.run()
  const times = runners.map(() => [] as number[])
  const cpuTimes = runners.map(() => [] as number[])
  const cpu = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  for (let k = 0; k < RUNS; k++) {
    runners.forEach((r, i) => {
      const c0 = cpu()
      const t0 = process.hrtime.bigint()
      r.run()
      times[i]!.push(Number(process.hrtime.bigint() - t0) / 1e6)
      cpuTimes[i]!.push(cpu() - c0)
    })
  }
  const rate = times.map((ts) => (texts.length / median(ts)) * 1000)
  const eldRate = rate[runners.findIndex((r) => r.name.startsWith('eld'))]!
  const eldIndex = runners.findIndex((r) => r.name.startsWith('eld'))
  const rows = runners.map((r, i) => {
    const ts = times[i]!
    const med = median(ts)
    const mad = median(ts.map((t) => Math.abs(t - med)))
    // Each round runs every contender back to back, so a per-round ratio is
    // less exposed to load from other processes than a ratio of medians.
    const perRound = median(ts.map((t, k) => times[eldIndex]![k]! / t))
    // CPU time of this process: less exposed to other processes on a shared machine.
    const perRoundCpu = median(cpuTimes[i]!.map((t, k) => cpuTimes[eldIndex]![k]! / t))
    return [
      r.name,
      Math.round(rate[i]!).toLocaleString('en-US'),
      `${med.toFixed(1)} ± ${mad.toFixed(1)}`,
      `${(rate[i]! / eldRate).toFixed(2)}×`,
      `${perRound.toFixed(2)}×`,
      `${perRoundCpu.toFixed(2)}×`,
      r.note,
    ]
  })
  if (sink === -1) console.log('')
  return `### Throughput (${texts.length} texts: all labelled bodies and titles; median of ${RUNS} runs)\n\n${table(
    [
      'contender',
      'texts/s',
      'ms per run (median ± MAD)',
      'vs eld (medians)',
      'vs eld (median of per-round ratios)',
      'vs eld (per-round, CPU time)',
      'what is timed',
    ],
    rows,
    true,
  )}\n`
}

function main(): void {
  if (!corpusAvailable()) {
    console.log('benchmarks/language: ../shared/data is absent; nothing to measure.')
    return
  }
  const corpus = loadLanguageCorpus()
  const labelled = toItems(corpus, (t) => bucketOf(t.text))
  const groups = [...BUCKETS]
  const langGroups = ['es', 'it', 'en']
  const byLang = labelled.map((i) => ({ ...i, group: i.lang }))
  const prefixes = [
    ...toItems(wordPrefixes(corpus, 1), () => 'first word'),
    ...toItems(wordPrefixes(corpus, 2), () => 'first 2 words'),
    ...toItems(wordPrefixes(corpus, 3), () => 'first 3 words'),
  ]
  const samples = JSON.parse(readFileSync(resolve(REPO_ROOT, 'data/language/samples.json'), 'utf8')) as {
    es: string[]
    it: string[]
    en: string[]
    und: Record<string, string[]>
  }
  const own: Item[] = []
  for (const lang of ['es', 'it', 'en'] as const)
    for (const t of samples[lang]) own.push({ lang, text: t, doc: makeDoc(t), group: 'es/it/en' })
  for (const [name, list] of Object.entries(samples.und))
    for (const t of list) own.push({ lang: 'und', text: t, doc: makeDoc(t), group: name === 'none' ? 'no words' : 'other languages' })

  const cpu = (() => {
    try {
      return execSync("lscpu | grep 'Model name'", { encoding: 'utf8' }).replace(/Model name:\s*/, '').trim()
    } catch {
      return 'unknown'
    }
  })()
  const out = [
    `Node ${process.version}, ${cpu}, ${new Date().toISOString().slice(0, 10)}; command: \`nice npx tsx benchmarks/language/run.ts --runs ${RUNS}\``,
    '',
    accuracyTable(labelled, groups, 'Accuracy by length, all rows (bodies + amazon titles)'),
    accuracyTable(distinct(labelled), groups, 'Accuracy by length, distinct texts (repeats such as 570 × "Five Stars" counted once)'),
    accuracyTable(byLang, langGroups, 'Accuracy by language, all rows'),
    accuracyTable(prefixes, ['first word', 'first 2 words', 'first 3 words'], 'Short texts cut from the bodies'),
    accuracyTable(own, ['es/it/en', 'other languages', 'no words'], 'Own samples (data/language/samples.json); und is right for other languages and texts without words'),
    calibration(labelled, 'bodies and titles'),
    calibration(prefixes, 'first 1–3 words of the bodies'),
    throughput(labelled),
  ]
  console.log(out.join('\n'))
}

main()

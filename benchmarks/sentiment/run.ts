/**
 * Sentiment benchmark: recensio and every JS peer on the same rows, in one run.
 *
 *   nice npx tsx benchmarks/sentiment/run.ts                 # ../shared/data, all languages
 *   nice npx tsx benchmarks/sentiment/run.ts --data DIR      # any folder with sentiment_{en,es,it}.jsonl
 *   nice npx tsx benchmarks/sentiment/run.ts --langs it --repeat 3 --md out.md
 *
 * Accuracy: balanced binary accuracy (1–2 vs 4–5 stars, score > 0 = positive,
 * mean of the two recalls), 3-class macro-F1 (1–2 / 3 / 4–5). Peers are read
 * with the sign of their score (< 0 / = 0 / > 0); their best symmetric
 * neutral band chosen on the same rows is shown too ("tuned", optimistic for
 * them). recensio is read with its own label; its parameters were fitted on
 * ../shared/data, so on those files its figures are in-sample, and the 5-fold
 * cross-validated figures of `scripts/fit-sentiment.ts` are printed next to them.
 *
 * Speed: rows per second, median of `--repeat` timed passes after a warm-up.
 * recensio is timed on already-made tokens (sentiment only) and end to end
 * (normalize + tokenize + sentiment); peers take raw text and tokenize themselves.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { balancedAccuracy, macroF1, meanAbsoluteError, readJsonl } from '../../scripts/sentiment-fit-lib.js'
import { Scratch, scanField } from '../../src/sentiment/extract.js'
import { PARAMS } from '../../src/sentiment/generated/params.js'
import { scoreSentiment } from '../../src/sentiment/index.js'
import { lexiconFor } from '../../src/sentiment/lexicon.js'
import { etaOf, labelOf, scoreOf, starsOf } from '../../src/sentiment/score.js'
import { type Doc, makeDoc } from '../../src/text/index.js'

const root = resolve(import.meta.dirname, '../..')
const args = process.argv.slice(2)
function arg(name: string, fallback: string): string {
  const i = args.indexOf(name)
  return i === -1 ? fallback : args[i + 1]!
}
const dataDir = resolve(root, arg('--data', '../shared/data'))
const langs = arg('--langs', 'en,es,it').split(',') as Array<'en' | 'es' | 'it'>
const REPEAT = Number(arg('--repeat', '5'))
const mdOut = arg('--md', '')

const peerRequire = createRequire(resolve(root, 'benchmarks/package.json'))

type Scorer = (text: string) => number
interface Peer {
  name: string
  langs: string[]
  make: (lang: string) => Promise<Scorer> | Scorer
  /** Async scorers are awaited one row at a time. */
  async?: boolean
}

function naturalPeer(type: 'afinn' | 'senticon' | 'pattern', langs: string[]): Peer {
  return {
    name: `natural ${type}`,
    langs,
    make: (lang) => {
      const SentimentAnalyzer = peerRequire('natural/lib/natural/sentiment/SentimentAnalyzer.js')
      const language = { en: 'English', es: 'Spanish', it: 'Italian' }[lang]
      const stemmer =
        lang === 'en'
          ? peerRequire('natural/lib/natural/stemmers/porter_stemmer.js')
          : lang === 'es'
            ? peerRequire('natural/lib/natural/stemmers/porter_stemmer_es.js')
            : peerRequire('natural/lib/natural/stemmers/porter_stemmer_it.js')
      const analyzer = new SentimentAnalyzer(language, stemmer, type)
      let tokenizer: { tokenize(s: string): string[] }
      if (lang === 'en') {
        const { WordTokenizer } = peerRequire('natural/lib/natural/tokenizers/regexp_tokenizer.js')
        tokenizer = new WordTokenizer()
      } else {
        const Aggressive = peerRequire(`natural/lib/natural/tokenizers/aggressive_tokenizer_${lang}.js`)
        tokenizer = new Aggressive()
      }
      return (text: string) => {
        const tokens = tokenizer.tokenize(text)
        return tokens.length === 0 ? 0 : analyzer.getSentiment(tokens)
      }
    },
  }
}

const PEERS: Peer[] = [
  {
    name: 'wink-sentiment',
    langs: ['en'],
    make: () => {
      const wink = peerRequire('wink-sentiment')
      return (text: string) => wink(text).score
    },
  },
  {
    name: 'vader-sentiment',
    langs: ['en'],
    make: () => {
      const vader = peerRequire('vader-sentiment')
      return (text: string) => vader.SentimentIntensityAnalyzer.polarity_scores(text).compound
    },
  },
  {
    name: 'sentiment',
    langs: ['en'],
    make: () => {
      const Sentiment = peerRequire('sentiment')
      const s = new Sentiment()
      return (text: string) => s.analyze(text).score
    },
  },
  naturalPeer('afinn', ['en', 'es']),
  naturalPeer('senticon', ['en', 'es']),
  naturalPeer('pattern', ['en', 'it']),
  {
    name: 'nlp.js',
    langs: ['en', 'es', 'it'],
    async: true,
    make: async (lang) => {
      const { containerBootstrap } = peerRequire('@nlpjs/core')
      const { SentimentAnalyzer } = peerRequire('@nlpjs/sentiment')
      const container = await containerBootstrap()
      const mod = peerRequire(`@nlpjs/lang-${lang}`)
      container.use(mod[`Lang${lang[0]!.toUpperCase()}${lang[1]}`])
      const analyzer = new SentimentAnalyzer({ container })
      return (async (text: string) => (await analyzer.process({ locale: lang, text })).sentiment.score) as unknown as Scorer
    },
  },
]

interface Line {
  name: string
  balanced: number
  f1: number
  f1Tuned: number | null
  mae: number | null
  rowsPerSec: number
  note: string
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

async function timeIt(fn: () => void | Promise<void>): Promise<number> {
  await fn() // warm-up
  const times: number[] = []
  for (let r = 0; r < REPEAT; r++) {
    const t0 = process.hrtime.bigint()
    await fn()
    times.push(Number(process.hrtime.bigint() - t0) / 1e9)
  }
  return median(times)
}

/** Best symmetric band ±t around 0 for a peer's scores (chosen on the same rows: optimistic). */
function tunedF1(stars: number[], scores: number[]): number {
  const mags = [...new Set(scores.map((s) => Math.abs(s)))].sort((a, b) => a - b)
  const step = Math.max(1, Math.floor(mags.length / 200))
  let best = 0
  for (let i = 0; i < mags.length; i += step) {
    const t = mags[i]!
    const pred = scores.map((s) => (s > t ? 2 : s < -t ? 0 : 1))
    best = Math.max(best, macroF1(stars, pred))
  }
  return Math.max(best, macroF1(stars, scores.map((s) => (s > 0 ? 2 : s < 0 ? 0 : 1))))
}

const cvPath = resolve(root, 'benchmarks/sentiment/cv.json')
type Figures = { balanced: number; f1: number; mae: number }
const cv: Record<string, Figures & { unseen: Figures }> = existsSync(cvPath)
  ? JSON.parse(readFileSync(cvPath, 'utf8'))
  : {}

const out: string[] = []
function print(s = ''): void {
  console.log(s)
  out.push(s)
}

let cpu = 'unknown CPU'
try {
  cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? cpu
} catch {
  cpu = cpus()[0]?.model ?? cpu
}
print('# Sentiment: recensio and JS peers on the same rows')
print()
print(`Command: \`nice npx tsx benchmarks/sentiment/run.ts ${args.join(' ')}\` (repo root).`)
print()
print(`Node ${process.version}, ${cpu}, ${new Date().toISOString().slice(0, 10)}; data ${dataDir === resolve(root, '../shared/data') ? '../shared/data' : dataDir}; speed is the median of ${REPEAT} timed passes after a warm-up (2 CPU cores shared with other jobs, so treat speed as ±20%).`)
print()
print('- Balanced accuracy: 1–2 vs 4–5 stars (3 stars left out), score > 0 = positive, mean of the two recalls.')
print('- Macro-F1: three classes 1–2 / 3 / 4–5. Peers by the sign of their score (< 0 / = 0 / > 0); "tuned band" is each peer\'s best symmetric neutral band ±t chosen on these same rows (optimistic for the peer). recensio by its own label.')
print('- recensio "tokens made" times sentiment alone on already-made tokens (`makeDoc` done before timing); "end to end" includes normalization and tokenization. Peers take the raw text and tokenize themselves.')
print('- Peers per language: wink-sentiment, vader-sentiment and sentiment are English-only (sentiment 5.0.2 ships no es/it language plugin); natural runs AFINN, SentiCon and pattern where it has them, with its Porter stemmer for the language (natural is loaded by deep path); nlp.js uses @nlpjs/lang-{en,es,it}.')
print('- recensio\'s parameters were fitted on these files, so its rows here are in-sample; the 5-fold cross-validated figures of `scripts/fit-sentiment.ts` are printed under each table, with those of folds 2–4, which were never read while writing the lexicons.')
print()

for (const lang of langs) {
  const path = resolve(dataDir, `sentiment_${lang}.jsonl`)
  if (!existsSync(path)) {
    print(`${lang}: ${path} not found, skipped`)
    continue
  }
  const rows = readJsonl(path)
  const texts = rows.map((r) => r.text)
  const stars = rows.map((r) => r.stars)
  const lines: Line[] = []

  // recensio
  const docs: Doc[] = texts.map((t) => makeDoc(t))
  const results = docs.map((d) => scoreSentiment(d, lang, { explain: false }).result)
  const tokenSecs = await timeIt(() => {
    for (const d of docs) scoreSentiment(d, lang, { explain: false })
  })
  const e2eSecs = await timeIt(() => {
    for (const t of texts) scoreSentiment(makeDoc(t), lang, { explain: false })
  })
  const tokenizeSecs = await timeIt(() => {
    for (const t of texts) makeDoc(t)
  })
  const recBalanced = balancedAccuracy(stars, results.map((r) => r.score > 0))
  const recF1 = macroF1(stars, results.map((r) => (r.label === 'negative' ? 0 : r.label === 'neutral' ? 1 : 2)))
  const recMae = meanAbsoluteError(stars, results.map((r) => r.stars))
  lines.push({
    name: 'recensio (tokens made)',
    balanced: recBalanced,
    f1: recF1,
    f1Tuned: null,
    mae: recMae,
    rowsPerSec: rows.length / tokenSecs,
    note: 'sentiment on already-made tokens',
  })
  lines.push({
    name: 'recensio (end to end)',
    balanced: recBalanced,
    f1: recF1,
    f1Tuned: null,
    mae: recMae,
    rowsPerSec: rows.length / e2eSecs,
    note: 'normalize + tokenize + sentiment',
  })

  // recensio with no language given: the best-matching lexicon
  const undResults = docs.map((d) => scoreSentiment(d, 'und', { explain: false }).result)
  const undSecs = await timeIt(() => {
    for (const d of docs) scoreSentiment(d, 'und', { explain: false })
  })
  lines.push({
    name: 'recensio (lang und)',
    balanced: balancedAccuracy(stars, undResults.map((r) => r.score > 0)),
    f1: macroF1(stars, undResults.map((r) => (r.label === 'negative' ? 0 : r.label === 'neutral' ? 1 : 2))),
    f1Tuned: null,
    mae: meanAbsoluteError(stars, undResults.map((r) => r.stars)),
    rowsPerSec: rows.length / undSecs,
    note: 'language not given: best-matching lexicon, on made tokens',
  })

  // The alternative for `und` that recensio does not ship: the three lexicons merged, English model.
  const merged = lexiconFor('und')
  const scratch = new Scratch()
  const enModel = PARAMS.models.en
  const mergedResults = docs.map((d) => {
    scratch.reset()
    scanField(d.body.tokens, 0, merged, PARAMS.engine, 1, scratch)
    for (let k = 0; k < scratch.count; k++) scratch.sums[scratch.cls[k]!] = scratch.sums[scratch.cls[k]!]! + scratch.value[k]!
    if (scratch.count === 0) return { score: 0, label: 'neutral', stars: 3 }
    const eta = etaOf({ sums: scratch.sums, words: scratch.words, questions: scratch.questions }, enModel)
    const score = scoreOf(eta, enModel)
    return { score, label: labelOf(score), stars: starsOf(eta, enModel) }
  })
  lines.push({
    name: 'recensio (und, merged lexicons; not shipped)',
    balanced: balancedAccuracy(stars, mergedResults.map((r) => r.score > 0)),
    f1: macroF1(stars, mergedResults.map((r) => (r.label === 'negative' ? 0 : r.label === 'neutral' ? 1 : 2))),
    f1Tuned: null,
    mae: meanAbsoluteError(stars, mergedResults.map((r) => r.stars)),
    rowsPerSec: Number.NaN,
    note: 'the alternative measured for und',
  })

  // peers
  for (const peer of PEERS) {
    if (!peer.langs.includes(lang)) continue
    let scorer: Scorer
    try {
      scorer = await peer.make(lang)
    } catch (e) {
      print(`${peer.name} (${lang}) failed to load: ${(e as Error).message}`)
      continue
    }
    const scores: number[] = []
    if (peer.async) for (const t of texts) scores.push(await (scorer(t) as unknown as Promise<number>))
    else for (const t of texts) scores.push(scorer(t))
    const secs = await timeIt(
      peer.async
        ? async () => {
            for (const t of texts) await (scorer(t) as unknown as Promise<number>)
          }
        : () => {
            for (const t of texts) scorer(t)
          },
    )
    lines.push({
      name: peer.name,
      balanced: balancedAccuracy(stars, scores.map((s) => s > 0)),
      f1: macroF1(stars, scores.map((s) => (s > 0 ? 2 : s < 0 ? 0 : 1))),
      f1Tuned: tunedF1(stars, scores),
      mae: null,
      rowsPerSec: rows.length / secs,
      note: '',
    })
  }

  const wink = lines.find((l) => l.name === 'wink-sentiment')
  const bestPeer = lines.filter((l) => !l.name.startsWith('recensio')).sort((a, b) => b.balanced - a.balanced)[0]
  const counts = [1, 2, 3, 4, 5].map((s) => stars.filter((x) => x === s).length).join('/')
  print(`## ${lang}: ${rows.length} rows (stars 1/2/3/4/5: ${counts}; binary rows ${stars.filter((s) => s !== 3).length})`)
  print()
  print('| system | balanced acc. (1–2 vs 4–5) | macro-F1 3-class (sign) | macro-F1 (tuned band) | stars MAE | rows/s |')
  print('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const l of lines) {
    print(
      `| ${l.name} | ${l.balanced.toFixed(3)} | ${l.f1.toFixed(3)} | ${l.f1Tuned === null ? '—' : l.f1Tuned.toFixed(3)} | ${l.mae === null ? '—' : l.mae.toFixed(3)} | ${Number.isNaN(l.rowsPerSec) ? '—' : Math.round(l.rowsPerSec).toLocaleString('en')} |`,
    )
  }
  print(`| tokenize only (normalize + tokenize) | — | — | — | — | ${Math.round(rows.length / tokenizeSecs).toLocaleString('en')} |`)
  print()
  const c = cv[lang]
  if (c) {
    print(
      `recensio 5-fold CV (scripts/fit-sentiment.ts): balanced ${c.balanced.toFixed(3)}, macro-F1 ${c.f1.toFixed(3)}, MAE ${c.mae.toFixed(3)}; folds 2–4 only: balanced ${c.unseen.balanced.toFixed(3)}, macro-F1 ${c.unseen.f1.toFixed(3)}, MAE ${c.unseen.mae.toFixed(3)}.`,
    )
  }
  if (bestPeer) {
    print(`best peer by balanced accuracy: ${bestPeer.name} ${bestPeer.balanced.toFixed(3)} (recensio ${(recBalanced - bestPeer.balanced >= 0 ? '+' : '') + ((recBalanced - bestPeer.balanced) * 100).toFixed(1)} points)`)
  }
  if (wink) {
    print(
      `speed vs wink-sentiment: ${(rows.length / tokenSecs / wink.rowsPerSec).toFixed(1)}× on made tokens, ${(rows.length / e2eSecs / wink.rowsPerSec).toFixed(1)}× end to end`,
    )
  }
  print()
}

if (mdOut !== '') writeFileSync(resolve(root, mdOut), `${out.join('\n')}\n`)

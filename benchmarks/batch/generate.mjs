#!/usr/bin/env node
// Generates an N-row review dump (JSON Lines) for the batch benchmarks, from
// the dev corpora in ../shared/data, read at run time and never committed.
//
//   node benchmarks/batch/generate.mjs 100000 [out.jsonl] [--seed 1]
//
// Each review is in es/it/en with a J-shaped star rating; its text is a fresh
// mix of sentences from corpus reviews of the same language and star class, as
// many sentences as a corpus review of that class has, so texts are realistic
// in vocabulary and length but rarely repeat. Products follow a Zipf law,
// authors a long tail with a few prolific ones, dates two years with planted
// bursts; a quarter of each sentence's longer words are swapped so that texts
// rarely overlap by accident; 0.3% of rows copy an earlier text under another author, and 0.05%
// are bad rows (broken JSON, no text, an unreadable rating), as real exports
// have. Output goes to benchmarks/.cache/ (git-ignored) by default.
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const dataDir = resolve(root, '../shared/data')

/** Language shares of a generated dump. */
const LANG_SHARE = { es: 0.36, it: 0.3, en: 0.34 }
/** J-shaped star distribution of online reviews (1★ … 5★). */
const STAR_SHARE = [0.17, 0.08, 0.1, 0.2, 0.45]
/** Rows per product on average, and the Zipf exponent of product popularity. */
const ROWS_PER_PRODUCT = 50
const ZIPF_S = 1.1
/** Authors per row, and the share of rows written by the 1% most prolific authors. */
const AUTHORS_PER_ROW = 0.6
const PROLIFIC_SHARE = 0.1
/**
 * Share of a sentence's words of 4+ letters swapped for other words of the
 * same language. The corpora hold ~50k sentences per language, so a 1M-row
 * dump reuses each about 60 times; unswapped, texts would share whole
 * sentences far more often than real reviews do and look like copies. The
 * swaps keep the vocabulary and the lengths; they blur the sentiment.
 */
const SWAP_SHARE = 0.25
const VERIFIED_SHARE = 0.88
const TITLE_SHARE = 0.25
const TIMED_SHARE = 0.4
const COPY_SHARE = 0.003
const BAD_SHARE = 0.0005
/** Share of rows placed in bursts: many 5★ reviews of one product within two days. */
const BURST_SHARE = 0.005
const BURST_SIZE = 40
const DAYS = 730
const START_MS = Date.UTC(2023, 0, 1)

/** mulberry32: a small seeded PRNG, so a dump is the same on every machine. */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pickWeighted(rand, weights) {
  let x = rand()
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]
    if (x < 0) return i
  }
  return weights.length - 1
}

/** Sentences of a text (split after . ! ? followed by a space). */
function sentences(text) {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?…])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 1)
}

function starsOf(row) {
  if (typeof row.stars === 'number') return row.stars
  if (typeof row.rating === 'number') return row.rating
  if (row.polarity === 'pos') return 5
  if (row.polarity === 'neg') return 1
  return undefined
}

/** Sentence pools per language and star: { sentences: string[], lengths: number[] (sentences per review) }. */
function loadPools() {
  if (!existsSync(dataDir)) {
    console.error(`generate: ${dataDir} is missing; the dumps are made from the dev corpora there`)
    process.exit(2)
  }
  const pools = {}
  for (const lang of Object.keys(LANG_SHARE)) {
    pools[lang] = [1, 2, 3, 4, 5].map(() => ({ sentences: [], lengths: [], titles: [] }))
    pools[lang].words = new Set()
  }
  for (const file of ['sentiment_en.jsonl', 'sentiment_es.jsonl', 'sentiment_it.jsonl', 'amazon_verified.jsonl', 'opspam.jsonl']) {
    for (const line of readFileSync(join(dataDir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue
      const row = JSON.parse(line)
      const stars = starsOf(row)
      if (!(row.lang in LANG_SHARE) || stars === undefined || typeof row.text !== 'string') continue
      const pool = pools[row.lang][Math.round(stars) - 1]
      const s = sentences(row.text)
      if (s.length === 0) continue
      pool.sentences.push(...s)
      for (const w of row.text.split(/\s+/)) if (/^\p{L}{4,}$/u.test(w)) pools[row.lang].words.add(w.toLowerCase())
      pool.lengths.push(Math.min(s.length, 12))
      if (typeof row.title === 'string' && row.title.length > 0) pool.titles.push(row.title)
    }
  }
  for (const lang of Object.keys(LANG_SHARE)) pools[lang].words = [...pools[lang].words].sort()
  return pools
}

/** Swap about SWAP_SHARE of a sentence's words of 4+ letters (at least one) for other words of its language. */
function perturb(rand, sentence, words) {
  const parts = sentence.split(' ')
  const swaps = Math.max(1, Math.round(parts.length * SWAP_SHARE))
  for (let k = 0; k < swaps; k++) {
    const at = Math.floor(rand() * parts.length)
    if (/^\p{L}{4,}$/u.test(parts[at])) parts[at] = words[Math.floor(rand() * words.length)]
  }
  return parts.join(' ')
}

/** Cumulative Zipf weights for n items. */
function zipf(n) {
  const w = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) sum += w[i] = 1 / (i + 1) ** ZIPF_S
  let acc = 0
  for (let i = 0; i < n; i++) w[i] = acc += w[i] / sum
  return w
}

function pickCumulative(rand, cum) {
  const x = rand()
  let lo = 0
  let hi = cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cum[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

function pad(n, width) {
  return String(n).padStart(width, '0')
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * Write an N-row dump.
 *
 * @param {number} n Rows.
 * @param {string} out Output path.
 * @param {number} seed PRNG seed.
 * @returns {Promise<void>}
 */
export async function generate(n, out, seed = 1) {
  const rand = prng(seed)
  const pools = loadPools()
  const langs = Object.keys(LANG_SHARE)
  const langWeights = langs.map((l) => LANG_SHARE[l])
  const products = Math.max(20, Math.round(n / ROWS_PER_PRODUCT))
  const productCum = zipf(products)
  const authors = Math.max(10, Math.round(n * AUTHORS_PER_ROW))
  const prolific = Math.max(1, Math.round(authors / 100))
  const bursts = []
  const burstRows = Math.round(n * BURST_SHARE)
  for (let b = 0; b < Math.ceil(burstRows / BURST_SIZE); b++) {
    bursts.push({ product: pickCumulative(rand, productCum), day: Math.floor(rand() * (DAYS - 2)) })
  }
  const recent = []
  mkdirSync(dirname(out), { recursive: true })
  const file = createWriteStream(out)
  let buffer = ''
  for (let i = 1; i <= n; i++) {
    const id = `r${pad(i, 7)}`
    if (rand() < BAD_SHARE) {
      const kind = Math.floor(rand() * 3)
      buffer +=
        kind === 0
          ? `{"id":"${id}","text":"broken export line\n`
          : kind === 1
            ? `${JSON.stringify({ id, product: `P${pad(0, 6)}`, rating: 5 })}\n`
            : `${JSON.stringify({ id, text: 'Fine.', rating: 'five stars?' })}\n`
      continue
    }
    const lang = langs[pickWeighted(rand, langWeights)]
    let star = pickWeighted(rand, STAR_SHARE) + 1
    let product = pickCumulative(rand, productCum)
    let day = Math.floor(rand() * DAYS)
    if (bursts.length > 0 && rand() < BURST_SHARE) {
      const b = bursts[Math.floor(rand() * bursts.length)]
      product = b.product
      day = b.day + Math.floor(rand() * 2)
      star = 5
    }
    let pool = pools[lang][star - 1]
    if (pool.sentences.length === 0) pool = pools[lang][4]
    const author = rand() < PROLIFIC_SHARE ? Math.floor(rand() * prolific) : prolific + Math.floor(rand() * (authors - prolific))
    let text
    if (recent.length > 0 && rand() < COPY_SHARE) text = recent[Math.floor(rand() * recent.length)]
    else {
      const count = pool.lengths[Math.floor(rand() * pool.lengths.length)]
      const parts = []
      for (let k = 0; k < count; k++) {
        const sentence = pool.sentences[Math.floor(rand() * pool.sentences.length)]
        parts.push(perturb(rand, sentence, pools[lang].words))
      }
      text = parts.join(' ')
    }
    if (recent.length < 1000) recent.push(text)
    else recent[Math.floor(rand() * recent.length)] = text
    let ms = START_MS + day * 86_400_000
    const timed = rand() < TIMED_SHARE
    if (timed) ms += Math.floor(rand() * 86_400) * 1000
    const row = {
      id,
      product: `P${pad(product, 6)}`,
      author: `A${pad(author, 7)}`,
      date: timed ? new Date(ms).toISOString().replace('.000Z', 'Z') : isoDay(ms),
      rating: star,
      verified: rand() < VERIFIED_SHARE,
    }
    if (rand() < TITLE_SHARE) {
      const titles = pool.titles
      row.title =
        titles.length > 0 ? titles[Math.floor(rand() * titles.length)] : pool.sentences[Math.floor(rand() * pool.sentences.length)].split(' ').slice(0, 6).join(' ')
    }
    row.text = text
    buffer += `${JSON.stringify(row)}\n`
    if (buffer.length > 1 << 20) {
      if (!file.write(buffer)) await new Promise((r) => file.once('drain', r))
      buffer = ''
    }
  }
  file.write(buffer)
  await new Promise((r, j) => file.end((e) => (e ? j(e) : r())))
}

/** Path of the cached N-row dump. */
export function dumpPath(n, seed = 1) {
  return join(root, 'benchmarks/.cache', `dump-${n}${seed === 1 ? '' : `-s${seed}`}.jsonl`)
}

/** The cached N-row dump, generated on first use. */
export async function ensureDump(n, seed = 1) {
  const path = dumpPath(n, seed)
  if (!existsSync(path)) await generate(n, path, seed)
  return path
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const seedAt = args.indexOf('--seed')
  const seed = seedAt >= 0 ? Number(args.splice(seedAt, 2)[1]) : 1
  const n = Number(args[0])
  if (!Number.isInteger(n) || n < 1) {
    console.error('usage: node benchmarks/batch/generate.mjs <rows> [out.jsonl] [--seed n]')
    process.exit(2)
  }
  const out = args[1] ?? dumpPath(n, seed)
  const t = performance.now()
  await generate(n, out, seed)
  console.error(`generate: ${n} rows → ${out} in ${((performance.now() - t) / 1000).toFixed(1)} s`)
}

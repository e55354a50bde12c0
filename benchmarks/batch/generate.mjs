#!/usr/bin/env node
// Generates an N-row review dump (JSON Lines) for the batch benchmarks, from
// the dev corpora in ../shared/data, read at run time and never committed.
//
//   node benchmarks/batch/generate.mjs 100000 [out.jsonl] [--seed 1]
//
// What a real export looks like, as far as the batch core and the
// cross-review pass can tell:
// - Texts: new texts from a word-bigram chain per language and star class,
//   trained on the corpus reviews, as long as a corpus review of that class.
//   The corpora hold 2–5 thousand reviews per language, so reusing whole texts
//   (or recombining their sentences) would make a million-row dump full of
//   accidental near-copies; chained texts share only the common phrases real
//   reviews share, keep the corpora's word frequencies (what the analyzers'
//   caches see) and their lengths. Short ones ("Muy buena calidad.") repeat by
//   chance, as in real dumps.
// - Products: log-normal popularity (the busiest gets about 1% of the rows,
//   the median a fifth of the mean), each with a launch date (some before the
//   dump starts), a ramp-up and a slow decay of its review rate, a quarter of
//   them seasonal (one yearly peak), all of them weekly and yearly cycles
//   (more reviews after the holidays and on Sundays and Mondays). Each has a
//   market (most reviews in one language) and a quality that tilts its stars.
// - Authors: a power law of reviews per author (about three quarters write
//   one, a few write hundreds), spread over the two years, never two reviews
//   of one product.
// - Planted, with their ids in dump-….truth.json: 0.5% of rows in bursts (40
//   five-star reviews of one product within two days, by one-review authors),
//   0.3% copies of an earlier text by another author (40% exact, 60% with one
//   or two words changed), and 0.05% bad rows (broken JSON, no text, an
//   unreadable rating), as real exports have.
// Output goes to benchmarks/.cache/ (git-ignored) by default.
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const dataDir = resolve(root, '../shared/data')

/** Generator version: part of the cached file's name, so a changed generator never reuses an old dump. */
export const GENERATOR_VERSION = 2

/** Language shares of a generated dump. */
const LANG_SHARE = { es: 0.36, it: 0.3, en: 0.34 }
/** Share of a product's reviews in its market's language. */
const MARKET_SHARE = 0.9
/** J-shaped star distribution of online reviews (1★ … 5★), before each product's quality tilt. */
const STAR_SHARE = [0.17, 0.08, 0.1, 0.2, 0.45]
/** Product quality q ~ N(0, 1) multiplies the odds of s stars by exp(QUALITY_TILT · q · (s − 3)). */
const QUALITY_TILT = 0.35
/** Rows per product on average, and the spread (σ of the log) of product popularity. */
const ROWS_PER_PRODUCT = 50
const POPULARITY_SIGMA = 1.6
/** Product launch: uniform from LAUNCH_BEFORE days before the dump starts to LAUNCH_LAST days before it ends. */
const LAUNCH_BEFORE = 540
const LAUNCH_LAST = 14
/** Days for a product's review rate to ramp up after launch (1 − e^(−age/RAMP_DAYS)). */
const RAMP_DAYS = 10
/** Median days for a product's review rate to fall by e, and the spread (σ of the log). */
const DECAY_DAYS = 365
const DECAY_SIGMA = 0.6
/** Share of seasonal products: a yearly peak SEASON_WIDTH days wide (σ), up to SEASON_PEAK times the rate. */
const SEASONAL_SHARE = 0.25
const SEASON_WIDTH = 25
const SEASON_PEAK = 3
/** Everyone's yearly cycle: more reviews from late December to mid January (up to ×HOLIDAY_PEAK). */
const HOLIDAY_PEAK = 1.5
/** Weekday factors, Sunday first. */
const WEEKDAY = [1.15, 1.15, 1, 1, 0.95, 0.9, 0.9]
/** Power-law exponent of reviews per author (P(k) ∝ k^−AUTHOR_EXPONENT), and the most reviews one author writes. */
const AUTHOR_EXPONENT = 2.8
const AUTHOR_MAX = 300
const VERIFIED_SHARE = 0.88
const TITLE_SHARE = 0.25
const TIMED_SHARE = 0.4
/** Share of rows planted as copies of an earlier text by another author, and of those copied exactly. */
const COPY_SHARE = 0.003
const COPY_EXACT = 0.4
const BAD_SHARE = 0.0005
/** Share of rows planted in bursts: BURST_SIZE five-star reviews of one product within BURST_DAYS days. */
const BURST_SHARE = 0.005
const BURST_SIZE = 40
const BURST_DAYS = 2
const DAYS = 730
const START_MS = Date.UTC(2023, 0, 1)
/** Longest text made, in tokens. */
const MAX_TOKENS = 400

/** mulberry32: a small seeded PRNG, so a dump is the same on every machine. */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function normal(rand) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

function pickWeighted(rand, weights) {
  let x = rand()
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]
    if (x < 0) return i
  }
  return weights.length - 1
}

function pickCumulative(rand, cum) {
  const x = rand() * cum[cum.length - 1]
  let lo = 0
  let hi = cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cum[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

function starsOf(row) {
  if (typeof row.stars === 'number') return row.stars
  if (typeof row.rating === 'number') return row.rating
  if (row.polarity === 'pos') return 5
  if (row.polarity === 'neg') return 1
  return undefined
}

/** Star class of a chain: 0 = 1–2 stars, 1 = 3, 2 = 4–5. */
function classOf(stars) {
  return stars <= 2 ? 0 : stars === 3 ? 1 : 2
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[.!?…]+|[,;:()"«»]|\S/gu
const NO_SPACE_BEFORE = /^(?:[.!?…,;:)»]+)$/u
const NO_SPACE_AFTER = /^[(«]$/u
const SENTENCE_END = /^[.!?…]+$/u

/**
 * A word-bigram chain: each token's successors, as they follow it in the
 * corpus (so sampling one is frequency-weighted). Id 0 is the start and end.
 */
class Chain {
  constructor() {
    this.ids = new Map([['', 0]])
    this.words = ['']
    this.next = [[]]
    this.lengths = []
  }

  id(token) {
    let id = this.ids.get(token)
    if (id === undefined) {
      id = this.words.length
      this.ids.set(token, id)
      this.words.push(token)
      this.next.push([])
    }
    return id
  }

  learn(text) {
    const tokens = text.match(TOKEN) ?? []
    if (tokens.length === 0) return
    let prev = 0
    for (const t of tokens) {
      const id = this.id(t)
      this.next[prev].push(id)
      prev = id
    }
    this.next[prev].push(0)
    this.lengths.push(Math.min(tokens.length, MAX_TOKENS))
  }

  seal() {
    this.next = this.next.map((list) => Int32Array.from(list))
    this.end = this.words.map((w) => SENTENCE_END.test(w))
  }

  /** A new text about as long as a corpus text of this class. */
  text(rand) {
    const target = this.lengths[Math.floor(rand() * this.lengths.length)]
    const out = []
    let prev = 0
    for (;;) {
      const list = this.next[prev]
      let id = list.length === 0 ? 0 : list[Math.floor(rand() * list.length)]
      // Long enough: stop at the next sentence end (from three quarters of the
      // target, so texts do not overshoot it on average). Too short: start a
      // new sentence instead of ending.
      if (id === 0 && out.length < target / 2) {
        const starts = this.next[0]
        id = starts[Math.floor(rand() * starts.length)]
      }
      if (id === 0) break
      out.push(id)
      if (out.length >= MAX_TOKENS || (out.length >= (target * 3) / 4 && this.end[id])) break
      prev = id
    }
    return this.join(out)
  }

  join(ids) {
    let s = ''
    for (let k = 0; k < ids.length; k++) {
      const w = this.words[ids[k]]
      if (k > 0 && !NO_SPACE_BEFORE.test(w) && !NO_SPACE_AFTER.test(this.words[ids[k - 1]])) s += ' '
      s += w
    }
    return s
  }
}

/** Chains per language and star class, the languages' vocabularies, and corpus titles. */
function loadChains() {
  if (!existsSync(dataDir)) {
    console.error(`generate: ${dataDir} is missing; the dumps are made from the dev corpora there`)
    process.exit(2)
  }
  const chains = {}
  for (const lang of Object.keys(LANG_SHARE)) chains[lang] = { byClass: [new Chain(), new Chain(), new Chain()], titles: [[], [], []], words: new Set() }
  for (const file of ['sentiment_en.jsonl', 'sentiment_es.jsonl', 'sentiment_it.jsonl', 'amazon_verified.jsonl', 'opspam.jsonl']) {
    for (const line of readFileSync(join(dataDir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue
      const row = JSON.parse(line)
      const stars = starsOf(row)
      if (!(row.lang in LANG_SHARE) || stars === undefined || typeof row.text !== 'string') continue
      const c = classOf(Math.round(stars))
      const lang = chains[row.lang]
      lang.byClass[c].learn(row.text.replace(/\s+/g, ' ').trim())
      for (const w of row.text.split(/\s+/)) if (/^\p{L}{4,}$/u.test(w)) lang.words.add(w.toLowerCase())
      if (typeof row.title === 'string' && row.title.length > 0) lang.titles[c].push(row.title)
    }
  }
  for (const lang of Object.values(chains)) {
    for (const chain of lang.byClass) chain.seal()
    lang.words = [...lang.words].sort()
  }
  return chains
}

/** Change one or two words of 4+ letters of a copied text (a light edit). */
function lightEdit(rand, text, words) {
  const parts = text.split(' ')
  const edits = 1 + Math.floor(rand() * 2)
  for (let k = 0, tries = 0; k < edits && tries < 20; tries++) {
    const at = Math.floor(rand() * parts.length)
    if (!/^\p{L}{4,}$/u.test(parts[at])) continue
    parts[at] = words[Math.floor(rand() * words.length)]
    k++
  }
  return parts.join(' ')
}

function pad(n, width) {
  return String(n).padStart(width, '0')
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Everyone's seasonal factor on a day of the dump (holidays and weekdays). */
function globalSeason(day) {
  const date = new Date(START_MS + day * 86_400_000)
  const start = Date.UTC(date.getUTCFullYear(), 0, 1)
  const doy = Math.floor((date.getTime() - start) / 86_400_000)
  // Distance in days to January 1st, where the post-holiday peak is centred.
  const d = Math.min(doy, 365 - doy)
  return (1 + (HOLIDAY_PEAK - 1) * Math.exp(-(d * d) / (2 * 12 * 12))) * WEEKDAY[date.getUTCDay()]
}

/** Products: popularity within the dump, launch, decay, seasonality, market, quality. */
function makeProducts(rand, count, langs) {
  const products = []
  const cum = new Float64Array(count)
  let acc = 0
  for (let p = 0; p < count; p++) {
    const launch = Math.floor(-LAUNCH_BEFORE + rand() * (DAYS - LAUNCH_LAST + LAUNCH_BEFORE))
    const tau = DECAY_DAYS * Math.exp(DECAY_SIGMA * normal(rand))
    // Mass of the product's (launch, decay) curve inside the dump: its rows' share follows it.
    const a = Math.max(0, -launch)
    const b = DAYS - launch
    const mass = tau * (Math.exp(-a / tau) - Math.exp(-b / tau))
    const rate = Math.exp(POPULARITY_SIGMA * normal(rand))
    const seasonal = rand() < SEASONAL_SHARE
    products.push({
      launch,
      tau,
      a,
      b,
      peak: seasonal ? Math.floor(rand() * 365) : -1,
      amplitude: seasonal ? 1 + rand() * (SEASON_PEAK - 1) : 0,
      market: langs[pickWeighted(rand, langs.map((l) => LANG_SHARE[l]))],
      quality: normal(rand),
    })
    acc += (rate * mass) / DECAY_DAYS
    cum[p] = acc
  }
  return { products, cum }
}

/** A day of the dump for one review of product `p`: its curve times the seasons, by rejection. */
function dayFor(rand, p) {
  const span = 1 - Math.exp(-(p.b - p.a) / p.tau)
  let day = 0
  for (let tries = 0; tries < 64; tries++) {
    const age = p.a - p.tau * Math.log(1 - rand() * span)
    day = Math.min(DAYS - 1, Math.floor(p.launch + age))
    let accept = (1 - Math.exp(-(age + 0.5) / RAMP_DAYS)) * (globalSeason(day) / (HOLIDAY_PEAK * 1.15))
    if (p.peak >= 0) {
      const doy = (((day % 365) + 365) % 365)
      const d = Math.min(Math.abs(doy - p.peak), 365 - Math.abs(doy - p.peak))
      accept *= (1 + p.amplitude * Math.exp(-(d * d) / (2 * SEASON_WIDTH * SEASON_WIDTH))) / (1 + p.amplitude)
    }
    if (rand() < accept) break
  }
  return day
}

function starFor(rand, p) {
  const w = STAR_SHARE.map((s, k) => s * Math.exp(QUALITY_TILT * p.quality * (k + 1 - 3)))
  const sum = w.reduce((x, y) => x + y, 0)
  return pickWeighted(rand, w.map((x) => x / sum)) + 1
}

/** Seconds into a day, more in the evening than at night. */
function secondOfDay(rand) {
  for (;;) {
    const s = Math.floor(rand() * 86_400)
    const hour = s / 3600
    // Lowest around 4 am, highest around 8 pm.
    if (rand() < 0.55 + 0.45 * Math.sin(((hour - 10) / 24) * 2 * Math.PI)) return s
  }
}

/** Reviews per author: a power law, at least one. */
function authorCounts(rand, rows) {
  const cum = []
  let acc = 0
  for (let k = 1; k <= AUTHOR_MAX; k++) cum.push((acc += k ** -AUTHOR_EXPONENT))
  const counts = []
  let total = 0
  while (total < rows) {
    const k = Math.min(rows - total, pickCumulative(rand, cum) + 1)
    counts.push(k)
    total += k
  }
  return counts
}

/**
 * Write an N-row dump and its truth file (the planted rows' ids).
 *
 * @param {number} n Rows.
 * @param {string} out Output path.
 * @param {number} seed PRNG seed.
 * @returns {Promise<{ bursts: number, burstRows: number, copies: number, authors: number, products: number }>}
 */
export async function generate(n, out, seed = 1) {
  const rand = prng(seed)
  const chains = loadChains()
  const langs = Object.keys(LANG_SHARE)
  const productCount = Math.max(20, Math.round(n / ROWS_PER_PRODUCT))
  const { products, cum } = makeProducts(rand, productCount, langs)

  // Row kinds first (0 organic, 1 burst, 2 copy, 3 bad), then each organic row's product and day.
  const kind = new Uint8Array(n)
  const product = new Int32Array(n)
  const day = new Int32Array(n)
  const burstCount = Math.round((n * BURST_SHARE) / BURST_SIZE)
  const burstOf = new Int32Array(n).fill(-1)
  for (let b = 0; b < burstCount; b++) {
    const p = pickCumulative(rand, cum)
    const start = Math.max(0, Math.min(DAYS - BURST_DAYS, dayFor(rand, products[p])))
    for (let k = 0; k < BURST_SIZE; k++) {
      let i = Math.floor(rand() * n)
      while (kind[i] !== 0) i = (i + 1) % n
      kind[i] = 1
      burstOf[i] = b
      product[i] = p
      day[i] = start + Math.floor(rand() * BURST_DAYS)
    }
  }
  for (let i = 0; i < n; i++) {
    if (kind[i] !== 0) continue
    const u = rand()
    if (u < BAD_SHARE) kind[i] = 3
    else if (u < BAD_SHARE + COPY_SHARE && i > 1000) kind[i] = 2
    product[i] = pickCumulative(rand, cum)
    day[i] = dayFor(rand, products[product[i]])
  }

  // Authors: a shuffled list of author slots over the organic and copy rows; a
  // slot whose author already reviewed the product swaps with a later one.
  const counts = authorCounts(rand, n)
  const slots = new Int32Array(n)
  for (let a = 0, at = 0; a < counts.length; a++) for (let k = 0; k < counts[a]; k++) slots[at++] = a
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const t = slots[i]
    slots[i] = slots[j]
    slots[j] = t
  }
  const seen = new Set()
  let nextAuthor = counts.length
  const author = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    if (kind[i] === 1) {
      // Burst reviews come from accounts made for them.
      author[i] = nextAuthor++
      continue
    }
    let a = slots[i]
    for (let tries = 0; seen.has(a * productCount + product[i]) && tries < 32; tries++) {
      const j = i + 1 + Math.floor(rand() * (n - i - 1))
      if (j >= n) break
      slots[i] = slots[j]
      slots[j] = a
      a = slots[i]
    }
    seen.add(a * productCount + product[i])
    author[i] = a
  }
  seen.clear()

  const truth = { generator: GENERATOR_VERSION, seed, rows: n, bursts: [], copies: [] }
  for (let b = 0; b < burstCount; b++) truth.bursts.push([])
  const recent = []
  mkdirSync(dirname(out), { recursive: true })
  const file = createWriteStream(out)
  let buffer = ''
  const idWidth = Math.max(7, String(n).length)
  for (let i = 0; i < n; i++) {
    const id = `r${pad(i + 1, idWidth)}`
    if (kind[i] === 3) {
      const k = Math.floor(rand() * 3)
      buffer +=
        k === 0
          ? `{"id":"${id}","text":"broken export line\n`
          : k === 1
            ? `${JSON.stringify({ id, product: `P${pad(product[i], 6)}`, rating: 5 })}\n`
            : `${JSON.stringify({ id, text: 'Fine.', rating: 'five stars?' })}\n`
      continue
    }
    const p = products[product[i]]
    const lang = kind[i] === 1 || rand() < MARKET_SHARE ? p.market : langs[pickWeighted(rand, langs.map((l) => LANG_SHARE[l]))]
    const star = kind[i] === 1 ? (rand() < 0.9 ? 5 : 4) : starFor(rand, p)
    const chain = chains[lang].byClass[classOf(star)]
    let text
    if (kind[i] === 2 && recent.length > 0) {
      const source = recent[Math.floor(rand() * recent.length)]
      text = rand() < COPY_EXACT ? source.text : lightEdit(rand, source.text, chains[source.lang].words)
      truth.copies.push([id, source.id])
    } else text = chain.text(rand)
    if (kind[i] === 0) {
      if (recent.length < 1000) recent.push({ id, text, lang })
      else recent[Math.floor(rand() * recent.length)] = { id, text, lang }
    }
    if (kind[i] === 1) truth.bursts[burstOf[i]].push(id)
    let ms = START_MS + day[i] * 86_400_000
    const timed = rand() < TIMED_SHARE
    if (timed) ms += secondOfDay(rand) * 1000
    const row = {
      id,
      product: `P${pad(product[i], 6)}`,
      author: `A${pad(author[i], 7)}`,
      date: timed ? new Date(ms).toISOString().replace('.000Z', 'Z') : isoDay(ms),
      rating: star,
      verified: rand() < VERIFIED_SHARE,
    }
    if (rand() < TITLE_SHARE) {
      const titles = chains[lang].titles[classOf(star)]
      row.title = titles.length > 0 ? titles[Math.floor(rand() * titles.length)] : chain.text(rand).split(' ').slice(0, 2 + Math.floor(rand() * 5)).join(' ')
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
  writeFileSync(truthPath(out), `${JSON.stringify(truth)}\n`)
  return { bursts: burstCount, burstRows: burstCount * BURST_SIZE, copies: truth.copies.length, authors: nextAuthor, products: productCount }
}

/** Path of the truth file beside a dump. */
export function truthPath(dump) {
  return dump.replace(/\.jsonl$/, '.truth.json')
}

/** Path of the cached N-row dump. */
export function dumpPath(n, seed = 1) {
  return join(root, 'benchmarks/.cache', `dump-v${GENERATOR_VERSION}-${n}${seed === 1 ? '' : `-s${seed}`}.jsonl`)
}

/** The cached N-row dump, generated on first use. */
export async function ensureDump(n, seed = 1) {
  const path = dumpPath(n, seed)
  if (!existsSync(path) || !existsSync(truthPath(path))) await generate(n, path, seed)
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
  const made = await generate(n, out, seed)
  console.error(
    `generate: ${n} rows → ${out} in ${((performance.now() - t) / 1000).toFixed(1)} s (${made.products} products, ${made.authors} authors, ${made.bursts} bursts of ${BURST_SIZE}, ${made.copies} copies)`,
  )
}

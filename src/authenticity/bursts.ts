/**
 * Bursts: windows in which a product family got far more reviews than its own
 * baseline predicts. Counts are of distinct reviews (a review cross-listed
 * under several variants counts once), per family (the variants together).
 *
 * Test: for each window starting at a review (1, 2 and 3 days over whole days;
 * 1 and 6 hours over the reviews that carry a time of day), count c against the family's rate in the
 * four weeks around it (the window itself left out, floored), and take the
 * Poisson tail P(X ≥ c). c counts authors, not reviews: one author posting ten
 * reviews in a day is reviewer_activity, not a crowd. Windows are accepted
 * most significant first, each counting only reviews not already in an
 * accepted burst, so a spike does not spill into the days around it.
 *
 * Measured on amazon_verified with injected bursts (benchmarks/authenticity):
 * organic reviews get clumps of 6–9 reviews in 1–3 days with Poisson tails
 * down to 1e-5 (the daily counts are overdispersed), hence the strict
 * BURST_P_VALUE and BURST_MIN_COUNT.
 */
import type { Rows } from './cross.js'
import { NO_TIME } from './cross.js'
import { familyOf } from './duplicates.js'
import { clamp01, poissonTail, round3, sortByKey } from './stats.js'

/** Fewest reviews in a window for a burst. */
export const BURST_MIN_COUNT = 7

/** Tail probability below which a window is a burst. */
export const BURST_P_VALUE = 1e-6

/** Window lengths tested, in minutes: 1, 2 and 3 days. */
const DAY_WINDOWS = [1440, 2880, 4320]

/** Window lengths over reviews with a time of day: 1 and 6 hours. */
const HOUR_WINDOWS = [60, 360]

/** Baseline: reviews within this many minutes on each side of the window (28 days). */
const BASELINE_SPAN = 28 * 1440

/** The baseline duration is at least this long (14 days), so a young product is not its own baseline. */
const BASELINE_MIN_DURATION = 14 * 1440

/** Lowest baseline rate: one review per 30 days (a product with no history is not expected to get 0). */
const BASELINE_MIN_RATE = 1 / (30 * 1440)

/** Strength = BASE + SIGNIFICANCE·s + ONE_SIDED·o + NEW_AUTHORS·a (each term in [0, 1]). */
const STRENGTH_BASE = 0.4
const STRENGTH_SIGNIFICANCE = 0.2
const STRENGTH_ONE_SIDED = 0.2
const STRENGTH_NEW_AUTHORS = 0.2

/** −log10 p above the threshold's at which the significance term is full (p = 1e-10 at the default). */
const SIGNIFICANCE_SCALE = 6

export interface BurstRecord {
  family: number
  /** Products of the burst's reviews. */
  products: number[]
  /** Window [start, end) in minutes since the epoch. */
  start: number
  end: number
  /** The window's length in minutes (60, 360, 1440, 2880 or 4320). */
  length: number
  /** Reviews (units) in the burst, expected in the window, and the tail probability. */
  count: number
  expected: number
  pValue: number
  oneSided: number
  /** The extreme rating most of the burst gave (1 or 5), 0 when none. */
  stars: number
  newAuthors: number
  strength: number
  /** Member units in input order. */
  units: number[]
}

export interface BurstTable {
  /** Burst of each unit, -1 when none. */
  unitBurst: Int32Array
  bursts: BurstRecord[]
  /** Strength of each burst. */
  strength: Float64Array
}

interface Candidate {
  /** Units of the scanned list (in time order) and the window's range in it. */
  list: Int32Array
  from: number
  to: number
  start: number
  length: number
  expected: number
  pValue: number
}

/**
 * Windows of `lengths` minutes starting at each unit of `list` (sorted by
 * `times`), whose distinct authors are improbably many for the baseline.
 *
 * @param inWindow Units per author in the window, indexed by author id (an
 *   unknown author by `rows.authors` + its unit: each is distinct); all 0 on
 *   entry and on return.
 */
function scan(rows: Rows, list: Int32Array, times: Float64Array, lengths: readonly number[], inWindow: Int32Array, out: Candidate[]): void {
  const k = list.length
  const first = times[0]!
  const last = times[k - 1]! + 1440
  const who = new Int32Array(k)
  for (let i = 0; i < k; i++) {
    const a = rows.author[rows.unitRep[list[i]!]!]!
    who[i] = a >= 0 ? a : rows.authors + list[i]!
  }
  for (const length of lengths) {
    let j = 0
    let lo = 0
    let hi = 0
    // Distinct authors in the window [i, j).
    let distinct = 0
    for (let i = 0; i < k; i++) {
      if (i > 0 && --inWindow[who[i - 1]!]! === 0) distinct--
      if (j < i) j = i
      while (j < k && times[j]! < times[i]! + length) {
        if (inWindow[who[j]!]!++ === 0) distinct++
        j++
      }
      if (i > 0 && times[i] === times[i - 1]) continue
      const start = times[i]!
      const c = distinct
      if (c < BURST_MIN_COUNT) continue
      const from = start - BASELINE_SPAN
      const to = start + length + BASELINE_SPAN
      while (lo < k && times[lo]! < from) lo++
      while (hi < k && times[hi]! < to) hi++
      const around = hi - lo - (j - i)
      const duration = Math.max(BASELINE_MIN_DURATION, Math.min(to, last) - Math.max(from, first) - length)
      const rate = Math.max(BASELINE_MIN_RATE, around / duration)
      const expected = rate * length
      const pValue = poissonTail(c, expected)
      if (pValue < BURST_P_VALUE) out.push({ list, from: i, to: j, start, length, expected, pValue })
    }
    // The last window is still counted: leave the counts at 0 for the next scan.
    for (let i = 0; i < k; i++) inWindow[who[i]!] = 0
  }
}

/** Find bursts over the rows' units. */
export function findBursts(rows: Rows): BurstTable {
  const units = rows.units
  const unitBurst = new Int32Array(units).fill(-1)
  // Each unit's day (its minute at midnight): a date-only review and a timed one of the same day fall on the same day.
  const unitDay = new Float64Array(units)
  for (let u = 0; u < units; u++) unitDay[u] = rows.unitMinute[u]! - (((rows.unitMinute[u]! % 1440) + 1440) % 1440)
  // Days and minutes as unsigned sort keys (the sort keeps ties in unit order).
  const ids = new Int32Array(units)
  const dayKey = new Uint32Array(units)
  const minuteKey = new Uint32Array(units)
  for (let u = 0; u < units; u++) {
    ids[u] = u
    dayKey[u] = unitDay[u]! / 1440 + 2 ** 30
    minuteKey[u] = rows.unitMinute[u]! + 2 ** 31
  }
  // Family of each unit (-1: no product or no date), then the units of each
  // family (CSR by family id) in day order and those with a time of day in
  // minute order.
  const families = rows.family.length
  const unitFamily = new Int32Array(units)
  const dayStart = new Int32Array(families + 1)
  const timedStart = new Int32Array(families + 1)
  for (let u = 0; u < units; u++) {
    const f = rows.unitMinute[u] === NO_TIME ? -1 : familyOf(rows, rows.unitRep[u]!)
    unitFamily[u] = f
    if (f < 0) continue
    dayStart[f + 1]++
    if (rows.unitMinute[u]! % 1440 !== 0) timedStart[f + 1]++
  }
  for (let f = 0; f < families; f++) {
    dayStart[f + 1]! += dayStart[f]!
    timedStart[f + 1]! += timedStart[f]!
  }
  const byDay = new Int32Array(dayStart[families]!)
  const fill = dayStart.slice(0, families)
  for (const u of sortByKey(dayKey, ids)) if (unitFamily[u]! >= 0) byDay[fill[unitFamily[u]!]!++] = u
  const byMinute = new Int32Array(timedStart[families]!)
  fill.set(timedStart.subarray(0, families))
  for (const u of sortByKey(minuteKey, ids)) if (unitFamily[u]! >= 0 && rows.unitMinute[u]! % 1440 !== 0) byMinute[fill[unitFamily[u]!]!++] = u
  // Units per author, for "new author" (no review outside the burst).
  const authorUnits = new Int32Array(rows.authors)
  for (let u = 0; u < units; u++) {
    const a = rows.author[rows.unitRep[u]!]!
    if (a >= 0) authorUnits[a]++
  }
  const bursts: BurstRecord[] = []
  const taken = new Uint8Array(units)
  const inWindow = new Int32Array(rows.authors + units)
  for (let f = 0; f < families; f++) {
    const all = byDay.subarray(dayStart[f]!, dayStart[f + 1]!)
    if (all.length < BURST_MIN_COUNT) continue
    const candidates: Candidate[] = []
    // Day windows over every review, on whole days.
    const days = new Float64Array(all.length)
    for (let i = 0; i < all.length; i++) days[i] = unitDay[all[i]!]!
    scan(rows, all, days, DAY_WINDOWS, inWindow, candidates)
    // Hour windows over the reviews that carry a time of day only: a date-only
    // review says nothing about the hour it was posted.
    const timed = byMinute.subarray(timedStart[f]!, timedStart[f + 1]!)
    if (timed.length >= BURST_MIN_COUNT) {
      const minutes = new Float64Array(timed.length)
      for (let i = 0; i < timed.length; i++) minutes[i] = rows.unitMinute[timed[i]!]!
      scan(rows, timed, minutes, HOUR_WINDOWS, inWindow, candidates)
    }
    if (candidates.length === 0) continue
    candidates.sort((a, b) => a.pValue - b.pValue || a.length - b.length || a.start - b.start)
    for (const cand of candidates) {
      const authors = new Set<number>()
      for (let i = cand.from; i < cand.to; i++) {
        const u = cand.list[i]!
        if (taken[u] === 0) {
          const a = rows.author[rows.unitRep[u]!]!
          authors.add(a >= 0 ? a : -1 - u)
        }
      }
      const c = authors.size
      if (c < BURST_MIN_COUNT) continue
      const pValue = poissonTail(c, cand.expected)
      if (pValue >= BURST_P_VALUE) continue
      const members: number[] = []
      for (let i = cand.from; i < cand.to; i++) {
        const u = cand.list[i]!
        if (taken[u] === 1) continue
        taken[u] = 1
        members.push(u)
      }
      members.sort((a, b) => a - b)
      bursts.push(describe(rows, f, cand, members, pValue, authorUnits))
    }
  }
  const strength = new Float64Array(bursts.length)
  bursts.forEach((b, i) => {
    strength[i] = b.strength
    for (const u of b.units) unitBurst[u] = i
  })
  return { unitBurst, bursts, strength }
}

function describe(rows: Rows, family: number, cand: Candidate, members: number[], pValue: number, authorUnits: Int32Array): BurstRecord {
  let rated = 0
  let fives = 0
  let ones = 0
  let fresh = 0
  const inBurst = new Map<number, number>()
  const products = new Set<number>()
  for (const u of members) {
    const a = rows.author[rows.unitRep[u]!]!
    if (a >= 0) inBurst.set(a, (inBurst.get(a) ?? 0) + 1)
  }
  for (const u of members) {
    const r = rows.unitRep[u]!
    const stars = rows.rating[r]!
    if (stars > 0) {
      rated++
      if (stars === 50) fives++
      if (stars === 10) ones++
    }
    const a = rows.author[r]!
    if (a < 0 || authorUnits[a] === inBurst.get(a)) fresh++
    for (let k = rows.unitStart[u]!; k < rows.unitStart[u + 1]!; k++) {
      const p = rows.product[rows.unitRows[k]!]!
      if (p >= 0) products.add(p)
    }
  }
  const top = rated === 0 ? 0 : Math.max(fives, ones) / rated
  const oneSided = clamp01((top - 0.5) / 0.5)
  const newAuthors = fresh / members.length
  const significance = clamp01((-Math.log10(Math.max(pValue, 1e-300)) + Math.log10(BURST_P_VALUE)) / SIGNIFICANCE_SCALE)
  const strength = round3(
    STRENGTH_BASE + STRENGTH_SIGNIFICANCE * significance + STRENGTH_ONE_SIDED * oneSided + STRENGTH_NEW_AUTHORS * newAuthors,
  )
  return {
    family,
    products: [...products].sort((a, b) => a - b),
    start: cand.start,
    end: cand.start + cand.length,
    length: cand.length,
    count: members.length,
    expected: cand.expected,
    pValue,
    oneSided: round3(top),
    stars: rated === 0 || top < 0.5 ? 0 : fives >= ones ? 5 : 1,
    newAuthors: round3(newAuthors),
    strength,
    units: members,
  }
}

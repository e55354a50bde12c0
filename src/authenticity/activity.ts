/**
 * Reviewer behaviour: authors who post many reviews in a short time, several
 * different reviews of one product, only extreme ratings, or the same text on
 * several products. Counts are of distinct reviews (cross-listings once).
 */
import type { Rows } from './cross.js'
import { NO_TIME } from './cross.js'
import { type DuplicateTable, Relation } from './duplicates.js'
import { round3 } from './stats.js'

/** Reviews within 24 hours from which the pace counts (strength 0.4, +0.1 per extra review). */
export const ACTIVITY_DAY_MIN = 5

/** Reviews within 7 days from which the pace counts (strength 0.4, +0.05 per extra review). */
export const ACTIVITY_WEEK_MIN = 10

/** Different reviews of one product (family) from which repeats count: 3 → 0.4, 4 → 0.5, 5 → 0.8, 10 → 1 (two are common: an update, a second purchase). */
export const ACTIVITY_SAME_PRODUCT_MIN = 3

/** Rated reviews from which "only extreme ratings" counts (0.3; 0.5 from twice as many). */
export const ACTIVITY_EXTREME_MIN = 5

/** Strength of "the same text on other products" (0.5; 0.7 from 3 products). */
const COPY_ACROSS_STRENGTH = 0.5

export interface AuthorActivity {
  author: number
  /** Distinct reviews by the author. */
  units: number
  first: number
  last: number
  maxDay: number
  maxDayStart: number
  maxWeek: number
  maxWeekStart: number
  /** Most different reviews of one product family, and one product of it. */
  sameProduct: number
  sameProductName: number
  /** Rated reviews, and the extreme ratings used when all are 1 or 5 stars (else empty). */
  rated: number
  extremes: number[]
  /** Reviews with a near-copy by the same author on another product. */
  copiesAcross: number
  strength: number
  /** Rows of the author in input order. */
  rows: number[]
}

export interface ActivityTable {
  /** Per row: its author's record in `authors` when reviewer_activity fired, else -1. */
  record: Int32Array
  authors: AuthorActivity[]
}

/** Find reviewer patterns over the rows. */
export function findActivity(rows: Rows, dups: DuplicateTable): ActivityTable {
  const { n } = rows
  const record = new Int32Array(n).fill(-1)
  const authors: AuthorActivity[] = []
  // Units per author (CSR), in unit order.
  const A = rows.authors
  const start = new Int32Array(A + 1)
  for (let u = 0; u < rows.units; u++) {
    const a = rows.author[rows.unitRep[u]!]!
    if (a >= 0) start[a + 1]++
  }
  for (let a = 0; a < A; a++) start[a + 1]! += start[a]!
  const fill = start.slice(0, A)
  const byAuthor = new Int32Array(start[A]!)
  for (let u = 0; u < rows.units; u++) {
    const a = rows.author[rows.unitRep[u]!]!
    if (a >= 0) byAuthor[fill[a]!++] = u
  }
  // Authors in order of their first row, so records are numbered the same
  // for any input order: units are numbered in order of their first row, and
  // each author's list starts with its first unit.
  const order: number[] = []
  for (let u = 0; u < rows.units; u++) {
    const a = rows.author[rows.unitRep[u]!]!
    if (a >= 0 && byAuthor[start[a]!] === u && start[a + 1]! - start[a]! >= 2) order.push(a)
  }
  // One buffer for every author's times, as long as the longest list.
  let longest = 0
  for (const a of order) longest = Math.max(longest, start[a + 1]! - start[a]!)
  const timesOf = new Int32Array(longest)
  for (const a of order) {
    const us = byAuthor.subarray(start[a]!, start[a + 1]!)
    let known = 0
    for (const u of us) if (rows.unitMinute[u] !== NO_TIME) timesOf[known++] = rows.unitMinute[u]!
    const times = timesOf.subarray(0, known).sort()
    const dense = (span: number): [number, number] => {
      let best = 0
      let at = NO_TIME
      for (let i = 0, j = 0; i < times.length; i++) {
        while (j < times.length && times[j]! < times[i]! + span) j++
        if (j - i > best) {
          best = j - i
          at = times[i]!
        }
      }
      return [best, at]
    }
    const [maxDay, maxDayStart] = dense(1440)
    const [maxWeek, maxWeekStart] = dense(7 * 1440)
    const perFamily = new Map<number, number>()
    let sameProduct = 0
    let sameProductName = -1
    let rated = 0
    let ones = false
    let fives = false
    let allExtreme = true
    let copiesAcross = 0
    for (const u of us) {
      const r = rows.unitRep[u]!
      const p = rows.product[r]!
      if (p >= 0) {
        const f = rows.family[p]!
        const c = (perFamily.get(f) ?? 0) + 1
        perFamily.set(f, c)
        if (c > sameProduct) {
          sameProduct = c
          sameProductName = p
        }
      }
      const stars = rows.rating[r]!
      if (stars > 0) {
        rated++
        if (stars === 10) ones = true
        else if (stars === 50) fives = true
        else allExtreme = false
      }
      if (dups.relation[r] === Relation.SameAuthorOtherProduct) copiesAcross++
    }
    const parts: number[] = []
    if (maxDay >= ACTIVITY_DAY_MIN) parts.push(Math.min(1, 0.4 + 0.1 * (maxDay - ACTIVITY_DAY_MIN)))
    if (maxWeek >= ACTIVITY_WEEK_MIN) parts.push(Math.min(1, 0.4 + 0.05 * (maxWeek - ACTIVITY_WEEK_MIN)))
    if (sameProduct >= ACTIVITY_SAME_PRODUCT_MIN) {
      parts.push(sameProduct >= 10 ? 1 : sameProduct >= 5 ? 0.8 : sameProduct >= 4 ? 0.5 : 0.4)
    }
    const extremeOnly = allExtreme && rated >= ACTIVITY_EXTREME_MIN
    if (extremeOnly) parts.push(rated >= 2 * ACTIVITY_EXTREME_MIN ? 0.5 : 0.3)
    if (copiesAcross >= 1) parts.push(copiesAcross >= 3 ? 0.7 : COPY_ACROSS_STRENGTH)
    if (parts.length === 0) continue
    let keep = 1
    for (const s of parts) keep *= 1 - s
    const s = round3(1 - keep)
    const authorRows: number[] = []
    for (const u of us) for (let k = rows.unitStart[u]!; k < rows.unitStart[u + 1]!; k++) authorRows.push(rows.unitRows[k]!)
    authorRows.sort((x, y) => x - y)
    const id = authors.length
    authors.push({
      author: a,
      units: us.length,
      first: times.length === 0 ? NO_TIME : times[0]!,
      last: times.length === 0 ? NO_TIME : times[times.length - 1]!,
      maxDay,
      maxDayStart,
      maxWeek,
      maxWeekStart,
      sameProduct,
      sameProductName,
      rated,
      extremes: extremeOnly ? [...(ones ? [1] : []), ...(fives ? [5] : [])] : [],
      copiesAcross,
      strength: s,
      rows: authorRows,
    })
    for (const r of authorRows) record[r] = id
  }
  return { record, authors }
}

/**
 * Batch signals as a moderator reads them: built on demand per row (the pass
 * keeps only numbers), each with a reason naming the evidence and the
 * structured fields (related ids, window, cluster, similarity, count, expected).
 */
import type { Signal } from '../review/index.js'
import type { ActivityTable } from './activity.js'
import type { BurstTable } from './bursts.js'
import type { Rows } from './cross.js'
import { NO_TIME } from './cross.js'
import { type DuplicateTable, Relation } from './duplicates.js'
import {
  ACTIVITY_DAY_MIN,
  ACTIVITY_EXTREME_MIN,
  ACTIVITY_SAME_PRODUCT_MIN,
  ACTIVITY_WEEK_MIN,
} from './activity.js'

/** Most related ids listed in one signal. */
export const MAX_RELATED = 10

const RELATION_RANK = [0, 3, 2, 1]

function iso(minute: number): string {
  return new Date(minute * 60_000).toISOString()
}

function day(minute: number): string {
  return iso(minute).slice(0, 10)
}

function hhmm(minute: number): string {
  return iso(minute).slice(11, 16)
}

function fmt(x: number): string {
  if (x >= 10) return String(Math.round(x))
  if (x >= 0.1) return String(Math.round(x * 10) / 10)
  return String(Number(x.toPrecision(1)))
}

function plural(k: number, one: string, many = `${one}s`): string {
  return `${k} ${k === 1 ? one : many}`
}

function familyOf(rows: Rows, r: number): number {
  const p = rows.product[r]!
  return p < 0 ? -1 : rows.family[p]!
}

function relationBetween(rows: Rows, r: number, o: number): Relation {
  const a = rows.author[r]!
  if (a < 0 || rows.author[o] !== a) return Relation.OtherAuthor
  return familyOf(rows, o) !== familyOf(rows, r) ? Relation.SameAuthorOtherProduct : Relation.SameAuthorSameProduct
}

function productLabel(rows: Rows, r: number): string {
  const p = rows.product[r]!
  if (p < 0) return 'this product'
  const name = rows.productNames[p]!
  return rows.familySize[rows.family[p]!]! > 1 ? `${name} and its variants` : name
}

function crossListed(r: number, rows: Rows): Signal | null {
  const u = rows.unit[r]!
  const a = rows.unitStart[u]!
  const b = rows.unitStart[u + 1]!
  if (b - a < 2) return null
  const related: string[] = []
  const products: string[] = []
  for (let k = a; k < b; k++) {
    const o = rows.unitRows[k]!
    if (o === r) continue
    if (related.length < MAX_RELATED) related.push(rows.id(o))
    const p = rows.product[o]!
    if (p >= 0 && products.length < 5) products.push(rows.productNames[p]!)
  }
  const others = b - a - 1
  const list = products.join(', ') + (others > products.length ? ` and ${others - products.length} more` : '')
  return {
    type: 'cross_listed',
    strength: 1,
    reason: `the same review (same author, text, date and rating) is also listed under ${list}: a product-variant listing, counted once and not as a copy`,
    related,
    count: others,
  }
}

/** Per duplicate table: for each group looked at, how many of its rows each unit has. */
const unitCounts = new WeakMap<DuplicateTable, Map<number, Map<number, number>>>()

/** Groups up to this size are counted at each look; larger ones once, and kept (a Map per group would weigh on 1M rows of pairs). */
const COUNTED_GROUP = 32

/** How many rows of group `g` belong to unit `u`. */
function sameUnit(dups: DuplicateTable, rows: Rows, g: number, u: number): number {
  const start = dups.groupStart[g]!
  const end = dups.groupStart[g + 1]!
  if (end - start <= COUNTED_GROUP) {
    let n = 0
    for (let k = start; k < end; k++) if (rows.unit[dups.groupRows[k]!] === u) n++
    return n
  }
  let groups = unitCounts.get(dups)
  if (groups === undefined) unitCounts.set(dups, (groups = new Map()))
  let counts = groups.get(g)
  if (counts === undefined) {
    counts = new Map()
    for (let k = start; k < end; k++) {
      const unit = rows.unit[dups.groupRows[k]!]!
      counts.set(unit, (counts.get(unit) ?? 0) + 1)
    }
    groups.set(g, counts)
  }
  return counts.get(u) ?? 0
}

function duplicate(r: number, rows: Rows, dups: DuplicateTable): Signal | null {
  if (dups.strengthMilli[r] === 0) return null
  const g = dups.group[r]!
  const u = rows.unit[r]!
  const found: { row: number; sim: number; rel: Relation; exact: boolean }[] = []
  let total = 0
  if (dups.exactCopies[g] === 1) {
    // The first copies of other units are looked at, and the others counted per group once: a flood of
    // one text (100k identical reviews) would otherwise cost every member a walk through all of them.
    const start = dups.groupStart[g]!
    const end = dups.groupStart[g + 1]!
    total += end - start - sameUnit(dups, rows, g, u)
    for (let k = start; k < end && found.length < 4 * MAX_RELATED; k++) {
      const o = dups.groupRows[k]!
      if (rows.unit[o] !== u) found.push({ row: o, sim: 1, rel: relationBetween(rows, r, o), exact: true })
    }
  }
  for (let k = dups.adjStart[g]!; k < dups.adjStart[g + 1]!; k++) {
    const h = dups.adjGroup[k]!
    const sim = dups.adjSim[k]!
    const start = dups.groupStart[h]!
    const end = dups.groupStart[h + 1]!
    total += end - start
    for (let q = start; q < end && q - start < MAX_RELATED; q++) {
      const o = dups.groupRows[q]!
      found.push({ row: o, sim, rel: relationBetween(rows, r, o), exact: false })
    }
  }
  if (found.length === 0) return null
  found.sort((x, y) => RELATION_RANK[y.rel]! - RELATION_RANK[x.rel]! || y.sim - x.sim || x.row - y.row)
  const best = found[0]!
  const id = rows.id(best.row)
  const what = best.exact ? `the same text as ${id}` : `${Math.round(best.sim * 100)}% similar to ${id}`
  let who: string
  if (best.rel === Relation.OtherAuthor) who = rows.author[r]! < 0 ? 'by another or unknown author' : 'by another author'
  else if (best.rel === Relation.SameAuthorOtherProduct) {
    const p = rows.product[best.row]!
    who = `by the same author on another product${p >= 0 ? ` (${rows.productNames[p]})` : ''}`
  } else who = 'by the same author on the same product'
  const c = dups.cluster[r]!
  const name = c >= 0 ? dups.clusters[c]!.name : undefined
  let reason = `${what} ${who}`
  if (total > 1) reason += ` (and ${plural(total - 1, 'more review')}${name === undefined ? '' : ` in cluster ${name}`})`
  if (dups.source[r] === 1) reason += '; it is the earliest of these, so it may be the original'
  const signal: Signal = {
    type: 'duplicate',
    strength: dups.strengthMilli[r]! / 1000,
    reason,
    related: found.slice(0, MAX_RELATED).map((f) => rows.id(f.row)),
    similarity: Math.round(best.sim * 100) / 100,
    count: total,
  }
  if (name !== undefined) signal.cluster = name
  return signal
}

function burst(r: number, rows: Rows, bursts: BurstTable): Signal | null {
  const u = rows.unit[r]!
  const b = bursts.unitBurst[u]!
  if (b < 0) return null
  const rec = bursts.bursts[b]!
  const label = productLabel(rows, r)
  let when: string
  let expected: string
  if (rec.length % 1440 === 0 && rec.start % 1440 === 0) {
    const days = rec.length / 1440
    when = days === 1 ? `on ${day(rec.start)}` : `from ${day(rec.start)} to ${day(rec.end - 1)}`
    expected = days === 1 ? `expected ${fmt(rec.expected)}/day` : `expected ${fmt(rec.expected)} in ${days} days`
  } else if (rec.length < 1440) {
    when = `on ${day(rec.start)} between ${hhmm(rec.start)} and ${hhmm(rec.end)} UTC`
    expected = `expected ${fmt(rec.expected)} in ${plural(rec.length / 60, 'hour')}`
  } else {
    when = `between ${iso(rec.start).slice(0, 16).replace('T', ' ')} and ${iso(rec.end).slice(0, 16).replace('T', ' ')} UTC`
    expected = `expected ${fmt(rec.expected)}`
  }
  let reason = `one of ${rec.count} reviews of ${label} ${when} (${expected})`
  if (rec.stars !== 0 && rec.oneSided >= 0.8) reason += `; ${Math.round(rec.oneSided * 100)}% of them ${rec.stars} stars`
  if (rec.newAuthors >= 0.5) reason += `; ${Math.round(rec.newAuthors * 100)}% by authors with no review outside it`
  const related: string[] = []
  for (const m of rec.units) {
    if (m === u) continue
    if (related.length >= MAX_RELATED) break
    related.push(rows.id(rows.unitRep[m]!))
  }
  return {
    type: 'burst',
    strength: bursts.strength[b]!,
    reason,
    related,
    window: { start: iso(rec.start), end: iso(rec.end) },
    count: rec.count,
    expected: Math.round(rec.expected * 100) / 100,
  }
}

function activity(r: number, rows: Rows, table: ActivityTable): Signal | null {
  const k = table.record[r]!
  if (k < 0) return null
  const a = table.authors[k]!
  const parts: string[] = []
  let window: { start: string; end: string } | undefined
  if (a.maxDay >= ACTIVITY_DAY_MIN) {
    parts.push(a.maxDayStart % 1440 === 0 ? `${a.maxDay} reviews on ${day(a.maxDayStart)}` : `${a.maxDay} reviews within 24 hours from ${iso(a.maxDayStart).slice(0, 16).replace('T', ' ')} UTC`)
    window = { start: iso(a.maxDayStart), end: iso(a.maxDayStart + 1440) }
  }
  if (a.maxWeek >= ACTIVITY_WEEK_MIN && a.maxWeek > a.maxDay) {
    parts.push(`${a.maxWeek} reviews in 7 days from ${day(a.maxWeekStart)}`)
    window ??= { start: iso(a.maxWeekStart), end: iso(a.maxWeekStart + 7 * 1440) }
  }
  if (a.sameProduct >= ACTIVITY_SAME_PRODUCT_MIN) parts.push(`${a.sameProduct} different reviews of ${rows.productNames[a.sameProductName] ?? 'one product'}`)
  if (a.extremes.length > 0 && a.rated >= ACTIVITY_EXTREME_MIN) {
    const stars = a.extremes.length === 1 ? `${a.extremes[0]}-star` : '1- and 5-star'
    parts.push(`only ${stars} ratings across ${a.rated} reviews`)
  }
  if (a.copiesAcross >= 1) parts.push(`near-identical text on other products (${plural(a.copiesAcross, 'review')})`)
  if (window === undefined && a.first !== NO_TIME) window = { start: iso(a.first), end: iso(a.last + 1440) }
  const related: string[] = []
  for (const o of a.rows) {
    if (o === r || rows.unit[o] === rows.unit[r]) continue
    if (related.length >= MAX_RELATED) break
    related.push(rows.id(o))
  }
  const signal: Signal = {
    type: 'reviewer_activity',
    strength: a.strength,
    reason: `this author posted ${parts.join('; ')}`,
    related,
    count: a.units,
  }
  if (window !== undefined) signal.window = window
  return signal
}

/**
 * The batch signals of row `r`: cross_listed, duplicate, burst, reviewer_activity (those that fired, in this order).
 */
export function describeCrossSignals(r: number, rows: Rows, dups: DuplicateTable, bursts: BurstTable, act: ActivityTable): Signal[] {
  const out: Signal[] = []
  const c = crossListed(r, rows)
  if (c !== null) out.push(c)
  const d = duplicate(r, rows, dups)
  if (d !== null) out.push(d)
  const b = burst(r, rows, bursts)
  if (b !== null) out.push(b)
  const a = activity(r, rows, act)
  if (a !== null) out.push(a)
  return out
}

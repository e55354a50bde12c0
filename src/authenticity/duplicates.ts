/**
 * Near-duplicate clusters. Rows with the same normalized text form a text
 * group; signed groups are indexed by LSH bands (see fingerprint.ts) and the
 * candidate pairs are checked with the signature estimate. Cross-listings (one
 * review under several product variants) are one unit and never copies of
 * each other.
 */
import type { Rows } from './cross.js'
import { NO_TIME } from './cross.js'
import { BANDS, estimateSimilarity } from './fingerprint.js'
import { Column } from './columns.js'
import { groupBy, mix53, RadixScratch, round3, sortByKey, UnionFind } from './stats.js'

/**
 * Estimated word-3-gram Jaccard at or above which two texts are near-duplicates.
 * Copies edited with a few synonyms, typos or an added sentence fall to
 * 0.5–0.8; unrelated reviews almost never reach 0.5 (benchmarks/authenticity).
 */
export const DUPLICATE_SIMILARITY = 0.45

/** Texts too short to sign are copies only when exact, by different authors, not generic praise, and at least this long. */
export const SHORT_COPY_MIN_WORDS = 3

/** LSH buckets up to this size are compared all-pairs; larger ones (mass copies) against a sliding window. */
const BUCKET_ALL_PAIRS = 64
const BUCKET_WINDOW = 24

/**
 * A text keeps at most this many near-duplicate neighbours: a mass-copied text
 * stays connected to its cluster through them, and the edge list stays linear
 * in the number of texts (a dump of recombined sentences made 10M+ edges).
 */
const MAX_NEIGHBOURS = 12

/** LSH bands compared between two pause points of the pass. */
const BANDS_PER_STEP = 4

/** How a copy relates to the review: another author is the strongest evidence. */
export const Relation = {
  None: 0,
  OtherAuthor: 1,
  SameAuthorOtherProduct: 2,
  SameAuthorSameProduct: 3,
} as const
export type Relation = (typeof Relation)[keyof typeof Relation]

/** Strength at similarity 1 per relation (another author, same author on another product, same author again). */
const RELATION_STRENGTH = [0, 1, 0.85, 0.5]

/** Strength at the threshold similarity, as a share of the relation's strength. */
const SIMILARITY_FLOOR = 0.6

/** The earliest review of a cluster (when all dates are known) may be the original: its strength is scaled by this. */
export const SOURCE_FACTOR = 0.5

export interface ClusterRecord {
  name: string
  firstRow: number
  units: number
  authors: number
  products: number[]
  sample: number[]
}

export interface DuplicateTable {
  /** Per row: duplicate strength in thousandths (0 = none; strengths are rounded to 3 decimals), relation, cluster ordinal (-1). */
  strengthMilli: Uint16Array
  relation: Uint8Array
  cluster: Int32Array
  /** Per row: 1 when it is the earliest of its cluster (strength scaled by SOURCE_FACTOR). */
  source: Uint8Array
  clusters: ClusterRecord[]
  /** Text group of each row, and the rows of each group (CSR, in input order). */
  group: Int32Array
  groupStart: Int32Array
  groupRows: Int32Array
  /** Per group: 1 when its exact copies count (other units, not generic praise). */
  exactCopies: Uint8Array
  /** Near-duplicate neighbours of each group (CSR), with estimated similarity. */
  adjStart: Int32Array
  adjGroup: Int32Array
  adjSim: Float32Array
  /** Per group: distinct authors (unknown authors count one each), one author id, distinct families, one family. */
  groupAuthors: Int32Array
  groupAuthor: Int32Array
  groupFamilies: Int32Array
  groupFamily: Int32Array
}

/** The product family of row `r`, -1 when the row has no product. */
export function familyOf(rows: Rows, r: number): number {
  const p = rows.product[r]!
  return p < 0 ? -1 : rows.family[p]!
}

/** Where a stored signature sits: its chunk, its offset there, and its shingle count. */
export interface SignatureAt {
  chunk: Uint32Array
  offset: number
  count: number
}

/** Text groups and near-duplicate edges: the part of the pass that reads signatures. */
export interface TextIndex {
  /** Text group of each row, the number of groups, and the rows of each group (CSR, in input order). */
  group: Int32Array
  groups: number
  groupStart: Int32Array
  groupRows: Int32Array
  /** Per group: has a signature; is generic praise. */
  signed: Uint8Array
  generic: Uint8Array
  /** Near-duplicate neighbours of each group (CSR), with estimated similarity. */
  adjStart: Int32Array
  adjGroup: Int32Array
  adjSim: Float32Array
}

/**
 * Group rows by text and find near-duplicate text pairs with the LSH bands.
 *
 * @param n Rows (in input order).
 * @param exact The 53-bit text hash of each row.
 * @param genericRow 1 for rows whose text is short generic praise.
 * @param signature Puts where a row's stored signature sits into `at` (no object per row); false when the row has none.
 * @returns The index, once the generator is run to its end; it yields where the pass may pause (`CrossReviewState.finishAsync`).
 */
export function* indexTexts(
  n: number,
  exact: Float64Array,
  genericRow: Uint8Array,
  signature: (r: number, at: SignatureAt) => boolean,
): Generator<void, TextIndex> {
  const texts = textGroups(n, exact, genericRow, signature)
  yield
  const lsh = nearPairs(texts)
  for (let band = 0; band < BANDS; band += BANDS_PER_STEP) {
    if (band > 0) yield
    lsh.compare(band, Math.min(BANDS, band + BANDS_PER_STEP))
  }
  const { group, groups, groupStart, groupRows, signed, generic } = texts
  return { group, groups, groupStart, groupRows, signed, generic, ...lsh.adjacency() }
}

/** Text groups, and where each signed group's signature sits (per group). */
interface TextGroups extends Omit<TextIndex, 'adjStart' | 'adjGroup' | 'adjSim'> {
  sigChunk: Uint32Array[]
  sigOffset: Int32Array
  sigCount: Int32Array
}

/** Steps 1–2 of `indexTexts`: rows grouped by text, and each group's signature. */
function textGroups(n: number, exact: Float64Array, genericRow: Uint8Array, signature: (r: number, at: SignatureAt) => boolean): TextGroups {
  // 1. Text groups: rows with the same 53-bit text hash, numbered in input order.
  const provisional = groupBy(
    n,
    (r) => mix53(exact[r]!),
    (a, b) => exact[a] === exact[b],
  )
  const group = new Int32Array(n)
  let groups = 0
  for (let r = 0; r < n; r++) group[r] = provisional[r] === r ? groups++ : group[provisional[r]!]!
  const groupStart = new Int32Array(groups + 1)
  for (let r = 0; r < n; r++) groupStart[group[r]! + 1]++
  for (let g = 0; g < groups; g++) groupStart[g + 1]! += groupStart[g]!
  const fill = groupStart.slice(0, groups)
  const groupRows = new Int32Array(n)
  for (let r = 0; r < n; r++) groupRows[fill[group[r]!]!++] = r

  const signed = new Uint8Array(groups)
  const generic = new Uint8Array(groups)
  // Where each signed group's signature sits, read once (no object per lookup below).
  const sigChunk: Uint32Array[] = new Array(groups)
  const sigOffset = new Int32Array(groups)
  const sigCount = new Int32Array(groups)
  const sig: SignatureAt = { chunk: new Uint32Array(0), offset: 0, count: 0 }
  for (let g = 0; g < groups; g++) {
    const r0 = groupRows[groupStart[g]!]!
    const has = signature(r0, sig)
    signed[g] = has ? 1 : 0
    generic[g] = genericRow[r0]!
    if (has) {
      sigChunk[g] = sig.chunk
      sigOffset[g] = sig.offset
      sigCount[g] = sig.count
    }
  }

  return { group, groups, groupStart, groupRows, signed, generic, sigChunk, sigOffset, sigCount }
}

/**
 * Step 3 of `indexTexts`: the LSH bands compared `from`–`to` at a time (in
 * band order, so the pairs and their order are the same however the bands
 * are split), then the near-duplicate neighbours of each group.
 */
function nearPairs(texts: TextGroups): { compare(from: number, to: number): void; adjacency(): Pick<TextIndex, 'adjStart' | 'adjGroup' | 'adjSim'> } {
  const { groups, signed, generic, sigChunk, sigOffset, sigCount } = texts
  // 3. LSH over signed groups: sort band values, compare runs of equal values.
  let signedCount = 0
  for (let g = 0; g < groups; g++) signedCount += signed[g]!
  const sg = new Int32Array(signedCount)
  for (let g = 0, k = 0; g < groups; g++) if (signed[g] === 1) sg[k++] = g
  const bandKeys = new Uint32Array(groups)
  const edgeA = new Column(Int32Array)
  const edgeB = new Column(Int32Array)
  const edgeSim = new Column(Float32Array)
  let edges = 0
  const degree = new Uint8Array(groups)
  const check = (g: number, h: number, band: number): void => {
    if (generic[g] === 1 && generic[h] === 1) return
    if (degree[g]! >= MAX_NEIGHBOURS || degree[h]! >= MAX_NEIGHBOURS) return
    const xs = sigChunk[g]!
    const xo = sigOffset[g]!
    const ys = sigChunk[h]!
    const yo = sigOffset[h]!
    // Compared already in an earlier band where they also collide.
    for (let e = 0; e < band; e++) if (xs[xo + e] === ys[yo + e]) return
    const sim = estimateSimilarity(xs, xo, sigCount[g]!, ys, yo, sigCount[h]!, DUPLICATE_SIMILARITY)
    if (sim < DUPLICATE_SIMILARITY) return
    edgeA.set(edges, g)
    edgeB.set(edges, h)
    edgeSim.set(edges, sim)
    edges++
    degree[g]!++
    degree[h]!++
  }
  // One set of sort buffers for every band: each band's order is used up before the next.
  const scratch = new RadixScratch(sg.length)
  let gathered: Uint32Array | null = null
  const compare = (from: number, to: number): void => {
    for (let band = from; band < to; band++) {
      for (const g of sg) bandKeys[g] = sigChunk[g]![sigOffset[g]! + band]!
      const sorted = sortByKey(bandKeys, sg, scratch)
      // The keys in sorted order: read in sequence, not through the ids.
      let keys = scratch.sortedKeys
      if (keys === null) {
        keys = gathered ??= new Uint32Array(sorted.length)
        for (let i = 0; i < sorted.length; i++) keys[i] = bandKeys[sorted[i]!]!
      }
      for (let i = 0; i < sorted.length; ) {
        const key = keys[i]
        let j = i + 1
        while (j < sorted.length && keys[j] === key) j++
        const m = j - i
        if (m > 1) {
          const window = m <= BUCKET_ALL_PAIRS ? m : BUCKET_WINDOW
          for (let a = i; a < j; a++) for (let b = a + 1; b < Math.min(j, a + window + 1); b++) check(sorted[a]!, sorted[b]!, band)
        }
        i = j
      }
    }
  }
  const adjacency = (): Pick<TextIndex, 'adjStart' | 'adjGroup' | 'adjSim'> => {
    // Adjacency (CSR), neighbours in the order they were found (deterministic).
    const adjStart = new Int32Array(groups + 1)
    for (let e = 0; e < edges; e++) {
      adjStart[edgeA.get(e) + 1]++
      adjStart[edgeB.get(e) + 1]++
    }
    for (let g = 0; g < groups; g++) adjStart[g + 1]! += adjStart[g]!
    const adjFill = adjStart.slice(0, groups)
    const adjGroup = new Int32Array(edges * 2)
    const adjSim = new Float32Array(edges * 2)
    for (let e = 0; e < edges; e++) {
      const a = edgeA.get(e)
      const b = edgeB.get(e)
      const sim = edgeSim.get(e)
      adjGroup[adjFill[a]!] = b
      adjSim[adjFill[a]!++] = sim
      adjGroup[adjFill[b]!] = a
      adjSim[adjFill[b]!++] = sim
    }
    return { adjStart, adjGroup, adjSim }
  }
  return { compare, adjacency }
}

/** Find near-duplicate clusters over the rows, from their text index. */
export function findDuplicates(rows: Rows, text: TextIndex, clusterPrefix = ''): DuplicateTable {
  const { n } = rows
  const { group, groups, groupStart, groupRows, signed, generic, adjStart, adjGroup, adjSim } = text
  // 2. Per-group facts.
  const groupUnits = new Int32Array(groups)
  const groupAuthors = new Int32Array(groups)
  const groupAuthor = new Int32Array(groups)
  const groupFamilies = new Int32Array(groups)
  const groupFamily = new Int32Array(groups)
  for (let g = 0; g < groups; g++) {
    const a = groupStart[g]!
    const b = groupStart[g + 1]!
    const r0 = groupRows[a]!
    groupAuthor[g] = rows.author[r0]!
    groupFamily[g] = familyOf(rows, r0)
    if (b - a === 1) {
      groupUnits[g] = 1
      groupAuthors[g] = 1
      groupFamilies[g] = 1
      continue
    }
    const units = new Set<number>()
    const authors = new Set<number>()
    let unknown = 0
    const families = new Set<number>()
    for (let k = a; k < b; k++) {
      const r = groupRows[k]!
      units.add(rows.unit[r]!)
      if (rows.author[r]! < 0) unknown++
      else authors.add(rows.author[r]!)
      families.add(familyOf(rows, r))
    }
    groupUnits[g] = units.size
    groupAuthors[g] = authors.size + unknown
    groupFamilies[g] = families.size
  }
  const exactCopies = new Uint8Array(groups)
  for (let g = 0; g < groups; g++) {
    if (groupUnits[g]! < 2 || generic[g] === 1) continue
    const words = rows.words[groupRows[groupStart[g]!]!]!
    if (signed[g] === 1 || (words >= SHORT_COPY_MIN_WORDS && groupAuthors[g]! >= 2)) exactCopies[g] = 1
  }

  // 4. Clusters: groups joined by near-duplicate edges, plus groups with exact copies.
  const uf = new UnionFind(groups)
  for (let g = 0; g < groups; g++) for (let k = adjStart[g]!; k < adjStart[g + 1]!; k++) uf.union(g, adjGroup[k]!)
  const flaggedGroup = new Uint8Array(groups)
  for (let g = 0; g < groups; g++) if (exactCopies[g] === 1 || adjStart[g + 1]! > adjStart[g]!) flaggedGroup[g] = 1

  // 5. Per-row relation and strength.
  const strength = new Float64Array(n)
  const relation = new Uint8Array(n)
  const cluster = new Int32Array(n).fill(-1)
  const source = new Uint8Array(n)
  const relationTo = (r: number, h: number): Relation => {
    const a = rows.author[r]!
    if (a < 0 || groupAuthors[h]! >= 2 || groupAuthor[h] !== a) return Relation.OtherAuthor
    if (groupFamilies[h]! >= 2 || groupFamily[h] !== familyOf(rows, r)) return Relation.SameAuthorOtherProduct
    return Relation.SameAuthorSameProduct
  }
  const scoreOf = (rel: Relation, sim: number) =>
    RELATION_STRENGTH[rel]! * (SIMILARITY_FLOOR + ((1 - SIMILARITY_FLOOR) * (sim - DUPLICATE_SIMILARITY)) / (1 - DUPLICATE_SIMILARITY))
  for (let r = 0; r < n; r++) {
    const g = group[r]!
    if (flaggedGroup[g] === 0) continue
    let best = 0
    let bestRel: Relation = Relation.None
    let bestSim = 0
    if (exactCopies[g] === 1) {
      // Another unit with this exact text exists; its relation from the group's facts.
      const rel: Relation = groupAuthors[g]! >= 2 || rows.author[r]! < 0 ? Relation.OtherAuthor : groupFamilies[g]! >= 2 ? Relation.SameAuthorOtherProduct : Relation.SameAuthorSameProduct
      best = scoreOf(rel, 1)
      bestRel = rel
      bestSim = 1
    }
    for (let k = adjStart[g]!; k < adjStart[g + 1]!; k++) {
      const h = adjGroup[k]!
      const sim = adjSim[k]!
      const rel = relationTo(r, h)
      const s = scoreOf(rel, sim)
      if (s > best || (s === best && sim > bestSim)) {
        best = s
        bestRel = rel
        bestSim = sim
      }
    }
    if (best <= 0) continue
    strength[r] = best
    relation[r] = bestRel
  }

  // 6. Cluster records, numbered by first row; the earliest unit may be the original.
  const clusterOfRoot = new Map<number, number>()
  const clusters: ClusterRecord[] = []
  const members: number[][] = []
  for (let r = 0; r < n; r++) {
    if (strength[r] === 0) continue
    const root = uf.find(group[r]!)
    let c = clusterOfRoot.get(root)
    if (c === undefined) {
      c = clusters.length
      clusterOfRoot.set(root, c)
      clusters.push({ name: `${clusterPrefix}dup-${c + 1}`, firstRow: r, units: 0, authors: 0, products: [], sample: [] })
      members.push([])
    }
    cluster[r] = c
    members[c]!.push(r)
  }
  for (let c = 0; c < clusters.length; c++) {
    const rs = members[c]!
    const units = new Set<number>()
    const authors = new Set<number>()
    let unknown = 0
    const products = new Set<number>()
    let earliest = Number.POSITIVE_INFINITY
    let earliestUnits = 0
    let earliestUnit = -1
    let allTimed = true
    for (const r of rs) {
      const u = rows.unit[r]!
      if (!units.has(u)) {
        units.add(u)
        if (rows.author[r]! < 0) unknown++
        const m = rows.unitMinute[u]!
        if (m === NO_TIME) allTimed = false
        else if (m < earliest) {
          earliest = m
          earliestUnits = 1
          earliestUnit = u
        } else if (m === earliest) earliestUnits++
      }
      if (rows.author[r]! >= 0) authors.add(rows.author[r]!)
      if (rows.product[r]! >= 0) products.add(rows.product[r]!)
    }
    const rec = clusters[c]!
    rec.units = units.size
    rec.authors = authors.size + unknown
    rec.products = [...products].sort((a, b) => a - b).slice(0, 20)
    rec.sample = rs.slice(0, 10)
    if (allTimed && earliestUnits === 1) {
      // Only when the earliest is strictly earlier by at least a day than every other copy.
      let second = Number.POSITIVE_INFINITY
      for (const u of units) if (u !== earliestUnit) second = Math.min(second, rows.unitMinute[u]!)
      if (second - earliest >= 1440) {
        for (const r of rs) {
          if (rows.unit[r] !== earliestUnit) continue
          source[r] = 1
          strength[r] = strength[r]! * SOURCE_FACTOR
        }
      }
    }
  }
  const strengthMilli = new Uint16Array(n)
  for (let r = 0; r < n; r++) if (strength[r]! > 0) strengthMilli[r] = Math.max(1, Math.round(round3(strength[r]!) * 1000))

  return {
    strengthMilli,
    relation,
    cluster,
    source,
    clusters,
    group,
    groupStart,
    groupRows,
    exactCopies,
    adjStart,
    adjGroup,
    adjSim,
    groupAuthors,
    groupAuthor,
    groupFamilies,
    groupFamily,
  }
}

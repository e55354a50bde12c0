/** Figures of an injected dump: recall per injected kind, false alarms per signal on organic rows, AUC. */
import type { SignalType } from '../../src/review/index.js'
import { rocAuc } from './corpus.js'
import type { Scored } from './dump.js'

export interface DumpFigures {
  organic: number
  copies: number
  bursts: number
  /** Injected copies with a duplicate signal, overall and per edit level. */
  copyRecall: number
  copyRecallByLevel: Record<string, number>
  /** Injected burst rows with a burst signal. */
  burstRecall: number
  /** Share of organic rows with each signal (all per-review and batch signals). */
  organicRate: Partial<Record<SignalType, number>>
  /** Organic rows flagged duplicate that are not (a listing of) the source of an injected copy. */
  duplicateFalseAlarm: number
  /** Organic rows that are (listings of) sources of injected copies. */
  sourceRows: number
  /** Organic rows with a burst signal, all and outside product B01DLR9IDI (one author's 21 five-star reviews in 2 days). */
  burstFalseAlarm: number
  burstFalseAlarmExcludingB01DLR9IDI: number
  /** Real cross-listings (same author, text, date, stars on sibling products) recognized. */
  crossListedRecall: number
  crossListedPrecision: number
  /** fakeScore ROC AUC: injected rows (copies + bursts) vs organic rows. */
  auc: number
  /** Verdicts of organic and injected rows. */
  organicVerdicts: Record<string, number>
  injectedVerdicts: Record<string, number>
}

/** Evaluate one scored dump. */
export function evaluateDump(s: Scored): DumpFigures {
  const { rows } = s
  const organicIdx: number[] = []
  const injectedIdx: number[] = []
  rows.forEach((r, i) => (r.kind === 'organic' ? organicIdx : injectedIdx).push(i))
  const has = (i: number, type: SignalType) =>
    s.results[i]!.authenticity.signals.some((x) => x.type === type) || s.batch[i]!.some((x) => x.type === type)
  const copyIdx = injectedIdx.filter((i) => rows[i]!.kind === 'copy')
  const burstIdx = injectedIdx.filter((i) => rows[i]!.kind === 'burst')
  const byLevel: Record<string, [number, number]> = {}
  let copyFound = 0
  for (const i of copyIdx) {
    const l = (byLevel[rows[i]!.level!] ??= [0, 0])
    l[1]++
    if (has(i, 'duplicate')) {
      copyFound++
      l[0]++
    }
  }
  const burstFound = burstIdx.filter((i) => has(i, 'burst')).length
  const types: SignalType[] = ['duplicate', 'cross_listed', 'burst', 'unverified', 'rating_mismatch', 'incentivized', 'spam', 'reviewer_activity', 'low_information', 'generated_text']
  const organicRate: Partial<Record<SignalType, number>> = {}
  for (const t of types) organicRate[t] = organicIdx.filter((i) => has(i, t)).length / organicIdx.length
  // A copied review's cross-listings are copied too: the whole unit counts as the source.
  const unitKey = (i: number) => JSON.stringify([rows[i]!.author, rows[i]!.text, rows[i]!.date, rows[i]!.rating])
  const sourceIds = new Set(rows.filter((r) => r.kind === 'copy').map((r) => r.source!))
  const sourceUnits = new Set(organicIdx.filter((i) => sourceIds.has(rows[i]!.id)).map(unitKey))
  const isSource = (i: number) => sourceUnits.has(unitKey(i))
  const dupFalse = organicIdx.filter((i) => has(i, 'duplicate') && !isSource(i)).length
  const burstFalse = organicIdx.filter((i) => has(i, 'burst'))
  // Truth for cross-listings: same author, text, date and stars on another product.
  const key = (i: number) => JSON.stringify([rows[i]!.author, rows[i]!.text, rows[i]!.date, rows[i]!.rating])
  const groups = new Map<string, Set<string>>()
  for (const i of organicIdx) {
    let g = groups.get(key(i))
    if (g === undefined) groups.set(key(i), (g = new Set()))
    g.add(rows[i]!.product!)
  }
  const twin = (i: number) => groups.get(key(i))!.size > 1
  const truthTwins = organicIdx.filter(twin)
  const flaggedTwins = organicIdx.filter((i) => has(i, 'cross_listed'))
  const verdicts = (idx: number[]) => {
    const v: Record<string, number> = { genuine: 0, suspicious: 0, likely_fake: 0 }
    for (const i of idx) v[s.verdict[i]!]!++
    return v
  }
  const levels: Record<string, number> = {}
  for (const [l, [a, b]] of Object.entries(byLevel)) levels[l] = a / b
  return {
    organic: organicIdx.length,
    copies: copyIdx.length,
    bursts: burstIdx.length,
    copyRecall: copyIdx.length === 0 ? Number.NaN : copyFound / copyIdx.length,
    copyRecallByLevel: levels,
    burstRecall: burstIdx.length === 0 ? Number.NaN : burstFound / burstIdx.length,
    organicRate,
    duplicateFalseAlarm: dupFalse / organicIdx.length,
    sourceRows: organicIdx.filter(isSource).length,
    burstFalseAlarm: burstFalse.length / organicIdx.length,
    burstFalseAlarmExcludingB01DLR9IDI: burstFalse.filter((i) => rows[i]!.product !== 'B01DLR9IDI').length / organicIdx.length,
    crossListedRecall: truthTwins.filter((i) => has(i, 'cross_listed')).length / truthTwins.length,
    crossListedPrecision: flaggedTwins.length === 0 ? 1 : flaggedTwins.filter(twin).length / flaggedTwins.length,
    auc: injectedIdx.length === 0 ? Number.NaN : rocAuc(injectedIdx.map((i) => s.fakeScore[i]!), organicIdx.map((i) => s.fakeScore[i]!)),
    organicVerdicts: verdicts(organicIdx),
    injectedVerdicts: verdicts(injectedIdx),
  }
}

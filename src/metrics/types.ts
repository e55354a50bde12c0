/** Result shapes of the CX metrics (NPS, CSAT, CES) and their inputs. */

/** A closed answer scale, e.g. `{ min: 1, max: 7 }`. */
export interface MetricScale {
  min: number
  max: number
}

/** Which end of the CES scale means "easy". */
export type CesDirection = 'higher_is_easier' | 'lower_is_easier'

export type NpsCategory = 'promoter' | 'passive' | 'detractor'

/** Counts of NPS categories (answers or stars already classified). */
export interface NpsCounts {
  promoters: number
  passives: number
  detractors: number
}

/** A Net-Promoter-style figure with its counts. */
export interface NpsResult extends NpsCounts {
  /** How many answers (or rated reviews) it rests on. */
  n: number
  /** 100 × (promoters − detractors) / n, in −100 … 100; null when n = 0. */
  score: number | null
  /** Half-width of the 95% interval, in points; null when n < 2. */
  marginOfError: number | null
}

/** A CSAT-style share of satisfied answers. */
export interface CsatResult {
  n: number
  satisfied: number
  /** satisfied / n, in 0 … 1; null when n = 0. */
  share: number | null
  /** 95% Wilson interval of the share; null when n = 0. */
  interval: [number, number] | null
  /** The lowest answer counted as satisfied. */
  threshold: number
  scale: MetricScale
}

/** A Customer Effort Score summary. */
export interface CesResult {
  n: number
  /** Mean answer on the scale as given; null when n = 0. */
  mean: number | null
  easy: number
  difficult: number
  /** easy / n; null when n = 0. */
  easyShare: number | null
  /** difficult / n; null when n = 0. */
  difficultShare: number | null
  scale: MetricScale
  direction: CesDirection
  /** The answers counted as easy, as an inclusive range. */
  easyRange: [number, number]
  /** The answers counted as difficult, as an inclusive range. */
  difficultRange: [number, number]
}

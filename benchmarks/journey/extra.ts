/**
 * The second journey development set: about 300 reviews drawn by a seeded
 * hash from the unlabelled dev corpora (never a journey_dev.jsonl id),
 * annotated with JOURNEY_RUBRIC.md. Only ids and stage sets are kept in the
 * repository (benchmarks/journey/extra-labels.jsonl); the texts are joined
 * back from ../shared/data at run time.
 *
 * The draw, per corpus: order rows by FNV-1a of `SEED + id`; take the first
 * `random` rows of that order, then the first `long` further rows of at least
 * LONG_WORDS words (longer reviews talk about more stages; the length filter
 * favours no stage's vocabulary). Split for tuning: `halfOf(id)` as for
 * journey_dev (even → A, tuned on; odd → B, reported).
 *
 *   npx tsx benchmarks/journey/extra.ts ids          # the drawn ids, with corpus and pool
 *   npx tsx benchmarks/journey/extra.ts show 0 20    # texts of drawn rows 0..19, for annotation
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fnv1a } from '../../src/text/index.js'
import { DATA_DIR, DEV_FILE, type DevRow, halfOf } from './dev.js'

/** Seed of the draw; changing it draws another set. */
export const SEED = 'recensio-journey-extra-1:'
/** Words (whitespace-separated) from which a row can be drawn into the `long` pool. */
export const LONG_WORDS = 40
/** Rows drawn per corpus: uniformly at random, then from the long rows. */
export const DRAW: readonly { file: string; random: number; long: number }[] = [
  { file: 'sentiment_es.jsonl', random: 60, long: 20 },
  { file: 'sentiment_it.jsonl', random: 60, long: 20 },
  { file: 'sentiment_en.jsonl', random: 60, long: 20 },
  { file: 'amazon_verified.jsonl', random: 22, long: 8 },
  { file: 'opspam.jsonl', random: 30, long: 0 },
]

const here = path.dirname(fileURLToPath(import.meta.url))
/** The labels (ids and stage sets only). */
export const EXTRA_LABELS = path.join(here, 'extra-labels.jsonl')

export interface Drawn {
  id: string
  lang: 'es' | 'it' | 'en'
  text: string
  file: string
  pool: 'random' | 'long'
}

/** The drawn rows with their texts, in draw order; null when the shared data is absent. */
export function drawExtra(): Drawn[] | null {
  if (!existsSync(DEV_FILE)) return null
  const exclude = new Set(
    readFileSync(DEV_FILE, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as DevRow).id),
  )
  const out: Drawn[] = []
  for (const { file, random, long } of DRAW) {
    const rows = readFileSync(path.join(DATA_DIR, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { id: string; lang: 'es' | 'it' | 'en'; text: string })
      .filter((r) => !exclude.has(r.id))
      .map((r) => ({ r, h: fnv1a(SEED + r.id) }))
      .sort((a, b) => a.h - b.h || (a.r.id < b.r.id ? -1 : 1))
    const taken = new Set<string>()
    for (const { r } of rows.slice(0, random)) {
      taken.add(r.id)
      out.push({ id: r.id, lang: r.lang, text: r.text, file, pool: 'random' })
    }
    let n = 0
    for (const { r } of rows) {
      if (n >= long) break
      if (taken.has(r.id) || r.text.split(/\s+/).filter((w) => w !== '').length < LONG_WORDS) continue
      taken.add(r.id)
      out.push({ id: r.id, lang: r.lang, text: r.text, file, pool: 'long' })
      n++
    }
  }
  return out
}

export interface ExtraRow extends DevRow {
  pool: 'random' | 'long'
  file: string
}

/** The labelled extra rows (labels joined with their texts), or null when the shared data is absent. */
export function loadExtraRows(): ExtraRow[] | null {
  const drawn = drawExtra()
  if (drawn === null || !existsSync(EXTRA_LABELS)) return null
  const byId = new Map(drawn.map((d) => [d.id, d]))
  return readFileSync(EXTRA_LABELS, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const { id, stages } = JSON.parse(l) as { id: string; stages: string[] }
      const d = byId.get(id)
      if (d === undefined) throw new Error(`${id} in extra-labels.jsonl is not in the draw`)
      return { id, lang: d.lang, text: d.text, rating: null, stages, pool: d.pool, file: d.file }
    })
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const drawn = drawExtra()
  if (drawn === null) throw new Error(`${DATA_DIR} is absent`)
  const [cmd = 'ids', from = '0', to = String(drawn.length)] = process.argv.slice(2)
  drawn.forEach((d, i) => {
    if (i < Number(from) || i >= Number(to)) return
    if (cmd === 'ids') console.log(`${i}\t${d.id}\t${d.file}\t${d.pool}\t${halfOf(d.id)}`)
    else console.log(`\n[${i}] ${d.id} (${d.lang})\n${d.text}`)
  })
}

/**
 * Taxonomies: the default six stages compiled from the generated cue lists,
 * extended or replaced by a user's stages (plain data, validated with zod),
 * and a reader for taxonomy JSON files with readable errors.
 */
import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import { type Issue, RecensioError, type Taxonomy, type TaxonomyInput, describeValue, optionIssueText, taxonomySchema } from '../review/index.js'
import { type CueLang, CueError, compileCue, expandElement } from './cue.js'
import { CUES, LABELS, STAGES } from './generated/cues.js'
import { BLOCK, CONTRAST, Matcher } from './matcher.js'

const LANGS: readonly CueLang[] = ['es', 'it', 'en']

/**
 * Confidence a default stage needs before it is tagged (noisy-OR of its cue
 * weights). Cue weights are written against 0.5: a cue of weight ≥ 0.5 tags
 * alone, weaker cues need company. Tuned on half A of journey_dev.jsonl.
 */
export const STAGE_THRESHOLDS: Readonly<Record<string, number>> = {
  discovery: 0.5,
  purchase: 0.5,
  delivery: 0.5,
  usage: 0.3,
  support: 0.5,
  loyalty: 0.5,
}
/**
 * Default stages whose strong cues claim the generic praise right next to
 * them ("terrible customer service" is about support, not usage). Price,
 * recommendation and expectation phrases qualify the praise instead ("great
 * for the price", "good product, recommended"), so those stages do not.
 * Stages a user adds claim.
 */
export const CLAIMING_STAGES: ReadonlySet<string> = new Set(['delivery', 'usage', 'support'])
/** Threshold of a stage the user adds. */
export const USER_STAGE_THRESHOLD = 0.5
/** Weight of a user cue: one match tags its stage. */
export const USER_CUE_WEIGHT = 1

/** A taxonomy ready to tag with: stage ids, labels, thresholds and one matcher per language. */
export interface CompiledTaxonomy {
  /** Stage ids in output order. */
  stages: string[]
  /** Human labels, same order. */
  labels: string[]
  /** Confidence needed to tag each stage, same order. */
  thresholds: Float64Array
  /** 1 where the stage's strong cues claim the weak cues next to them, same order. */
  claims: Uint8Array
  /** The matcher for a review language (`und` uses every language's cues). */
  matcherFor(lang: CueLang | 'und'): Matcher
}

interface Source {
  lang: CueLang
  elements: readonly string[]
  stage: number
  weight: number
  filler: boolean
}

/** Accumulates cue sources and builds matchers on demand. */
class Compiled implements CompiledTaxonomy {
  stages: string[] = []
  labels: string[] = []
  thresholds = new Float64Array(0)
  claims = new Uint8Array(0)
  readonly sources: Source[] = []
  private readonly matchers = new Map<string, Matcher>()

  matcherFor(lang: CueLang | 'und'): Matcher {
    let m = this.matchers.get(lang)
    if (m === undefined) {
      m = new Matcher()
      for (const s of this.sources) {
        if (lang !== 'und' && s.lang !== lang) continue
        if (s.filler) for (const key of s.elements[0]!.split('|')) m.addFiller(key)
        else m.add(s.elements, { stage: s.stage, weight: s.weight })
      }
      this.matchers.set(lang, m)
    }
    return m
  }
}

// The shipped elements with their lemmas expanded, once per process.
let expanded: Record<CueLang, string[]> | undefined

function addDefaults(c: Compiled, withStages: boolean): void {
  expanded ??= {
    es: CUES.es.elements.map((e) => expandElement('es', e)),
    it: CUES.it.elements.map((e) => expandElement('it', e)),
    en: CUES.en.elements.map((e) => expandElement('en', e)),
  }
  for (const lang of LANGS) {
    const { cues } = CUES[lang]
    const elements = expanded[lang]
    for (const [stage, weight, els] of cues) {
      const compiled = els.split(' ').map((i) => elements[Number(i)]!)
      if (stage === '_skip') c.sources.push({ lang, elements: compiled, stage: 0, weight: 0, filler: true })
      else if (stage === '_contrast') c.sources.push({ lang, elements: compiled, stage: CONTRAST, weight: 0, filler: false })
      else if (!withStages) continue
      else if (stage === '_block') c.sources.push({ lang, elements: compiled, stage: BLOCK, weight: 0, filler: false })
      else c.sources.push({ lang, elements: compiled, stage: c.stages.indexOf(stage), weight, filler: false })
    }
  }
}

let defaultCompiled: Compiled | undefined

/**
 * Compile the default taxonomy, extended or replaced by the user's.
 *
 * @param taxonomy A validated user taxonomy (see `TaxonomySchema`); none gives the default six stages.
 * @returns The compiled taxonomy (the default one is built once per process). Throws a `RecensioError` for a cue that cannot be compiled.
 */
export function compileTaxonomy(taxonomy?: Taxonomy): CompiledTaxonomy {
  if (taxonomy === undefined) {
    if (defaultCompiled === undefined) {
      const c = new Compiled()
      c.stages = [...STAGES]
      c.labels = STAGES.map((s) => LABELS[s] ?? s)
      c.thresholds = Float64Array.from(STAGES, (s) => STAGE_THRESHOLDS[s] ?? USER_STAGE_THRESHOLD)
      c.claims = Uint8Array.from(STAGES, (s) => (CLAIMING_STAGES.has(s) ? 1 : 0))
      addDefaults(c, true)
      defaultCompiled = c
    }
    return defaultCompiled
  }
  const c = new Compiled()
  const extend = taxonomy.mode !== 'replace'
  const thresholds: number[] = []
  if (extend) {
    c.stages = [...STAGES]
    c.labels = STAGES.map((s) => LABELS[s] ?? s)
    for (const s of STAGES) thresholds.push(STAGE_THRESHOLDS[s] ?? USER_STAGE_THRESHOLD)
  }
  for (const stage of taxonomy.stages) {
    let index = c.stages.indexOf(stage.id)
    if (index === -1) {
      index = c.stages.length
      c.stages.push(stage.id)
      c.labels.push(stage.label ?? stage.id)
      thresholds.push(USER_STAGE_THRESHOLD)
    } else if (stage.label !== undefined) c.labels[index] = stage.label
  }
  c.thresholds = Float64Array.from(thresholds)
  c.claims = Uint8Array.from(c.stages, (s) => (CLAIMING_STAGES.has(s) || !STAGES.includes(s) ? 1 : 0))
  addDefaults(c, extend)
  const { cues, refused } = compileCues(taxonomy)
  if (refused.length > 0) {
    const field = `taxonomy.${refused[0]!.field}`
    const reason = refused[0]!.reason
    throw new RecensioError('invalid_option', `Invalid options: option "${field}": ${reason}`, [{ field, code: 'invalid_option', message: reason }])
  }
  const index = taxonomy.stages.map((stage) => c.stages.indexOf(stage.id))
  for (const cue of cues) c.sources.push({ lang: cue.lang, elements: cue.elements, stage: index[cue.stage]!, weight: USER_CUE_WEIGHT, filler: false })
  return c
}

/**
 * Each cue of a validated taxonomy compiled, in order (`stage` is its
 * stage's place in the taxonomy), and each that cannot be, by its path in
 * the taxonomy (`stages.0.cues.en.1`) and why.
 */
function compileCues(taxonomy: Taxonomy): { cues: { stage: number; lang: CueLang; elements: string[] }[]; refused: { field: string; reason: string }[] } {
  const cues: { stage: number; lang: CueLang; elements: string[] }[] = []
  const refused: { field: string; reason: string }[] = []
  taxonomy.stages.forEach((stage, s) => {
    for (const lang of LANGS) {
      stage.cues[lang]?.forEach((cue, k) => {
        try {
          cues.push({ stage: s, lang, elements: compileCue(lang, cue) })
        } catch (e) {
          refused.push({ field: `stages.${s}.cues.${lang}.${k}`, reason: e instanceof CueError ? e.message : String(e) })
        }
      })
    }
  })
  return { cues, refused }
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? 'taxonomy' : issue.path.map(String).join('.')
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
  }
  // zod's "Too small: expected string to have >=1 characters" as the options say it, a message of the schema's own with the count it got.
  if (issue.code === 'too_small' || issue.code === 'too_big') return `${where}: ${optionIssueText(issue)}`
  const input = (issue as { input?: unknown }).input
  // zod says "Invalid input: expected object, received undefined" for a missing key.
  if (issue.code === 'invalid_type' && input === undefined) return `${where}: required (expected ${issue.expected})`
  // zod's "Invalid input: expected array, received string" in the words of every other message.
  if (issue.code === 'invalid_type') return `${where}: expected ${issue.expected}, got ${describeValue(input)}`
  const message = issue.message.replace(/^Invalid option: /, '')
  const got = issue.code === 'invalid_format' || issue.code === 'invalid_value'
  return `${where}: ${message}${got && !/\b(?:got|received)\b/.test(message) ? `, got ${describeValue(input)}` : ''}`
}

/**
 * Validate a user taxonomy given as plain data.
 *
 * @param value The taxonomy object (`{ mode?, stages: [{ id, label?, cues: { es?, it?, en? } }] }`).
 * @param source Where it came from, named in error messages (default "taxonomy").
 * @returns The validated taxonomy. Throws a `RecensioError` listing every problem with its path.
 */
export function parseTaxonomy(value: unknown, source = 'taxonomy'): Taxonomy {
  const parsed = taxonomySchema().safeParse(value, { reportInput: true })
  // Cues are compiled now, so one that cannot match is reported with the taxonomy's own paths, not at the first review.
  const issues: Issue[] = parsed.success
    ? compileCues(parsed.data).refused.map(({ field, reason }) => ({ field, code: 'invalid_option' as const, message: `${field}: ${reason}` }))
    : parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || 'taxonomy',
        code: 'invalid_option' as const,
        message: issueMessage(issue),
      }))
  if (parsed.success && issues.length === 0) return parsed.data
  throw new RecensioError('invalid_option', `Invalid ${source}: ${issues.map((i) => i.message).join('; ')}`, issues)
}

/**
 * Read and validate a taxonomy JSON file (the CLI's `--taxonomy file.json`).
 *
 * @param file Path of a JSON file holding a taxonomy (see `parseTaxonomy`).
 * @returns The validated taxonomy, to pass as the `taxonomy` option. Throws a `RecensioError` (`invalid_file`) saying what is wrong and where.
 */
export function loadTaxonomyFile(file: string): Taxonomy {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message
    throw new RecensioError('invalid_file', `Cannot read taxonomy file "${file}": ${reason}`, [
      { field: 'taxonomy', code: 'invalid_file', message: reason },
    ])
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    const reason = `not valid JSON (${(e as Error).message})`
    throw new RecensioError('invalid_file', `Taxonomy file "${file}" is ${reason}`, [
      { field: 'taxonomy', code: 'invalid_file', message: reason },
    ])
  }
  try {
    return parseTaxonomy(value, `taxonomy file "${file}"`)
  } catch (e) {
    if (e instanceof RecensioError) throw new RecensioError('invalid_file', e.message, e.issues.map((i) => ({ ...i, code: 'invalid_file' as const })))
    throw e
  }
}

export type { Taxonomy, TaxonomyInput }

/**
 * Compiles the reviewable sentiment lexicons under `data/lexicons/` into the
 * generated modules `src/sentiment/generated/lexicon.ts` and `stems.ts`. Shared by
 * `scripts/build-sentiment.ts` (writes the modules) and the staleness test
 * (regenerates them in memory and compares).
 *
 * What the build does with each `words.tsv` entry:
 * - tokenizes the term with recensio's own tokenizer and keys it on the
 *   accent-folded token keys, so `pésimo` also matches `pesimo`;
 * - expands regular inflections of one-word entries (ES `-o/-a/-os/-as`,
 *   `-e/-es`, consonant `+es`; IT `-o/-a/-i/-e`, `-e/-i`; EN plurals) and the
 *   absolute superlatives (`buenísimo`, `bellissimo`, weight × 1.25), and the
 *   gender/number of the last word of ES/IT phrases (`llegó rota`);
 * - lets an entry written in a file win over any generated form, and a form
 *   generated from an earlier line win over a later one (conflicts are listed).
 *
 * The parser is lenient on purpose: the files are hand-written, so a line with
 * spaces instead of a TAB, a comma decimal or a stray BOM is read as meant, and
 * lines it cannot read are reported rather than failing the build.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { type LexiconTables, stemTable } from '../src/sentiment/builder.js'
import { makeField } from '../src/text/index.js'

export const LEXICON_LANGS = ['en', 'es', 'it'] as const
export type LexiconLang = (typeof LEXICON_LANGS)[number]

/** Weight multiplier of a generated absolute superlative (format: lemma × 1.25). */
const SUPERLATIVE_BOOST = 1.25
/** Sentiment weights are clamped to this magnitude (format: [-4, 4]). */
const MAX_WEIGHT = 4

export interface BuildReport {
  lang: string
  file: string
  problems: string[]
  conflicts: string[]
  counts: Record<string, number>
}

interface Entry {
  keys: string
  /** Blockers written with accents match only as written ("no sé" is not "no se"). */
  exact?: string
  value: number
  explicit: boolean
  source: string
}

/** Token norms (lower-cased, accents kept) of a term, joined by one space. */
function termNorms(term: string): string {
  return makeField(term)
    .tokens.filter((t) => t.kind !== 'punct')
    .map((t) => t.norm)
    .join(' ')
}

/**
 * Token keys of a term, joined by one space; null when the term has no token
 * or when the tokenizer would drop part of it ("a+" is read as "a", so it could
 * never match as written).
 */
export function termKeys(term: string): string | null {
  const field = makeField(term)
  const keys: string[] = []
  let covered = 0
  for (const t of field.tokens) {
    covered += t.end - t.start
    if (t.kind === 'punct') continue
    keys.push(t.kind === 'emoji' || t.kind === 'emoticon' ? t.norm : t.key)
  }
  let expected = 0
  for (const ch of field.clean) if (!/[\s'\-]/.test(ch)) expected++
  if (covered < expected) return null
  return keys.length === 0 ? null : keys.join(' ')
}

function readLines(path: string): Array<{ line: number; text: string }> {
  if (!existsSync(path)) return []
  const raw = readFileSync(path, 'utf8').replace(/^\uFEFF/, '')
  const out: Array<{ line: number; text: string }> = []
  raw.split(/\r?\n/).forEach((text, i) => {
    const t = text.trim()
    if (t === '' || t.startsWith('#')) return
    out.push({ line: i + 1, text: text.replace(/\s+$/, '') })
  })
  return out
}

/** Split "term<TAB>numbers…"; falls back to the trailing numeric fields when the TAB is missing. */
function splitFields(text: string, numbers: number): { term: string; values: number[] } | null {
  let parts = text.split('\t').map((p) => p.trim()).filter((p) => p !== '')
  if (parts.length < numbers + 1) {
    const words = text.trim().split(/\s+/)
    if (words.length < numbers + 1) return null
    parts = [words.slice(0, words.length - numbers).join(' '), ...words.slice(words.length - numbers)]
  }
  const term = parts.slice(0, parts.length - numbers).join(' ').trim()
  const values = parts.slice(parts.length - numbers).map((v) => Number(v.replace(',', '.').replace(/^\+/, '')))
  if (term === '' || values.some((v) => !Number.isFinite(v))) return null
  return { term: term.toLowerCase(), values }
}

// ---------------------------------------------------------------- inflection

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u'])

function esSuperlativeStem(stem: string): string[] {
  if (stem.endsWith('bl')) return [`${stem.slice(0, -2)}bil`, stem] // amable → amabilísimo / amablísimo
  if (stem.endsWith('c')) return [`${stem.slice(0, -1)}qu`] // rico → riquísimo
  if (stem.endsWith('g')) return [`${stem.slice(0, -1)}gu`] // largo → larguísimo
  if (stem.endsWith('z')) return [`${stem.slice(0, -1)}c`] // feliz → felicísimo
  return [stem]
}

function superlatives(stems: string[], suffixes: string[]): string[] {
  const out: string[] = []
  for (const s of stems) for (const x of suffixes) out.push(s + x)
  return out
}

/** Inflected forms of a one-word ES lemma (folded key), and its superlatives. */
function esForms(k: string): { forms: string[]; sup: string[] } {
  const last = k[k.length - 1]!
  const SUP = ['isimo', 'isima', 'isimos', 'isimas']
  if (k.length < 3) return { forms: [], sup: [] }
  if (last === 'o') {
    const stem = k.slice(0, -1)
    return { forms: [`${stem}a`, `${stem}os`, `${stem}as`], sup: superlatives(esSuperlativeStem(stem), SUP) }
  }
  if (last === 'a') return { forms: [`${k}s`], sup: [] }
  if (last === 'e') {
    const stem = k.slice(0, -1)
    return { forms: [`${k}s`], sup: superlatives(esSuperlativeStem(stem), SUP) }
  }
  if (last === 'i' || last === 'u') return { forms: [`${k}s`, `${k}es`], sup: [] }
  if (last === 'z') return { forms: [`${k.slice(0, -1)}ces`], sup: superlatives(esSuperlativeStem(k), SUP) }
  if (last === 's' || last === 'x') return { forms: [], sup: [] }
  if (!VOWELS.has(last)) return { forms: [`${k}es`], sup: superlatives(esSuperlativeStem(k), SUP) }
  return { forms: [], sup: [] }
}

function itSuperlativeStems(stem: string): string[] {
  if (stem.endsWith('c')) return [`${stem}h`] // stanco → stanchissimo
  if (stem.endsWith('g')) return [`${stem}h`] // lungo → lunghissimo
  if (stem.endsWith('i')) return [stem.slice(0, -1)] // vecchio → vecchissimo
  return [stem]
}

/** Inflected forms of a one-word IT lemma (folded key), and its superlatives. */
function itForms(k: string): { forms: string[]; sup: string[] } {
  const last = k[k.length - 1]!
  const SUP = ['issimo', 'issima', 'issimi', 'issime']
  if (k.length < 3) return { forms: [], sup: [] }
  if (last === 'o') {
    const stem = k.slice(0, -1)
    const forms = [`${stem}a`]
    if (stem.endsWith('c') || stem.endsWith('g')) forms.push(`${stem}hi`, `${stem}i`, `${stem}he`)
    else if (stem.endsWith('i')) forms.push(stem, `${stem}e`)
    else forms.push(`${stem}i`, `${stem}e`)
    return { forms, sup: superlatives(itSuperlativeStems(stem), SUP) }
  }
  if (last === 'e') {
    const stem = k.slice(0, -1)
    return { forms: [`${stem}i`], sup: superlatives([stem], SUP) }
  }
  if (last === 'a') {
    const stem = k.slice(0, -1)
    if (stem.endsWith('c') || stem.endsWith('g')) return { forms: [`${stem}he`, `${stem}hi`], sup: [] }
    return { forms: [`${stem}e`, `${stem}i`], sup: [] }
  }
  return { forms: [], sup: [] }
}

/** English plural of a one-word entry (folded key). */
function enForms(k: string): { forms: string[]; sup: string[] } {
  if (k.length < 3 || k.includes("'")) return { forms: [], sup: [] }
  const last = k[k.length - 1]!
  const prev = k[k.length - 2]!
  if (last === 'y' && !VOWELS.has(prev)) return { forms: [`${k.slice(0, -1)}ies`], sup: [] }
  if (last === 's' || last === 'x' || last === 'z' || k.endsWith('ch') || k.endsWith('sh')) {
    return { forms: [`${k}es`], sup: [] }
  }
  return { forms: [`${k}s`], sup: [] }
}

/** Gender/number variants of the last word of an ES/IT phrase ("llegó roto" → "llegó rota"). */
function phraseForms(lang: LexiconLang, keys: string[]): string[] {
  if (lang === 'en' || keys.length < 2) return []
  const last = keys[keys.length - 1]!
  if (last.length < 4 || !last.endsWith('o')) return []
  const stem = last.slice(0, -1)
  const ends = lang === 'es' ? ['a', 'os', 'as'] : stem.endsWith('i') ? ['a', '', 'e'] : ['a', 'i', 'e']
  const head = keys.slice(0, -1).join(' ')
  return ends.map((e) => `${head} ${stem}${e}`)
}

function formsOf(lang: LexiconLang, k: string): { forms: string[]; sup: string[] } {
  if (lang === 'es') return esForms(k)
  if (lang === 'it') return itForms(k)
  return enForms(k)
}

// ---------------------------------------------------------------- compile

export interface CompiledLexicon {
  /** "keys\tweight" lines, sorted. */
  words: string[]
  negators: string[]
  /** "keys\tfactor" lines. */
  intensifiers: string[]
  /** "keys\tbefore\tafter" lines. */
  contrast: string[]
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000)
}

/** Compile one language folder. */
export function compileLanguage(dir: string, lang: LexiconLang, reports: BuildReport[]): CompiledLexicon {
  const explicit = new Map<string, Entry>()
  const generated = new Map<string, Entry>()
  const words: BuildReport = { lang, file: 'words.tsv', problems: [], conflicts: [], counts: {} }
  const wordFiles = existsSync(dir)
    ? readdirSorted(dir).filter((f) => f === 'words.tsv' || /^words[-_.].*\.tsv$/.test(f))
    : []
  const lemmas: Entry[] = []
  for (const file of wordFiles) {
    for (const { line, text } of readLines(resolve(dir, file))) {
      const parsed = splitFields(text, 1)
      if (parsed === null) {
        words.problems.push(`${file}:${line}: cannot read "${text}"`)
        continue
      }
      const keys = termKeys(parsed.term)
      if (keys === null) {
        words.problems.push(`${file}:${line}: "${parsed.term}" cannot be matched as written (tokens drop part of it)`)
        continue
      }
      const value = Math.max(-MAX_WEIGHT, Math.min(MAX_WEIGHT, parsed.values[0]!))
      const entry: Entry = { keys, value, explicit: true, source: `${file}:${line}` }
      if (value === 0) {
        // A blocker keeps its accents: "no sé" (I don't know) must not swallow the negation of "no se mantiene".
        const norms = termNorms(parsed.term)
        if (norms !== keys) entry.exact = norms
      }
      const prev = explicit.get(keys)
      if (prev !== undefined && prev.value !== value) {
        words.conflicts.push(`${keys}: ${prev.source} (${prev.value}) kept over ${entry.source} (${value})`)
        continue
      }
      if (prev === undefined) {
        explicit.set(keys, entry)
        lemmas.push(entry)
      }
    }
  }
  for (const lemma of lemmas) {
    const parts = lemma.keys.split(' ')
    const add = (form: string, value: number): void => {
      if (explicit.has(form)) return
      const prev = generated.get(form)
      if (prev !== undefined) {
        if (Math.sign(prev.value) !== Math.sign(value) && words.conflicts.length < 200) {
          words.conflicts.push(`${form}: from ${prev.source} (${prev.value}) kept over ${lemma.source} (${fmt(value)})`)
        }
        return
      }
      generated.set(form, { keys: form, value, explicit: false, source: lemma.source })
    }
    if (parts.length === 1 && lemma.value !== 0) {
      const { forms, sup } = formsOf(lang, parts[0]!)
      for (const f of forms) add(f, lemma.value)
      const boosted = Math.max(-MAX_WEIGHT, Math.min(MAX_WEIGHT, lemma.value * SUPERLATIVE_BOOST))
      for (const f of sup) add(f, boosted)
    } else if (parts.length > 1) {
      for (const f of phraseForms(lang, parts)) add(f, lemma.value)
    }
  }
  const all = new Map<string, string>()
  for (const [k, e] of generated) all.set(k, fmt(e.value))
  for (const [k, e] of explicit) all.set(k, e.exact === undefined ? fmt(e.value) : `${fmt(e.value)}\t${e.exact}`)
  words.counts = { entries: explicit.size, generated: generated.size, total: all.size }
  reports.push(words)

  const negators = readList(dir, 'negators.txt', lang, reports)
  const intensifiers = readTable(dir, 'intensifiers.tsv', 1, lang, reports)
  const contrast = readTable(dir, 'contrast.tsv', 2, lang, reports)
  return {
    words: [...all].sort(byKey).map(([k, v]) => `${k}\t${v}`),
    negators: [...negators].sort(),
    intensifiers: [...intensifiers].sort(byKey).map(([k, v]) => `${k}\t${v.map(fmt).join('\t')}`),
    contrast: [...contrast].sort(byKey).map(([k, v]) => `${k}\t${v.map(fmt).join('\t')}`),
  }
}

function byKey(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
}

function readdirSorted(dir: string): string[] {
  return readdirSync(dir).sort()
}

function readList(dir: string, file: string, lang: string, reports: BuildReport[]): Set<string> {
  const report: BuildReport = { lang, file, problems: [], conflicts: [], counts: {} }
  const out = new Set<string>()
  for (const { line, text } of readLines(resolve(dir, file))) {
    // Tolerate a weight column the format does not ask for.
    const term = text.split('\t')[0]!.trim().toLowerCase()
    const keys = termKeys(term)
    if (keys === null) report.problems.push(`${file}:${line}: no token in "${term}"`)
    else out.add(keys)
  }
  report.counts = { entries: out.size }
  reports.push(report)
  return out
}

function readTable(
  dir: string,
  file: string,
  numbers: number,
  lang: string,
  reports: BuildReport[],
): Map<string, number[]> {
  const report: BuildReport = { lang, file, problems: [], conflicts: [], counts: {} }
  const out = new Map<string, number[]>()
  for (const { line, text } of readLines(resolve(dir, file))) {
    const parsed = splitFields(text, numbers)
    if (parsed === null) {
      report.problems.push(`${file}:${line}: cannot read "${text}"`)
      continue
    }
    const keys = termKeys(parsed.term)
    if (keys === null) {
      report.problems.push(`${file}:${line}: no token in "${parsed.term}"`)
      continue
    }
    if (!out.has(keys)) out.set(keys, parsed.values)
  }
  report.counts = { entries: out.size }
  reports.push(report)
  return out
}

/** Compile `emoji.tsv`: emoji and emoticons with their weight. */
export function compileEmoji(path: string, reports: BuildReport[]): string[] {
  const report: BuildReport = { lang: '*', file: 'emoji.tsv', problems: [], conflicts: [], counts: {} }
  const out = new Map<string, number>()
  for (const { line, text } of readLines(path)) {
    const tab = text.lastIndexOf('\t')
    const term = (tab === -1 ? text.slice(0, text.lastIndexOf(' ')) : text.slice(0, tab)).trim()
    const value = Number((tab === -1 ? text.slice(text.lastIndexOf(' ') + 1) : text.slice(tab + 1)).trim())
    if (term === '' || !Number.isFinite(value)) {
      report.problems.push(`emoji.tsv:${line}: cannot read "${text}"`)
      continue
    }
    // Keyed as written, without variation selectors and skin tones (the engine strips them too).
    const key = stripEmojiModifiers(term)
    if (!out.has(key)) out.set(key, value)
  }
  report.counts = { entries: out.size }
  reports.push(report)
  return [...out].sort(byKey).map(([k, v]) => `${k}\t${fmt(v)}`)
}

/** Drop variation selectors and skin-tone modifiers from an emoji key. */
export function stripEmojiModifiers(s: string): string {
  return s.replace(/[\uFE0E\uFE0F]|\uD83C[\uDFFB-\uDFFF]/g, '')
}

/** The full text of `src/sentiment/generated/lexicon.ts` for the lexicons under `root/data/lexicons`. */
/**
 * Both generated modules: the tables (`generated/lexicon.ts`) and the stems
 * the runtime would otherwise work out from them on every start
 * (`generated/stems.ts`, see `stemTable`).
 */
export function generateModules(root: string, reports: BuildReport[] = []): { lexicon: string; stems: string } {
  const base = resolve(root, 'data/lexicons')
  const langs: Record<string, CompiledLexicon> = {}
  for (const lang of LEXICON_LANGS) langs[lang] = compileLanguage(resolve(base, lang), lang, reports)
  const emoji = compileEmoji(resolve(base, 'emoji.tsv'), reports)
  const lines: string[] = [
    '// generated by scripts/build-sentiment.ts from data/lexicons/, do not edit',
    '// Each table is "token keys<TAB>value(s)" lines; token keys are accent-folded and joined by a space.',
    '// A third column of words holds the accented form a blocker must match as written.',
    '',
    'export interface LexiconTables {',
    '  words: string',
    '  negators: string',
    '  intensifiers: string',
    '  contrast: string',
    '}',
    '',
    'export const LEXICON_TABLES: Record<\'en\' | \'es\' | \'it\', LexiconTables> = {',
  ]
  const tables: Record<string, LexiconTables> = {}
  for (const lang of LEXICON_LANGS) {
    const c = langs[lang]!
    const t = (tables[lang] = {
      words: c.words.join('\n'),
      negators: c.negators.join('\n'),
      intensifiers: c.intensifiers.join('\n'),
      contrast: c.contrast.join('\n'),
    })
    lines.push(`  ${lang}: {`)
    lines.push(`    words: ${JSON.stringify(t.words)},`)
    lines.push(`    negators: ${JSON.stringify(t.negators)},`)
    lines.push(`    intensifiers: ${JSON.stringify(t.intensifiers)},`)
    lines.push(`    contrast: ${JSON.stringify(t.contrast)},`)
    lines.push('  },')
  }
  lines.push('}')
  lines.push('')
  lines.push(`export const EMOJI_TABLE = ${JSON.stringify(emoji.join('\n'))}`)
  lines.push('')
  const stems = [
    '// generated by scripts/build-sentiment.ts from data/lexicons/, do not edit',
    '// The stems of the one-word entries whose entries agree in sign: "stem<TAB>mean weight" lines (stemTable in src/sentiment/builder.ts).',
    '',
    'export const STEM_TABLES: Record<\'es\' | \'it\', string> = {',
    ...(['es', 'it'] as const).map((lang) => `  ${lang}: ${JSON.stringify(stemTable(tables[lang]!, lang))},`),
    '}',
    '',
  ]
  return { lexicon: lines.join('\n'), stems: stems.join('\n') }
}

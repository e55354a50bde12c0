/**
 * Compile the language-identification data into `src/language/generated/language-data.ts`.
 *
 * Sources (see data/LICENSES.md):
 * - eld 2.1.0 "large" byte n-gram scores (Apache-2.0, a devDependency),
 *   restricted to the three target languages and thirteen "other" languages;
 * - data/language/words-*.txt, function words and review words written for recensio.
 *
 * Run: `npx tsx scripts/build-language.ts` (writes the module);
 * `--check` exits 1 when the committed module differs from a fresh build.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { foldAccents } from '../src/text/fold.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// eld is a devDependency: its n-grams are read at build time only.
const ELD_DIR = resolve(ROOT, 'node_modules/eld')
const OUT = resolve(ROOT, 'src/language/generated/language-data.ts')
const WORDS_DIR = resolve(ROOT, 'data/language')

/**
 * Targets first (their order is the code order), then the "other" languages
 * that yield `und`: near ones (pt, fr, ca, ro, de, nl) and a few common in EU
 * marketplaces or in Spain (eu). At most 16 (the row mask is 16 bits).
 */
export const LANGUAGES = ['es', 'it', 'en', 'pt', 'fr', 'de', 'ca', 'nl', 'ro', 'pl', 'sv', 'tr', 'fi', 'eu', 'hu', 'cs'] as const
/** The first three profiles are the targets. */
const TARGETS = 3
/**
 * N-grams that only "other" languages have and that score under this in all of
 * them (eld's rarest) are dropped: 45k of 105k rows, 1073 → 639 KiB, with no
 * change in dev accuracy or in the own samples (scripts/fit-language.ts).
 */
const MIN_OTHER_ONLY_SCORE = 10
/** eld database size the n-grams come from ("large": ~10k n-grams per language). */
const ELD_SIZE = 'large'
/** Separator between n-gram keys: never part of a key (keys are letters, apostrophe, space). */
const KEY_SEPARATOR = ','

/** Whether eld (a devDependency) is installed. */
export function eldAvailable(): boolean {
  return existsSync(resolve(ELD_DIR, `src/ngrams/${ELD_SIZE}.js`))
}

/**
 * Map one eld n-gram key back to its UTF-8 bytes, then to recensio's key form:
 * ASCII bytes stay as they are, a byte b ≥ 0x80 becomes the printable U+0100 + b.
 */
function recodeKey(key: string, byteOf: Map<string, number>): string {
  let out = ''
  for (const ch of key) {
    const b = ch === ' ' ? 0x20 : byteOf.get(ch)
    if (b === undefined) throw new Error(`eld key ${JSON.stringify(key)}: unknown dictionary character ${ch}`)
    out += b < 0x80 ? String.fromCharCode(b) : String.fromCharCode(0x100 + b)
  }
  if (out.includes(KEY_SEPARATOR)) throw new Error(`n-gram key contains the separator: ${JSON.stringify(key)}`)
  return out
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** Read one word list: a word per line, `#` comments, lower case. */
function readWords(lang: string): string[] {
  const file = resolve(WORDS_DIR, `words-${lang}.txt`)
  if (!existsSync(file)) return []
  const words = new Set<string>()
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const hash = raw.indexOf('#')
    const word = (hash === -1 ? raw : raw.slice(0, hash)).trim().toLowerCase().normalize('NFC')
    if (word === '') continue
    if (/\s/.test(word)) throw new Error(`words-${lang}.txt: "${word}" is not one word`)
    words.add(word)
    words.add(foldAccents(word))
  }
  return [...words].sort()
}

/** Build the generated module's source text. */
export async function buildLanguageModule(): Promise<string> {
  const eldPkg = JSON.parse(readFileSync(resolve(ELD_DIR, 'package.json'), 'utf8')) as { version: string }
  const { ngramsData } = (await import(pathToFileURL(resolve(ELD_DIR, `src/ngrams/${ELD_SIZE}.js`)).href)) as {
    ngramsData: { languages: Record<string, string>; ngrams: Record<string, Record<string, number>> }
  }
  const { dictionary } = (await import(pathToFileURL(resolve(ELD_DIR, 'src/dictionary.js')).href)) as {
    dictionary: string[]
  }
  // eld maps every byte to one character; only ' ' is shared (by bytes that never reach a key).
  const byteOf = new Map<string, number>()
  dictionary.forEach((ch, b) => {
    if (ch !== ' ') byteOf.set(ch, b)
  })

  const eldIndex = new Map<string, number>()
  for (const [i, code] of Object.entries(ngramsData.languages)) eldIndex.set(code, Number(i))
  if (LANGUAGES.length > 16) throw new Error('at most 16 profiles fit the 16-bit row mask')
  const columns = LANGUAGES.map((code) => {
    const i = eldIndex.get(code)
    if (i === undefined) throw new Error(`eld ${ELD_SIZE} has no ${code} profile`)
    return String(i)
  })

  const rows: { key: string; scores: number[] }[] = []
  for (const [key, byLang] of Object.entries(ngramsData.ngrams)) {
    const scores = columns.map((c) => byLang[c] ?? -1)
    if (scores.every((s) => s < 0)) continue
    if (scores.slice(0, TARGETS).every((s) => s < 0) && Math.max(...scores) < MIN_OTHER_ONLY_SCORE) continue
    for (const s of scores) if (s > 254) throw new Error(`score ${s} does not fit a byte`)
    rows.push({ key: recodeKey(key, byteOf), scores })
  }
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))

  // Sparse rows: a 16-bit language mask (little end first), then one byte per present language.
  const bytes: number[] = []
  for (const { scores } of rows) {
    let mask = 0
    scores.forEach((s, i) => {
      if (s >= 0) mask |= 1 << i
    })
    bytes.push(mask & 0xff, mask >> 8)
    for (const s of scores) if (s >= 0) bytes.push(s)
  }

  const words: Record<string, string> = {}
  for (const code of LANGUAGES) words[code] = readWords(code).join(' ')

  const lines = [
    `// generated by scripts/build-language.ts, do not edit (npx tsx scripts/build-language.ts).`,
    `// n-grams: eld ${eldPkg.version} "${ELD_SIZE}" (Apache-2.0, Nito T.M.), byte 4-grams re-keyed; words: data/language/words-*.txt.`,
    `// See data/LICENSES.md.`,
    ``,
    `/*! @license Apache-2.0. The n-gram scores below are from eld (https://github.com/nitotm/efficient-language-detector-js),`,
    ` * Copyright 2023 Nito T.M., licensed under the Apache License 2.0 (data/language/LICENSE-eld.txt); subset, pruned and re-encoded. */`,
    ``,
    `/** Profile languages: the targets es, it, en first, then languages that yield \`und\`. */`,
    `export const LANGUAGES = ${JSON.stringify(LANGUAGES)} as const`,
    ``,
    `/** Number of n-gram rows. */`,
    `export const NGRAM_COUNT = ${rows.length}`,
    ``,
    `/** Sorted n-gram keys joined by ${JSON.stringify(KEY_SEPARATOR)}: ASCII bytes as is, byte b ≥ 0x80 as U+0100 + b, ' ' marks a word edge. */`,
    `export const NGRAM_KEYS = ${JSON.stringify(rows.map((r) => r.key).join(KEY_SEPARATOR))}`,
    ``,
    `/** Base64 rows, one per key: 16-bit language mask, then eld's score byte for each present language. */`,
    `export const NGRAM_SCORES = ${JSON.stringify(base64(Uint8Array.from(bytes)))}`,
    ``,
    `/** Word lists by language, space-separated, written forms plus accent-folded forms. */`,
    `export const WORD_LISTS: Record<(typeof LANGUAGES)[number], string> = ${JSON.stringify(words, null, 2)}`,
    ``,
  ]
  return lines.join('\n')
}

async function main(): Promise<void> {
  if (!eldAvailable()) {
    console.error('scripts/build-language.ts: eld is missing; run `npm install` in benchmarks/ first.')
    process.exit(2)
  }
  const source = await buildLanguageModule()
  if (process.argv.includes('--check')) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : ''
    if (current !== source) {
      console.error(`${OUT} is stale; run npx tsx scripts/build-language.ts`)
      process.exit(1)
    }
    console.log('language data is up to date')
    return
  }
  writeFileSync(OUT, source)
  console.log(`wrote ${OUT} (${(source.length / 1024).toFixed(0)} KiB)`)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()

/**
 * The dev texts language identification is measured and fitted on, read at run
 * time from ../shared/data (never shipped): the review bodies of
 * sentiment_{en,es,it}.jsonl and amazon_verified.jsonl, plus the amazon titles
 * as short texts. Each row falls in fold 0 or 1 by a hash of its id, so global
 * parameters can be fitted on one fold and checked on the other.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fnv1a } from '../src/text/index.js'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** The shared dev corpora, beside the repository. */
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data')
export const LANGUAGE_FILES = ['sentiment_en.jsonl', 'sentiment_es.jsonl', 'sentiment_it.jsonl', 'amazon_verified.jsonl']

export type Target = 'es' | 'it' | 'en'

export interface LabelledText {
  id: string
  lang: Target
  text: string
  /** `body` (review text) or `title` (amazon summary). */
  field: 'body' | 'title'
  file: string
  /** 0 or 1, by a hash of the row id (a row's body and title share a fold). */
  fold: number
}

/** Length buckets of the issue: ≥ 50, 20–49 and < 20 characters. */
export const BUCKETS = ['≥50', '20–49', '<20'] as const
export type Bucket = (typeof BUCKETS)[number]

/** The bucket of a text by its length in UTF-16 code units (as `text.length`). */
export function bucketOf(text: string): Bucket {
  return text.length >= 50 ? '≥50' : text.length >= 20 ? '20–49' : '<20'
}

/** True when ../shared/data has the files. */
export function corpusAvailable(): boolean {
  return LANGUAGE_FILES.every((f) => existsSync(resolve(SHARED_DATA, f)))
}

/** Every labelled body and title text of the dev files. */
export function loadLanguageCorpus(): LabelledText[] {
  const out: LabelledText[] = []
  for (const file of LANGUAGE_FILES) {
    for (const line of readFileSync(resolve(SHARED_DATA, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue
      const row = JSON.parse(line) as { id: string; lang: Target; text: string; title?: string | null }
      const fold = fnv1a(row.id) & 1
      out.push({ id: row.id, lang: row.lang, text: row.text, field: 'body', file, fold })
      if (typeof row.title === 'string' && row.title.trim() !== '')
        out.push({ id: row.id, lang: row.lang, text: row.title, field: 'title', file, fold })
    }
  }
  return out
}

/**
 * Short texts cut from the bodies: the first `words` words (split on spaces).
 * They give es/it short texts, which the natural < 20 bucket barely has.
 */
export function wordPrefixes(texts: LabelledText[], words: number): LabelledText[] {
  const out: LabelledText[] = []
  for (const t of texts) {
    if (t.field !== 'body') continue
    const parts = t.text.split(/\s+/).filter((w) => w !== '')
    if (parts.length <= words) continue
    out.push({ ...t, text: parts.slice(0, words).join(' ') })
  }
  return out
}

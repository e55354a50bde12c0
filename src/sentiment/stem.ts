/**
 * A light suffix-stripping fallback for Spanish and Italian words the lexicon
 * does not list ("decepcionaron", "funzionavano"): both the token and the
 * lexicon's one-word entries are cut to a stem, and a stem whose entries agree
 * in sign lends them its mean weight. Results are cached per language in a
 * bounded map, so each distinct miss is stemmed once.
 */

// Longest first within each list; the stem must keep MIN_STEM characters.
const SUFFIXES: Record<'es' | 'it', string[]> = {
  es: [
    'amientos', 'imientos', 'amiento', 'imiento', 'aciones', 'iciones', 'ablemente', 'iblemente',
    'isimamente', 'aramos', 'ieramos', 'asemos', 'iesemos', 'abamos', 'iamos', 'aremos', 'eremos', 'iremos',
    'ariamos', 'eriamos', 'iriamos', 'aran', 'ieran', 'asen', 'iesen', 'aron', 'ieron', 'ando', 'iendo',
    'adora', 'adores', 'adoras', 'ador', 'acion', 'icion', 'mente', 'isimo', 'isima', 'isimos', 'isimas',
    'ados', 'adas', 'idos', 'idas', 'aban', 'ian', 'aria', 'eria', 'iria', 'arian', 'erian', 'irian',
    'aste', 'iste', 'amos', 'emos', 'imos', 'ado', 'ada', 'ido', 'ida', 'aba', 'ara', 'iera', 'ase',
    'iese', 'ar', 'er', 'ir', 'an', 'en', 'as', 'es', 'os', 'ia', 'io', 'a', 'e', 'o', 'i',
  ],
  it: [
    'amenti', 'imenti', 'amento', 'imento', 'azioni', 'izioni', 'abilmente', 'ibilmente', 'issimamente',
    'assimo', 'essimo', 'issimo', 'issima', 'issimi', 'issime', 'avamo', 'evamo', 'ivamo', 'avano', 'evano',
    'ivano', 'arono', 'erono', 'irono', 'eranno', 'iranno', 'erebbe', 'irebbe', 'ando', 'endo', 'azione',
    'izione', 'mente', 'atore', 'atori', 'atrice', 'ato', 'ata', 'ati', 'ate', 'ito', 'ita', 'iti', 'ite',
    'uto', 'uta', 'uti', 'ute', 'ava', 'eva', 'iva', 'are', 'ere', 'ire', 'ano', 'ono', 'iamo', 'ete',
    'ai', 'ei', 'ii', 'a', 'e', 'i', 'o',
  ],
}

/** Stems shorter than this are too ambiguous to match ("car", "pes"). */
const MIN_STEM = 4

/** A language's suffixes by length: suffix → its place in `SUFFIXES` (the first listed wins). */
interface SuffixTable {
  rank: Map<string, number>
  longest: number
}

const TABLES: Record<'es' | 'it', SuffixTable> = { es: suffixTable(SUFFIXES.es), it: suffixTable(SUFFIXES.it) }

function suffixTable(list: readonly string[]): SuffixTable {
  const rank = new Map<string, number>()
  let longest = 0
  list.forEach((suffix, i) => {
    if (!rank.has(suffix)) rank.set(suffix, i)
    if (suffix.length > longest) longest = suffix.length
  })
  return { rank, longest }
}

/**
 * Cut the first listed suffix of an accent-folded key that leaves a stem of
 * MIN_STEM characters. Each length is one table lookup, not a test per
 * suffix: a word costs a handful of lookups, where most of its stems are
 * tried while the lexicons are built and on a word's first sight.
 *
 * @param lang es or it.
 * @param key An accent-folded, lower-cased word.
 * @returns The stem, or null when the word is too short to stem safely.
 */
export function stemKey(lang: 'es' | 'it', key: string): string | null {
  const { rank, longest } = TABLES[lang]
  const most = Math.min(longest, key.length - MIN_STEM)
  let best = -1
  let cut = 0
  for (let n = 1; n <= most; n++) {
    const r = rank.get(key.slice(key.length - n))
    if (r !== undefined && (best === -1 || r < best)) {
      best = r
      cut = n
    }
  }
  if (best !== -1) return key.slice(0, key.length - cut)
  return key.length >= MIN_STEM + 1 ? key : null
}

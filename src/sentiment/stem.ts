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

/**
 * Cut the longest known suffix of an accent-folded key.
 *
 * @param lang es or it.
 * @param key An accent-folded, lower-cased word.
 * @returns The stem, or null when the word is too short to stem safely.
 */
export function stemKey(lang: 'es' | 'it', key: string): string | null {
  for (const suffix of SUFFIXES[lang]) {
    if (key.length - suffix.length >= MIN_STEM && key.endsWith(suffix)) return key.slice(0, key.length - suffix.length)
  }
  return key.length >= MIN_STEM + 1 ? key : null
}

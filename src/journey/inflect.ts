/**
 * Regular inflection rules for cue words, so a cue list names a word once and
 * matches its forms: `llegar:v` → llego, llegó, llegaron, llegado…;
 * `pacco:n` → pacchi; `rotto:a` → rotta, rotti, rotte. Used by the build
 * script for the shipped cues and at compile time for user cues (English at
 * build time goes through compromise; these rules are its fallback).
 * Over-generation is harmless: a form nobody writes never matches.
 */

/** Word classes a cue word can be marked with: verb, noun, adjective. */
export type WordClass = 'v' | 'n' | 'a'

type CueLang = 'es' | 'it' | 'en'

// Spanish regular conjugation endings after the stem (infinitive minus -ar/-er/-ir).
const ES_AR = [
  'ar', 'o', 'as', 'a', 'amos', 'áis', 'an', 'é', 'aste', 'ó', 'asteis', 'aron', 'aba', 'abas', 'ábamos', 'aban',
  'aré', 'arás', 'ará', 'aremos', 'arán', 'aría', 'arías', 'aríamos', 'arían', 'ado', 'ada', 'ados', 'adas', 'ando',
  'e', 'es', 'emos', 'en', 'ara', 'aras', 'aran', 'ase', 'arlo', 'arla', 'arlos', 'arlas', 'arle', 'arles', 'arme',
  'arse', 'arnos', 'ándolo', 'ándola', 'ándome', 'ándose',
]
const ES_ER = [
  'er', 'o', 'es', 'e', 'emos', 'éis', 'en', 'í', 'iste', 'ió', 'imos', 'isteis', 'ieron', 'ía', 'ías', 'íamos', 'ían',
  'eré', 'erás', 'erá', 'eremos', 'erán', 'ería', 'erías', 'eríamos', 'erían', 'ido', 'ida', 'idos', 'idas', 'iendo',
  'a', 'as', 'amos', 'an', 'iera', 'ieras', 'ieran', 'iese', 'erlo', 'erla', 'erlos', 'erlas', 'erle', 'erles', 'erme',
  'erse', 'ernos', 'iéndolo', 'iéndola',
]
const ES_IR = [
  'ir', 'o', 'es', 'e', 'imos', 'ís', 'en', 'í', 'iste', 'ió', 'isteis', 'ieron', 'ía', 'ías', 'íamos', 'ían', 'iré',
  'irás', 'irá', 'iremos', 'irán', 'iría', 'irías', 'iríamos', 'irían', 'ido', 'ida', 'idos', 'idas', 'iendo', 'a',
  'as', 'amos', 'an', 'iera', 'ieras', 'ieran', 'iese', 'irlo', 'irla', 'irlos', 'irlas', 'irle', 'irles', 'irme',
  'irse', 'irnos', 'iéndolo', 'iéndola',
]

// Italian regular conjugation endings after the stem (infinitive minus -are/-ere/-ire).
const IT_ARE = [
  'are', 'o', 'i', 'a', 'iamo', 'ate', 'ano', 'ato', 'ata', 'ati', 'ando', 'avo', 'avi', 'ava', 'avamo', 'avate',
  'avano', 'ai', 'asti', 'ò', 'ammo', 'aste', 'arono', 'erò', 'erai', 'erà', 'eremo', 'erete', 'eranno', 'erei',
  'eresti', 'erebbe', 'eremmo', 'ereste', 'erebbero', 'ino', 'assi', 'asse', 'arlo', 'arla', 'arli', 'arle', 'armi',
  'arsi', 'arci', 'arne', 'andolo', 'andola', 'andoli', 'atomi', 'atoci', 'ante', 'anti',
]
const IT_ERE = [
  'ere', 'o', 'i', 'e', 'iamo', 'ete', 'ono', 'uto', 'uta', 'uti', 'ute', 'endo', 'evo', 'evi', 'eva', 'evamo',
  'evano', 'ei', 'é', 'erono', 'erò', 'erai', 'erà', 'eremo', 'eranno', 'erei', 'erebbe', 'eremmo', 'erebbero', 'a',
  'ano', 'essi', 'esse', 'erlo', 'erla', 'erli', 'erle', 'ermi', 'ersi', 'erne', 'endolo', 'ente', 'enti',
]
const IT_IRE = [
  'ire', 'o', 'i', 'e', 'iamo', 'ite', 'ono', 'ito', 'ita', 'iti', 'ite', 'endo', 'ivo', 'ivi', 'iva', 'ivamo',
  'ivano', 'ii', 'ì', 'irono', 'irò', 'irai', 'irà', 'iremo', 'iranno', 'irei', 'irebbe', 'iremmo', 'irebbero', 'a',
  'ano', 'isco', 'isci', 'isce', 'iscono', 'isca', 'iscano', 'issi', 'isse', 'irlo', 'irla', 'irli', 'irle', 'irmi',
  'irsi', 'irne', 'ente', 'enti',
]

const VOWEL = /[aeiouáéíóú]$/

/** Spanish spelling changes before e/é: pagar → pagué, buscar → busqué, empezar → empecé. */
function esJoin(stem: string, ending: string): string {
  const front = ending.startsWith('e') || ending.startsWith('é')
  if (front) {
    if (stem.endsWith('g')) return `${stem}u${ending}`
    if (stem.endsWith('c')) return `${stem.slice(0, -1)}qu${ending}`
    if (stem.endsWith('z')) return `${stem.slice(0, -1)}c${ending}`
  }
  return stem + ending
}

/** Italian spelling changes: c/g keep their hard sound before i/e (pagare → paghi, cercare → cerchi). */
function itJoin(stem: string, ending: string, hard: boolean): string[] {
  const front = /^[ieèé]/.test(ending)
  if (hard && front && (stem.endsWith('c') || stem.endsWith('g'))) return [`${stem}h${ending}`]
  // consigliare → consigli (not consiglii): a stem ending in i drops the ending's i.
  if (stem.endsWith('i') && ending.startsWith('i')) return [stem + ending.slice(1), stem + ending]
  return [stem + ending]
}

function esForms(word: string, cls: WordClass): string[] {
  if (cls === 'v') {
    const m = /^(.+)(ar|er|ir)$/.exec(word)
    if (m === null) return [word]
    const stem = m[1]!
    const endings = m[2] === 'ar' ? ES_AR : m[2] === 'er' ? ES_ER : ES_IR
    return endings.map((e) => esJoin(stem, e))
  }
  if (cls === 'n') {
    if (word.endsWith('z')) return [word, `${word.slice(0, -1)}ces`]
    if (word.endsWith('ión')) return [word, `${word.slice(0, -3)}iones`]
    return [word, VOWEL.test(word) ? `${word}s` : `${word}es`]
  }
  if (word.endsWith('o')) {
    const stem = word.slice(0, -1)
    return [word, `${stem}a`, `${stem}os`, `${stem}as`, `${stem}ísimo`, `${stem}ísima`, `${stem}ísimos`, `${stem}ísimas`]
  }
  return [word, VOWEL.test(word) ? `${word}s` : `${word}es`]
}

function itForms(word: string, cls: WordClass): string[] {
  if (cls === 'v') {
    const m = /^(.+)(are|ere|ire)$/.exec(word)
    if (m === null) return [word]
    const stem = m[1]!
    const endings = m[2] === 'are' ? IT_ARE : m[2] === 'ere' ? IT_ERE : IT_IRE
    const hard = m[2] === 'are'
    return endings.flatMap((e) => itJoin(stem, e, hard))
  }
  if (cls === 'n') {
    if (/[àèéìòùy]$|[^aeiou]$/.test(word)) return [word] // città, caffè, bar: invariable
    const stem = word.slice(0, -1)
    if (word.endsWith('io')) return [word, stem]
    if (word.endsWith('co') || word.endsWith('go')) return [word, `${stem}hi`, `${stem}i`]
    if (word.endsWith('ca') || word.endsWith('ga')) return [word, `${stem}he`]
    if (word.endsWith('o') || word.endsWith('e')) return [word, `${stem}i`]
    return [word, `${stem}e`, `${stem}i`] // -a: feminine plural, or masculine (problema → problemi)
  }
  if (word.endsWith('o')) {
    const stem = word.slice(0, -1)
    const hard = word.endsWith('co') || word.endsWith('go')
    const out = [word, `${stem}a`, `${stem}i`, `${stem}e`, `${stem}issimo`, `${stem}issima`, `${stem}issimi`, `${stem}issime`]
    if (hard) out.push(`${stem}hi`, `${stem}he`)
    return out
  }
  if (word.endsWith('e')) return [word, `${word.slice(0, -1)}i`]
  return [word]
}

/** English regular forms (the build uses compromise; this covers user cues at run time). */
function enForms(word: string, cls: WordClass): string[] {
  if (cls === 'a') return [word]
  const out = [word]
  const y = /[^aeiou]y$/.test(word)
  const sibilant = /(s|x|z|ch|sh)$/.test(word)
  out.push(y ? `${word.slice(0, -1)}ies` : sibilant ? `${word}es` : `${word}s`)
  if (cls === 'v') {
    const e = word.endsWith('e')
    out.push(y ? `${word.slice(0, -1)}ied` : e ? `${word}d` : `${word}ed`)
    out.push(e && !word.endsWith('ee') ? `${word.slice(0, -1)}ing` : `${word}ing`)
  }
  return out
}

/**
 * The forms of a lower-cased word in one language, itself first.
 *
 * @param lang Cue language.
 * @param word The lemma: an infinitive for verbs, the singular for nouns, the masculine singular for adjectives.
 * @param cls Word class.
 * @returns Distinct forms, accents kept (the caller folds them).
 */
export function inflect(lang: CueLang, word: string, cls: WordClass): string[] {
  const forms = lang === 'es' ? esForms(word, cls) : lang === 'it' ? itForms(word, cls) : enForms(word, cls)
  return [...new Set([word, ...forms])]
}

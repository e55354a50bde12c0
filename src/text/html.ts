/** HTML entities and tags, as found in review exports scraped from web pages. */
import { type Edit, editsFor } from './edits.js'

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', shy: '',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  laquo: '«', raquo: '»', iexcl: '¡', iquest: '¿', euro: '€', pound: '£', deg: '°',
  copy: '©', reg: '®', trade: '™', middot: '·', bull: '•', times: '×',
  aacute: 'á', eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú', yacute: 'ý',
  Aacute: 'Á', Eacute: 'É', Iacute: 'Í', Oacute: 'Ó', Uacute: 'Ú',
  agrave: 'à', egrave: 'è', igrave: 'ì', ograve: 'ò', ugrave: 'ù',
  Agrave: 'À', Egrave: 'È', Igrave: 'Ì', Ograve: 'Ò', Ugrave: 'Ù',
  acirc: 'â', ecirc: 'ê', icirc: 'î', ocirc: 'ô', ucirc: 'û',
  auml: 'ä', euml: 'ë', iuml: 'ï', ouml: 'ö', uuml: 'ü', Uuml: 'Ü', Ouml: 'Ö', Auml: 'Ä',
  ntilde: 'ñ', Ntilde: 'Ñ', ccedil: 'ç', Ccedil: 'Ç', szlig: 'ß', ordf: 'ª', ordm: 'º',
}

// An entity escaped twice ("&amp;oacute;", "&amp;#39;"), as an export of escaped HTML writes it, is decoded whole.
const ENTITY = /&(?:amp;)?(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g
// Block-level tags become a space so the words either side stay apart.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]{0,10})(?:\s[^<>]{0,300})?\/?>/g
const BLOCK = new Set(['br', 'p', 'div', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'blockquote'])
const HINT = /&(?:#|[a-zA-Z]{2,8};)|<\/?[a-zA-Z]/

function decodeEntity(m: RegExpExecArray): string | null {
  const inner = innerEntity(m)
  if (inner !== null || !m[0].startsWith('&amp;')) return inner
  // "&amp;" before what is no entity ("Fish &amp;chips;"): the outer one alone, as before the doubled form was read.
  return `&${m[0].slice(5)}`
}

function innerEntity(m: RegExpExecArray): string | null {
  if (m[1] !== undefined || m[2] !== undefined) {
    const cp = m[1] !== undefined ? Number(m[1]) : Number.parseInt(m[2]!, 16)
    if (cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null
    return String.fromCodePoint(cp)
  }
  return NAMED[m[3]!] ?? null
}

/** Edits that remove tags; entities are decoded in a second pass (see normalize). */
export function tagEdits(text: string): Edit[] {
  if (!HINT.test(text)) return []
  return editsFor(text, TAG, (m) => (BLOCK.has(m[2]!.toLowerCase()) ? ' ' : ''))
}

export function entityEdits(text: string): Edit[] {
  if (text.indexOf('&') === -1) return []
  return editsFor(text, ENTITY, decodeEntity)
}

/**
 * Injection for the authenticity benchmark: edited copies of real dev texts
 * (synonyms, typos, reordered, added and dropped sentences) and review bursts.
 * The word lists here are written for the benchmark.
 */

type Rng = () => number

const SYNONYMS: Record<string, string[]> = {
  // en
  great: ['excellent', 'fantastic', 'awesome'],
  good: ['nice', 'fine', 'decent'],
  bad: ['poor', 'awful', 'terrible'],
  buy: ['purchase', 'order'],
  bought: ['purchased', 'ordered', 'got'],
  love: ['adore', 'like'],
  product: ['item', 'thing'],
  very: ['really', 'extremely', 'super'],
  big: ['large', 'huge'],
  small: ['little', 'tiny'],
  fast: ['quick', 'rapid'],
  cheap: ['inexpensive', 'affordable'],
  nice: ['lovely', 'pleasant'],
  happy: ['pleased', 'satisfied'],
  works: ['functions', 'operates'],
  broke: ['failed', 'snapped'],
  hotel: ['place', 'property'],
  room: ['suite', 'bedroom'],
  staff: ['employees', 'personnel'],
  comfortable: ['comfy', 'cozy'],
  price: ['cost'],
  quality: ['build', 'craftsmanship'],
  recommend: ['suggest', 'endorse'],
  // es
  bueno: ['buen', 'estupendo'],
  muy: ['bastante', 'super'],
  producto: ['artículo', 'aparato'],
  calidad: ['factura'],
  precio: ['coste', 'importe'],
  rápido: ['veloz', 'pronto'],
  comprar: ['adquirir', 'pedir'],
  compré: ['pedí', 'adquirí'],
  malo: ['pésimo', 'horrible'],
  funciona: ['va', 'anda'],
  recomiendo: ['aconsejo', 'sugiero'],
  perfecto: ['ideal', 'genial'],
  // it
  buono: ['ottimo', 'valido'],
  molto: ['davvero', 'assai'],
  prodotto: ['articolo', 'oggetto'],
  qualità: ['fattura'],
  prezzo: ['costo'],
  veloce: ['rapido'],
  comprato: ['acquistato', 'preso'],
  funziona: ['va', 'opera'],
  consiglio: ['raccomando', 'suggerisco'],
  perfetto: ['ideale', 'ottimo'],
  bello: ['carino', 'splendido'],
  the: ['this', 'that'],
  it: ['this'],
  and: ['plus'],
  is: ['was', 'seems'],
  el: ['este'],
  la: ['esta'],
  es: ['era', 'resulta'],
  il: ['questo'],
  è: ['sembra', 'era'],
}

const EXTRA_SENTENCES: Record<string, string[]> = {
  en: [
    'I would buy it again without thinking twice.',
    'Shipping was quick and the box arrived in good shape.',
    'Highly recommended to anyone looking for one.',
    'My whole family loves it.',
    'Five stars from me.',
  ],
  es: [
    'Lo volvería a comprar sin dudarlo.',
    'El envío fue rápido y llegó en perfecto estado.',
    'Muy recomendable para cualquiera.',
    'A toda mi familia le encanta.',
    'Cinco estrellas sin duda.',
  ],
  it: [
    'Lo ricomprerei senza pensarci due volte.',
    'La spedizione è stata veloce e il pacco è arrivato integro.',
    'Consigliatissimo a tutti.',
    'Tutta la mia famiglia lo adora.',
    'Cinque stelle meritate.',
  ],
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!
}

function sentencesOf(text: string): string[] {
  const parts = text.match(/[^.!?]+[.!?]*\s*/g)
  return parts === null ? [text] : parts.map((s) => s.trim()).filter((s) => s !== '')
}

function typo(word: string, rng: Rng): string {
  if (word.length < 4) return word
  const i = 1 + Math.floor(rng() * (word.length - 2))
  const op = Math.floor(rng() * 3)
  if (op === 0) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) // swap
  if (op === 1) return word.slice(0, i) + word.slice(i + 1) // drop
  return word.slice(0, i) + word[i] + word.slice(i) // double
}

/** The edits a copy can get, by kind. */
export type EditKind = 'synonym' | 'typo' | 'reorder' | 'add_sentence' | 'drop_sentence'

function wordEdit(text: string, rng: Rng, kind: 'synonym' | 'typo'): string {
  const words = text.split(/(\s+)/)
  const slots: number[] = []
  for (let i = 0; i < words.length; i += 2) if (/\p{L}{3,}/u.test(words[i]!)) slots.push(i)
  if (slots.length === 0) return text
  if (kind === 'synonym') {
    const candidates = slots.filter((i) => SYNONYMS[words[i]!.toLowerCase().replace(/[^\p{L}]/gu, '')] !== undefined)
    if (candidates.length > 0) {
      const i = pick(rng, candidates)
      const bare = words[i]!.toLowerCase().replace(/[^\p{L}]/gu, '')
      words[i] = words[i]!.toLowerCase().replace(bare, pick(rng, SYNONYMS[bare]!))
      return words.join('')
    }
  }
  const i = pick(rng, slots)
  words[i] = words[i]!.replace(/\p{L}+/u, (w) => typo(w, rng))
  return words.join('')
}

/** Apply one edit of the given kind. */
export function applyEdit(text: string, lang: string, rng: Rng, kind: EditKind): string {
  switch (kind) {
    case 'synonym':
    case 'typo':
      return wordEdit(text, rng, kind)
    case 'reorder': {
      const s = sentencesOf(text)
      if (s.length < 2) return wordEdit(text, rng, 'typo')
      const i = Math.floor(rng() * (s.length - 1))
      ;[s[i], s[i + 1]] = [s[i + 1]!, s[i]!]
      return s.join(' ')
    }
    case 'add_sentence': {
      const s = sentencesOf(text)
      const pool = EXTRA_SENTENCES[lang] ?? EXTRA_SENTENCES.en!
      s.splice(Math.floor(rng() * (s.length + 1)), 0, pick(rng, pool))
      return s.join(' ')
    }
    case 'drop_sentence': {
      const s = sentencesOf(text)
      if (s.length < 3) return wordEdit(text, rng, 'synonym')
      s.splice(Math.floor(rng() * s.length), 1)
      return s.join(' ')
    }
  }
}

const KINDS: EditKind[] = ['synonym', 'typo', 'synonym', 'typo', 'reorder', 'add_sentence', 'drop_sentence']

/** How hard a copy is edited: exact, light = 1 edit, medium = 2–3 edits; `hard` (see dataset.ts) edits until word-3-gram Jaccard is 0.5–0.8. */
export type EditLevel = 'exact' | 'light' | 'medium' | 'hard'

/** An edited copy of `text` and the edits made. */
export function editedCopy(text: string, lang: string, rng: Rng, level: EditLevel): { text: string; edits: EditKind[] } {
  const n = level === 'exact' ? 0 : level === 'light' ? 1 : level === 'medium' ? 2 + Math.floor(rng() * 2) : 4 + Math.floor(rng() * 4)
  const edits: EditKind[] = []
  let out = text
  for (let i = 0; i < n; i++) {
    const kind = pick(rng, KINDS)
    edits.push(kind)
    out = applyEdit(out, lang, rng, kind)
  }
  return { text: out, edits }
}

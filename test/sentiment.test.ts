import { describe, expect, test } from 'vitest'
import type { LanguageCode, SentimentEvidence } from '../src/review/index.js'
import { labelOf, scoreSentiment } from '../src/sentiment/index.js'
import { NO_NODE, STEMMED, lexiconFor, lookupStem } from '../src/sentiment/lexicon.js'
import { NO_WORD_ID, makeDoc } from '../src/text/index.js'
import { bestPerRun } from './timing.js'

type Lang = 'en' | 'es' | 'it'

function analyze(text: string, lang: LanguageCode, title?: string) {
  return scoreSentiment(makeDoc(text, title ?? null), lang, { explain: true })
}

function score(text: string, lang: LanguageCode, title?: string): number {
  return analyze(text, lang, title).result.score
}

function evidence(text: string, lang: LanguageCode): SentimentEvidence[] {
  return analyze(text, lang).result.explain ?? []
}

/**
 * The weight of the evidence whose text is `term`, or else contains it (a lexicon
 * may hold a longer phrase around it); case-insensitive. Fails when there is none.
 */
function weightOf(text: string, lang: LanguageCode, term: string): number {
  const all = evidence(text, lang)
  const t = term.toLowerCase()
  const found = all.find((e) => e.text.toLowerCase() === t) ?? all.find((e) => e.text.toLowerCase().includes(t))
  expect(found, `no evidence "${term}" in "${text}": ${JSON.stringify(evidence(text, lang))}`).toBeDefined()
  return found!.weight
}

describe('negation', () => {
  test.each<[Lang, string]>([
    ['es', 'No me gustó.'],
    ['it', 'Non funziona più.'],
    ['es', 'Nunca más.'],
    ['it', 'Mai più.'],
    ['en', 'Never again.'],
  ])('%s "%s" is negative', (lang, text) => {
    expect(analyze(text, lang).result.label).toBe('negative')
  })

  test.each<[Lang, string]>([
    ['es', 'No está mal.'],
    ['it', 'Non è male.'],
    ['en', 'Not bad at all.'],
  ])('%s "%s" is positive', (lang, text) => {
    expect(analyze(text, lang).result.label).toBe('positive')
  })

  test.each<[Lang, string, string]>([
    ['en', 'The bag is not sturdy.', 'The bag is sturdy.'],
    ['es', 'La silla no es cómoda.', 'La silla es cómoda.'],
    ['it', 'La sedia non è comoda.', 'La sedia è comoda.'],
  ])('%s a negator flips a plain word: "%s"', (lang, negated, plain) => {
    expect(score(plain, lang)).toBeGreaterThan(0)
    expect(score(negated, lang)).toBeLessThan(0)
  })

  test.each<[Lang, string, string]>([
    ['en', "It doesn't work great.", 'great'],
    ['es', 'No lo veo cómodo.', 'cómodo'],
    ['it', 'Prodotto non proprio soddisfacente.', 'soddisfacente'],
  ])('%s a phrase that carries a negator passes it on: "%s"', (lang, text, term) => {
    expect(weightOf(text, lang, term)).toBeLessThan(0)
  })

  test('an accented blocker does not swallow the negation of its unaccented twin ("no sé" / "no se")', () => {
    expect(weightOf('No se mantiene estable.', 'es', 'estable')).toBeLessThan(0)
  })

  test.each<[Lang, string, string]>([
    ['en', 'I did not expect it, it is sturdy.', 'sturdy'],
    ['es', 'No lo esperaba, es cómoda.', 'cómoda'],
    ['it', 'Non lo sapevo, è comoda.', 'comoda'],
  ])('%s the scope ends at a clause boundary: "%s"', (lang, text, term) => {
    expect(weightOf(text, lang, term)).toBeGreaterThan(0)
  })

  test.each<[Lang, string, string]>([
    ['en', 'It is not cheap but sturdy.', 'sturdy'],
    ['es', 'No es barata pero es cómoda.', 'cómoda'],
    ['it', 'Non è economica ma è comoda.', 'comoda'],
  ])('%s the scope ends at a contrast word: "%s"', (lang, text, term) => {
    expect(weightOf(text, lang, term)).toBeGreaterThan(0)
  })
})

describe('conditionals and expectations', () => {
  test.each<[Lang, string, string, string]>([
    ['en', 'If it were good, I would keep it.', 'It is good.', 'good'],
    ['es', 'Esperaba algo bueno.', 'Es algo bueno.', 'bueno'],
    ['it', 'Speravo in qualcosa di bello.', 'È qualcosa di bello.', 'bello'],
  ])('%s a term in an irrealis clause weighs less: "%s"', (lang, irrealis, plain, term) => {
    expect(Math.abs(weightOf(irrealis, lang, term))).toBeLessThan(Math.abs(weightOf(plain, lang, term)))
  })

  test('"sí" (yes) does not open a condition the way "si" (if) does', () => {
    expect(weightOf('Sí, es bueno.', 'es', 'bueno')).toBeGreaterThan(weightOf('Si es bueno, lo compro.', 'es', 'bueno'))
  })
})

describe('intensifiers and diminishers', () => {
  test.each<[Lang, string, string, string]>([
    ['en', 'It is very good.', 'It is good.', 'good'],
    ['es', 'Es muy bueno.', 'Es bueno.', 'bueno'],
    ['es', 'Es súper bueno.', 'Es bueno.', 'bueno'],
    ['it', 'È molto bello.', 'È bello.', 'bello'],
    ['it', 'È troppo caro.', 'È caro.', 'caro'],
  ])('%s "%s" weighs more than "%s"', (lang, strong, plain, term) => {
    expect(Math.abs(weightOf(strong, lang, term))).toBeGreaterThan(Math.abs(weightOf(plain, lang, term)))
  })

  test.each<[Lang, string, string, string]>([
    ['en', 'It is a bit expensive.', 'It is expensive.', 'expensive'],
    ['es', 'Es un poco caro.', 'Es caro.', 'caro'],
    ['es', 'Es poco caro.', 'Es caro.', 'caro'],
    ['it', "È un po' caro.", 'È caro.', 'caro'],
  ])('%s "%s" weighs less than "%s"', (lang, weak, plain, term) => {
    expect(Math.abs(weightOf(weak, lang, term))).toBeLessThan(Math.abs(weightOf(plain, lang, term)))
  })
})

describe('contrast', () => {
  // The clause after the contrast word gains weight relative to the one before it.
  test.each<[Lang, string, string, string, string]>([
    ['en', 'but', 'It is excellent but bad.', 'It is excellent and bad.', 'excellent|bad'],
    ['en', 'however', 'It is excellent. However, it is bad.', 'It is excellent. It is bad.', 'excellent|bad'],
    ['es', 'pero', 'Es excelente pero malo.', 'Es excelente y malo.', 'excelente|malo'],
    ['es', 'sin embargo', 'Es excelente, sin embargo es malo.', 'Es excelente, es malo.', 'excelente|malo'],
    ['it', 'ma', 'È ottimo ma brutto.', 'È ottimo e brutto.', 'ottimo|brutto'],
    ['it', 'però', 'È ottimo, però è brutto.', 'È ottimo, è brutto.', 'ottimo|brutto'],
    ['it', 'tuttavia', 'È ottimo, tuttavia è brutto.', 'È ottimo, è brutto.', 'ottimo|brutto'],
  ])('%s "%s" shifts weight to what follows', (lang, _word, contrasted, plain, terms) => {
    const [before, after] = terms.split('|') as [string, string]
    const ratio = (text: string) => Math.abs(weightOf(text, lang, after) / weightOf(text, lang, before))
    expect(ratio(contrasted)).toBeGreaterThan(ratio(plain) * 1.5)
  })

  test.each<[Lang, string]>([
    ['en', 'The design is nice, but it broke after two days.'],
    ['es', 'El diseño es bonito, pero se rompió a los dos días.'],
    ['it', 'Il design è bello, ma si è rotto dopo due giorni.'],
  ])('%s a complaint after the contrast word decides: "%s"', (lang, text) => {
    expect(score(text, lang)).toBeLessThan(0)
  })
})

describe('review-domain phrases', () => {
  test.each<[Lang, string, string, number]>([
    ['es', 'El paquete llegó roto.', 'llegó roto', -1],
    ['es', 'A la semana dejó de funcionar.', 'dejó de funcionar', -1],
    ['es', 'Lo devolví al día siguiente.', 'devolví', -1],
    ['it', 'Si è rotto dopo una settimana.', 'Si è rotto dopo', -1],
    ['it', 'Ho fatto il reso.', 'reso', -1],
    ['it', 'Il prodotto non corrisponde alla descrizione.', 'non corrisponde alla descrizione', -1],
    ['en', 'It stopped working after a month.', 'stopped working', -1],
    ['en', 'What a waste of money.', 'waste of money', -1],
    ['en', 'I returned it the next day.', 'returned it', -1],
    ['en', 'It does the job.', 'does the job', 1],
  ])('%s "%s" is read as the phrase "%s"', (lang, text, phrase, sign) => {
    expect(Math.sign(weightOf(text, lang, phrase))).toBe(sign)
    expect(Math.sign(score(text, lang))).toBe(sign)
  })
})

describe('emoji, exclamations, elongation, capitals', () => {
  test.each<[Lang, string, string]>([
    ['en', 'Arrived on Monday 😍', 'Arrived on Monday 😡'],
    ['es', 'Llegó el lunes 👍', 'Llegó el lunes 👎'],
    ['it', 'Arrivato lunedì :)', 'Arrivato lunedì :('],
  ])('%s emoji and emoticons carry polarity', (lang, pos, neg) => {
    expect(score(pos, lang)).toBeGreaterThan(0)
    expect(score(neg, lang)).toBeLessThan(0)
  })

  test('skin tones and variation selectors do not hide an emoji', () => {
    expect(score('Arrived 👍🏽', 'en')).toBe(score('Arrived 👍', 'en'))
    expect(score('Arrived ❤️', 'en')).toBe(score('Arrived ❤', 'en'))
  })

  test.each<[Lang, string, string, string]>([
    ['en', 'It is excellent!!!', 'It is excellent.', 'excellent'],
    ['es', '¡Es excelente!!!', 'Es excelente.', 'excelente'],
    ['it', 'È ottimo!!!', 'È ottimo.', 'ottimo'],
  ])('%s "!!!" strengthens the sentence', (lang, loud, plain, term) => {
    expect(weightOf(loud, lang, term)).toBeGreaterThan(weightOf(plain, lang, term))
  })

  test.each<[Lang, string, string, string, string]>([
    ['en', 'It is goooood', 'It is good', 'goooood', 'good'],
    ['es', 'Está buenísimooo', 'Está buenísimo', 'buenísimooo', 'buenísimo'],
    ['it', 'È bellissimooo', 'È bellissimo', 'bellissimooo', 'bellissimo'],
  ])('%s elongated words are matched and weigh more: "%s"', (lang, long, plain, longTerm, term) => {
    expect(weightOf(long, lang, longTerm)).toBeGreaterThan(weightOf(plain, lang, term))
  })

  test.each<[Lang, string, string]>([
    ['en', 'TERRIBLE', 'terrible'],
    ['es', 'PÉSIMO', 'pésimo'],
    ['it', 'PESSIMO', 'pessimo'],
  ])('%s capitals weigh more: %s', (lang, caps, plain) => {
    const text = (w: string) => `The item: ${w}.`
    expect(weightOf(text(caps), lang, caps)).toBeLessThan(weightOf(text(plain), lang, plain))
  })
})

describe('title', () => {
  test.each<[Lang, string, string]>([
    ['en', 'Terrible', 'I bought it on Monday.'],
    ['es', 'Pésimo', 'Lo compré el lunes.'],
    ['it', 'Pessimo', "L'ho comprato lunedì."],
  ])('%s the title is scored with the body', (lang, title, body) => {
    const withTitle = analyze(body, lang, title)
    expect(analyze(body, lang).result.label).toBe('neutral')
    expect(withTitle.result.label).toBe('negative')
    expect(withTitle.result.explain?.[0]?.field).toBe('title')
    expect(withTitle.title?.[0]).toBeLessThan(0)
  })
})

describe('inflection and accents', () => {
  test.each<[Lang, string]>([
    ['es', 'Unas zapatillas buenísimas.'],
    ['es', 'Las sillas son cómodas.'],
    ['it', 'Scarpe bellissime.'],
    ['it', 'Delle borse ottime.'],
    ['en', 'These bags are gems.'],
  ])('%s inflected forms of positive lemmas are matched: "%s"', (lang, text) => {
    expect(score(text, lang)).toBeGreaterThan(0)
  })

  test.each<[Lang, string]>([
    ['es', 'Una calidad pésima.'],
    ['es', 'Unos productos malos.'],
    ['it', 'Una qualità pessima.'],
    ['it', 'Dei prodotti scadenti.'],
    ['en', 'These sellers are scams.'],
  ])('%s inflected forms of negative lemmas are matched: "%s"', (lang, text) => {
    expect(score(text, lang)).toBeLessThan(0)
  })

  test.each<['es' | 'it', string, number]>([
    ['es', 'decepcionaron', -2.6666666666666665],
    ['it', 'deludevano', -2.5142857142857147],
    ['it', 'adoravamo', 3.028571428571429],
  ])('%s the stem fallback gives "%s", which no entry lists, the mean weight of its stem', (lang, word, weight) => {
    // Stems come from src/sentiment/generated/stems.ts (scripts/build-sentiment.ts);
    // the fitted engine weighs them by stemFactor.
    const lex = lexiconFor(lang)
    expect(lex.root.has(word)).toBe(false)
    const node = lookupStem(lex, word, NO_WORD_ID)
    expect(node).not.toBe(NO_NODE)
    expect(lex.flags[node]! & STEMMED).toBe(STEMMED)
    expect(lex.weight[node]).toBe(weight)
  })

  test.each<[Lang, string, string]>([
    ['es', 'Producto pesimo', 'Producto pésimo'],
    ['it', 'Non e male', 'Non è male'],
    ['en', 'A cliche plot', 'A cliché plot'],
  ])('%s matching is accent-insensitive: "%s"', (lang, bare, accented) => {
    expect(score(bare, lang)).toBe(score(accented, lang))
    expect(score(bare, lang)).not.toBe(0)
  })
})

describe('no evidence', () => {
  test.each<[Lang, string]>([
    ['en', '12345'],
    ['es', '.'],
    ['it', '2019'],
    ['en', 'ok'],
    ['es', 'ok'],
    ['it', 'ok'],
    ['en', ''],
  ])('%s "%s" is neutral with low confidence', (lang, text) => {
    const { result } = analyze(text, lang)
    expect(result.label).toBe('neutral')
    expect(result.confidence).toBeLessThanOrEqual(0.2)
    expect(Math.abs(result.stars - 3)).toBeLessThanOrEqual(0.5)
  })
})

describe('mojibake', () => {
  test.each<[Lang, string, string]>([
    ['es', 'Calidad pÃ©sima, no lo recomiendo', 'Calidad pésima, no lo recomiendo'],
    ['it', 'QualitÃ  ottima, perchÃ© costa poco', 'Qualità ottima, perché costa poco'],
    ['en', 'Itâ€™s terrible, donâ€™t buy', 'It’s terrible, don’t buy'],
  ])('%s mojibake text scores like its repaired form', (lang, broken, fixed) => {
    expect(analyze(broken, lang).result).toEqual({
      ...analyze(fixed, lang).result,
      explain: expect.any(Array),
    })
    expect(score(broken, lang)).toBe(score(fixed, lang))
  })
})

describe('explain', () => {
  test.each<[Lang, string, string]>([
    ['es', 'Calidad pÃ©sima, <b>no lo recomiendo</b> &amp; punto', 'pÃ©sima'],
    ['it', 'QualitÃ  <i>pessima</i>, mai piÃ¹', 'pessima'],
    ['en', 'It&#39;s <b>terrible</b>, donâ€™t buy', 'terrible'],
  ])('%s evidence is the exact substring of the input at its offsets', (lang, text, expected) => {
    const explain = analyze(text, lang).result.explain ?? []
    expect(explain.some((e) => e.text.includes(expected))).toBe(true)
    for (const e of explain) expect(text.slice(e.start, e.end)).toBe(e.text)
  })
})

describe('und', () => {
  test.each<[Lang, string]>([
    ['es', 'El producto llegó roto y el vendedor no contesta.'],
    ['it', 'Prodotto ottimo, arrivato in anticipo.'],
    ['en', 'Stopped working after a week, waste of money.'],
  ])('%s text scored as und uses the matching lexicon', (lang, text) => {
    expect(score(text, 'und')).toBe(score(text, lang))
  })
})

describe('token contributions', () => {
  test.each<[Lang, string, string]>([
    ['en', 'Great fit, but it broke after two days. Returned it!', 'Not worth it'],
    ['es', 'Muy bonito, pero llegó roto. Lo devolví 😡', 'No lo recomiendo'],
    ['it', 'Bello, ma si è rotto dopo una settimana. Reso.', 'Pessimo acquisto'],
  ])('%s contributions sum to the explained weights and sit on the evidence tokens', (lang, text, title) => {
    const a = analyze(text, lang, title)
    const doc = makeDoc(text, title)
    expect(a.body.length).toBe(doc.body.tokens.length)
    expect(a.title?.length).toBe(doc.title?.tokens.length)
    const sum = [...a.body, ...(a.title ?? [])].reduce((x, y) => x + y, 0)
    const explained = (a.result.explain ?? []).reduce((x, e) => x + e.weight, 0)
    expect(sum).toBeCloseTo(explained, 2)
    for (const e of a.result.explain ?? []) {
      const field = e.field === 'title' ? doc.title! : doc.body
      const arr = e.field === 'title' ? a.title! : a.body
      // These texts need no repair, so clean offsets are original offsets.
      const at = field.tokens.findIndex((t) => t.start === e.start)
      expect(at).toBeGreaterThanOrEqual(0)
      expect(arr[at]).not.toBe(0)
    }
  })
})

describe('long input', () => {
  /** Time of one scoring of `text`: see `bestPerRun`. */
  function timeOf(text: string, runs: number): number {
    const doc = makeDoc(text)
    return bestPerRun(() => scoreSentiment(doc, 'en', { explain: false }), runs)
  }

  test.each([
    ['contrast words in one sentence', 'good but bad but '],
    ['negators without punctuation', 'not no never not good '],
    ['phrase prefixes', 'does not work as does not '],
  ])('a 100k-character text runs in linear time (%s)', (_name, unit) => {
    const small = unit.repeat(Math.ceil(10_000 / unit.length))
    const large = unit.repeat(Math.ceil(100_000 / unit.length))
    expect(large.length).toBeGreaterThanOrEqual(100_000)
    timeOf(small, 10) // warm-up
    const ratio = timeOf(large, 5) / Math.max(timeOf(small, 50), 0.04)
    // Linear is 10×; quadratic would be 100×.
    expect(ratio).toBeLessThan(35)
    const { result } = analyze(large, 'en')
    expect(Number.isFinite(result.score)).toBe(true)
  })
})

describe('ranges (property, fixed seed)', () => {
  function mulberry32(seed: number): () => number {
    let a = seed
    return () => {
      a = (a + 0x6d2b79f5) | 0
      let t = Math.imul(a ^ (a >>> 15), 1 | a)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
  const vocab: Record<Lang, string[]> = {
    en: ['good', 'GREAT', 'not', 'but', 'however', 'very', 'a bit', 'broke', 'returned it', 'waste of money', 'sooo', 'goood', 'never'],
    es: ['bueno', 'PÉSIMO', 'no', 'pero', 'sin embargo', 'muy', 'un poco', 'llegó roto', 'nunca más', 'buenísimooo', 'aunque'],
    it: ['bello', 'PESSIMO', 'non', 'ma', 'però', 'molto', "un po'", 'reso', 'mai più', 'bellissimooo', 'anche se'],
  }
  const extra = ['.', ',', '!!!', '?', '😍', '😡', ':)', '★★★★☆', '5 stars', '3/10', '12', 'the', 'el', 'il', '\n']

  test.each<Lang>(['en', 'es', 'it'])('%s scores, stars and confidence stay in range', (lang) => {
    const rand = mulberry32(lang.charCodeAt(0) * 7919)
    const words = [...vocab[lang], ...extra]
    for (let n = 0; n < 400; n++) {
      const len = Math.floor(rand() * 40)
      const parts: string[] = []
      for (let k = 0; k < len; k++) parts.push(words[Math.floor(rand() * words.length)]!)
      const title = rand() < 0.3 ? words[Math.floor(rand() * words.length)]! : undefined
      const a = analyze(parts.join(' '), lang, title)
      const r = a.result
      expect(r.score).toBeGreaterThanOrEqual(-1)
      expect(r.score).toBeLessThanOrEqual(1)
      expect(r.stars).toBeGreaterThanOrEqual(1)
      expect(r.stars).toBeLessThanOrEqual(5)
      expect(r.confidence).toBeGreaterThanOrEqual(0)
      expect(r.confidence).toBeLessThanOrEqual(1)
      expect(r.label).toBe(labelOf(r.score))
      for (const c of a.body) expect(Number.isFinite(c)).toBe(true)
    }
  })
})

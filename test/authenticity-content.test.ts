/**
 * Per-review authenticity signals through `analyze`: each signal fires on a
 * positive case and stays silent on a near-miss, in Spanish, Italian and
 * English, with a reason a moderator can read and the exact phrase.
 */
import { describe, expect, it } from 'vitest'
import { analyze } from '../src/index.js'
import type { ReviewInput, Signal, SignalType } from '../src/index.js'

function signal(review: ReviewInput, type: SignalType): Signal | undefined {
  return analyze(review).authenticity.signals.find((s) => s.type === type)
}

describe('unverified', () => {
  it('fires when the platform says the purchase was not verified', () => {
    const s = signal({ text: 'Buen producto, llegó a tiempo.', verified: false }, 'unverified')
    expect(s?.reason).toMatch(/not verified/)
  })
  it('stays silent for verified or unknown purchases', () => {
    expect(signal({ text: 'Ottimo prodotto, arrivato in tempo.', verified: true }, 'unverified')).toBeUndefined()
    expect(signal({ text: 'Great product, arrived on time.' }, 'unverified')).toBeUndefined()
  })
})

describe('incentivized', () => {
  const cases: [string, string, string][] = [
    ['en', 'I received this product for free in exchange for my honest review. The cream absorbs fast.', 'received this product for free in exchange for my honest review'],
    ['es', 'Producto recibido gratis a cambio de mi opinión honesta. Suena muy bien.', 'Producto recibido gratis a cambio de mi opinión honesta'],
    ['it', 'Prodotto ricevuto gratuitamente in cambio di una recensione onesta. Fa un buon caffè.', 'Prodotto ricevuto gratuitamente in cambio di una recensione onesta'],
  ]
  for (const [lang, text, phrase] of cases) {
    it(`finds the disclosure and quotes it (${lang})`, () => {
      const s = signal({ text, lang: lang as 'en' }, 'incentivized')
      expect(s?.phrase).toBe(phrase)
      expect(s?.strength).toBe(1)
      expect(s?.reason).toContain(`“${phrase}”`)
    })
  }
  it('finds weaker disclosures: the brand sent it to test (en), Vine programme (es), ricevuto gratis (it)', () => {
    expect(signal({ text: 'Disclaimer: the brand sent me these shoes to test. Comfortable.', lang: 'en' }, 'incentivized')?.strength).toBe(0.8)
    expect(signal({ text: 'Lo conseguí gracias al programa Vine. Bonito.', lang: 'es' }, 'incentivized')?.strength).toBe(0.6)
    expect(signal({ text: "L'ho ricevuto gratis per provarlo, funziona.", lang: 'it' }, 'incentivized')).toBeDefined()
  })
  it('ignores negated disclosures and free shipping', () => {
    expect(signal({ text: 'I did not get this for free, I paid full price and this review is honest.', lang: 'en' }, 'incentivized')).toBeUndefined()
    expect(signal({ text: 'I received it quickly with free shipping, love it.', lang: 'en' }, 'incentivized')).toBeUndefined()
    expect(signal({ text: 'Lo recibí rápido y con envío gratis, muy contento.', lang: 'es' }, 'incentivized')).toBeUndefined()
    expect(signal({ text: 'Ricevuto con spedizione gratis, tutto ok.', lang: 'it' }, 'incentivized')).toBeUndefined()
  })
  it('keeps the hotel perks out ("offered us a free upgrade")', () => {
    expect(signal({ text: 'At check-in they offered us a free upgrade and a complimentary breakfast.', lang: 'en' }, 'incentivized')).toBeUndefined()
  })
})

describe('spam', () => {
  it('finds links, phone numbers and pharma words (en)', () => {
    const s = signal({ text: 'Buy cheap viagra online at www.best-pills.example, call +1 555 014 2277' }, 'spam')
    expect(s?.strength).toBe(1)
    expect(s?.reason).toMatch(/a link \(www\.best-pills\.example\)/)
    expect(s?.reason).toMatch(/a phone number/)
    expect(s?.reason).toMatch(/pharma vocabulary/)
  })
  it('finds contact bait and promo codes (es)', () => {
    const s = signal({ text: 'Usa el código ESTRELLA30 y escríbeme por WhatsApp para más ofertas.', lang: 'es' }, 'spam')
    expect(s?.reason).toMatch(/a promo code \(“Usa el código ESTRELLA30”\)/)
    expect(s?.reason).toMatch(/contact bait/)
  })
  it('finds easy-money and crypto bait (it)', () => {
    const s = signal({ text: 'Guadagna soldi da casa con il trading di bitcoin, contattami su Telegram.', lang: 'it' }, 'spam')
    expect(s?.reason).toMatch(/crypto or trading vocabulary/)
    expect(s?.reason).toMatch(/contact bait/)
  })
  it('reads through mojibake the normalizer repairs', () => {
    const s = signal({ text: 'Gana dinero rÃ¡pido desde casa con bitcoin, inversiÃ³n garantizada' }, 'spam')
    expect(s).toBeDefined()
    expect(s?.reason).toMatch(/easy-money/)
  })
  it('adds weight when the text is in no review language', () => {
    const s = signal({ text: 'Kaufen Sie billige Pillen ohne Rezept bei pillen-shop.ru schnell' }, 'spam')
    expect(s?.reason).toMatch(/in no review language/)
  })
  it('lets store names, a casino next to a hotel and a sentence run-on pass', () => {
    expect(signal({ text: 'Bought it on Amazon.com, arrived fast.' }, 'spam')).toBeUndefined()
    expect(signal({ text: 'The hotel is right next to the casino, rooms were clean.' }, 'spam')).toBeUndefined()
    expect(signal({ text: 'Me encanta la calidad.es muy buena', lang: 'es' }, 'spam')).toBeUndefined()
    expect(signal({ text: 'Comodo e leggero.Io lo consiglio', lang: 'it' }, 'spam')).toBeUndefined()
  })
})

describe('low_information', () => {
  it('fires on short generic praise in each language', () => {
    for (const [text, lang] of [
      ['Great product!', 'en'],
      ['Muy bueno, lo recomiendo', 'es'],
      ['Ottimo prodotto', 'it'],
    ] as const) {
      const s = signal({ text, lang }, 'low_information')
      expect(s?.phrase).toBe(text)
      expect(s?.reason).toMatch(/no detail/)
    }
  })
  it('is stronger the shorter the text', () => {
    expect(signal({ text: 'Great!', lang: 'en' }, 'low_information')!.strength).toBeGreaterThan(
      signal({ text: 'Really great product, love it', lang: 'en' }, 'low_information')!.strength,
    )
  })
  it('stays silent when a detail is given', () => {
    expect(signal({ text: 'Great shoes, run half a size small', lang: 'en' }, 'low_information')).toBeUndefined()
    expect(signal({ text: 'Muy bueno, la batería dura dos días', lang: 'es' }, 'low_information')).toBeUndefined()
    expect(signal({ text: 'Ottimo, ma la cinghia è corta', lang: 'it' }, 'low_information')).toBeUndefined()
  })
  it('quotes a text with no words as cleaned: no control character a database would refuse', () => {
    const nul = analyze({ id: 'n', text: '\u0000\u0000\u0000' })
    expect(nul.warnings).toContain('removed control characters')
    const s = nul.authenticity.signals.find((x) => x.type === 'low_information')!
    expect([s.reason, s.phrase]).toEqual(['the text has no words', ''])
    expect(JSON.stringify(nul)).not.toContain('\\u0000')
    expect(signal({ text: '\u0000👍👍\u0000' }, 'low_information')).toMatchObject({ reason: 'the text has no words: “👍👍”', phrase: '👍👍' })
  })
})

describe('rating_mismatch', () => {
  it('fires on 5 stars with furious text and on 1 star with glowing text', () => {
    const furious = signal({ text: 'Una estafa. Dejó de funcionar a la semana y nadie me devuelve el dinero. Estoy furiosa.', rating: 5, lang: 'es' }, 'rating_mismatch')
    expect(furious?.reason).toMatch(/^rated 5 stars but the text reads negative/)
    const glowing = signal({ text: 'Crema fantastica, la pelle è morbida e luminosa, la migliore che abbia mai provato!', rating: 1, lang: 'it' }, 'rating_mismatch')
    expect(glowing?.reason).toMatch(/^rated 1 star but the text reads positive/)
  })
  it('grows with the gap', () => {
    const text = 'Absolutely love these shoes, super comfortable and they look amazing. Best running shoes ever!'
    const one = signal({ text, rating: 1, lang: 'en' }, 'rating_mismatch')!
    const two = signal({ text, rating: 2, lang: 'en' }, 'rating_mismatch')
    expect(two === undefined || two.strength < one.strength).toBe(true)
  })
  it('stays silent when stars and text agree, or without stars', () => {
    expect(signal({ text: 'Terrible, broke after two days.', rating: 1, lang: 'en' }, 'rating_mismatch')).toBeUndefined()
    expect(signal({ text: 'Terrible, broke after two days.', lang: 'en' }, 'rating_mismatch')).toBeUndefined()
  })
})

describe('generated_text', () => {
  it('is English-scoped: Spanish and Italian texts are not scored', () => {
    const long = 'Este producto es muy bueno y lo recomiendo a todos porque funciona muy bien y es barato y bonito. '.repeat(3)
    expect(signal({ text: long, lang: 'es' }, 'generated_text')).toBeUndefined()
    expect(signal({ text: long, lang: 'it' }, 'generated_text')).toBeUndefined()
  })
  it('never makes a review suspicious on its own', () => {
    const text = 'I loved this movie because it has the story line and the characters. The acting was just ok. The story is the most typical of the TV shows, so it is not that it is'
    const out = analyze({ text, lang: 'en' })
    const s = out.authenticity.signals.find((x) => x.type === 'generated_text')
    if (s !== undefined) expect(s.reason).toMatch(/style resembles/)
    if (out.authenticity.signals.length === (s === undefined ? 0 : 1)) expect(out.authenticity.verdict).toBe('genuine')
  })
})

describe('combined score', () => {
  it('lists the signals in a fixed order and stays genuine with none', () => {
    const out = analyze({ text: 'La batidora tritura bien el hielo; la tapa gotea un poco.', rating: 4, verified: true, lang: 'es' })
    expect(out.authenticity).toEqual({ fakeScore: 0, verdict: 'genuine', signals: [] })
  })
  it('takes weights and thresholds from the options', () => {
    const review = { text: 'Producto recibido gratis a cambio de mi opinión honesta.', lang: 'es' as const }
    expect(analyze(review).authenticity.verdict).toBe('likely_fake')
    expect(analyze(review, { authenticity: { weights: { incentivized: 0 } } }).authenticity.fakeScore).toBe(0)
    expect(analyze(review, { authenticity: { thresholds: { likelyFake: 0.95 } } }).authenticity.verdict).toBe('suspicious')
  })
})

import { describe, expect, it } from 'vitest'
import { foldAccents, makeDoc, makeField, normalizeText, originalSpan, spanOf, squeezeElongation, tokenize } from '../src/text/index.js'

const kinds = (text: string) => makeField(text).tokens.map((t) => `${t.kind}:${makeField(text).clean.slice(t.start, t.end)}`)

describe('normalizer', () => {
  it('composes decomposed accents to NFC', () => {
    const n = normalizeText('e\u0301xito y cafe\u0301')
    expect(n.clean).toBe('éxito y café')
    expect(n.repairs).toContain('unicode_nfc')
  })

  it('removes zero-width characters but keeps emoji joiners', () => {
    expect(normalizeText('gran\u200Bde\uFEFF').clean).toBe('grande')
    expect(normalizeText('👨\u200D👩\u200D👧').clean).toBe('👨\u200D👩\u200D👧')
  })

  it('repairs UTF-8 read as Windows-1252', () => {
    expect(normalizeText('Ã¨ perchÃ© cosÃ¬').clean).toBe('è perché così')
    expect(normalizeText('Ã©xito, niÃ±o').clean).toBe('éxito, niño')
    expect(normalizeText('ðŸ˜€ ok').clean).toBe('😀 ok')
  })

  it('repairs text decoded twice', () => {
    expect(normalizeText('ÃƒÂ©').clean).toBe('é')
  })

  it('repairs UTF-8 read as Windows-1251', () => {
    expect(normalizeText('kГ¶pa').clean).toBe('köpa')
  })

  it('leaves correct accented and Cyrillic text alone', () => {
    for (const s of ['Perché è così caro?', 'Año pequeño, ¡qué ilusión!', 'Привет, как дела', 'Ça coûte 10 € — très cher']) {
      const n = normalizeText(s)
      expect(n.clean).toBe(s)
      expect(n.repairs).toEqual([])
    }
  })

  it('decodes HTML entities and drops tags', () => {
    const n = normalizeText('<p>Muy&nbsp;bueno &amp; barato</p><br/>&eacute;xito &#8364; &#x1F600;')
    expect(n.clean.trim().replace(/\s+/g, ' ')).toBe('Muy bueno & barato éxito € 😀')
    expect(n.repairs).toContain('html')
  })

  it('decodes entities escaped twice, as exports of escaped HTML write them', () => {
    expect(normalizeText('No me gust&amp;oacute; el env&amp;iacute;o, didn&amp;#39;t work').clean).toBe("No me gustó el envío, didn't work")
    // "&amp;" before what is no entity is still an ampersand.
    expect(normalizeText('Fish &amp;chips; and R&amp;D &amp;amp; more').clean).toBe('Fish &chips; and R&D & more')
    expect(normalizeText('Tom &amp;amp; Jerry &amp; co').clean).toBe('Tom & Jerry & co')
  })

  it('does not treat a heart emoticon or a comparison as a tag', () => {
    expect(normalizeText('I <3 it, 2 < 3').clean).toBe('I <3 it, 2 < 3')
  })

  it("keeps the reviewer's words of a text that holds Google's machine translation, either order", () => {
    const original = 'Muy buen servicio, el personal fue amable'
    for (const text of [
      `(Translated by Google) Very good service, the staff was kind\n\n(Original)\n${original}`,
      `${original}\n\n(Translated by Google)\nVery good service, the staff was kind`,
      `(Tradotto da Google) Ottimo servizio\r\n\r\n(Originale)\r\n${original}`,
      // Line breaks flattened to spaces (a scrape, or HTML's <br>).
      `(Translated by Google) Very good service (Original) ${original}`,
      `<p>${original}<br>(Translated by Google)<br>Very good service</p>`,
    ]) {
      const n = normalizeText(text)
      expect(n.clean.trim()).toBe(original)
      expect(n.repairs).toContain('machine_translation')
      // Offsets still point into the text as given.
      const at = n.clean.indexOf('amable')
      expect(originalSpan(text, n.origin, at, at + 6).text).toBe('amable')
    }
    // A mark glued to a word, or written otherwise, is the reviewer's; a translation alone, or with an empty original, is read as it is.
    for (const text of ['see(Translated by Google) here', 'I wrote (translated by google) and got it', '(Translated by Google) Very good service', '(Translated by Google) Very good\n\n(Original)\n  ']) {
      expect(normalizeText(text)).toMatchObject({ clean: text, repairs: [] })
    }
  })

  it('unifies typographic apostrophes without moving offsets', () => {
    const n = normalizeText('don’t l’acqua')
    expect(n.clean).toBe("don't l'acqua")
    expect(n.origin).toBeNull()
  })

  it('turns ´ and ` into apostrophes only after a letter, with or without ’ in the text', () => {
    expect(normalizeText('don´t `quoted` l’acqua').clean).toBe("don't `quoted' l'acqua")
    expect(normalizeText('it`s ´ here').clean).toBe("it's ´ here")
    expect(normalizeText('l’acqua ‘x’ ʼy′').clean).toBe("l'acqua 'x' 'y'")
  })

  it('maps clean offsets back to the exact original substring', () => {
    const original = 'Ã‰ un <b>prodotto</b> perchÃ© Ã¨ bello'
    const field = makeField(original)
    for (const t of field.tokens) {
      const span = spanOf(field, t)
      expect(original.slice(span.start, span.end)).toBe(span.text)
    }
    const perche = field.tokens.find((t) => t.key === 'perche')!
    expect(spanOf(field, perche).text).toBe('perchÃ©')
    const prodotto = field.tokens.find((t) => t.key === 'prodotto')!
    expect(spanOf(field, prodotto).text).toBe('prodotto')
  })
})

describe('folding', () => {
  it('squeezes elongations to two letters', () => {
    expect(squeezeElongation('soooo')).toBe('soo')
    expect(squeezeElongation('buenísimooo')).toBe('buenísimoo')
    expect(squeezeElongation('good')).toBeNull()
  })

  it('folds accents for matching keys', () => {
    expect(foldAccents('pésimo')).toBe('pesimo')
    expect(foldAccents('perché così')).toBe('perche cosi')
    expect(foldAccents('plain')).toBe('plain')
  })
})

describe('tokenizer', () => {
  it('gives words lower-cased norms, folded keys and caps/elongation flags', () => {
    const { tokens } = makeField('PÉSIMO producto, buenísimooo')
    expect(tokens.map((t) => [t.norm, t.key, t.caps, t.elongated])).toEqual([
      ['pésimo', 'pesimo', true, false],
      ['producto', 'producto', false, false],
      [',', ',', false, false],
      ['buenísimoo', 'buenisimoo', false, true],
    ])
  })

  it('keeps offsets that slice back to each token', () => {
    const text = 'Llegó tarde :( pero funciona 👍🏽 — visita www.tienda.es o llama al +34 612 345 678!!!'
    const field = makeField(text)
    for (const t of field.tokens) {
      expect(field.clean.slice(t.start, t.end).toLowerCase()).toContain(t.norm.slice(0, 1))
      expect(t.end).toBeGreaterThan(t.start)
    }
    expect(kinds(text)).toEqual([
      'word:Llegó',
      'word:tarde',
      'emoticon::(',
      'word:pero',
      'word:funciona',
      'emoji:👍🏽',
      'punct:—',
      'word:visita',
      'url:www.tienda.es',
      'word:o',
      'word:llama',
      'word:al',
      'phone:+34 612 345 678',
      'punct:!!!',
    ])
  })

  it('recognizes emails, mentions, hashtags, numbers and emoticons', () => {
    expect(kinds('mail me: deals@shop.com @seller #ad 4/5 1.299,00 xD <3 :-)')).toEqual([
      'word:mail',
      'word:me',
      'punct::',
      'email:deals@shop.com',
      'mention:@seller',
      'hashtag:#ad',
      'number:4/5',
      'number:1.299,00',
      'emoticon:xD',
      'emoticon:<3',
      'emoticon::-)',
    ])
  })

  it('reads dates and short codes as numbers, not phone numbers', () => {
    expect(kinds('2018-01-25 ref 1234 5678')).toEqual(['number:2018', 'number:01', 'number:25', 'word:ref', 'number:1234', 'number:5678'])
  })

  it('splits Romance elisions and English clitics but keeps negative contractions', () => {
    const norms = makeField("l'acqua dell'hotel c'è un po' don't it's").tokens.map((t) => t.norm)
    expect(norms).toEqual(["l'", 'acqua', "dell'", 'hotel', "c'", 'è', 'un', 'po', "don't", 'it', "'s"])
  })

  it('does not read a time or a word with a colon as an emoticon', () => {
    expect(kinds('a las 10:30 Nota:Dopo')).toEqual(['word:a', 'word:las', 'number:10', 'punct::', 'number:30', 'word:Nota', 'punct::', 'word:Dopo'])
  })

  it('tokenizes a title apart from the body', () => {
    const doc = makeDoc('Funciona bien', 'Genial')
    expect(doc.title?.tokens.map((t) => t.key)).toEqual(['genial'])
    expect(doc.body.tokens.map((t) => t.key)).toEqual(['funciona', 'bien'])
  })

  it('handles a 100k-character text', () => {
    const text = 'muy bueno, '.repeat(10_000)
    const tokens = tokenize(text, text.toLowerCase())
    expect(tokens.length).toBe(30_000)
  })
})

describe('glued sentences', () => {
  it('splits words glued by a lost line break, but not brand names', () => {
    const keys = makeField('Ottimo caffèConsiglio questo, la qualitàSe serve; iPhone McDonald PlayStation WhatsApp PayPal').tokens.map((t) => t.norm)
    expect(keys).toEqual(['ottimo', 'caffè', 'consiglio', 'questo', ',', 'la', 'qualità', 'se', 'serve', ';', 'iphone', 'mcdonald', 'playstation', 'whatsapp', 'paypal'])
  })
})

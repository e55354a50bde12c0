import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { halfOf, loadDevRows, scoreSets } from '../benchmarks/journey/dev.js'
import { loadExtraRows } from '../benchmarks/journey/extra.js'
import {
  JourneyAggregate,
  compileCue,
  compileTaxonomy,
  loadTaxonomyFile,
  parseTaxonomy,
  tagJourney,
} from '../src/journey/index.js'
import { type JourneyTag, type LanguageCode, RecensioError, type TaxonomyInput } from '../src/review/index.js'
import { type SentimentAnalysis, scoreSentiment } from '../src/sentiment/index.js'
import { NO_WORD_ID, makeDoc } from '../src/text/index.js'
import { OUT, buildJourneyModule } from '../scripts/build-journey.js'
import { bestPerRun } from './timing.js'

const taxonomy = compileTaxonomy()

function silent(doc: ReturnType<typeof makeDoc>): SentimentAnalysis {
  return {
    result: { score: 0, label: 'neutral', stars: 3, confidence: 0 },
    body: new Float32Array(doc.body.tokens.length),
    title: doc.title === null ? null : new Float32Array(doc.title.tokens.length),
  }
}

function tag(text: string, lang: LanguageCode, title?: string): JourneyTag[] {
  const doc = makeDoc(text, title)
  return tagJourney(doc, lang, scoreSentiment(doc, lang, { explain: false }), taxonomy)
}

function stagesOf(text: string, lang: LanguageCode): string[] {
  return tag(text, lang).map((t) => t.stage)
}

// Sentences written for these tests: one stage each, per language.
const STAGE_SENTENCES: [string, LanguageCode, string][] = [
  ['discovery', 'en', 'I chose it after reading the reviews, and the description was misleading.'],
  ['discovery', 'es', 'Me lo recomendó una amiga y la descripción no coincide con las fotos.'],
  ['discovery', 'it', 'Mi è stato consigliato da un collega, ma non corrisponde alla descrizione.'],
  ['purchase', 'en', 'Great value for money, I paid half the price with a coupon.'],
  ['purchase', 'es', 'Buena relación calidad precio, lo compré en oferta.'],
  ['purchase', 'it', 'Ottimo rapporto qualità prezzo, pagato con lo sconto.'],
  ['delivery', 'en', 'The package arrived two days late and the box was crushed.'],
  ['delivery', 'es', 'El envío tardó tres semanas y el paquete llegó abollado.'],
  ['delivery', 'it', 'Il pacco è arrivato in ritardo, il corriere non ha suonato.'],
  ['delivery', 'en', 'Check-in took an hour because our room was not ready.'],
  ['usage', 'en', 'The battery lasts all day and the screen is bright.'],
  ['usage', 'es', 'La batería dura todo el día y la pantalla se ve muy bien.'],
  ['usage', 'it', 'La batteria dura tutto il giorno e lo schermo è luminoso.'],
  ['usage', 'en', 'The room was spotless and the bed very comfortable.'],
  ['support', 'en', 'Customer service never answered, so I asked for a refund.'],
  ['support', 'es', 'El servicio técnico no contesta y sigo esperando el reembolso.'],
  ['support', 'it', "L'assistenza clienti non risponde e aspetto ancora il rimborso."],
  ['loyalty', 'en', 'I would definitely buy it again and I recommend it to everyone.'],
  ['loyalty', 'es', 'Lo volvería a comprar sin duda, lo recomiendo.'],
  ['loyalty', 'it', 'Lo ricomprerei subito, lo consiglio a tutti.'],
]

describe('default stages', () => {
  it.each(STAGE_SENTENCES)('tags %s in %s: %s', (stage, lang, text) => {
    const found = tag(text, lang).find((t) => t.stage === stage)
    expect(found, `${stage} in ${JSON.stringify(text)}`).toBeDefined()
    expect(found!.evidence.length).toBeGreaterThan(0)
  })

  it('tags nothing in a text that says nothing about the journey', () => {
    expect(tag('Hola, ¿qué tal?', 'es')).toEqual([])
  })

  it('tags several stages in one review', () => {
    const stages = stagesOf('The delivery was late, but the blender works great and I will buy again.', 'en')
    expect(stages).toEqual(expect.arrayContaining(['delivery', 'usage', 'loyalty']))
  })

  it('covers inflected forms of marked cue words', () => {
    expect(compileCue('es', 'llegar:v')[0]!.split('|')).toEqual(expect.arrayContaining(['llego', 'llegaron', 'llegado']))
    expect(compileCue('it', 'pacco:n')[0]!.split('|')).toEqual(expect.arrayContaining(['pacco', 'pacchi']))
    expect(stagesOf('They shipped the wrong size.', 'en')).toContain('delivery')
  })

  it('lets a weak cue in another stage’s clause go with that stage', () => {
    // "terrible" alone would count for usage; next to "customer service" it is about support.
    expect(stagesOf('Terrible customer service.', 'en')).toEqual(['support'])
  })

  it('matches every language’s cues when the language is und', () => {
    expect(tag('spedizione veloce', 'und').map((t) => t.stage)).toContain('delivery')
  })

  it('reads the title and points its evidence into it', () => {
    const t = tag('Works fine.', 'en', 'Never arrived on time').find((x) => x.stage === 'delivery')
    expect(t?.spans[0]?.field).toBe('title')
    expect(t?.evidence[0]).toBe('Never arrived')
  })
})

describe('stage sentiment', () => {
  it('sums the contributions of the clauses that carry a stage', () => {
    const text = 'The delivery was late, but the blender works great.'
    const doc = makeDoc(text)
    const s = silent(doc)
    const at = (word: string): number => doc.body.tokens.findIndex((t) => t.norm === word)
    s.body[at('late')] = -2
    s.body[at('great')] = 2
    const tags = tagJourney(doc, 'en', s, taxonomy)
    expect(tags.find((t) => t.stage === 'delivery')!.sentiment.label).toBe('negative')
    expect(tags.find((t) => t.stage === 'usage')!.sentiment.label).toBe('positive')
  })

  it('is neutral when no token carries sentiment', () => {
    const doc = makeDoc('The package arrived on Monday.')
    const [t] = tagJourney(doc, 'en', silent(doc), taxonomy)
    expect(t!.sentiment).toEqual({ score: 0, label: 'neutral' })
  })

  // Needs the sentiment part's lexicons: skipped while scoreSentiment is the zero placeholder.
  const real = scoreSentiment(makeDoc('This is great, I love it.'), 'en', { explain: false }).body.some((v) => v !== 0)
  it.skipIf(!real).each([
    ['en', 'The delivery was terribly late, but the blender works great and I love it.'],
    ['es', 'El envío tardó muchísimo y llegó roto, pero la batidora funciona genial.'],
    ['it', 'La spedizione è arrivata in ritardo, ma il frullatore funziona benissimo.'],
  ] as const)('gives delivery and usage opposite signs with the real sentiment scorer (%s)', (lang, text) => {
    const tags = tag(text, lang)
    expect(tags.find((t) => t.stage === 'delivery')!.sentiment.label).toBe('negative')
    expect(tags.find((t) => t.stage === 'usage')!.sentiment.label).toBe('positive')
  })
})

describe('evidence', () => {
  const rows = loadDevRows()
  // Seeded perturbations that move offsets: HTML tags, entities, upper case.
  function perturb(text: string, seed: number): string {
    let s = seed >>> 0 || 1
    const rand = (): number => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32
    return text
      .split(' ')
      .map((w) => {
        const r = rand()
        return r < 0.08 ? `<b>${w}</b>` : r < 0.12 ? `${w}&nbsp;` : r < 0.2 ? w.toUpperCase() : w
      })
      .join(' ')
  }
  const texts: [string, LanguageCode][] = STAGE_SENTENCES.map(([, lang, text]) => [text, lang])
  for (const r of rows ?? []) texts.push([r.text, r.lang], [perturb(r.text, texts.length), r.lang])

  it('is always the exact input substring at its offsets', () => {
    let checked = 0
    for (const [text, lang] of texts) {
      for (const t of tag(text, lang)) {
        expect(t.spans.length).toBe(t.evidence.length)
        t.evidence.forEach((e, i) => {
          expect(text.slice(t.spans[i]!.start, t.spans[i]!.end)).toBe(e)
          checked++
        })
      }
    }
    expect(checked).toBeGreaterThan(texts.length)
  })
})

describe('custom taxonomies', () => {
  const restaurant: TaxonomyInput = {
    mode: 'replace',
    stages: [
      { id: 'booking', label: 'Booking', cues: { en: ['book:v a table', 'reservation:n'], es: ['reserva:n', 'reservar:v'], it: ['prenotazione:n', 'prenotare:v'] } },
      { id: 'waiting_time', label: 'Waiting time', cues: { en: ['wait:v', 'slow'], es: ['esperar:v', 'lento:a'], it: ['attesa', 'aspettare:v'] } },
      { id: 'food', label: 'Food', cues: { en: ['dish:n', 'pasta', 'delicious'], es: ['plato:n', 'comida'], it: ['piatto:n', 'cibo'] } },
      { id: 'service', label: 'Service', cues: { en: ['waiter:n', 'waitress:n'], es: ['camarero:n'], it: ['cameriere:n'] } },
      { id: 'bill', label: 'Bill', cues: { en: ['bill:n', 'overcharge:v'], es: ['cuenta:n'], it: ['conto:n'] } },
    ],
  }
  const compiled = compileTaxonomy(parseTaxonomy(restaurant))
  const tagWith = (text: string, lang: LanguageCode): string[] => {
    const doc = makeDoc(text)
    return tagJourney(doc, lang, silent(doc), compiled).map((t) => t.stage)
  }

  it('replaces the default stages with a restaurant’s', () => {
    expect(compiled.stages).toEqual(['booking', 'waiting_time', 'food', 'service', 'bill'])
    expect(tagWith('We booked a table, waited an hour, the pasta was cold, the waiter rude and they overcharged the bill. Would not recommend.', 'en')).toEqual([
      'booking',
      'waiting_time',
      'food',
      'service',
      'bill',
    ])
  })

  it('tags the restaurant stages in Spanish and Italian', () => {
    expect(tagWith('Hicimos una reserva, esperamos mucho y el camarero trajo la cuenta equivocada.', 'es')).toEqual(['booking', 'waiting_time', 'service', 'bill'])
    expect(tagWith("Piatti ottimi ma un'ora di attesa e il conto salato.", 'it')).toEqual(['waiting_time', 'food', 'bill'])
  })

  it('extends the default stages with a new stage and more cues', () => {
    const extended = compileTaxonomy(
      parseTaxonomy({
        stages: [
          { id: 'sustainability', label: 'Sustainability', cues: { en: ['recyclable', 'plastic-free'] } },
          { id: 'delivery', cues: { en: ['drone'] } },
        ],
      }),
    )
    expect(extended.stages).toEqual(['discovery', 'purchase', 'delivery', 'usage', 'support', 'loyalty', 'sustainability'])
    const doc = makeDoc('A drone dropped it off, the wrapping is recyclable and it works great.')
    expect(tagJourney(doc, 'en', silent(doc), extended).map((t) => t.stage)).toEqual(['delivery', 'usage', 'sustainability'])
  })

  it('reaches analyze through the taxonomy option', async () => {
    const { analyze } = await import('../src/analyze.js')
    const result = analyze({ text: 'Two hours of waiting for a cold dish.', lang: 'en' }, { taxonomy: restaurant })
    expect(result.journey.map((t) => t.stage)).toEqual(['waiting_time', 'food'])
  })

  it('rejects a bad taxonomy with readable messages', () => {
    const bad = { mode: 'merge', stages: [{ id: 'Waiting Time', cues: { fr: ['attente'] } }] }
    expect(() => parseTaxonomy(bad)).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid taxonomy: mode: expected one of "extend"|"replace", got "merge"; stages.0.id: expected a lower-case id like "waiting_time", got "Waiting Time"; stages.0.cues: unknown key "fr"; stages.0.cues: expected at least one cue in es, it or en]`,
    )
  })

  it('rejects a stage without cues and a stage id used twice', () => {
    const bad = { stages: [{ id: 'food', cues: { en: ['dish'] } }, { id: 'food', cues: {} }] }
    expect(() => parseTaxonomy(bad)).toThrowErrorMatchingInlineSnapshot(`[RecensioError: Invalid taxonomy: stages.1.cues: expected at least one cue in es, it or en; stages.1.id: stage id "food" is used twice]`)
  })

  it('says a stage id is used twice without calling the list of stages what it got', async () => {
    const { analyze } = await import('../src/analyze.js')
    const stages = [{ id: 'food', cues: { en: ['dish'] } }, { id: 'food', cues: { en: ['meal'] } }]
    expect(() => analyze('The dish was cold', { taxonomy: { stages } })).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid options: option "taxonomy.stages.1.id": stage id "food" is used twice]`,
    )
  })

  it('says what it got for a value of the wrong type, in the words of the option messages', () => {
    expect(() => parseTaxonomy(5)).toThrowErrorMatchingInlineSnapshot(`[RecensioError: Invalid taxonomy: taxonomy: expected object, got 5]`)
    expect(() => parseTaxonomy({ stages: { food: ['dish'] } })).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid taxonomy: stages: expected array, got an object]`,
    )
    expect(() => parseTaxonomy({ stages: [{ id: 'food', cues: { en: 'dish' } }] })).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid taxonomy: stages.0.cues.en: expected array, got "dish"]`,
    )
  })

  it('says a missing stage key is required', () => {
    expect(() => parseTaxonomy({ mode: 'replace', stages: [{ id: 'food' }] })).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid taxonomy: stages.0.cues: required (expected object)]`,
    )
    expect(() => parseTaxonomy({})).toThrowErrorMatchingInlineSnapshot(`[RecensioError: Invalid taxonomy: stages: required (expected array)]`)
  })

  it('names the cue that cannot be compiled', () => {
    expect(() => parseTaxonomy({ stages: [{ id: 'bill', cues: { en: ['* bill'] } }] })).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid taxonomy: stages.0.cues.en.0: cue "* bill": cannot start with "*"]`,
    )
  })

  it('lists every cue that cannot be compiled, with its path in the taxonomy', () => {
    let error: unknown
    try {
      parseTaxonomy({ stages: [{ id: 'bill', cues: { en: ['bill', 'fo*'] } }, { id: 'food', cues: { it: ['piatto:x'] } }] })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(RecensioError)
    expect((error as RecensioError).issues.map((i) => i.field)).toEqual(['stages.0.cues.en.1', 'stages.1.cues.it.0'])
    expect((error as RecensioError).message).toMatchInlineSnapshot(
      `"Invalid taxonomy: stages.0.cues.en.1: cue "fo*": stem "fo*" is too short (3 letters at least); stages.1.cues.it.0: cue "piatto:x": "piatto:x" has an unknown marker ":x" (markers: word:n, word:v, word:a)"`,
    )
  })

  it('says a cue cannot be compiled in the words of the other option errors', async () => {
    const { analyze } = await import('../src/analyze.js')
    expect(() => analyze('The bill', { taxonomy: { stages: [{ id: 'bill', cues: { en: ['* bill'] } }] } })).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid options: option "taxonomy.stages.0.cues.en.0": cue "* bill": cannot start with "*"]`,
    )
  })

  it('says an empty cue is too short in the words of the other messages', () => {
    expect(() => parseTaxonomy({ stages: [{ id: 'food', cues: { en: [''] } }] })).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid taxonomy: stages.0.cues.en.0: expected at least 1 character, got ""]`,
    )
  })

  it('refuses an unknown marker or a "*" inside a word, which would compile to a cue that never matches', () => {
    expect(() => parseTaxonomy({ stages: [{ id: 'returns', cues: { es: ['devolución:N'] } }] })).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: Invalid taxonomy: stages.0.cues.es.0: cue "devolución:N": "devolución:N" has an unknown marker ":N" (markers: word:n, word:v, word:a)]`,
    )
    expect(() => parseTaxonomy({ stages: [{ id: 'returns', cues: { it: ['rimborsare:verb|reso:n'] } }] })).toThrow(
      /cue "rimborsare:verb\|reso:n": "rimborsare:verb" has an unknown marker ":verb"/,
    )
    expect(() => parseTaxonomy({ stages: [{ id: 'food', cues: { en: ['fo*d'] } }] })).toThrow(/cue "fo\*d": "fo\*d" has a "\*" inside it/)
    // The markers and wildcards the README lists still compile.
    expect(() => parseTaxonomy({ stages: [{ id: 'returns', cues: { es: ['devolución:n', 'reembols*', 'devolver:v|devuelvo|devuelto', 'devuelto en # días'], en: ['check-in:n', 'took * days'] } }] })).not.toThrow()
  })

  describe('loadTaxonomyFile', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'recensio-journey-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('reads and validates a JSON file', () => {
      const file = path.join(dir, 'restaurant.json')
      writeFileSync(file, JSON.stringify(restaurant))
      expect(loadTaxonomyFile(file).stages.map((s) => s.id)).toEqual(['booking', 'waiting_time', 'food', 'service', 'bill'])
    })

    it('says when the file is not JSON', () => {
      const file = path.join(dir, 'broken.json')
      writeFileSync(file, '{ "stages": [ }')
      expect(() => loadTaxonomyFile(file)).toThrow(/^Taxonomy file ".*broken\.json" is not valid JSON/)
    })

    it('says when the file is missing', () => {
      expect(() => loadTaxonomyFile(path.join(dir, 'nope.json'))).toThrow(/Cannot read taxonomy file ".*nope\.json": no such file/)
    })

    /** The error `loadTaxonomyFile` throws for a file holding `taxonomy`. */
    function loadError(name: string, taxonomy: unknown): RecensioError {
      const file = path.join(dir, name)
      writeFileSync(file, JSON.stringify(taxonomy))
      let error: unknown
      try {
        loadTaxonomyFile(file)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(RecensioError)
      expect((error as RecensioError).code).toBe('invalid_file')
      return error as RecensioError
    }

    it('names the file and the path of a cue that cannot be compiled', () => {
      const error = loadError('short-stem.json', { stages: [{ id: 'food', cues: { en: ['fo*'] } }] })
      expect(error.message).toMatch(/^Invalid taxonomy file ".*short-stem\.json": stages\.0\.cues\.en\.0: cue "fo\*": stem "fo\*" is too short/)
    })

    it('names the file and the path of a schema problem', () => {
      const error = loadError('empty.json', { stages: [] })
      expect(error.message).toMatch(/^Invalid taxonomy file ".*empty\.json": stages: expected at least one stage, got 0$/)
    })

    it('words a taxonomy with no stages alike as a file, as data and as an option', async () => {
      const { analyze } = await import('../src/analyze.js')
      expect(() => parseTaxonomy({ stages: [] })).toThrow(/^Invalid taxonomy: stages: expected at least one stage, got 0$/)
      expect(() => analyze('Ottimo', { taxonomy: { stages: [] } })).toThrow(/^Invalid options: option "taxonomy\.stages": expected at least one stage, got 0$/)
    })
  })
})

describe('JourneyAggregate', () => {
  it('counts stages and averages their sentiment', () => {
    const agg = new JourneyAggregate(['delivery', 'usage', 'support'])
    const t = (stage: string, score: number): JourneyTag => ({
      stage,
      confidence: 1,
      evidence: [],
      spans: [],
      sentiment: { score, label: score > 0.1 ? 'positive' : score < -0.1 ? 'negative' : 'neutral' },
    })
    agg.add([t('delivery', -0.5), t('usage', 0.75)])
    agg.add([t('usage', 0.25)])
    const other = new JourneyAggregate()
    other.add([t('delivery', -0.25)])
    agg.merge(other)
    expect(agg.toJSON()).toEqual({
      delivery: { count: 2, averageSentiment: -0.375, positive: 0, negative: 2 },
      usage: { count: 2, averageSentiment: 0.5, positive: 2, negative: 0 },
      support: { count: 0, averageSentiment: null, positive: 0, negative: 0 },
    })
  })

  it('averages exactly, halves up, however the tags are split', () => {
    const t = (score: number): JourneyTag => ({ stage: 'usage', confidence: 1, evidence: [], spans: [], sentiment: { score, label: 'negative' } })
    // The mean is -0.9045 exactly; summed as doubles it came out -0.905.
    const whole = new JourneyAggregate()
    whole.add([t(-0.999)])
    whole.add([t(-0.81)])
    const split = new JourneyAggregate()
    const other = new JourneyAggregate()
    split.add([t(-0.81)])
    other.add([t(-0.999)])
    split.merge(other)
    expect(whole.toJSON().usage!.averageSentiment).toBe(-0.904)
    expect(split.toJSON()).toEqual(whole.toJSON())
  })

  it('says it wants the journey tags when given a whole result row', () => {
    const row = { ok: true, journey: [] }
    expect(() => new JourneyAggregate().add(row as never)).toThrowErrorMatchingInlineSnapshot(
      `[RecensioError: JourneyAggregate.add: expected a review's journey tags (result.journey), got an object]`,
    )
    expect(() => new JourneyAggregate().add(undefined as never)).toThrow(RecensioError)
  })
})

describe('discovery wording: choosing, searching, claims, expectations', () => {
  // Sentences written for these tests.
  const cases: [LanguageCode, string][] = [
    ['en', 'I bought this because it folds small enough for my bag.'],
    ['en', 'I had been looking for a lamp like this for months.'],
    ['en', 'It claims to be waterproof.'],
    ['en', 'I had high hopes for this kettle.'],
    ['es', 'Lo compré porque me interesaba la batería.'],
    ['es', 'Como dicen otros comentarios, la tapa cierra mal.'],
    ['es', 'Es más pequeño de lo que parece en las fotos.'],
    ['it', 'Ne avevo sentito parlare da un collega.'],
    ['it', 'Non è leggero come dicono.'],
    ['it', 'Conviene guardare bene prima di acquistare.'],
    ['en', 'My dentist recommended this toothbrush.'],
    ['en', 'I stumbled upon this brand after comparing a few.'],
    ['en', 'As others have said, the zip sticks.'],
    ['es', 'Me lo ha recomendado mi hermana.'],
    ['es', 'Después de mucho buscar, me quedé con esta.'],
    ['it', "L'ho scoperto per caso in un negozio."],
    ['it', 'Dopo aver letto parecchio ho preso questa.'],
  ]
  for (const [lang, text] of cases) {
    it(`tags discovery in "${text}"`, () => {
      expect(stagesOf(text, lang)).toContain('discovery')
    })
  }

  it('leaves a relative who would recommend it to loyalty, and the reviewer’s own reviews alone', () => {
    expect(stagesOf('My wife would definitely recommend this kettle.', 'en')).toEqual(['loyalty'])
    expect(stagesOf('I never write bad reviews, but the lid cracked.', 'en')).not.toContain('discovery')
  })

  it('leaves idioms that only look like cues alone', () => {
    expect(stagesOf('La luz se enciende sola por la noche.', 'es')).not.toContain('purchase')
    expect(stagesOf('We just returned from a weekend in Rome.', 'en')).not.toContain('support')
    expect(stagesOf('The hotel was fully booked.', 'en')).not.toContain('purchase')
    expect(stagesOf('Sono soddisfatto dell\'acquisto.', 'it')).not.toContain('purchase')
    expect(stagesOf('Delay between the audio and the picture.', 'en')).not.toContain('delivery')
  })

  it('inflects Italian superlatives in the plural', () => {
    expect(stagesOf('Le originali sono costosissime.', 'it')).toContain('purchase')
  })
})

describe('long input', () => {
  /** Time of one tagging of `text`: see `bestPerRun`. */
  function timeOf(text: string, lang: LanguageCode, runs: number): number {
    const doc = makeDoc(text)
    const sentiment = scoreSentiment(doc, lang, { explain: false })
    return bestPerRun(() => tagJourney(doc, lang, sentiment, taxonomy), runs)
  }

  it.each([
    ['one weak cue repeated in one clause', 'bien\n', 'es'],
    ['a strong cue repeated in one clause', 'WORST ', 'en'],
    ['weak and strong cues of several stages in one clause', 'consegna veloce prodotto ottimo servizio clienti pessimo ', 'it'],
  ] as const)('a 100k-character text runs in linear time (%s)', (_name, unit, lang) => {
    const small = unit.repeat(Math.ceil(10_000 / unit.length))
    const large = unit.repeat(Math.ceil(100_000 / unit.length))
    expect(tag(small, lang).length).toBeGreaterThan(0)
    timeOf(small, lang, 10) // warm-up
    const ratio = timeOf(large, lang, 3) / Math.max(timeOf(small, lang, 30), 0.02)
    // Linear is 10×; quadratic would be 100×.
    expect(ratio).toBeLessThan(35)
  })
})

describe('matcher memory', () => {
  it('holds a bounded number of words the word table does not hold', () => {
    // Each compiled taxonomy has a matcher per language: what one keeps multiplies by tenants and languages.
    const matcher = compileTaxonomy().matcherFor('es')
    const held = () => (matcher as unknown as { memo: Map<string, unknown> }).memo.size
    const cue = matcher.resolveWord('devolucion', NO_WORD_ID)
    expect(cue.ids.length).toBeGreaterThan(0)
    for (let i = 0; i < 100_000; i++) matcher.resolveWord(`zq${i.toString(36)}x`, NO_WORD_ID)
    expect(held()).toBeLessThanOrEqual(16_384)
    // Forgotten words resolve as before.
    expect(matcher.resolveWord('devolucion', NO_WORD_ID)).toEqual(cue)
  })
})

describe('generated cue module', () => {
  it('is up to date with data/journey (npx tsx scripts/build-journey.ts)', () => {
    expect(buildJourneyModule() === readFileSync(OUT, 'utf8')).toBe(true)
  })
})

describe('accuracy on half B of journey_dev.jsonl (not used for tuning)', () => {
  const rows = loadDevRows()
  const scores = rows === null ? null : scoreHalfB(rows)
  function scoreHalfB(all: NonNullable<typeof rows>): ReturnType<typeof scoreSets> {
    const b = all.filter((r) => halfOf(r.id) === 'B')
    return scoreSets(
      b.map((r) => r.stages),
      b.map((r) => stagesOf(r.text, r.lang)),
      taxonomy.stages,
    )
  }
  const absent = '../shared/data/journey_dev.jsonl is absent: accuracy floor not checked'

  it('reaches micro-F1 0.85 and macro-F1 0.75', (ctx) => {
    if (scores === null) return ctx.skip(absent)
    expect(scores.micro.f1).toBeGreaterThanOrEqual(0.85)
    expect(scores.macroF1).toBeGreaterThanOrEqual(0.75)
  })

  for (const stage of ['purchase', 'delivery', 'usage', 'support', 'loyalty']) {
    it(`reaches F1 0.60 on ${stage}`, (ctx) => {
      if (scores === null) return ctx.skip(absent)
      expect(scores.perStage[stage]!.f1).toBeGreaterThanOrEqual(0.6)
    })
  }

  // Discovery was the one stage under its floor (0.59); more discovery cues chosen on the
  // half A rows and on unlabelled rows brought it to 0.67 (benchmarks/results/journey.md).
  it('reaches F1 0.60 on discovery', (ctx) => {
    if (scores === null) return ctx.skip(absent)
    expect(scores.perStage.discovery!.f1).toBeGreaterThanOrEqual(0.6)
  })
})

describe('accuracy on half B of the second development set (not used for tuning)', () => {
  const rows = loadExtraRows()
  const b = rows === null ? null : rows.filter((r) => halfOf(r.id) === 'B')
  const scores =
    b === null
      ? null
      : scoreSets(
          b.map((r) => r.stages),
          b.map((r) => stagesOf(r.text, r.lang)),
          taxonomy.stages,
        )
  const absent = '../shared/data is absent: accuracy floor on the second set not checked'

  it('reaches micro-F1 0.85 and macro-F1 0.75', (ctx) => {
    if (scores === null) return ctx.skip(absent)
    expect(scores.micro.f1).toBeGreaterThanOrEqual(0.85)
    expect(scores.macroF1).toBeGreaterThanOrEqual(0.75)
  })

  for (const stage of ['discovery', 'purchase', 'delivery', 'usage', 'support', 'loyalty']) {
    it(`reaches F1 0.60 on ${stage}`, (ctx) => {
      if (scores === null) return ctx.skip(absent)
      expect(scores.perStage[stage]!.f1).toBeGreaterThanOrEqual(0.6)
    })
  }
})

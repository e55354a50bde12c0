/**
 * Priming: the per-review stage runs a few made-up reviews before a batch's
 * first rows, so that V8 has seen the rarer kinds of token, repair and
 * signal before it optimizes the analyzers. Without it, the first optimized
 * tokenizer meets its first emoticon, phone number or elongated word hundreds
 * of rows in, throws its optimized code away and compiles it again (each time
 * 40–150 ms of compiling while the rows run unoptimized): a 10k-row batch
 * paid that a dozen times. The reviews were written for recensio; their
 * results are thrown away, and what they leave behind (ids in the word
 * table, cached word vectors and stems) changes no other review's result.
 */
import { type Context, analyzeValid } from '../analyze.js'
import { RecordBatchBuilder } from '../authenticity/index.js'
import type { ValidRow } from '../review/index.js'
import { emptyTally, tallyOk } from './tally.js'

/** A review's fields after validation. */
type ReviewFields = ValidRow['review']

const DAY = 86_400_000
/** 2024-03-01, a day for the made-up reviews. */
const T0 = 1_709_251_200_000

/** Made-up reviews in the three languages, each with some rarer kind of token or field. */
export const PRIME_REVIEWS: readonly Readonly<ReviewFields>[] = [
  { text: 'Great product, works as described. Arrived in 2 days :) I would buy it again!', title: 'Great', rating: 5, date: T0, author: 'ann', product: 'p1', verified: true },
  { text: "Terrible!!! It broke after a week and support never answered my emails... don't buy it :(", rating: 1, date: T0 + DAY, author: 'bob', product: 'p1', verified: false },
  { text: 'Prodotto ottimo, spedizione veloce. Lo consiglio a tutti 👍👍', title: 'Ottimo', rating: 4.5, date: T0, author: 'carla', product: 'p2', lang: 'it' },
  { text: "Pessimo. L'articolo è arrivato rotto e il servizio clienti non risponde. Dell'assistenza non parliamo", rating: 1, product: 'p2' },
  { text: 'Muy buen producto, llegó a tiempo y funciona perfecto. Lo recomiendo 100%', title: 'Recomendado', rating: 5, date: T0 + 2 * DAY, product: 'p3', channel: 'web' },
  { text: 'No me gustó nada, la calidad es mala y tardó 3 semanas en llegar. ¡Qué decepción!', rating: 2, product: 'p3', segment: 'b2c' },
  { text: 'soooo goooood!!! BEST PURCHASE EVER xD <3 ;-) =D ^^ -_-', rating: 5, author: 'dan' },
  { text: 'bellissimooo!!! ma il prezzo è un po alto... 4/5', rating: 4 },
  { text: 'Call me at +39 333 123 4567 or (555) 123-4567 or write to seller.shop@example.com for a discount', rating: 5, product: 'p4' },
  { text: 'Visit www.example-shop.com or https://example.it/offer?id=12 and 24shop.com for cheap copies #deal @shop', rating: 5, product: 'p4' },
  { text: 'Costs 19,99 € (was 29.99), battery 3.5 hours, 8) not bad, 2x faster, 20% off, 1/2 price, 5/5 stars', rating: 4 },
  { text: 'Good', rating: 5, author: 'eve', product: 'p5', verified: true },
  { text: 'Bueno bonito y barato', rating: 5, author: 'eve', product: 'p5', verified: true },
  { text: 'Ottimo', rating: 5, author: 'eve', product: 'p5', verified: true },
  { text: 'I bought it for my mother, she loves it. Delivery was late, but customer service helped me quickly. Recommended to friends.', title: 'Happy customer', rating: 4, date: T0 + 3 * DAY, nps: 9, csat: 4, ces: 2 },
  { text: "Lo compré por recomendación de un amigo. El envío llegó dañado, pero me devolvieron el dinero. Volveré a comprar.", rating: 3, nps: 7 },
  { text: "L'ho scoperto su Instagram, l'ho ordinato subito: consegna in ritardo e reso complicato, però il prodotto funziona bene.", rating: 3, csat: 3 },
  { text: 'It is not bad, not great either; it is ok-ish — nothing special. Never again? Maybe.', rating: 3 },
  { text: 'Ã¨ arrivato rotto, non funziona piÃ¹. Pessimo acquisto â€” sconsigliato', rating: 1 },
  { text: '𝐀𝐦𝐚𝐳𝐢𝐧𝐠 product 𝐥𝐨𝐯𝐞 𝐢𝐭 ★★★★★ ☆ 🙂🙃 😡', rating: 5 },
  { text: 'As an AI language model, I can say this product offers exceptional quality, seamless performance and outstanding value. Overall, highly recommended for anyone looking for reliability.', rating: 5 },
  { text: 'caffèConsiglio il prodotto, fantastico. WhatsApp, PayPal e iPhone funzionano', rating: 5 },
  { text: 'Received a free sample in exchange for my honest review. Five stars! Five stars! Five stars!', rating: 5, verified: false },
  { text: 'El producto no es malo, pero tampoco es bueno. Muy muy caro para lo que es... nunca más', title: 'Regular', rating: 2 },
  { text: 'Non è male, anzi è davvero molto buono! Però la batteria non dura niente. Mai più?', title: 'Così così', rating: 3 },
  { text: '12345 67890 2024-03-01 01/03/2024 10:30 n.1 no. 2 v2.0 A4 mp3', rating: 3 },
  { text: 'Bue\u200Bno\u00A0y barato,\u0007 la cafe\u0301 llego\u0301 bien', rating: 4 },
  { text: '!!! ??? ... ,,, ;;; (((  ))) [x] {y} «z» “w” „v” ¡hola! ¿qué? – — … ', rating: 3 },
  { text: 'Worst purchase ever. Scam. Fake. Do NOT trust this seller!!! Refund denied, broken, useless, awful, horrible.', rating: 1, product: 'p6' },
  { text: 'Excelente atención al cliente, resolvieron mi problema enseguida. ¡Gracias!', rating: 5, date: T0 + 4 * DAY, author: 'fede', product: 'p7' },
  { text: 'Eccellente assistenza clienti, hanno risolto il problema subito. Grazie mille!!', rating: 5, date: T0 + 4 * DAY, author: 'gino', product: 'p7' },
  { text: 'Love it ❤️ my kids love it too 👍🏻 … it arrived on time and the quality is great… 𝟓 stars, no complaints at all', rating: 5, date: T0 + 5 * DAY },
  { text: 'Absolutely perfect, excellent quality, I love it, the best purchase I have made this year!', rating: 1, verified: true },
  { text: '<p>Great <b>value</b> &amp; fast shipping</p><br>Would order again&nbsp;&#128077;', title: 'Five &quot;stars&quot;', rating: 5 },
  { text: 'Funciona… más o menos. El cargador dejó de funcionar al mes ☹️ y nadie responde al teléfono 900 123 456', rating: 2, date: T0 + 5 * DAY },
  { text: '(Translated by Google) Kind staff, fair prices\n\n(Original)\nPersonale gentile, prezzi onesti', rating: 4 },
]

/**
 * Inputs of at least this many bytes are primed when they run in-process
 * (about 700 rows of the benchmark dump): priming costs ~40 ms beyond the
 * tables the first review builds anyway, and pays back once the analyzers
 * run hot.
 */
export const PRIME_MIN_BYTES = 256 * 1024
/**
 * An input of unknown size is primed when its first chunk holds this many
 * rows, or is full at a smaller chunk size: either way more rows are likely
 * to follow.
 */
export const PRIME_MIN_ROWS = 256

/** Contexts primed in this thread: a batch's windows share one, and it is primed once. */
const primed = new WeakSet<Context>()

/**
 * Run the made-up reviews through the per-review stage of a context, once
 * per context and thread, and throw the results away. Never throws: it only
 * saves time, and a review that an analyzer cannot take is the batch's
 * business, as an error row of its own.
 *
 * @param ctx The batch's context (options, taxonomy): the analyzers primed are the ones the batch runs.
 */
export function prime(ctx: Context): void {
  if (primed.has(ctx)) return
  primed.add(ctx)
  try {
    const tally = emptyTally()
    const records = new RecordBatchBuilder(PRIME_REVIEWS.length)
    for (let i = 0; i < PRIME_REVIEWS.length; i++) {
      const valid: ValidRow = { ok: true, row: i + 1, id: `prime-${i}`, review: { ...PRIME_REVIEWS[i]! }, fields: undefined, dayless: false }
      const { result, record } = analyzeValid(valid, ctx, i)
      // What a stage does with each result, so that those paths are primed too.
      JSON.stringify(result)
      tallyOk(tally, result)
      records.push(record)
    }
    records.finish()
  } catch {
    // Priming is an optimization only.
  }
}

/**
 * Whether an in-process run primes before its first chunk.
 *
 * @param totalBytes The input's size, when known.
 * @param firstRows The rows of its first chunk.
 * @param chunkSize Rows per chunk, at most.
 */
export function primeInProcess(totalBytes: number | undefined, firstRows: number, chunkSize: number): boolean {
  if (totalBytes !== undefined) return totalBytes >= PRIME_MIN_BYTES
  return firstRows >= Math.min(PRIME_MIN_ROWS, chunkSize)
}

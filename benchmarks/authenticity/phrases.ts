/**
 * Disclosure and spam sentences written for the benchmark (phrased freely,
 * not copied from the cue lists), appended to genuine dev reviews to measure
 * the recall of `incentivized` and `spam` on real surrounding text.
 */

export const DISCLOSURES: Record<'en' | 'es' | 'it', string[]> = {
  en: [
    'I received this product for free in exchange for my honest review.',
    'Full disclosure: the seller sent me this item at no cost in return for an unbiased review.',
    'I got this at a discounted price in exchange for my honest opinion.',
    'This product was provided to me free of charge by the manufacturer for testing and review.',
    'I was given this product in exchange for an honest and unbiased evaluation.',
    'The company sent me this to test, but all opinions are my own.',
    'I received a sample of this for review purposes.',
    'Received it free as part of the Amazon Vine program.',
  ],
  es: [
    'Producto recibido gratis a cambio de mi opinión honesta.',
    'Me lo enviaron gratis para probarlo y dar mi opinión sincera.',
    'Lo recibí con descuento a cambio de una reseña imparcial.',
    'El vendedor me lo regaló a cambio de una valoración.',
    'Aviso: la marca me cedió el producto sin coste para hacer esta reseña.',
    'Recibí este artículo gratuitamente a cambio de mi opinión.',
    'Producto proporcionado por el fabricante para su prueba, mi opinión es sincera.',
    'Lo conseguí gracias al programa Vine.',
  ],
  it: [
    'Prodotto ricevuto gratuitamente in cambio di una recensione onesta.',
    "L'ho ricevuto gratis in cambio della mia opinione sincera.",
    'Mi è stato inviato dal venditore per testarlo, la recensione è imparziale.',
    'Acquistato a prezzo scontato in cambio di una recensione.',
    "Il prodotto mi è stato fornito dall'azienda in cambio di un parere onesto.",
    'Ricevuto in omaggio per provarlo, ecco la mia recensione.',
    'Articolo ricevuto gratuitamente dal produttore per la prova.',
    'Ricevuto tramite il programma Vine.',
  ],
}

export const SPAM_SNIPPETS: Record<'en' | 'es' | 'it', string[]> = {
  en: [
    'Get it 60% cheaper at www.deals-outlet.example or DM me for the link.',
    'Use code SAVE30 for 30% off at checkout!!',
    'Contact me on WhatsApp +44 7700 900123 for wholesale prices.',
    'Earn $500 a day from home with bitcoin trading, message me on Telegram.',
    'Cheap viagra and cialis online, no prescription: http://pills.example',
    'Best online casino bonus, free spins every day at spins.example',
  ],
  es: [
    'Consíguelo más barato en www.ofertas-top.example, escríbeme por WhatsApp.',
    'Usa el código DESC25 y llévate un 25% de descuento.',
    'Llámame al +34 611 222 333 para más ofertas.',
    'Gana dinero desde casa con criptomonedas, inversión garantizada.',
    'Préstamos rápidos sin aval, solicítalo en prestamos.example',
    'Apuestas online con bono de bienvenida en apuestas.example',
  ],
  it: [
    'Lo trovi a metà prezzo su www.sconti-pazzi.example, scrivimi su WhatsApp.',
    'Usa il codice SCONTO20 per avere il 20% di sconto.',
    'Chiamami al +39 347 123 4567 per prezzi all ingrosso.',
    'Guadagna soldi da casa con il trading di bitcoin, contattami su Telegram.',
    'Prestiti veloci senza busta paga su prestiti.example',
    'Scommesse online e slot gratis su giochi.example',
  ],
}

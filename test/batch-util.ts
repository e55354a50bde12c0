/**
 * Helpers for the batch and CLI tests: seeded synthetic reviews (written for
 * these tests, not taken from any corpus), temp files, and collecting runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { BatchRun, ResultRow } from '../src/index.js'

export const root = resolve(import.meta.dirname, '..')

/** mulberry32, for property tests with a fixed seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SENTENCES: Record<'es' | 'it' | 'en', string[]> = {
  es: [
    'El pedido llegó en dos días y bien embalado.',
    'La batería dura muy poco, no lo recomiendo.',
    'Muy contento con la compra, volvería a comprar.',
    'El servicio de atención al cliente no contestó nunca.',
    'La talla es correcta y el tejido es agradable.',
    'Me devolvieron el dinero sin problemas.',
  ],
  it: [
    'Il pacco è arrivato in ritardo e danneggiato.',
    'Ottimo rapporto qualità prezzo, lo consiglio.',
    'Dopo una settimana si è rotto, pessimo acquisto.',
    'Il venditore è stato gentile e veloce nel rispondere.',
    'Funziona bene ma le istruzioni sono poco chiare.',
  ],
  en: [
    'Arrived quickly and works as described.',
    'The strap broke after a week, very disappointed.',
    'Customer service replaced it without any fuss.',
    'Great value for the price, would buy again.',
    'Cheap plastic, it feels flimsy in the hand.',
    'Five stars, my kids love it!',
  ],
}

/** A seeded review row; now and then a bad one (no text, a bad rating, a non-object). */
export function syntheticRow(rand: () => number, i: number): unknown {
  const langs = ['es', 'it', 'en'] as const
  const lang = langs[Math.floor(rand() * 3)]!
  const pool = SENTENCES[lang]
  const n = 1 + Math.floor(rand() * 3)
  const parts: string[] = []
  for (let k = 0; k < n; k++) parts.push(pool[Math.floor(rand() * pool.length)]!)
  const bad = rand()
  if (bad < 0.04) return { id: `r${i}`, rating: 3 }
  if (bad < 0.07) return { id: `r${i}`, text: parts.join(' '), rating: 'lots' }
  if (bad < 0.08) return [i]
  const row: Record<string, unknown> = {
    id: `r${i}`,
    text: parts.join(' '),
    rating: 1 + Math.floor(rand() * 5),
    product: `p${Math.floor(rand() * 4)}`,
    author: `u${Math.floor(rand() * 30)}`,
    date: new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 60) * 86_400_000).toISOString().slice(0, 10),
  }
  if (rand() < 0.3) row.verified = rand() < 0.5
  return row
}

/** `n` seeded rows. */
export function syntheticRows(n: number, seed: number): unknown[] {
  const rand = prng(seed)
  return Array.from({ length: n }, (_, i) => syntheticRow(rand, i + 1))
}

/** A fresh temp folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'recensio-test-'))
}

/** Write `content` to a file in a fresh temp folder; returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(tempDir(), name)
  writeFileSync(path, content)
  return path
}

/** Rows as JSON Lines (with a final newline). */
export function jsonl(rows: unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
}

/** Every row of a run. */
export async function collect(run: BatchRun): Promise<ResultRow[]> {
  const out: ResultRow[] = []
  for await (const r of run) out.push(r)
  return out
}

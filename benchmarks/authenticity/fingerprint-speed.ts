/**
 * Fingerprint speed: µs per review of `fingerprint` (and `exactHash`, for scale) on the
 * 7,062 sentiment dev texts (and on all 14,186 dev texts), CPU time
 * (`process.cpuUsage`), median of 9 passes, for the shipped fingerprint and
 * for the 640-permutation b-bit MinHash it replaced (kept below, for this
 * comparison only). The script bundles itself with esbuild, as the package
 * ships, and runs the bundle.
 *
 *   nice npx tsx benchmarks/authenticity/fingerprint-speed.ts [--markdown]
 *
 * "prepared docs" times the calls over docs all tokenized beforehand (their
 * tokens are cold in the cache, as in a per-stage profile); "fresh docs" times
 * them on blocks of 64 docs tokenized just before (as in the per-review
 * stage, where the tokens were just made). The load average is printed: the
 * machine is shared, and a busy one slows the memory-bound parts most.
 */
import { execFileSync } from 'node:child_process'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exactHash, fingerprint } from '../../src/authenticity/fingerprint.js'
import type { Doc } from '../../src/text/index.js'
import { fnv1a, makeDoc } from '../../src/text/index.js'
import { DATA_DIR, TEXT_CORPORA, hasDevData, readCorpus } from './corpus.js'

// ---------------------------------------------------------------------------
// The replaced fingerprint (b-bit MinHash, k = 640 + 24 16-bit values), as it
// was in src/authenticity/fingerprint.ts.

const OLD_BAND_VALUES = 24
const OLD_BIT_VALUES = 640
const OLD_BANDS = OLD_BAND_VALUES / 2
const OLD_MIXES = (OLD_BAND_VALUES + OLD_BIT_VALUES) / 2
const OLD_SIGNATURE_WORDS = 1 + OLD_BANDS + OLD_BIT_VALUES / 32
const OLD_MIX = 0x85ebca6b | 0
const OLD_SEEDS = (() => {
  const out = new Uint32Array(OLD_MIXES)
  let x = 0x5eed1234
  for (let i = 0; i < OLD_MIXES; i++) {
    x = (x + 0x9e3779b9) | 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    out[i] = (z ^ (z >>> 16)) >>> 0
  }
  return out
})()
const oldMinHi = new Uint32Array(OLD_MIXES)
const oldMinLo = new Uint32Array(OLD_MIXES)
let oldHashes = new Uint32Array(256)

function oldBodyHashes(doc: Doc): number {
  const tokens = doc.body.tokens
  let n = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind !== 'word' && t.kind !== 'number') continue
    if (n === oldHashes.length) {
      const grown = new Uint32Array(n * 2)
      grown.set(oldHashes)
      oldHashes = grown
    }
    oldHashes[n++] = fnv1a(t.key)
  }
  return n
}

function oldShingleSet(n: number): Uint32Array {
  const count = Math.max(1, n - 2)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    let h = 0x9e3779b9
    const stop = Math.min(n, i + 3)
    for (let k = i; k < stop; k++) h = Math.imul(h ^ oldHashes[k]!, 0x85ebca6b) ^ (h >>> 13)
    out[i] = h >>> 0
  }
  out.sort()
  let w = 0
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i]!
  return out.subarray(0, w)
}

function oldSignatureOf(shingles: Uint32Array): Uint32Array {
  const n = shingles.length
  const xs = new Int32Array(shingles.buffer, shingles.byteOffset, n)
  for (let k = 0; k < OLD_MIXES; k += 4) {
    const s0 = OLD_SEEDS[k]! | 0
    const s1 = OLD_SEEDS[k + 1]! | 0
    const s2 = OLD_SEEDS[k + 2]! | 0
    const s3 = OLD_SEEDS[k + 3]! | 0
    let h0 = 0xffff, l0 = 0xffff, h1 = 0xffff, l1 = 0xffff // prettier-ignore
    let h2 = 0xffff, l2 = 0xffff, h3 = 0xffff, l3 = 0xffff // prettier-ignore
    for (let s = 0; s < n; s++) {
      const x = xs[s]!
      let z = Math.imul(x ^ s0, OLD_MIX)
      z ^= z >>> 16
      let h = z >>> 16
      let l = z & 0xffff
      if (h < h0) h0 = h
      if (l < l0) l0 = l
      z = Math.imul(x ^ s1, OLD_MIX)
      z ^= z >>> 16
      h = z >>> 16
      l = z & 0xffff
      if (h < h1) h1 = h
      if (l < l1) l1 = l
      z = Math.imul(x ^ s2, OLD_MIX)
      z ^= z >>> 16
      h = z >>> 16
      l = z & 0xffff
      if (h < h2) h2 = h
      if (l < l2) l2 = l
      z = Math.imul(x ^ s3, OLD_MIX)
      z ^= z >>> 16
      h = z >>> 16
      l = z & 0xffff
      if (h < h3) h3 = h
      if (l < l3) l3 = l
    }
    oldMinHi[k] = h0
    oldMinLo[k] = l0
    oldMinHi[k + 1] = h1
    oldMinLo[k + 1] = l1
    oldMinHi[k + 2] = h2
    oldMinLo[k + 2] = l2
    oldMinHi[k + 3] = h3
    oldMinLo[k + 3] = l3
  }
  const sig = new Uint32Array(OLD_SIGNATURE_WORDS)
  sig[0] = shingles.length
  for (let b = 0; b < OLD_BANDS; b++) sig[1 + b] = ((oldMinHi[b]! << 16) | oldMinLo[b]!) >>> 0
  for (let j = 0; j < OLD_BIT_VALUES; j++) {
    const k = OLD_BANDS + (j >>> 1)
    const bit = (j & 1) === 0 ? oldMinHi[k]! & 1 : oldMinLo[k]! & 1
    if (bit !== 0) sig[1 + OLD_BANDS + (j >>> 5)]! |= 1 << (j & 31)
  }
  return sig
}

/** The replaced fingerprint (640-permutation b-bit MinHash plus 24 16-bit values). */
export function minhashFingerprint(doc: Doc): Uint32Array | null {
  const n = oldBodyHashes(doc)
  if (n < 5) return null
  return oldSignatureOf(oldShingleSet(Math.min(n, 5000)))
}

// ---------------------------------------------------------------------------

const PASSES = 9

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

let sink = 0

/** CPU µs per item of one pass of `fn` over `items`. */
function cpuPass<T>(items: T[], fn: (item: T) => number): number {
  const c0 = process.cpuUsage()
  for (const x of items) sink += fn(x)
  const c = process.cpuUsage(c0)
  return (c.user + c.system) / items.length
}

/** Texts tokenized per block before the timed calls on them (about 300 KB of tokens: still in the cache). */
const BLOCK = 64

/** CPU µs per text of `fn` on docs made just before it, block by block (only the calls are timed). */
function cpuPassFresh(texts: string[], fn: (doc: Doc) => number): number {
  let micros = 0
  for (let at = 0; at < texts.length; at += BLOCK) {
    const docs = texts.slice(at, at + BLOCK).map((t) => makeDoc(t))
    const c0 = process.cpuUsage()
    for (const d of docs) sink += fn(d)
    const c = process.cpuUsage(c0)
    micros += c.user + c.system
  }
  return micros / texts.length
}

interface Row {
  texts: string
  n: number
  fn: string
  prepared: number
  fresh: number
}

/**
 * Time every function on the texts: each pass runs all of them in turn (so a
 * busy machine slows each alike), then the medians over PASSES passes.
 */
function measure(label: string, texts: string[]): Row[] {
  const docs = texts.map((t) => makeDoc(t))
  const sig = (s: Uint32Array | null) => (s === null ? 0 : s[1]!)
  const fns: [string, (d: Doc) => number][] = [
    ['fingerprint (640-permutation b-bit MinHash, replaced)', (d) => sig(minhashFingerprint(d))],
    ['fingerprint (OPH bands + odd sketch, shipped)', (d) => sig(fingerprint(d))],
    ['exactHash (for scale)', exactHash],
  ]
  const prepared: number[][] = fns.map(() => [])
  const fresh: number[][] = fns.map(() => [])
  // One warm-up pass of everything, then the timed passes.
  for (let p = -1; p < PASSES; p++) {
    fns.forEach(([, f], k) => {
      const t = cpuPass(docs, f)
      if (p >= 0) prepared[k]!.push(t)
    })
    fns.forEach(([, f], k) => {
      const t = cpuPassFresh(texts, f)
      if (p >= 0) fresh[k]!.push(t)
    })
  }
  return fns.map(([fn], k) => ({ texts: label, n: texts.length, fn, prepared: median(prepared[k]!), fresh: median(fresh[k]!) }))
}

async function main(): Promise<void> {
  const markdown = process.argv.includes('--markdown')
  if (process.env.RECENSIO_BUNDLED !== '1') {
    // Bundle this file (as the package ships: one module, no loader) and run the bundle.
    const { build } = await import('esbuild')
    const self = fileURLToPath(import.meta.url)
    const out = join(tmpdir(), `recensio-fingerprint-speed-${process.pid}.mjs`)
    await build({ entryPoints: [self], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' })
    execFileSync(process.execPath, [out, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, RECENSIO_BUNDLED: '1', RECENSIO_DATA_DIR: DATA_DIR },
    })
    const { rmSync } = await import('node:fs')
    rmSync(out, { force: true })
    return
  }
  const sentiment = ['sentiment_en', 'sentiment_es', 'sentiment_it'].flatMap((s) => readCorpus(s).map((r) => r.text))
  const all = TEXT_CORPORA.flatMap((s) => readCorpus(s).map((r) => r.text))
  const load = loadavg()[0]!
  const rows = [...measure('sentiment dev texts', sentiment), ...measure('all dev texts', all)]
  const loadAfter = loadavg()[0]!
  if (!markdown) {
    console.log(JSON.stringify({ node: process.version, load: [load, loadAfter], rows }, null, 1))
    return
  }
  console.log('| texts | function | µs / review, prepared docs | µs / review, fresh docs |')
  console.log('| --- | --- | --- | --- |')
  for (const r of rows) console.log(`| ${r.texts} (${r.n.toLocaleString('en')}) | ${r.fn} | ${r.prepared.toFixed(2)} | ${r.fresh.toFixed(2)} |`)
  const [old, cur] = rows as [Row, Row]
  console.log()
  console.log(`Fingerprint on the sentiment texts: ${(old.prepared / cur.prepared).toFixed(1)}× faster on prepared docs, ${(old.fresh / cur.fresh).toFixed(1)}× on fresh docs`)
  console.log(`(Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, load average ${load.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end).`)
  // Keep the results alive, so no call is optimized away.
  if (sink === 0.5) console.log('')
}

if (!hasDevData()) console.log('skipped: ../shared/data is absent')
else await main()

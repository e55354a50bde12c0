/**
 * `NearDuplicateIndex.toBytes` / `fromBytes`: an index saved and restored
 * answers as the original would, and bytes that are not such an index are
 * refused with a message saying what was expected and found.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { NearDuplicateIndex, RecensioError } from '../src/index.js'
import { fingerprintDigest } from '../src/authenticity/fingerprint.js'
import { prng, tempDir } from './batch-util.js'

/** The dev corpora, read at run time only (see shared/data/SOURCES.md). */
const DATA = resolve(import.meta.dirname, '../../shared/data')
const haveData = existsSync(join(DATA, 'sentiment_es.jsonl'))
if (!haveData) console.warn(`near-duplicates-bytes: ${DATA} is absent, the tests on real reviews are skipped`)

interface Row {
  id: string
  text: string
}

/** The first `n` reviews of a corpus file, with their ids. */
function reviews(file: string, n: number): Row[] {
  const rows: Row[] = []
  for (const line of readFileSync(join(DATA, file), 'utf8').split('\n')) {
    if (rows.length === n) break
    if (line.trim() === '') continue
    const { id, text } = JSON.parse(line) as Row
    rows.push({ id, text })
  }
  return rows
}

const ROWS: Row[] = haveData
  ? [
      ...reviews('sentiment_es.jsonl', 1000),
      ...reviews('sentiment_it.jsonl', 1000),
      ...reviews('sentiment_en.jsonl', 800),
      ...reviews('amazon_verified.jsonl', 700),
      ...reviews('fake_generated.jsonl', 500),
    ]
  : []

/** A review as its author might edit it: a word dropped, or a sentence added. */
function edited(text: string, rand: () => number): string {
  const words = text.split(' ')
  if (words.length > 8 && rand() < 0.5) words.splice(Math.floor(rand() * words.length), 1)
  else words.push(rand() < 0.5 ? 'Lo recomiendo.' : 'Would buy again.')
  return words.join(' ')
}

type Op = { add: string; text: string } | { delete: string }

/**
 * A moderation queue's history over the rows: each review added, some copied
 * under another id (as such, or edited), some edited under their own id, some
 * deleted.
 */
function history(rows: Row[], seed: number): Op[] {
  const rand = prng(seed)
  const ops: Op[] = []
  rows.forEach((row, i) => {
    ops.push({ add: row.id, text: row.text })
    const r = rand()
    if (r < 0.15) ops.push({ add: `${row.id}-copy`, text: rand() < 0.5 ? row.text : edited(row.text, rand) })
    else if (r < 0.25) ops.push({ add: row.id, text: edited(row.text, rand) })
    else if (r < 0.3 && i > 0) ops.push({ delete: rows[Math.floor(rand() * i)]!.id })
  })
  return ops
}

/** Apply an op; returns what the call returned. */
function apply(index: NearDuplicateIndex, op: Op): unknown {
  return 'add' in op ? index.add(op.add, op.text, 20) : index.delete(op.delete)
}

/** Texts to look up: every row, and an edited version of some. */
function probes(rows: Row[], seed: number): string[] {
  const rand = prng(seed)
  return rows.flatMap((row) => (rand() < 0.3 ? [row.text, edited(row.text, rand)] : [row.text]))
}

/** What each probe matches (limit 50), in order. */
const answers = (index: NearDuplicateIndex, texts: string[]) => texts.map((t) => index.match(t, 50))

/** The error a call throws, as its code, field and message. */
function refusal(f: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(RecensioError)
    const e = error as RecensioError
    return { code: e.code, field: e.issues[0]?.field, message: e.message }
  }
  throw new Error('expected a throw')
}

const stored = (index: NearDuplicateIndex) => (index as unknown as { ids: string[] }).ids.length

describe.skipIf(!haveData)('NearDuplicateIndex.toBytes and fromBytes, on real reviews', () => {
  it('restores an index that gives every probe the same matches, similarities and order', () => {
    const original = new NearDuplicateIndex()
    for (const op of history(ROWS, 1)) apply(original, op)
    const restored = NearDuplicateIndex.fromBytes(original.toBytes())
    expect(restored.size).toBe(original.size)
    const texts = probes(ROWS, 2)
    const before = answers(original, texts)
    expect(answers(restored, texts)).toEqual(before)
    // The probes reach copies, edits and ties (equal similarities, in the order added), not only misses.
    expect(before.filter((m) => m.length > 1).length).toBeGreaterThan(300)
    expect(before.filter((m) => m.length > 1 && m[0]!.similarity === m[1]!.similarity).length).toBeGreaterThan(100)
    expect(before.flat().filter((m) => m.similarity < 1).length).toBeGreaterThan(100)
  })

  it('forgets in the restored index what the original had forgotten: deleted ids and replaced texts', () => {
    const original = new NearDuplicateIndex()
    const ops = history(ROWS, 3)
    for (const op of ops) apply(original, op)
    const restored = NearDuplicateIndex.fromBytes(original.toBytes())
    const deleted = new Set(ops.flatMap((op) => ('delete' in op ? [op.delete] : [])))
    const replaced = ops.filter((op, i): op is { add: string; text: string } => 'add' in op && ops.slice(i + 1).some((o) => 'add' in o && o.add === op.add))
    expect(deleted.size).toBeGreaterThan(50)
    expect(replaced.length).toBeGreaterThan(50)
    for (const op of replaced) {
      expect(restored.match(op.text, 50)).toEqual(original.match(op.text, 50))
    }
    for (const id of deleted) expect(restored.delete(id)).toBe(original.delete(id))
    expect(restored.size).toBe(original.size)
  })

  it('keeps the ids of deleted and replaced reviews out of the bytes', () => {
    const index = new NearDuplicateIndex()
    for (const row of ROWS.slice(0, 200)) index.add(row.id, row.text)
    const erased = ROWS.slice(0, 200).filter((_, i) => i % 10 === 0)
    for (const row of erased) index.delete(row.id)
    const text = Buffer.from(index.toBytes()).toString('latin1')
    for (const row of erased) expect(text).not.toContain(row.id)
    expect(text).toContain(ROWS[1]!.id)
  })

  it('reads a text stored more than 256 times through its latest copies, counting deleted ones, as the original did', () => {
    const text = ROWS.find((r) => r.text.split(' ').length > 20)!.text
    const original = new NearDuplicateIndex()
    for (let i = 0; i < 600; i++) original.add(`copy-${i}`, text)
    // Deleted copies still take their place among the latest 256 of each bucket.
    for (let i = 500; i < 600; i++) original.delete(`copy-${i}`)
    const restored = NearDuplicateIndex.fromBytes(original.toBytes())
    const found = original.match(text, 1000)
    expect(found.map((m) => m.id)).toEqual(Array.from({ length: 156 }, (_, i) => `copy-${344 + i}`))
    expect(restored.match(text, 1000)).toEqual(found)
    restored.add('copy-600', text)
    original.add('copy-600', text)
    expect(restored.match(text, 1000)).toEqual(original.match(text, 1000))
  })

  it('goes on after restore: add and delete return what the original returns, through its compaction', () => {
    const ops = history(ROWS, 4)
    const half = Math.floor(ops.length / 2)
    const original = new NearDuplicateIndex()
    for (const op of ops.slice(0, half)) apply(original, op)
    const restored = NearDuplicateIndex.fromBytes(original.toBytes())
    for (const op of ops.slice(half)) expect(apply(restored, op)).toEqual(apply(original, op))
    // Every review edited twice more: the replaced texts come to outnumber the stored
    // ones, and both indexes drop them at the same call.
    const rand = prng(5)
    let compactions = 0
    for (const row of [...ROWS, ...ROWS]) {
      const before = stored(original)
      const op = { add: row.id, text: edited(row.text, rand) }
      expect(apply(restored, op)).toEqual(apply(original, op))
      if (stored(original) < before) compactions++
      expect(stored(restored)).toBe(stored(original))
    }
    expect(compactions).toBeGreaterThanOrEqual(1)
    expect(restored.size).toBe(original.size)
    const texts = probes(ROWS, 6)
    expect(answers(restored, texts)).toEqual(answers(original, texts))
    expect(restored.match(ROWS[0]!.text, { id: ROWS[0]!.id })).toEqual(original.match(ROWS[0]!.text, { id: ROWS[0]!.id }))
  })

  it('keeps the threshold it was made with', () => {
    const row = ROWS.find((r) => r.text.split(' ').length > 30)!
    const copy = edited(edited(row.text, prng(7)), prng(8))
    const strict = new NearDuplicateIndex({ threshold: 0.95 })
    strict.add(row.id, row.text)
    const loose = new NearDuplicateIndex()
    loose.add(row.id, row.text)
    expect(loose.match(copy)).toHaveLength(1)
    expect(loose.match(copy)[0]!.similarity).toBeLessThan(0.95)
    expect(strict.match(copy)).toEqual([])
    expect(NearDuplicateIndex.fromBytes(strict.toBytes()).match(copy)).toEqual([])
    expect(NearDuplicateIndex.fromBytes(loose.toBytes()).match(copy)).toEqual(loose.match(copy))
  })

  it('restores from a Buffer read back from a file, and from one at an odd offset of a shared pool', () => {
    const index = new NearDuplicateIndex()
    for (const row of ROWS.slice(0, 300)) index.add(row.id, row.text)
    const bytes = index.toBytes()
    const path = join(tempDir(), 'index.bin')
    writeFileSync(path, bytes)
    const texts = ROWS.slice(0, 300).map((r) => r.text)
    const expected = answers(index, texts)
    expect(answers(NearDuplicateIndex.fromBytes(readFileSync(path)), texts)).toEqual(expected)
    const pool = Buffer.alloc(bytes.length + 11)
    pool.set(bytes, 3)
    const shifted = pool.subarray(3, 3 + bytes.length)
    expect(shifted.byteOffset % 8).not.toBe(0)
    expect(answers(NearDuplicateIndex.fromBytes(shifted), texts)).toEqual(expected)
    // The buffer is read, not kept or changed: its memory can be reused.
    pool.fill(0)
    expect(answers(NearDuplicateIndex.fromBytes(bytes), texts)).toEqual(expected)
    expect(answers(NearDuplicateIndex.fromBytes(bytes.buffer as ArrayBuffer), texts)).toEqual(expected)
  })
})

describe('NearDuplicateIndex.toBytes and fromBytes', () => {
  const BLENDER = 'The blender crushes ice in seconds and the jar is easy to clean after smoothies.'

  function saved(): Uint8Array {
    const index = new NearDuplicateIndex()
    index.add('r1', BLENDER)
    index.add('r2', 'La cafetera llegó rota y el servicio de atención nunca respondió a mis correos.')
    return index.toBytes()
  }

  it('restores an empty index, which then stores and matches', () => {
    const restored = NearDuplicateIndex.fromBytes(new NearDuplicateIndex().toBytes())
    expect(restored.size).toBe(0)
    expect(restored.match(BLENDER)).toEqual([])
    expect(restored.add('r1', BLENDER)).toEqual([])
    expect(restored.match(BLENDER)).toEqual([{ id: 'r1', similarity: 1 }])
  })

  it('gives back ids as they were added: a leading byte order mark, accents, emoji', () => {
    // The first id starts the UTF-8 of the ids, where a decoder would drop a byte order mark.
    const ids = ['\uFEFFr1', 'reseña-2', '👍🏽-3', 'r\u00004']
    const index = new NearDuplicateIndex()
    for (const id of ids) index.add(id, BLENDER)
    const restored = NearDuplicateIndex.fromBytes(index.toBytes())
    expect(restored.match(BLENDER).map((m) => m.id)).toEqual(ids)
  })

  it('refuses to store an id with a lone surrogate, which the bytes could not give back', () => {
    const index = new NearDuplicateIndex()
    expect(refusal(() => index.add('r\uD800', BLENDER))).toMatchInlineSnapshot(`
      {
        "code": "invalid_value",
        "field": "id",
        "message": "NearDuplicateIndex.add: expected a well-formed string id, got "r\\ud800" with a lone UTF-16 surrogate (half of an emoji cut off?)",
      }
    `)
    expect(index.size).toBe(0)
    // A whole pair is an emoji, stored and saved as any id.
    index.add('r\uD83D\uDC4D', BLENDER)
    expect(NearDuplicateIndex.fromBytes(index.toBytes()).match(BLENDER)).toEqual([{ id: 'r👍', similarity: 1 }])
  })

  it('says what it got instead of bytes', () => {
    expect(refusal(() => NearDuplicateIndex.fromBytes('index.bin' as never))).toMatchInlineSnapshot(`
      {
        "code": "invalid_value",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected the bytes NearDuplicateIndex.toBytes() returned (a Uint8Array or a Buffer), got "index.bin"",
      }
    `)
    expect(refusal(() => NearDuplicateIndex.fromBytes(new Uint32Array(saved().buffer) as never))).toMatchInlineSnapshot(`
      {
        "code": "invalid_value",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected the bytes NearDuplicateIndex.toBytes() returned (a Uint8Array or a Buffer), got a Uint32Array",
      }
    `)
  })

  it('refuses random bytes, and bytes of another kind, saying what they start with', () => {
    const rand = prng(11)
    const noise = Uint8Array.from({ length: 4096 }, () => Math.floor(rand() * 256))
    expect(refusal(() => NearDuplicateIndex.fromBytes(noise))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected the bytes of NearDuplicateIndex.toBytes(), which start 52 43 4e 53 4e 44 58 0a ("RCNSNDX."), found bytes starting 82 87 9b 97 d9 89 14 87 ("........")",
      }
    `)
    expect(refusal(() => NearDuplicateIndex.fromBytes(new TextEncoder().encode('{"id":"r1","text":"…"}')))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected the bytes of NearDuplicateIndex.toBytes(), which start 52 43 4e 53 4e 44 58 0a ("RCNSNDX."), found bytes starting 7b 22 69 64 22 3a 22 72 ("{"id":"r")",
      }
    `)
    expect(refusal(() => NearDuplicateIndex.fromBytes(new Uint8Array(0)))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected the bytes of NearDuplicateIndex.toBytes(), which start 52 43 4e 53 4e 44 58 0a ("RCNSNDX."), found no bytes",
      }
    `)
  })

  it('refuses bytes cut short or with more after them', () => {
    const bytes = saved()
    expect(refusal(() => NearDuplicateIndex.fromBytes(bytes.subarray(0, 20)))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected a header of 40 bytes, found 20 bytes: they were cut short",
      }
    `)
    expect(refusal(() => NearDuplicateIndex.fromBytes(bytes.subarray(0, bytes.length - 8)))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected 344 bytes for 2 stored texts and 4 bytes of ids, found 336: they were cut short",
      }
    `)
    const longer = new Uint8Array(bytes.length + 8)
    longer.set(bytes)
    expect(refusal(() => NearDuplicateIndex.fromBytes(longer))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected 344 bytes for 2 stored texts and 4 bytes of ids, found 352: something follows them",
      }
    `)
  })

  it('refuses another format version', () => {
    const bytes = saved()
    new DataView(bytes.buffer).setUint32(8, 2, true)
    expect(refusal(() => NearDuplicateIndex.fromBytes(bytes))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected format version 1, found version 2, which a later recensio release writes: restore the index with that release, or add the reviews again",
      }
    `)
  })

  it('refuses bytes changed after they were saved', () => {
    const bytes = saved()
    // One bit of a stored sketch.
    bytes[bytes.length - 200]! ^= 4
    expect(refusal(() => NearDuplicateIndex.fromBytes(bytes))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected checksum 0xc4461787, found 0x0e0123e1: the bytes were changed after they were saved",
      }
    `)
  })

  it('refuses an index saved by a recensio whose fingerprints differ', async () => {
    // Another build: its word hashes differ, so its fingerprints of the same text do. The message
    // names this build's digest: a change to the fingerprint changes it, and indexes saved before are refused.
    vi.resetModules()
    vi.doMock('../src/text/index.js', async (importOriginal) => {
      const text = await importOriginal<typeof import('../src/text/index.js')>()
      return { ...text, hashOf: (id: number) => text.hashOf(id) ^ 1 }
    })
    const other = await import('../src/authenticity/near-duplicates.js')
    vi.doUnmock('../src/text/index.js')
    const index = new other.NearDuplicateIndex()
    index.add('r1', BLENDER)
    const bytes = index.toBytes()
    expect(refusal(() => NearDuplicateIndex.fromBytes(bytes))).toMatchInlineSnapshot(`
      {
        "code": "invalid_file",
        "field": "bytes",
        "message": "NearDuplicateIndex.fromBytes: expected fingerprints made as this recensio makes them (digest 0xf2c1b5e4), found digest 0x3f2110a0: a recensio release with another fingerprint saved this index, and its stored reviews cannot be compared with new ones; add the reviews again",
      }
    `)
  })

  it('has the same fingerprint digest in a fresh module graph (as in a new process) as after reading thousands of reviews', async () => {
    const here = fingerprintDigest()
    vi.resetModules()
    const fresh = await import('../src/authenticity/fingerprint.js')
    expect(fresh.fingerprintDigest()).toBe(here)
  })
})

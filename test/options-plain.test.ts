/**
 * Options of plain values are checked without zod (`plainOptions`): what it
 * takes must be exactly what the schema takes, and give what the schema gives.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { optionsSchema, plainOptions } from '../src/review/options.js'
import { root } from './batch-util.js'

const KEYS = ['lang', 'explain', 'dateOrder', 'encoding', 'format', 'maxTextLength', 'workers', 'chunkSize', 'window', 'windowIdleMs', 'keep', 'signal', 'onProgress', 'ratingScale', 'map', 'taxonomy', 'langs', 'constructor', '__proto__']
const VALUES: unknown[] = [
  'es', 'it', 'en', 'fr', 'ES', 'mdy', 'dmy', 'utf-8', 'utf8', 'windows-1252', 'latin1', 'utf16', 'jsonl', 'json', 'csv', 'xlsx', '', '1-5', 'text',
  true, false, null, undefined, 0, 1, 2, 255, 256, 257, 1_000_000, 1_000_001, 50_000_000, 50_000_001, 0.5, 1.5, -1, 86_400_000, 86_400_001,
  Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER, 2 ** 53, [], ['a'], ['a', ''], ['a', 1], [, 'a'], {}, { text: 'body' }, () => {}, new AbortController().signal, new Date(0),
]

describe('plain options', () => {
  it('takes what the schema takes, and gives what it gives', () => {
    const options = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 4 })
    fc.assert(
      fc.property(options, (o) => {
        const plain = plainOptions(o)
        const parsed = optionsSchema().safeParse(o)
        if (plain !== null) {
          expect(parsed.success).toBe(true)
          expect(plain).toEqual(parsed.data)
        }
      }),
      { numRuns: 3000 },
    )
    // The plain cases are the common ones: they pass without the schema.
    expect(plainOptions({ lang: 'es', explain: true, keep: ['order_id'], workers: 2 })).toEqual({ lang: 'es', explain: true, keep: ['order_id'], workers: 2 })
    for (const refused of [{ lang: 'fr' }, { workers: 1.5 }, { keep: [''] }, Object.create({ lang: 'es' }), { ratingScale: '1-10' }]) expect(plainOptions(refused)).toBeNull()
  })

  it('does not load zod for a call with plain options', () => {
    const code = `import(${JSON.stringify(join(root, 'dist/index.js'))}).then(({ analyze }) => {
      analyze('Muy buen producto', { lang: 'es', explain: true })
      const loaded = Object.keys(require.cache).some((k) => k.includes('/zod/'))
      let refused = ''
      try { analyze('x', { lang: 'fr' }) } catch (e) { refused = e.message }
      process.stdout.write(JSON.stringify([loaded, Object.keys(require.cache).some((k) => k.includes('/zod/')), refused]))
    })`
    const out = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' })
    expect(JSON.parse(out.stdout)).toEqual([false, true, expect.stringContaining('option "lang"')])
  })
})

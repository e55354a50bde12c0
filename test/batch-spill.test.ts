/**
 * The spill line: what the per-review stage hands to the final write. Joined
 * back, its parts are exactly JSON.stringify of the result; its facts are
 * what the summary reads.
 */
import { describe, expect, it } from 'vitest'
import { Spill } from '../src/batch/spill.js'
import { errorSpillLine, joinOutputLine, okSpillLine, splitSpillLine } from '../src/batch/spill-line.js'
import type { ReviewResult } from '../src/index.js'

function result(extra: Partial<ReviewResult> = {}): ReviewResult {
  return {
    id: 'r\t"1"',
    ok: true,
    row: 3,
    language: { code: 'es', confidence: 0.93, source: 'detected' },
    sentiment: { score: -0.41, label: 'negative', stars: 1.9, confidence: 0.7 },
    journey: [
      {
        stage: 'delivery',
        confidence: 0.8,
        evidence: ['llegó tarde'],
        spans: [{ field: 'text', start: 0, end: 11 }],
        sentiment: { score: -0.5, label: 'negative' },
      },
      { stage: 'waiting_time', confidence: 0.6, evidence: ['dos\tsemanas'], spans: [], sentiment: { score: 0, label: 'neutral' } },
    ],
    authenticity: { fakeScore: 0.2, verdict: 'genuine', signals: [{ type: 'unverified', strength: 0.5, reason: 'said "authenticity":0' }] },
    rating: 1,
    date: null,
    ...extra,
  }
}

describe('spill lines', () => {
  const cases: [string, ReviewResult][] = [
    ['a plain result', result()],
    ['kept fields after the authenticity', result({ product: 'p', fields: { order: 'A-1', note: 'x\ny' } })],
    ['a kept field named "authenticity"', result({ fields: { authenticity: 0, other: ',"authenticity":0' } })],
  ]
  for (const [name, r] of cases) {
    it(`rebuild JSON.stringify exactly: ${name}`, () => {
      const line = okSpillLine(r)
      expect(line).not.toContain('\n')
      const parts = splitSpillLine(line)!
      expect(joinOutputLine(parts.head, parts.auth, parts.tail)).toBe(JSON.stringify(r))
      expect(JSON.parse(parts.auth)).toEqual(r.authenticity)
      expect(parts.facts).toEqual({
        language: 'es',
        score: -0.41,
        label: 'negative',
        verdict: 'genuine',
        journey: [
          { stage: 'delivery', confidence: 0.8, sentiment: { score: -0.5, label: 'negative' } },
          { stage: 'waiting_time', confidence: 0.6, sentiment: { score: 0, label: 'neutral' } },
        ],
      })
    })
  }

  it('leave the result as it was', () => {
    const r = result()
    const before = JSON.stringify(r)
    okSpillLine(r)
    expect(JSON.stringify(r)).toBe(before)
  })

  it('keep error rows as their output line', () => {
    const line = errorSpillLine({ id: null, ok: false, row: 2, error: { field: 'row', code: 'invalid_json', message: 'line 2\tis bad' } })
    expect(splitSpillLine(line)).toBeNull()
    expect(JSON.parse(line)).toMatchObject({ row: 2 })
  })
})

describe('Spill', () => {
  async function roundTrip(limit: number, line = (c: number, i: number) => `chunk ${c} line ${i} ñ`): Promise<{ lines: string[]; onDisk: boolean }> {
    const spill = new Spill(limit)
    for (let c = 0; c < 5; c++) spill.append(Buffer.from(Array.from({ length: 7 }, (_, i) => `${line(c, i)}\n`).join('')))
    const lines: string[] = []
    for await (const block of spill.blocks()) {
      expect(block[block.length - 1]).toBe(0x0a)
      lines.push(...block.toString('utf8').split('\n').slice(0, -1))
    }
    const onDisk = spill.onDisk
    await spill.dispose()
    return { lines, onDisk }
  }

  it('gives the lines back in order from memory and from disk', async () => {
    const memory = await roundTrip(1 << 20)
    const disk = await roundTrip(50)
    expect(memory.onDisk).toBe(false)
    expect(disk.onDisk).toBe(true)
    expect(memory.lines).toHaveLength(35)
    expect(disk.lines).toEqual(memory.lines)
    expect(memory.lines[8]).toBe('chunk 1 line 1 ñ')
  })

  it('reads back lines longer than its read buffer whole', async () => {
    // 1.5 MB lines: longer than the 1 MB the spill reads at a time.
    const long = (c: number, i: number) => `${c}:${i}:${(i === 3 ? 'é' : 'x').repeat(750_000)}`
    const disk = await roundTrip(50, long)
    expect(disk.onDisk).toBe(true)
    expect(disk.lines).toHaveLength(35)
    disk.lines.forEach((l, k) => expect(l).toBe(long(Math.floor(k / 7), k % 7)))
  })
})

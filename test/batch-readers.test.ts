/**
 * The byte readers: the rows they cut do not depend on how the file arrives
 * in pieces (property test, fixed seed), and the CSV reader's record ends
 * agree with csv-parse.
 */
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { CsvChunker, detectDelimiter } from '../src/batch/csv.js'
import { sniffFormat, sniffInput } from '../src/batch/detect.js'
import { JsonArrayChunker } from '../src/batch/json-array.js'
import { JsonlChunker } from '../src/batch/jsonl.js'
import type { BytesChunk } from '../src/batch/protocol.js'
import { ChunkReader, csvWidth } from '../src/batch/read-rows.js'
import { prng } from './batch-util.js'

interface Row {
  text: string
  line: number
  problem: string | null
}

function rowsOf(chunks: BytesChunk[]): Row[] {
  const rows: Row[] = []
  for (const c of chunks) {
    for (let i = 0; i < c.rows; i++) {
      const problem = c.problems.find((p) => p.at === i)
      rows.push({ text: Buffer.from(c.bytes.subarray(c.starts[i], c.ends[i])).toString('utf8'), line: c.lines[i]!, problem: problem?.code ?? null })
    }
  }
  return rows
}

/** Feed `bytes` in one piece. */
/** A row's element parsed, or 'bad' when it is not valid JSON. */
function parsedOrBad(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return 'bad'
  }
}

function readWhole(chunker: JsonlChunker | JsonArrayChunker | CsvChunker, bytes: Uint8Array): BytesChunk[] {
  const out: BytesChunk[] = []
  chunker.feed(bytes, out)
  chunker.end(out)
  return out
}

/** Feed `bytes` in random pieces (some of one byte). */
function feedInPieces(chunker: JsonlChunker | JsonArrayChunker | CsvChunker, bytes: Uint8Array, rand: () => number): BytesChunk[] {
  const out: BytesChunk[] = []
  let at = 0
  while (at < bytes.length) {
    const size = rand() < 0.3 ? 1 : 1 + Math.floor(rand() * 40)
    chunker.feed(bytes.subarray(at, at + size), out)
    at += size
  }
  chunker.end(out)
  return out
}

const JSONL = Buffer.from(
  '{"id":1,"text":"uno"}\n\n  \r\n{"id":2,"text":"dos, \\"tres\\""}\r\n{"id":3,"text":"ñandú 🐦"}\n' + 'x'.repeat(120) + '\n{"id":4}',
)

const CSV = Buffer.from(
  'id,text,rating\r\n1,"coma, dentro",5\r\n\r\n2,"línea\nnueva y ""comillas""",4\n3,sin comillas,3\n4,"",\n5,dice 5" pulgadas,2\n6,"último',
)

describe('JsonlChunker', () => {
  it('cuts the same rows however the bytes arrive', () => {
    const reference = readWhole(new JsonlChunker(3, 100), JSONL)
    const expected = rowsOf(reference)
    expect(expected.map((r) => r.line)).toEqual([1, 4, 5, 6, 7])
    expect(expected[3]).toMatchObject({ problem: 'too_big', text: '' })
    expect(reference[reference.length - 1]!.unterminated).toBe(true)
    // Progress counts bytes through each chunk's last row; the last chunk ends the file.
    expect(reference.map((c) => c.endOffset)).toEqual([JSONL.indexOf('x'.repeat(120)), JSONL.length])
    const rand = prng(11)
    for (let trial = 0; trial < 50; trial++) expect(rowsOf(feedInPieces(new JsonlChunker(3, 100), JSONL, rand))).toEqual(expected)
  })

  it('ends a line at a carriage return alone where a row starts after it, however the bytes arrive', () => {
    // A stray CR between two rows, CR-only line ends, a "\r\n", CRs that follow no row's "}"
    // (white space to JSON: at a line's start, before nested objects), one after a "}" and blanks.
    const bytes = Buffer.from('{"id":1}\r{"id":2}\n{"id":3}\r\r{"id":4}\r\n{"id":5,\r"a":1}\r\n\r{"id":6}\r{"id":7,"m":\r{"a":[\r{}]}} \t\r{"id":8}\n')
    const expected = rowsOf(readWhole(new JsonlChunker(2, 1000), bytes))
    expect(expected.map((r) => [r.line, r.text])).toEqual([
      [1, '{"id":1}'],
      [2, '{"id":2}'],
      [3, '{"id":3}\r'],
      [4, '{"id":4}'],
      [5, '{"id":5,\r"a":1}'],
      [6, '\r{"id":6}'],
      [7, '{"id":7,"m":\r{"a":[\r{}]}} \t'],
      [8, '{"id":8}'],
    ])
    expect(expected.map((r) => parsedOrBad(r.text))).not.toContain('bad')
    const rand = prng(5)
    for (let trial = 0; trial < 50; trial++) expect(rowsOf(feedInPieces(new JsonlChunker(2, 1000), bytes, rand))).toEqual(expected)
    // Progress: the first chunk ends with its second row's "\n".
    expect(readWhole(new JsonlChunker(2, 1000), bytes)[0]!.endOffset).toBe(bytes.indexOf('\n') + 1)
  })

  it('numbers chunks and their first rows in order', () => {
    const out: BytesChunk[] = []
    const c = new JsonlChunker(2, 1000)
    c.feed(Buffer.from('{}\n{}\n{}\n{}\n{}\n'), out)
    c.end(out)
    expect(out.map((k) => [k.seq, k.start, k.rows])).toEqual([
      [0, 0, 2],
      [1, 2, 2],
      [2, 4, 1],
    ])
  })
})

const ARRAY = Buffer.from(
  '[\n  {"id": 1, "text": "uno, [dos] {tres}"},\n  {"id": 2, "text": "comillas \\" y barra \\\\", "tags": [1, [2]]},\r\n' +
    `  {"id": 3, "text": "ñandú 🐦"}, 42 , "x", null, {"id": 4, "text": "${'x'.repeat(120)}"},\n  [5, 6], {"id": 7}\n]\n`,
)

describe('JsonArrayChunker', () => {
  const elements = (JSON.parse(ARRAY.toString('utf8')) as unknown[]).map((e) => JSON.stringify(e))

  it('cuts one row per element however the bytes arrive, each parsing to the element', () => {
    const reference = readWhole(new JsonArrayChunker(3, 100), ARRAY)
    const expected = rowsOf(reference)
    expect(expected.map((r) => r.line)).toEqual([2, 3, 4, 4, 4, 4, 4, 5, 5])
    expect(expected[6]).toMatchObject({ problem: 'too_big', text: '' })
    const parsed = expected.filter((r) => r.problem === null).map((r) => JSON.stringify(JSON.parse(r.text)))
    expect(parsed).toEqual(elements.filter((_, k) => k !== 6))
    expect(reference.every((c) => !c.unterminated)).toBe(true)
    // Progress counts bytes through each chunk's last element.
    expect(reference[reference.length - 1]!.endOffset).toBe(ARRAY.indexOf('{"id": 7}') + '{"id": 7}'.length)
    const rand = prng(12)
    for (let trial = 0; trial < 50; trial++) expect(rowsOf(feedInPieces(new JsonArrayChunker(3, 100), ARRAY, rand))).toEqual(expected)
  })

  it('gives back every element of random arrays (tricky strings, nesting, any indentation, any pieces)', () => {
    const rand = prng(2024)
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!
    const atoms = ['"', '\\', '[', ']', '{', '}', ',', '\\"', 'ñ', '🐦', '\n', ' ', 'a', ':', '\u2028', '\t']
    const text = () => Array.from({ length: Math.floor(rand() * 12) }, () => pick(atoms)).join('')
    const value = (depth: number): unknown => {
      const r = rand()
      if (depth > 2 || r < 0.3) return text()
      if (r < 0.45) return Math.floor(rand() * 1000) - 500
      if (r < 0.5) return null
      if (r < 0.75) return Array.from({ length: Math.floor(rand() * 3) }, () => value(depth + 1))
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 3) }, () => [text(), value(depth + 1)]))
    }
    for (let trial = 0; trial < 60; trial++) {
      const elements = Array.from({ length: 1 + Math.floor(rand() * 20) }, () => (rand() < 0.8 ? { id: trial, text: text(), extra: value(0) } : value(1)))
      const json = JSON.stringify(elements, null, pick([0, 1, 2, '\t']))
      const rows = rowsOf(feedInPieces(new JsonArrayChunker(1 + Math.floor(rand() * 5), 1 << 20), Buffer.from(json), rand))
      expect(rows.map((r) => r.problem)).toEqual(elements.map(() => null))
      expect(rows.map((r) => JSON.parse(r.text))).toEqual(elements)
    }
  })

  it('makes a cut-off last element the unterminated row, and says when the array is never closed', () => {
    const cut = new JsonArrayChunker(10, 1000)
    const out: BytesChunk[] = []
    cut.feed(Buffer.from('[{"id":1},{"id":2,"text":"a}'), out)
    cut.end(out)
    expect(rowsOf(out).map((r) => r.text)).toEqual(['{"id":1}', '{"id":2,"text":"a}'])
    expect(out[0]!.unterminated).toBe(true)
    const open = new JsonArrayChunker(10, 1000)
    const out2: BytesChunk[] = []
    open.feed(Buffer.from('[{"id":1},\n'), out2)
    open.end(out2)
    expect(rowsOf(out2).map((r) => r.problem)).toEqual([null, 'truncated'])
    expect(out2[0]!.problems[0]!.message).toMatch(/before the JSON array is closed/)
    const bare = new JsonArrayChunker(10, 1000)
    const out3: BytesChunk[] = []
    bare.feed(Buffer.from('[{"id":1}, 42'), out3)
    bare.end(out3)
    expect(rowsOf(out3).map((r) => [r.text, r.problem])).toEqual([
      ['{"id":1}', null],
      ['42', null],
      ['', 'truncated'],
    ])
    expect(out3[0]!.unterminated).toBe(false)
  })

  it('keeps a string broken by an unescaped quote to one bad element, indented or one element per line', () => {
    // Shops' replies are nested objects, each on a line of its own when indented: not elements.
    const rows = [1, 2, 3, 4].map((id) => ({ id, text: `review ${id}`, replies: [{ text: 'thanks' }, { text: 'again' }], rating: id }))
    const rand = prng(13)
    for (const indent of [0, 2, 4, '\t'] as const) {
      const lines = JSON.stringify(rows, null, indent === 0 ? undefined : indent)
      // One element per line when not indented, as many exports write them.
      const json = indent === 0 ? lines.replaceAll('},{"id"', '},\n{"id"') : lines
      const broken = json.replace('"review 2"', '"review 2 is 5" wide"')
      expect(broken).not.toBe(json)
      for (let trial = 0; trial < 10; trial++) {
        const got = rowsOf(trial === 0 ? readWhole(new JsonArrayChunker(2, 1000), Buffer.from(broken)) : feedInPieces(new JsonArrayChunker(2, 1000), Buffer.from(broken), rand))
        expect(got.map((r) => r.problem)).toEqual([null, null, null, null])
        const parsed = got.map((r) => parsedOrBad(r.text.replace(/,\s*$/, '')))
        expect(parsed).toEqual([rows[0], 'bad', rows[2], rows[3]])
        expect(got.map((r) => r.line)).toEqual(indent === 0 ? [1, 2, 3, 4] : [2, 15, 28, 41])
      }
    }
  })

  it('keeps a string broken by unescaped quotes to one bad element in an array written on one line', () => {
    // Shops' replies are nested objects too, and do not start with the elements' first key.
    const rows = [1, 2, 3, 4, 5].map((id) => ({ id: `r${id}`, text: `review ${id}`, replies: [{ text: 'thanks' }, { text: 'again' }], rating: id }))
    const rand = prng(29)
    for (const spaced of [false, true]) {
      const json = spaced ? JSON.stringify(rows).replaceAll('},{', '}, {').replaceAll('":', '": ') : JSON.stringify(rows)
      for (const [which, stray] of [
        [1, 'is 5" wide'],
        [3, 'is 5" wide'],
        [5, 'is 5" wide'],
        [2, 'said "great" twice'],
        [4, 'has " three " quotes "'],
        // A stray quote followed by what may follow a string: the break shows a little later.
        [2, 'on a 27", 4K screen'],
        [3, 'Note": fine'],
        [4, 'is 5"} too small'],
        [1, 'is 5" wide } ok'],
        [5, 'is 5" ] wide'],
      ] as const) {
        const broken = json.replace(`review ${which}"`, `review ${which} ${stray}"`)
        expect(broken).not.toBe(json)
        for (let trial = 0; trial < 8; trial++) {
          const got = rowsOf(trial === 0 ? readWhole(new JsonArrayChunker(2, 1000), Buffer.from(broken)) : feedInPieces(new JsonArrayChunker(2, 1000), Buffer.from(broken), rand))
          const parsed = got.map((r) => parsedOrBad(r.text))
          expect(parsed, `${stray} in element ${which}`).toEqual(rows.map((r, i) => (i + 1 === which ? 'bad' : r)))
          expect(got.map((r) => r.problem)).toEqual(rows.map(() => null))
          // The bad element still starts with its own id, for its error row.
          expect(got[which - 1]!.text).toMatch(new RegExp(`^\\{"id": ?"r${which}"`))
        }
      }
    }
  })

  it('keeps a broken element to itself in arrays of one element per line or indented, also when it is the last', () => {
    // Some close the element's object early ("} ... ,"): it must go on to its own end.
    const strays = ['5" wide', '"great" twice', 'a"b', '27", 4K', 'x" }', 'y" ]', 'Note": x', 'z"\\"q', 'x" } wide, thin', 'a"}b, c', 'x"] d, e', 'y" ] f, g']
    const rand = prng(41)
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rand() * 5)
      const rows = Array.from({ length: n }, (_, i) => ({ id: i + 1, text: 'good', replies: rand() < 0.5 ? [{ text: 'thanks', id: 9 }] : null, rating: 3 }))
      const pretty = rand() < 0.5
      const bad = new Set<number>()
      const parts = rows.map((r, i) => {
        const json = pretty ? JSON.stringify(r, null, 2).replace(/\n/g, '\n  ') : JSON.stringify(r)
        if (rand() >= 0.4) return json
        bad.add(i)
        return json.replace(/"text": ?"good/, (m) => `${m} ${strays[Math.floor(rand() * strays.length)]}`)
      })
      const json = pretty ? `[\n  ${parts.join(',\n  ')}\n]\n` : `[\n${parts.join(',\n')}\n]\n`
      const got = rowsOf(feedInPieces(new JsonArrayChunker(2, 100_000), Buffer.from(json), rand))
      expect(got.map((r) => r.problem), json).toEqual(rows.map(() => null))
      const parsed = got.map((r) => parsedOrBad(r.text))
      expect(parsed, json).toEqual(rows.map((r, i) => (bad.has(i) ? 'bad' : r)))
    }
  })

  it('costs one row for junk between elements and reads elements with no comma between them', () => {
    const rowsFor = (json: string) => rowsOf(readWhole(new JsonArrayChunker(10, 1000), Buffer.from(json))).map((r) => r.text)
    expect(rowsFor('[{"id": 1, "text": "ok"}, 5}, {"id": 2}, {"id": 3}]')).toEqual(['{"id": 1, "text": "ok"}', '5}, ', '{"id": 2}', '{"id": 3}'])
    expect(rowsFor('[{"id": 1, "text": "ok"}}, {"id": 2}, {"id": 3}]')).toEqual(['{"id": 1, "text": "ok"}}, ', '{"id": 2}', '{"id": 3}'])
    expect(rowsFor('[{"id":1,"text":"ok"},[1,2] 3,{"id":3}]')).toEqual(['{"id":1,"text":"ok"}', '[1,2] 3,', '{"id":3}'])
    // JSON Lines in brackets.
    expect(rowsFor('[\n{"id":1}\n{"id":2}\n[3]\n]\n')).toEqual(['{"id":1}', '{"id":2}', '[3]'])
    // A stray quote before "}]," ends the array early: the elements after the "," are still read.
    expect(rowsFor('[{"id":1,"text":"a"}],b","n":1},{"id":2,"text":"ok"}]').slice(-1)).toEqual(['{"id":2,"text":"ok"}'])
    // Only a "," after the array: said once, as text after the array.
    const trailing = rowsOf(readWhole(new JsonArrayChunker(10, 1000), Buffer.from('[{"id":1}]\n,\n')))
    expect(trailing.map((r) => r.problem)).toEqual([null, 'invalid_row'])
  })

  it('keeps an element that has closed until its comma comes when reading pauses, and hands it out when reading stops', () => {
    // A pause right after a "}" that a stray quote put in the text: the element is not over.
    const paused = new JsonArrayChunker(10, 1000)
    const out: BytesChunk[] = []
    paused.feed(Buffer.from('[\n  {"id": 1, "text": "Buono"},\n  {"id": 2, "text": "x" }'), out)
    paused.flush(out)
    expect(rowsOf(out).map((r) => r.text)).toEqual(['{"id": 1, "text": "Buono"}'])
    paused.feed(Buffer.from(' wide, thin"},\n  {"id": 3, "text": "Bello"}\n]\n'), out)
    paused.end(out)
    expect(rowsOf(out).map((r) => parsedOrBad(r.text.replace(/,\s*$/, '')))).toEqual([{ id: 1, text: 'Buono' }, 'bad', { id: 3, text: 'Bello' }])
    // Stopped for good (Ctrl-C): the element that has closed is a row.
    const stopped = new JsonArrayChunker(10, 1000)
    const out2: BytesChunk[] = []
    stopped.feed(Buffer.from('[\n  {"id": 1, "text": "Buono"}'), out2)
    stopped.flush(out2, true)
    expect(rowsOf(out2).map((r) => r.text)).toEqual(['{"id": 1, "text": "Buono"}'])
  })

  it('still says a file with a broken last element is cut off when it ends inside it', () => {
    const got = rowsOf(readWhole(new JsonArrayChunker(10, 1000), Buffer.from('[{"id":"t1","text":"Buono"},{"id":"t2","text":"a 5" wide screen, rating')))
    expect(got.map((r) => r.text)).toEqual(['{"id":"t1","text":"Buono"}', '{"id":"t2","text":"a 5" wide screen, rating'])
    const cut = new JsonArrayChunker(10, 1000)
    const out: BytesChunk[] = []
    cut.feed(Buffer.from('[{"id":"t1","text":"Buono"},{"id":"t2","text":"a 5" wide screen, rating'), out)
    cut.end(out)
    expect(out.at(-1)!.unterminated).toBe(true)
  })

  it('looks for the last whole first key when a broken element damaged its own', () => {
    const json = '[{"id":"k1","text":"Buono"},{"i"d":"k2","text":"Male"},{"id":"k3","text":"Bello"},{"id":"k4","text":"Ottimo"}]'
    const got = rowsOf(readWhole(new JsonArrayChunker(10, 1000), Buffer.from(json)))
    expect(got.map((r) => r.text)).toEqual(['{"id":"k1","text":"Buono"}', '{"i"d":"k2","text":"Male"},', '{"id":"k3","text":"Bello"}', '{"id":"k4","text":"Ottimo"}'])
  })

  it('keeps an unescaped newline in a text to its own element, even when the next line starts with "{"', () => {
    // Raw newlines, not the escape "\\n": invalid JSON, one bad element each.
    const json = '[{"id":1,"text":"first\nsecond line","n":1},\n{"id":2,"text":"config:\n{\\"mode\\": 1}, fine"},\n{"id":3,"text":"3, then\n{a}"},\n{"id":4,"text":"four"}]'
    const got = rowsOf(readWhole(new JsonArrayChunker(10, 1000), Buffer.from(json)))
    // A broken element ends where the next one starts: its row keeps the comma between them.
    expect(got.map((r) => r.text.replace(/,\s*$/, ''))).toEqual([
      '{"id":1,"text":"first\nsecond line","n":1}',
      '{"id":2,"text":"config:\n{\\"mode\\": 1}, fine"}',
      '{"id":3,"text":"3, then\n{a}"}',
      '{"id":4,"text":"four"}',
    ])
  })

  it('reads arrays one after another, and reports text after the array once', () => {
    const c = new JsonArrayChunker(10, 1000)
    const out: BytesChunk[] = []
    c.feed(Buffer.from('[{"id":1}]\n[{"id":2}]\ntrailing words\n{"id":3}'), out)
    c.end(out)
    const rows = rowsOf(out)
    expect(rows.map((r) => r.problem)).toEqual([null, null, 'invalid_row'])
    expect(out[0]!.problems[0]!.message).toBe('line 3 has text after the end of the JSON array; it was not read')
  })
})

describe('JsonArrayChunker in an object that holds the array', () => {
  /** Rows, and the path the reader says it read. */
  function wrapped(json: string, want: string[] | null, rand?: () => number): { rows: Row[]; path: string | null } {
    const c = new JsonArrayChunker(3, 1 << 20, 0, want)
    const rows = rowsOf(rand === undefined ? readWhole(c, Buffer.from(json)) : feedInPieces(c, Buffer.from(json), rand))
    return { rows, path: c.path }
  }

  it('reads every element of the first array of objects reached through objects, however the bytes arrive', () => {
    const rand = prng(77)
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!
    const atoms = ['"', '\\', '[', ']', '{', '}', ',', ':', 'ñ', '🐦', '\n', ' ', 'a', '[{', '{"text":']
    const text = () => Array.from({ length: Math.floor(rand() * 8) }, () => pick(atoms)).join('')
    // Values that hold no array of objects reached through objects: tags, numbers, arrays of arrays of objects.
    const noise = (depth: number): unknown => {
      const r = rand()
      if (depth > 2 || r < 0.3) return text()
      if (r < 0.4) return Math.floor(rand() * 100)
      if (r < 0.5) return [text(), 1, null]
      if (r < 0.6) return [[{ text: text() }]]
      if (r < 0.7) return []
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 3) }, () => [text(), noise(depth + 1)]))
    }
    for (let trial = 0; trial < 80; trial++) {
      const elements = Array.from({ length: Math.floor(rand() * 8) }, (_, i) => ({ id: `${trial}-${i}`, text: text(), replies: rand() < 0.3 ? [{ text: text() }] : null }))
      const path = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(['data', 'reviews', 'items', 'a.b', text()]))
      // The array, with noise before and after it at each level.
      let value: unknown = elements
      for (let k = path.length - 1; k >= 0; k--) value = { [`before${k}`]: noise(1), [path[k]!]: value, [`after${k}`]: noise(1) }
      const json = JSON.stringify(value, null, pick([0, 1, 2, '\t']))
      const auto = wrapped(json, null, rand)
      if (elements.length === 0) {
        // An empty array is passed over: the one after it (if any) would be read; here there is none.
        expect(auto.rows.map((r) => r.problem)).toEqual(['invalid_row'])
      } else {
        expect(auto.path).toBe(path.join('.'))
        expect(auto.rows.map((r) => r.problem)).toEqual(elements.map(() => null))
        expect(auto.rows.map((r) => JSON.parse(r.text))).toEqual(elements)
      }
      // Asked for by path, the empty array is the one: no rows and no problem.
      const asked = wrapped(json, path, rand)
      expect(asked.rows.map((r) => JSON.parse(r.text))).toEqual(elements)
      expect(asked.path).toBe(path.join('.'))
    }
  })

  it('reads the array a path names, whatever its elements, and says when there is none', () => {
    const json = '{"reviews":[{"text":"a"}],"more":{"tags":["x","y"]}}'
    expect(wrapped(json, ['more', 'tags']).rows.map((r) => r.text)).toEqual(['"x"', '"y"'])
    const none = new JsonArrayChunker(10, 1000, 0, ['data', 'items'])
    const out: BytesChunk[] = []
    none.feed(Buffer.from(json), out)
    none.end(out)
    expect(rowsOf(out).map((r) => r.problem)).toEqual(['invalid_row'])
    expect(out[0]!.problems[0]!.message).toBe('the JSON object that starts at line 1 holds no array at "data.items"')
    const auto = new JsonArrayChunker(10, 1000)
    const out2: BytesChunk[] = []
    auto.feed(Buffer.from('{\n  "count": 0,\n  "tags": ["x"]\n}\n'), out2)
    auto.end(out2)
    expect(out2[0]!.problems[0]!.message).toMatch(/^the JSON object that starts at line 1 holds no array of objects \(reviews\); name the array/)
  })

  it('reads objects one after another (pages of answers), and says what follows the last one', () => {
    const pages = '{"page":1,"reviews":[{"id":1},{"id":2}]}\n{"page":2,"reviews":[{"id":3}],"next":null}\n{"page":3,"reviews":[]}\n'
    const rand = prng(78)
    for (let trial = 0; trial < 20; trial++) {
      const got = wrapped(pages, trial % 2 === 0 ? null : ['reviews'], rand).rows
      // The third page's empty array: passed over when looking for an array of objects (a row says there is none), read (no rows) when asked for.
      expect(got.map((r) => r.text)).toEqual(['{"id":1}', '{"id":2}', '{"id":3}', ...(trial % 2 === 0 ? [''] : [])])
      expect(got.map((r) => r.line)).toEqual([1, 1, 2, ...(trial % 2 === 0 ? [3] : [])])
    }
    const after = wrapped('{"reviews":[{"id":1}]}\nthe end\n', null).rows
    expect(after.map((r) => r.problem)).toEqual([null, 'invalid_row'])
    const bad = new JsonArrayChunker(10, 1000)
    const out: BytesChunk[] = []
    bad.feed(Buffer.from('{"reviews":[{"id":1}], "n": 1 2}'), out)
    bad.end(out)
    expect(out[0]!.problems[0]!.message).toMatch(/^line 1 has text after the end of the JSON array that is not valid JSON/)
  })

  it('reads only the first array of objects in each object, and lets a "," before its "}" pass', () => {
    const json = '{"reviews":[{"id":"r1"}],"related":[{"id":"p9"}]}\n{"reviews":[{"id":"r2"}], }\n'
    expect(wrapped(json, null).rows.map((r) => [r.text, r.problem])).toEqual([
      ['{"id":"r1"}', null],
      ['{"id":"r2"}', null],
    ])
  })

  it('keeps a broken last element of a page to its page, one page per line or indented', () => {
    const pages = [
      [{ id: '1', text: 'Works fine' }, { id: '2', text: 'BROKEN' }],
      [{ id: '3', text: 'ok' }, { id: '4', text: 'fine' }],
      [{ id: '5', text: 'good' }],
    ]
    const rand = prng(80)
    for (const indent of [undefined, 2]) {
      const json = pages.map((reviews, k) => JSON.stringify({ reviews, next: k + 2 }, null, indent)).join('\n')
      const broken = json.replace('"BROKEN"', '"Screen is 5" wide, good"')
      for (let trial = 0; trial < 6; trial++) {
        const got = wrapped(broken, ['reviews'], trial === 0 ? undefined : rand).rows
        expect(got.map((r) => r.problem)).toEqual([null, null, null, null, null])
        expect(got.map((r) => parsedOrBad(r.text))).toEqual([pages[0]![0], 'bad', pages[1]![0], pages[1]![1], pages[2]![0]])
      }
      // The last page: a bad row, not a file cut off.
      const last = json.replace('"good"', '"a 5" screen"')
      const c = new JsonArrayChunker(10, 1 << 20, 0, ['reviews'])
      const out: BytesChunk[] = []
      c.feed(Buffer.from(last), out)
      c.end(out)
      expect(out.at(-1)!.unterminated).toBe(false)
      expect(rowsOf(out).map((r) => parsedOrBad(r.text)).at(-1)).toBe('bad')
    }
  })

  it('costs one error row for a damaged page, and reads the pages after it', () => {
    const page = (ids: string[]) => JSON.stringify({ reviews: ids.map((id) => ({ id, text: `review ${id}`, rating: 4 })), next: 'x' })
    const cutAfter = (ids: string[], mark: string) => {
      const json = page(ids)
      return json.slice(0, json.indexOf(mark) + mark.length)
    }
    const lines = [
      page(['1', '2']),
      'HTTP 429 Too Many Requests',
      page(['3']),
      // Cut inside a text, inside a number, after an element and its ",", after the array, before the last "}".
      page(['4', '5']).slice(0, 30),
      cutAfter(['6', '7'], '"rating":'),
      cutAfter(['8', '9'], '"rating":4},'),
      cutAfter(['10'], ']'),
      page(['11']).slice(0, -1),
      page(['12']),
      `${page(['13'])} trailing`,
      page(['14']),
    ]
    const rand = prng(81)
    for (let trial = 0; trial < 8; trial++) {
      const got = wrapped(lines.join('\n'), ['reviews'], trial === 0 ? undefined : rand).rows
      const read = got.filter((r) => r.problem === null).map((r) => parsedOrBad(r.text))
      // Every whole review is read; a review cut off is one bad row, and so is any other damage.
      expect(read.filter((r) => r !== 'bad').map((r) => (r as { id: string }).id)).toEqual(['1', '2', '3', '8', '10', '11', '12', '13', '14'])
      expect(read.filter((r) => r === 'bad')).toHaveLength(2)
      expect(got.filter((r) => r.problem !== null).map((r) => [r.line, r.problem])).toEqual([
        [2, 'invalid_row'],
        [6, 'truncated'],
        [7, 'truncated'],
        [8, 'truncated'],
        [10, 'invalid_row'],
      ])
    }
  })

  it('says when the file is cut off before the array, or before the object around it is closed', () => {
    const cases: [string, string][] = [
      ['{\n  "meta": {"n": 2},\n  "revi', 'the file ends at line 3 inside the JSON object that starts at line 1, before an array of reviews: it may be cut off'],
      ['{"reviews": [{"id": 1}, {"id": 2}', 'the file ends at line 1 before the JSON array is closed with "]": it may be cut off'],
      ['{"reviews": [{"id": 1}, {"id": 2', ''],
      ['{"reviews": [{"id": 1}, {"id": 2}]', 'the file ends at line 1 before the JSON object around the array is closed with "}": it may be cut off'],
      ['{"reviews": [{"id": 1}, {"id": 2}], "next": "abc', 'the file ends at line 1 before the JSON object around the array is closed with "}": it may be cut off'],
    ]
    for (const [json, message] of cases) {
      const c = new JsonArrayChunker(10, 1000)
      const out: BytesChunk[] = []
      c.feed(Buffer.from(json), out)
      c.end(out)
      const problems = out.flatMap((k) => k.problems.map((p) => p.message))
      if (message === '') expect(out.at(-1)!.unterminated, json).toBe(true)
      else expect(problems, json).toEqual([message])
    }
  })

  it('keeps a text broken by a stray quote to one bad element, also when it holds "]" and the elements go on', () => {
    const rows = [1, 2, 3, 4].map((id) => ({ id: `r${id}`, text: `review ${id}`, rating: id }))
    const rand = prng(79)
    for (const indent of [0, 2]) {
      const json = JSON.stringify({ count: 4, reviews: rows, next: 'page2' }, null, indent || undefined)
      const broken = json.replace('review 2"', 'review 2 is 5" wide"')
      for (let trial = 0; trial < 6; trial++) {
        const got = wrapped(broken, null, rand).rows
        expect(got.map((r) => parsedOrBad(r.text.replace(/,\s*$/, ''))), `${indent}`).toEqual([rows[0], 'bad', rows[2], rows[3]])
      }
      // "}]," in the text looks like the array's end: what follows is read as elements again.
      const closing = json.replace('review 2"', 'review 2 is 5"}], b, "n": 1"')
      for (let trial = 0; trial < 6; trial++) {
        const got = wrapped(closing, null, rand).rows.map((r) => parsedOrBad(r.text.replace(/,\s*$/, '')))
        expect(got[0]).toEqual(rows[0])
        expect(got.slice(-2)).toEqual([rows[2], rows[3]])
        expect(got).toContain('bad')
      }
    }
  })
})

describe('ChunkReader on CSV', () => {
  function read(csv: string, named: string[] = []): ReturnType<ChunkReader['row']>[] {
    const chunks = readWhole(new CsvChunker(100, 1000), Buffer.from(csv))
    return chunks.flatMap((c) => {
      const reader = new ChunkReader(c, csvWidth(c.header ?? [], named))
      return Array.from({ length: c.rows }, (_, i) => reader.row(i))
    })
  }

  it('refuses a row with more fields than the header (an unquoted delimiter), not reading it shifted', () => {
    const rows = read('review_id,text,rating,product\nr1,Solid blender, 2 stars,4,blender-x\nr2,"Good, fine",5,p\nr3,ok,4,p,\nr4,short\n')
    expect(rows[0]).toEqual({ ok: false, id: 'r1', code: 'invalid_row', message: 'line 2 has 5 fields where the header has 4: a field with "," in it must be quoted ("…")' })
    expect(rows.slice(1).map((r) => (r.ok ? r.raw : r.code))).toEqual([
      { review_id: 'r2', text: 'Good, fine', rating: '5', product: 'p' },
      // A trailing delimiter adds a blank field; a short row is read as far as it goes.
      { review_id: 'r3', text: 'ok', rating: '4', product: 'p', column_5: '' },
      { review_id: 'r4', text: 'short' },
    ])
    const tabs = read('text\trating\nbien\t5\t\tx\n')
    expect(tabs[0]).toMatchObject({ ok: false, id: null, message: 'line 2 has 4 fields where the header has 2: a field with a tab in it must be quoted ("…")' })
  })

  it('reads a row of a one-column CSV whole, its delimiters the text\'s own', () => {
    const rows = read('text\nMuy bueno, llegó rápido\r\n"Great", he said, "really"\nBien\n')
    expect(rows.map((r) => (r.ok ? r.raw : r.code))).toEqual([{ text: 'Muy bueno, llegó rápido' }, { text: '"Great", he said, "really"' }, { text: 'Bien' }])
  })

  it('reads past the header when the options name a column there', () => {
    const csv = 'id,stars\n1,5,Muy bueno\n2,1,Pessimo,extra\n'
    expect(read(csv).map((r) => r.ok)).toEqual([false, false])
    const rows = read(csv, ['column_3'])
    expect(rows[0]).toEqual({ ok: true, raw: { id: '1', stars: '5', column_3: 'Muy bueno' }, repaired: false })
    expect(rows[1]).toMatchObject({ ok: false, message: 'line 3 has 4 fields where the header has 2: a field with "," in it must be quoted ("…")' })
    expect(csvWidth(['id', 'column_3'], ['column_3', 'column_9x', 'text'])).toBe(2)
  })
})

describe('CsvChunker', () => {
  it('gives up a stray quote that swallows the records after it, however the bytes arrive', () => {
    const csv = Buffer.from('id,text,rating\nr1,"Ottimo prodotto,5\nr2,Pessimo,1\n\nr3,"Buono, davvero",4\nr4,ok,5\n')
    const whole = rowsOf(readWhole(new CsvChunker(2, 1000), csv))
    // The error row keeps the id its line holds before the quote.
    const first = readWhole(new CsvChunker(2, 1000), csv)[0]!
    expect(new ChunkReader(first).row(0)).toMatchObject({ ok: false, id: 'r1', code: 'invalid_row' })
    expect(whole.map((r) => [r.line, r.problem, r.text.trimEnd()])).toEqual([
      [2, 'invalid_row', ''],
      [3, null, 'r2,Pessimo,1'],
      [5, null, 'r3,"Buono, davvero",4'],
      [6, null, 'r4,ok,5'],
    ])
    const rand = prng(5)
    for (let trial = 0; trial < 40; trial++) expect(rowsOf(feedInPieces(new CsvChunker(2, 1000), csv, rand))).toEqual(whole)
    // The chunks still end where their records end.
    const chunks = readWhole(new CsvChunker(1, 1000), csv)
    expect(chunks[chunks.length - 1]!.endOffset).toBe(csv.length)
    expect(chunks.map((c) => c.endOffset)).toEqual([...chunks.map((c) => c.endOffset)].sort((a, b) => a - b))
  })

  it('gives up a quote open for more than 1,000 lines of records, even when a later quote would close it', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `r${i + 2},fine ${i},4`)
    const csv = Buffer.from(`id,text,rating\nr1,"broken,5\n${lines.slice(0, 2000).join('\n')}\nr9,ends here",3\n${lines.slice(2000).join('\n')}\n`)
    const expected = [
      [2, 'invalid_row'],
      ...Array.from({ length: 3001 }, (_, i) => [i + 3, null]),
    ]
    const rows = rowsOf(readWhole(new CsvChunker(256, 1 << 20), csv))
    expect(rows.map((r) => [r.line, r.problem])).toEqual(expected)
    expect(rows[2001]!.text).toBe('r9,ends here",3\n')
    const rand = prng(8)
    for (let trial = 0; trial < 5; trial++) expect(rowsOf(feedInPieces(new CsvChunker(256, 1 << 20), csv, rand))).toEqual(rows)
  })

  it('keeps a quoted text whose lines hold commas whole, with spaces after its closing quote', () => {
    const csv = Buffer.from('id,text,rating\nr1,"First line\nDelivery fast, box intact, well packed\nBattery lasts, screen bright" ,5\nr2,Fine,4\n')
    expect(rowsOf(readWhole(new CsvChunker(10, 1000), csv)).map((r) => [r.line, r.problem])).toEqual([
      [2, null],
      [5, null],
    ])
  })

  it('judges a long open quote by its first lines, so a file and a pipe read it alike', () => {
    const prose = Array.from({ length: 550 }, () => 'just some words of a long text without any delimiters here, more words')
    const records = Array.from({ length: 950 }, (_, i) => `r${i + 2},Review ${i} is fine,3`)
    const csv = Buffer.from(['id,text,rating', 'r1,"stray start', ...prose, ...records, 'r9999,"quoted",4', ''].join('\n'))
    const whole = rowsOf(readWhole(new CsvChunker(256, 1 << 20), csv))
    const rand = prng(3)
    for (let trial = 0; trial < 5; trial++) expect(rowsOf(feedInPieces(new CsvChunker(256, 1 << 20), csv, rand))).toEqual(whole)
    for (const size of [65536, 1 << 20]) {
      const c = new CsvChunker(256, 1 << 20)
      const out: BytesChunk[] = []
      for (let at = 0; at < csv.length; at += size) c.feed(csv.subarray(at, at + size), out)
      c.end(out)
      expect(rowsOf(out)).toEqual(whole)
    }
  })

  it('keeps a long quoted text whole, and a text cut off by the end of the file one truncated row', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}, with a comma.`).join('\n')
    const csv = Buffer.from(`id,text,rating\nr1,"${text}",5\nr2,ok,4\nr3,"cut off, here\nand here`)
    const out = readWhole(new CsvChunker(10, 1 << 20), csv)
    const rows = rowsOf(out)
    expect(rows.map((r) => [r.line, r.problem])).toEqual([
      [2, null],
      [32, null],
      [33, null],
    ])
    expect(out[out.length - 1]!.unterminated).toBe(true)
  })

  it('ends a chunk where a window ends, also after a record over the row limit', () => {
    const c = new CsvChunker(10, 100, 3)
    const out: BytesChunk[] = []
    c.feed(Buffer.from(`id,text\n1,a\n2,b\n3,"${'x'.repeat(200)}"\n`), out)
    // The window's third row is out before the file goes on.
    expect(out.map((k) => k.rows)).toEqual([3])
    expect(rowsOf(out).map((r) => r.problem)).toEqual([null, null, 'too_big'])
  })

  it('cuts the same records however the bytes arrive, and skips the header and blank lines', () => {
    const whole = new CsvChunker(2, 1000)
    const reference: BytesChunk[] = []
    whole.feed(CSV, reference)
    whole.end(reference)
    const expected = rowsOf(reference)
    expect(whole.columns).toEqual(['id', 'text', 'rating'])
    expect(reference[reference.length - 1]!.endOffset).toBe(CSV.length)
    expect(expected.map((r) => r.line)).toEqual([2, 4, 6, 7, 8, 9])
    const rand = prng(12)
    for (let trial = 0; trial < 50; trial++) expect(rowsOf(feedInPieces(new CsvChunker(2, 1000), CSV, rand))).toEqual(expected)
  })

  it('skips the lines of delimiters alone that a spreadsheet writes below its data, as blank lines', () => {
    const c = new CsvChunker(10, 1000)
    const out: BytesChunk[] = []
    c.feed(Buffer.from('id;texto;estrellas\r\n1;Muy bueno;5\r\n;;\r\n2;"a;b";1\r\n;;\r\n ; ;\r\n;;'), out)
    c.end(out)
    expect(rowsOf(out).map((r) => [r.line, r.problem])).toEqual([
      [2, null],
      [4, null],
    ])
    // A row with one value left is still a row (an error row when it lacks the text).
    const kept: BytesChunk[] = []
    const d = new CsvChunker(10, 1000)
    d.feed(Buffer.from('id;texto;estrellas\n;;5\n'), kept)
    d.end(kept)
    expect(rowsOf(kept).map((r) => r.line)).toEqual([2])
  })

  it('skips the empty rows of a writer that quotes every field ("",""), and keeps a field that holds a quote or a space', () => {
    const c = new CsvChunker(10, 1000)
    const out: BytesChunk[] = []
    c.feed(Buffer.from('"id","text"\n"1","Good"\n"",""\n "" , ""\r\n"2","Bad"\n"""",""\n" ",""\n"" "",""\n'), out)
    c.end(out)
    expect(rowsOf(out).map((r) => r.line)).toEqual([2, 5, 6, 7, 8])
  })

  it('agrees with csv-parse on where each record ends', () => {
    const out: BytesChunk[] = []
    const c = new CsvChunker(100, 1000)
    c.feed(CSV, out)
    c.end(out)
    const ours = rowsOf(out).map((r) => r.text)
    // csv-parse on the whole file, minus its last (unclosed) record.
    const complete = CSV.subarray(0, CSV.lastIndexOf('6,"'))
    const theirs = parse(complete, { relax_quotes: true, relax_column_count: true, skip_empty_lines: true, from_line: 2, record_delimiter: ['\r\n', '\n'], raw: true }) as unknown as {
      record: string[]
    }[]
    expect(ours.slice(0, -1).map((t) => parse(t, { relax_quotes: true, relax_column_count: true, record_delimiter: ['\r\n', '\n'] })[0])).toEqual(
      theirs.map((r) => r.record),
    )
  })

  it('makes a repeat of the header (files joined one after another) an error row that says so, however the bytes arrive', () => {
    const joined = Buffer.from('id,text\r\n1,uno\r\n\uFEFFid,text\n2,dos\nid,text\n"id", text\nid,texts\nsep=,\nid,text\n3,tres\n')
    const expected = rowsOf(readWhole(new CsvChunker(2, 1000), joined))
    expect(expected.map((r) => [r.line, r.problem])).toEqual([
      [2, null],
      // Again, with a byte-order mark of its own, or quoted and spaced otherwise.
      [3, 'invalid_row'],
      [4, null],
      [5, 'invalid_row'],
      [6, 'invalid_row'],
      // Not quite the header: a row like any other.
      [7, null],
      // Excel's "sep=" line of a joined file, and its header.
      [8, 'invalid_row'],
      [9, 'invalid_row'],
      [10, null],
    ])
    const rand = prng(14)
    for (let trial = 0; trial < 30; trial++) expect(rowsOf(feedInPieces(new CsvChunker(2, 1000), joined, rand))).toEqual(expected)
    const out: BytesChunk[] = []
    const c = new CsvChunker(10, 1000)
    c.feed(joined, out)
    c.end(out)
    expect(out[0]!.problems[0]!.message).toBe('line 3 repeats the CSV header (files joined one after another?); it was not read as a review')
  })

  it('picks the delimiter the header uses most', () => {
    expect(detectDelimiter(Buffer.from('a;b;"c,d"\n'))).toBe(';')
    expect(detectDelimiter(Buffer.from('a\tb\tc\n'))).toBe('\t')
    expect(detectDelimiter(Buffer.from('a,b;c,d\n'))).toBe(',')
    expect(detectDelimiter(Buffer.from('id|text|rating\n'))).toBe('|')
    expect(detectDelimiter(Buffer.from('id,Rating | Score,text\n'))).toBe(',')
  })

  it('takes the delimiter from an Excel "sep=" line', () => {
    const out: BytesChunk[] = []
    const c = new CsvChunker(10, 1000)
    c.feed(Buffer.from('sep=;\r\nid;text\r\n1;a,b\r\n'), out)
    c.end(out)
    expect([c.columns, c.separator]).toEqual([['id', 'text'], ';'])
    expect(rowsOf(out).map((r) => r.line)).toEqual([3])
  })

  it('skips a title line and empty rows above the header, however the bytes arrive', () => {
    const csv = Buffer.from('Esportazione recensioni - Negozio Rossi;;;;\r\n;;;;\r\n\r\nData;Autore;Voto;Recensione;\r\n05/03/2024;Giulia;5;Ottima;\r\n')
    const c = new CsvChunker(10, 1000)
    const expected = rowsOf(readWhole(c, csv))
    expect([c.columns, c.separator, c.headerLine, c.titleLines]).toEqual([['Data', 'Autore', 'Voto', 'Recensione', 'column_5'], ';', 4, 2])
    expect(expected.map((r) => [r.line, r.text])).toEqual([[5, '05/03/2024;Giulia;5;Ottima;\r\n']])
    const rand = prng(31)
    for (let trial = 0; trial < 30; trial++) expect(rowsOf(feedInPieces(new CsvChunker(2, 1000), csv, rand))).toEqual(expected)
    // A quoted title with a comma in it, and one with no delimiter at all.
    const quoted = new CsvChunker(10, 1000)
    readWhole(quoted, Buffer.from('"Reviews, March 2024",,\ntext,rating,date\nGreat,5,2024-03-05\n'))
    expect(quoted.columns).toEqual(['text', 'rating', 'date'])
    const bare = new CsvChunker(10, 1000)
    readWhole(bare, Buffer.from('Reviews export\ntext,rating\nGreat,5\n'))
    expect(bare.columns).toEqual(['text', 'rating'])
  })

  it('skips a title whose parts a "|" sets apart, which names no field', () => {
    const title = new CsvChunker(10, 1000)
    readWhole(title, Buffer.from('Reseñas | Marzo 2024\ntext,rating\nMuy bueno,5\n'))
    expect([title.columns, title.headerLine, title.titleLines]).toEqual([['text', 'rating'], 2, 1])
    // A header separated by "|" names a field: it is the header.
    const piped = new CsvChunker(10, 1000)
    readWhole(piped, Buffer.from('id|comentario_cliente\n1|Muy bueno\n'))
    expect([piped.columns, piped.separator, piped.headerLine]).toEqual([['id', 'comentario_cliente'], '|', 1])
  })

  it('keeps a first line with one column as the header when it names a field or the mapped text', () => {
    const alias = new CsvChunker(10, 1000)
    readWhole(alias, Buffer.from('Recensione;;\nOttima;;\n'))
    expect(alias.columns).toEqual(['Recensione', 'column_2', 'column_3'])
    const mapped = new CsvChunker(10, 1000, 0, 'Comentarios del cliente')
    readWhole(mapped, Buffer.from('Comentarios del cliente;;\nMuy bueno;;\n'))
    expect(mapped.columns).toEqual(['Comentarios del cliente', 'column_2', 'column_3'])
    // A mapped column_N may be a blank name of the first line: that line stays the header.
    const past = new CsvChunker(10, 1000, 0, 'column_2')
    readWhole(past, Buffer.from('Notes;\nfirst;Muy bueno\n'))
    expect([past.columns, past.headerLine]).toEqual([['Notes', 'column_2'], 1])
    // Nothing but title-like lines: the first is the header after all, to be refused for its columns.
    const only = new CsvChunker(10, 1000)
    const out = readWhole(only, Buffer.from('Some words here\n;;\n'))
    expect([only.columns, only.titleLines, out.length]).toEqual([['Some words here'], 0, 0])
    // A file of one column longer than a title: its first line is the header, not its 21st.
    const column = Buffer.from(`Feedback\n${Array.from({ length: 30 }, (_, i) => `"Great product ${i + 1}, works well"\n`).join('')}`)
    const one = new CsvChunker(10, 1000)
    readWhole(one, column)
    expect([one.columns, one.headerLine, one.titleLines]).toEqual([['Feedback'], 1, 0])
    const rand = prng(32)
    for (let trial = 0; trial < 10; trial++) {
      const pieces = new CsvChunker(2, 1000)
      feedInPieces(pieces, column, rand)
      expect(pieces.columns).toEqual(['Feedback'])
    }
  })

  it('names blank and repeated header columns', () => {
    const out: BytesChunk[] = []
    const c = new CsvChunker(10, 1000)
    c.feed(Buffer.from(' text ,,text\n1,2,3\n'), out)
    expect(c.columns).toEqual(['text', 'column_2', 'text_2'])
  })
})

describe('sniffFormat', () => {
  const b = (s: string) => Buffer.from(s)
  it('reads JSON Lines and CSV from the content', () => {
    expect(sniffFormat(b('\uFEFF  {"a":1}\n'), undefined, true)).toBe('jsonl')
    expect(sniffFormat(b('id;text\n1;hola\n'), undefined, true)).toBe('csv')
  })

  it('lets the extension decide between the two', () => {
    expect(sniffFormat(b('text\nhola\n'), 'csv', true)).toBe('csv')
    expect(() => sniffFormat(b('text\nhola\n'), 'jsonl', true)).toThrow(/its first line is not a JSON object \(text\): it was read as JSON Lines/)
  })

  it('reads a JSON array as one, unless a .jsonl name says its lines are rows', () => {
    expect(sniffFormat(b('[{"text":"a"},\n{"text":"b"}]\n'), undefined, true)).toBe('json')
    expect(sniffFormat(b('[\n  {"text":"a"}\n]\n'), 'jsonl', true)).toBe('json')
    expect(sniffFormat(b('[{"text":"a"}]\n'), 'jsonl', true)).toBe('json')
    expect(sniffFormat(b('[1]\n{"text":"b"}\n'), 'jsonl', true)).toBe('jsonl')
    expect(sniffFormat(b('[{"id": 1,\n  "text": "a"}]\n'), 'jsonl', true)).toBe('json')
    expect(() => sniffFormat(b('{\n  "text": "a"\n}\n'), undefined, true)).toThrow(/one JSON review spread over several lines/)
  })

  it('reads an object that holds the reviews in an array as JSON, indented or alone on its line, and lines as JSON Lines rows', () => {
    expect(sniffFormat(b('{\n  "count": 1,\n  "reviews": [\n    {"text": "a"}\n  ]\n}\n'), undefined, true)).toBe('json')
    expect(sniffFormat(b('{"tags":["x"],"data":{"items":[{"text":"a"}]}}'), undefined, true)).toBe('json')
    // A first line longer than the head: judged by its first reviews and what came before them.
    expect(sniffFormat(b('{"page":1,"reviews":[{"text":"a"},{"text":"b'), undefined, false)).toBe('json')
    expect(sniffFormat(b('{"text":"long","replies":[{"text":"thanks"}],"x'), undefined, false)).toBe('jsonl')
    expect(sniffFormat(b('{"id":"r1","photos":[{"url":"a"},{"url":"b'), undefined, false)).toBe('jsonl')
    // Lines one after another are rows, even when the first looks like a page of answers (the plan says so).
    expect(sniffInput(b('{"reviews":[{"text":"a"}]}\n{"reviews":[]}\n'), undefined, true)).toEqual({ format: 'jsonl', arrayPath: null, pages: ['reviews'] })
    expect(sniffInput(b('{"reviews":[{"text":"a"}]}\n{"reviews":[]}\n'), 'json', true)).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffFormat(b('{"id":"x","rating":5,"replies":[{"author":"shop","text":"Thanks!"}]}\n{"id":"y","text":"Great"}\n'), undefined, true)).toBe('jsonl')
    expect(sniffFormat(b('{"id":"x","photos":[{"u":1}]}\n{"id":"y","text":"Great"}\n'), undefined, true)).toBe('jsonl')
    // A .jsonl name keeps even a single line a row.
    expect(sniffFormat(b('{"reviews":[{"text":"a"}]}\n'), 'jsonl', true)).toBe('jsonl')
    // A line with a text of its own is a row, whatever it holds; so is one whose text key --map names.
    expect(sniffFormat(b('{"photos":[{"url":"x"}],"text":"a"}\n'), undefined, true)).toBe('jsonl')
    expect(sniffFormat(b('{"comment":"fine","replies":[{"text":"thanks"}]}\n'), undefined, true)).toBe('jsonl')
    expect(sniffFormat(b('{"items":[{"Bewertung":"gut"}]}\n'), undefined, true, { textKey: 'Bewertung' })).toBe('json')
    // A review in halves has its text in them: the array that holds such reviews, and a line of one is a row.
    expect(sniffInput(b('{"tags":[{"name":"wifi"}],"reviews":[{"pros":"Great location","cons":"Noisy"}]}\n'), undefined, true)).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffInput(b('{"meta":{"page":1},\n"tags":[{"name":"wifi"}],\n"reviews":[{"Positive_Review":"Great location"}]}\n'), undefined, true)).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffFormat(b('{"pros":"Easy","cons":"Pricey","photos":[{"text":"box"}]}\n{"pros":"Fast"}\n'), undefined, true)).toBe('jsonl')
    // The whole input on one line: its first array of objects, even with no text in sight (the key may need --map).
    expect(sniffInput(b('{"links":[{"rel":"x"}],"items":[{"Bewertung":"gut"}]}\n'), undefined, true)).toEqual({ format: 'json', arrayPath: ['links'] })
    expect(sniffFormat(b('{"items":[{"Bewertung":"gut"}]}\n{"items":[]}\n'), undefined, true)).toBe('jsonl')
    // An array of strings or numbers is no array of reviews; nor is one inside an array.
    expect(sniffFormat(b('{"tags":["x"],"n":[1]}\n'), undefined, true)).toBe('jsonl')
    expect(sniffFormat(b('{"pages":[[{"text":"a"}]]}\n'), undefined, true)).toBe('jsonl')
    // An object that goes on over the next lines, one element per line; a broken JSON Lines row does not.
    expect(sniffInput(b('{"reviews":[\n{"id":1,"text":"a"},\n{"id":2,"text":"b"}\n]}\n'), undefined, true)).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffFormat(b('{"id":1,"replies":[{"text":"thanks"}],"text":"5" wide"}\n{"id":2,"text":"ok"}\n'), undefined, true)).toBe('jsonl')
    // Indented and cut off (or the array beyond the head): the reader decides.
    expect(sniffFormat(b('{\n  "meta": {"total": 3},\n  "rev'), undefined, true)).toBe('json')
    // Forced JSON on JSON Lines of reviews is a mistake said at once.
    expect(() => sniffFormat(b('{"text":"a"}\n{"text":"b"}\n'), 'json', true)).toThrow(/it was read as JSON .*, but its lines are reviews, one per line \(JSON Lines\)/)
  })

  it('reads an object that goes on over lines as JSON when its elements keep their text nested, and a row broken inside a string as JSON Lines', () => {
    // One element per line, the text inside each (--map text=review.text): the array, as when indented or on one line.
    const nested = '{"meta":{"page":1},"data":{"reviews":[\n{"id":1,"review":{"text":"a"}},\n{"id":2,"review":{"text":"b"}}\n]}}\n'
    expect(sniffInput(b(nested), undefined, true)).toEqual({ format: 'json', arrayPath: ['data', 'reviews'] })
    expect(sniffInput(b(nested), undefined, true, { textKey: 'review.text' })).toEqual({ format: 'json', arrayPath: ['data', 'reviews'] })
    // A JSON Lines row whose text holds a raw line break stops inside a string: rows, not the array of replies before it.
    const broken = '{"id":1,"replies":[{"text":"thanks"}],"text":"line one\nline two"}\n{"id":2,"text":"ok"}\n'
    expect(sniffInput(b(broken), undefined, true)).toEqual({ format: 'jsonl', arrayPath: null })
    expect(sniffInput(b(broken), 'jsonl', true)).toEqual({ format: 'jsonl', arrayPath: null })
  })

  it('reads an answer whose only array is empty (a page with no reviews) as JSON, indented or on one line', () => {
    expect(sniffInput(b('{\n  "data": {\n    "reviews": []\n  },\n  "total": 0\n}\n'), undefined, true)).toEqual({ format: 'json', arrayPath: ['data', 'reviews'] })
    expect(sniffInput(b('{"data":{"reviews":[]},"total":0}\n'), undefined, true)).toEqual({ format: 'json', arrayPath: ['data', 'reviews'] })
    // An array of objects after it is the one; an empty array in a head that stops before the object ends is no sign.
    expect(sniffInput(b('{"tags":[],"reviews":[{"text":"a"}]}\n'), undefined, true)).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffInput(b('{\n  "tags": [],\n  "meta": {"note": "'), undefined, false)).toEqual({ format: 'json', arrayPath: null })
    // Lines one after another stay rows; one without arrays is still refused.
    expect(sniffFormat(b('{"id":1,"tags":[]}\n{"id":2,"tags":[]}\n'), undefined, true)).toBe('jsonl')
    expect(() => sniffFormat(b('{\n  "total": 0\n}\n'), undefined, true)).toThrow(/with no array of objects in it/)
  })

  it('reads an object that is a review with an empty list of its own as a row, not as a page with no reviews', () => {
    // A field with a value of its own ("rating": 5), a text key, or the root of the mapped text path make it a review.
    expect(sniffInput(b('{"rating":5,"photos":[]}\n'), undefined, true)).toEqual({ format: 'jsonl', arrayPath: null })
    expect(sniffInput(b('{"review":{"body":"ok"},"tags":[]}\n'), undefined, true)).toEqual({ format: 'jsonl', arrayPath: null })
    expect(sniffInput(b('{"nota":{"body":"ok"},"tags":[]}\n'), undefined, true, { textKey: 'nota.body' })).toEqual({ format: 'jsonl', arrayPath: null })
    expect(() => sniffFormat(b('{\n  "rating": 5,\n  "photos": []\n}\n'), undefined, true)).toThrow(/one JSON object spread over several lines/)
    // A key that names a field but holds an object ("data", a date column's Italian name) leaves it a page.
    expect(sniffInput(b('{"data":{"reviews":[]},"count":0}\n'), undefined, true)).toEqual({ format: 'json', arrayPath: ['data', 'reviews'] })
  })

  it('keeps a CSV whose records start with "{" a CSV (ids like {3F2504E0-…})', () => {
    const csv = 'id,text,rating\n{3F2504E0-4F89-11D3-9A0C-0305E82C3301},Great product,5\n{7A1B2C3D-4F89-11D3-9A0C-0305E82C3302},Broke,1\n'
    expect(sniffFormat(b(csv), undefined, true)).toBe('csv')
    expect(sniffFormat(b('x\n{"id":"r1","text":"a"}\n'), undefined, true)).toBe('jsonl')
  })

  it('refuses a whole object without the array a path names, naming the arrays it has', () => {
    const answer = '\uFEFF {"data":{"reviews":[{"text":"a"}],"links":[{"rel":"next"}],"tags":["x"]}}\n'
    expect(() => sniffInput(b(answer), undefined, true, { path: ['data', 'review'] })).toThrow(
      /^its JSON object has no array at "data\.review" \(the arrayPath option\); its arrays of objects: "data\.reviews", "data\.links"$/,
    )
    expect(() => sniffInput(b('{"total":0}'), undefined, true, { path: ['reviews'] })).toThrow(/no array at "reviews" .*; it holds no array of objects$/)
    // Found (even empty, or of strings), or not sure: read as asked.
    expect(sniffInput(b(answer), undefined, true, { path: ['data', 'reviews'] })).toEqual({ format: 'json', arrayPath: ['data', 'reviews'] })
    expect(sniffInput(b('{"reviews":[]}'), undefined, true, { path: ['reviews'] })).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffInput(b(answer), undefined, true, { path: ['data', 'tags'] })).toEqual({ format: 'json', arrayPath: ['data', 'tags'] })
    // Cut off by the head, more objects after it (pages: the first may be an error page), or broken: the reader says per object.
    expect(sniffInput(b('{"total":0,"next":"'), undefined, false, { path: ['reviews'] })).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffInput(b('{"error":"busy"}\n{"reviews":[{"text":"a"}]}\n'), undefined, true, { path: ['reviews'] })).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffInput(b('{"total":0 "reviews":[]}'), undefined, true, { path: ['reviews'] })).toEqual({ format: 'json', arrayPath: ['reviews'] })
  })

  it('chooses the first array of objects whose first object has a review text, for every page', () => {
    const place = b('{"result":{"address_components":[{"long_name":"1"}],"reviews":[{"author_name":"A","text":"Lovely"}]}}')
    expect(sniffInput(place, undefined, true)).toEqual({ format: 'json', arrayPath: ['result', 'reviews'] })
    const links = b('{\n  "links": [{"rel": "next"}],\n  "data": [{"Bewertung": "gut"}]\n}\n')
    expect(sniffInput(links, undefined, true).arrayPath).toEqual(['links'])
    expect(sniffInput(links, undefined, true, { textKey: 'Bewertung' }).arrayPath).toEqual(['data'])
    // Indented with the array beyond the head: the reader looks for the first array of objects.
    expect(sniffInput(b('{\n  "meta": {"total": 3},\n  "rev'), undefined, true)).toEqual({ format: 'json', arrayPath: null })
    // A review text in one of the first objects, not only the first.
    const later = b('{"links":[{"rel":"next"}],"reviews":[{"id":"a","rating":5},{"id":"b","text":"Great"}]}')
    expect(sniffInput(later, undefined, true)).toEqual({ format: 'json', arrayPath: ['reviews'] })
    // Indented pages (as jq prints them) whose first has no reviews: the next ones say where they are.
    const jqPages = b('{\n  "reviews": []\n}\n{\n  "reviews": [\n    {"text": "a"}\n  ]\n}\n')
    expect(sniffInput(jqPages, undefined, true)).toEqual({ format: 'json', arrayPath: ['reviews'] })
  })

  it('reads any object as JSON when a path is asked for, and nothing else', () => {
    expect(sniffFormat(b(' \n'), undefined, true, { path: ['reviews'] })).toBe('jsonl')
    expect(sniffInput(b('{"a":1}\n{"a":2}\n'), 'csv', true, { path: ['reviews'] })).toEqual({ format: 'json', arrayPath: ['reviews'] })
    expect(sniffFormat(b('{"text":"a","more":{"items":[1]}}\n'), undefined, true, { path: ['more', 'items'] })).toBe('json')
    expect(() => sniffFormat(b('[{"text":"a"}]'), undefined, true, { path: ['reviews'] })).toThrow(/not a JSON object, so it has no array at "reviews"/)
  })

  it('treats an empty input as an empty batch', () => {
    expect(sniffFormat(b(''), undefined, true)).toBe('jsonl')
  })

  it('reads a one-column CSV whose header names the text, as from a pipe without a name', () => {
    expect(sniffFormat(b('text\nOttimo\n'), undefined, true)).toBe('csv')
    expect(sniffFormat(b('"Review"\r\nGreat\r\n'), undefined, true)).toBe('csv')
    expect(sniffFormat(b('testo\nBello\n'), undefined, false)).toBe('csv')
    // Its header alone, from a pipe whose writer waits: the whole line is read, not all but its last bytes.
    expect(sniffFormat(b('Recensione\n'), undefined, false)).toBe('csv')
    expect(sniffFormat(b('text\r\n'), undefined, false)).toBe('csv')
    expect(sniffFormat(b('Opinione\nBello\n'), undefined, true, { textKey: 'Opinione' })).toBe('csv')
    // Any other word alone is no header.
    expect(() => sniffFormat(b('hello\nworld\n'), undefined, true)).toThrow(/neither a JSON object nor a CSV header/)
    expect(() => sniffFormat(b('text\nOttimo\n'), undefined, true, { textKey: 'Opinione' })).toThrow(/neither a JSON object nor a CSV header/)
  })

  it('names what a non-text file looks like', () => {
    expect(() => sniffFormat(Buffer.from([0x1f, 0x8b, 8, 0]), undefined, true)).toThrow(/gzip-compressed/)
    expect(() => sniffFormat(Buffer.from([0x50, 0x4b, 3, 4, 20]), 'csv', true)).toThrow(/ZIP archive/)
    expect(() => sniffFormat(Buffer.from([0xff, 0xfe, 0x7b, 0]), undefined, true)).toThrow(/UTF-16/)
  })

  it('tells UTF-16 and UTF-32 text without a byte order mark from other binary data', () => {
    // The sources decode UTF-16 first; the sniffer still refuses it, as a safety net, rather than calling it binary.
    const text = 'id,testo,stelle\n1,"Qualità ottima",5\n'
    expect(() => sniffFormat(Buffer.from(text, 'utf16le'), 'csv', true)).toThrow(/it is UTF-16 text \(little-endian\): save it as UTF-8/)
    expect(() => sniffFormat(Buffer.from(text, 'utf16le').swap16(), undefined, true)).toThrow(/UTF-16 text \(big-endian/)
    expect(() => sniffFormat(Buffer.alloc(4096), undefined, true)).toThrow(/binary data \(NUL bytes\)/)
    // UTF-32 is not taken for UTF-16, nor for binary data.
    const wide = Buffer.from(Array.from(text, (c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8, 0, 0]).flat())
    expect(() => sniffFormat(wide, 'csv', true)).toThrow(/it is UTF-32 text \(little-endian\): save it as UTF-8/)
    expect(() => sniffFormat(Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), Buffer.from(wide).swap32()]), undefined, true)).toThrow(/UTF-32 text \(big-endian/)
    // Small numbers in four bytes each (a binary file's) are no UTF-32 text: their characters are controls.
    const numbers = Buffer.alloc(4096)
    for (let i = 0; i < 1024; i++) numbers.writeUInt32LE((i % 7) + 1, 4 * i)
    expect(() => sniffFormat(numbers, undefined, true)).toThrow(/binary data \(NUL bytes\)/)
  })

  it('keeps text with a few bad bytes (a damaged or Latin-1 export) as text', () => {
    const latin1 = Buffer.concat([b('id,text\n1,caf'), Buffer.from([0xe9]), b(' rico\n')])
    expect(sniffFormat(latin1, undefined, true)).toBe('csv')
  })
})

/**
 * What a first-time user of the packed CLI runs into: inputs that cannot give
 * a single result, messages that must fit on one line, and summary wording.
 */
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, symlinkSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { hasInvalidUtf8 } from '../src/batch/detect.js'
import { summaryText } from '../src/cli/analyze.js'
import { ProgressLine, drawProgress } from '../src/cli/progress.js'
import { analyzeBatch, analyzeFile } from '../src/index.js'
import { root, tempDir, tempFile } from './batch-util.js'

const CLI = join(root, 'dist/cli.js')

function run(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', input })
}

describe('recensio analyze: a CSV without a text column', () => {
  const csv = 'id,descripcion,stars\n1,Muy bueno,5\n2,Malo,1\n'

  it('fails at once with one line naming the columns, and writes nothing', () => {
    const dir = tempDir()
    const out = join(dir, 'results.jsonl')
    const r = run(['analyze', tempFile('no-text.csv', csv), '--out', out])
    expect(r.status).toBe(2)
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^recensio: .*no review text column.*id, descripcion, stars.*--map text=/)
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(dir)).toEqual([])
  })

  it('makes no output folder when it refuses the file', () => {
    const dir = tempDir()
    const r = run(['analyze', tempFile('no-text-deep.csv', csv), '--out', join(dir, 'new', 'deep', 'results.jsonl'), '--summary-json', join(dir, 'other', 'summary.json')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/no review text column/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('names the column a --map points to when the header lacks it', () => {
    const r = run(['analyze', tempFile('mapped.csv', csv), '--map', 'text=body'])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^recensio: .*no column "body".*id, descripcion, stars/)
  })

  it('refuses a piped CSV of one column without a text column, as it refuses the file', () => {
    // Every line has one cell: all are taken for title lines until the input ends, then the first is the header.
    const r = run(['analyze', '-', '--input-format', 'csv'], 'Feedback\nGreat product\nBad\n')
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^recensio: no review text column in the CSV header \(Feedback\): say which column holds the text with --map text=COLUMN/)
  })

  it('still reads the CSV when --map names the text column', () => {
    const r = run(['analyze', tempFile('mapped-ok.csv', csv), '--map', 'text=descripcion', '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(2)
  })

  it('maps a survey question with a comma in it: a comma starts a pair only before field=', () => {
    const survey = tempFile('forms.csv', 'Timestamp,"Overall, how satisfied are you?","If you could change one thing, what would it be?"\n3/5/2024 10:00:00,4,The delivery was late\n')
    const r = run(['analyze', survey, '--map', 'text=If you could change one thing, what would it be?,csat=Overall, how satisfied are you?', '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/\n {2}columns: text ← If you could change one thing, what would it be\?, date ← Timestamp, csat ← Overall, how satisfied are you\?\n/)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, survey: { csat: 4 } })
    // A scale in the question ("1=poor, 5=excellent") is no pair; a comma at the end of the list ends it.
    const scaled = tempFile('scaled.csv', 'Comment,"How would you rate us? (1=poor, 5=excellent)"\nGreat service,5\n')
    const rated = run(['analyze', scaled, '--map', 'text=Comment,rating=How would you rate us? (1=poor, 5=excellent),', '--quiet'])
    expect(rated.status).toBe(0)
    expect(rated.stderr).toContain('\n  columns: text ← Comment, rating ← How would you rate us? (1=poor, 5=excellent)\n')
    expect(JSON.parse(rated.stdout)).toMatchObject({ ok: true, rating: 5 })
  })

  it('keeps a survey question with a comma in it when --keep quotes it', () => {
    const survey = tempFile('forms-keep.csv', 'Timestamp,"Overall, how satisfied are you?",Comments,Country\n3/5/2024 10:00:00,4,The delivery was late,IT\n')
    const r = run(['analyze', survey, '--keep', '"Overall, how satisfied are you?",Country', '--quiet'])
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, fields: { 'Overall, how satisfied are you?': '4', Country: 'IT' } })
    // Unquoted, a comma still separates two names.
    const split = run(['analyze', survey, '--keep', 'Country,Timestamp', '--quiet'])
    expect(Object.keys((JSON.parse(split.stdout) as { fields: object }).fields)).toEqual(['Country', 'Timestamp'])
  })

  it('reads survey columns on other scales with --csat-scale and --ces-scale, and says so when they are off', () => {
    const csv = tempFile('survey7.csv', 'comment,csat,ces\nGreat service,7,2\n')
    const off = run(['analyze', csv, '--quiet'])
    expect(JSON.parse(off.stdout)).toMatchObject({
      ok: false,
      error: { field: 'csat', code: 'out_of_range', message: 'expected 1–5, got "7" (another scale: the csatScale option, --csat-scale)' },
    })
    const on = run(['analyze', csv, '--csat-scale', '1-7', '--ces-scale', '1-5', '--quiet'])
    expect(JSON.parse(on.stdout)).toMatchObject({ ok: true, survey: { csat: 7, ces: 2 } })
    const bad = run(['analyze', csv, '--ces-scale', '7-1'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toBe("recensio: --ces-scale: expected min < max, got 7–1\nTry 'recensio analyze --help'.\n")
  })

  it('warns when the header names a column twice, and says what the repeat is read as', () => {
    const csv = tempFile('twice.csv', 'id;text;text\n1;Ottimo prodotto;Pessimo\n')
    const r = run(['analyze', csv])
    expect(r.status).toBe(0)
    expect(r.stderr.split('\n')[0]).toBe(`recensio: warning: the CSV header of ${csv} names "text" more than once: the first is read as "text", a repeat as "text_2", "text_3" … (--map and --keep can name them)`)
    expect(JSON.parse(r.stdout).sentiment.label).toBe('positive')
    const second = run(['analyze', csv, '--map', 'text=text_2', '--quiet'])
    expect(JSON.parse(second.stdout).sentiment.label).toBe('negative')
  })

  it('reads a spreadsheet export with a title line above the header, and warns that it did', () => {
    const csv = tempFile('titled.csv', 'Esportazione recensioni - Negozio Rossi;;;\r\n;;;\r\nData;Autore;Voto;Recensione\r\n05/03/2024;Giulia;5;Ottima moka, consegna velocissima\r\n')
    const r = run(['analyze', csv, '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stderr.split('\n')[0]).toBe(`recensio: warning: the CSV header of ${csv} was read from line 3: 2 lines above it, with one cell or none, were taken for a title and not read`)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, row: 1, rating: 5, author: 'Giulia' })
    // The summary says where the header was, and the report warns as analyze does.
    const summary = run(['analyze', csv, '--quiet', '--out', join(tempDir(), 'titled.jsonl'), '--summary-json', '-'])
    expect(JSON.parse(summary.stdout).input).toMatchObject({ format: 'csv', headerLine: 3, titleLines: 2 })
    const report = run(['report', csv, '--out', join(tempDir(), 'titled.html')])
    expect(report.status).toBe(0)
    expect(report.stderr).toContain(`recensio report: warning: the CSV header of ${csv} was read from line 3: 2 lines above it, with one cell or none, were taken for a title and not read`)
    // Title-like lines alone are still refused as a header without a text column.
    const only = run(['analyze', tempFile('title-only.csv', 'Some words here\n;;\n')])
    expect(only.status).toBe(2)
    expect(only.stderr).toMatch(/^recensio: no review text column in the CSV header \(Some words here\)/)
  })

  it('lets --map name a field past the header, as column_N', () => {
    const r = run(['analyze', tempFile('unnamed.csv', 'id,stars\n1,5,Muy bueno y llegó rápido\n2,1,Pessimo\n'), '--map', 'text=column_3', '--quiet'])
    expect(r.status).toBe(0)
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; rating: number })
    expect(rows.map((x) => [x.ok, x.rating])).toEqual([
      [true, 5],
      [true, 1],
    ])
    const missing = run(['analyze', tempFile('unnamed2.csv', 'id,stars\n1,5,Muy bueno\n'), '--map', 'text=column_2'])
    expect(missing.status).toBe(2)
  })

  it('throws a RecensioError from analyzeFile', async () => {
    const rows: unknown[] = []
    await expect(async () => {
      for await (const row of analyzeFile(tempFile('lib.csv', csv))) rows.push(row)
    }).rejects.toThrow(/no review text column/)
    expect(rows).toEqual([])
  })

  it('refuses a header with no rows from analyzeFile as the CLI does', async () => {
    const headerOnly = tempFile('header-only.csv', 'id,descripcion,stars\n')
    expect(run(['analyze', headerOnly, '--out', join(tempDir(), 'r.jsonl')]).status).toBe(2)
    await expect(async () => {
      for await (const _ of analyzeFile(headerOnly, { workers: 0 })) void _
    }).rejects.toThrow(/no review text column in the CSV header \(id, descripcion, stars\)/)
    const sentence = tempFile('sentence.csv', 'not json at all, just some words\n')
    await expect(async () => {
      for await (const _ of analyzeFile(sentence)) void _
    }).rejects.toThrow(/no review text column/)
  })
})

describe('recensio analyze: messages', () => {
  const one = tempFile('one.jsonl', '{"id":"a","text":"Funziona bene"}\n')

  it('says "1 row", not "1 rows"', () => {
    const r = run(['analyze', one])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/^recensio: 1 row → stdout/)
  })

  it('never writes the control characters of the input to the terminal raw', () => {
    // A JSON parser's message quotes the broken line; ids and CSV columns are the file's own.
    const broken = tempFile('esc.jsonl', '\x1b]0;title\x07\x1b[31mRED\x00\n{"id":"a","text":"Funziona bene"}\n')
    const r = run(['analyze', broken, '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/first error: row 1, field "row": line 1 is not valid JSON: .*\\u001b\]0;title\\u0007/)
    const id = run(['analyze', tempFile('esc-id.jsonl', '{"id":"\\u001b[2J","rating":9}\n'), '--quiet'])
    expect(id.stderr).toMatch(/first error: row 1 \(id \\u001b\[2J\)/)
    const header = run(['analyze', tempFile('esc.csv', 'id,\x1b[8mopinion\n1,Muy bueno\n')])
    expect(header.status).toBe(2)
    expect(header.stderr).toMatch(/\(id, \\u001b\[8mopinion\)/)
    for (const out of [r, id, header]) expect(out.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
  })

  it('prints a taxonomy file that is not JSON on one line', () => {
    const r = run(['analyze', one, '--taxonomy', tempFile('tax.json', 'not json\n')])
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^recensio: .*tax\.json.*not valid JSON/)
  })

  it('names a bad --rating-scale by its flag', () => {
    const r = run(['analyze', one, '--rating-scale', '10-0'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^recensio: --rating-scale: expected min < max/)
    expect(r.stderr).not.toMatch(/ratingScale/)
  })

  it('names the flag nearest an unknown one, and nothing for one far from any', () => {
    const typo = run(['analyze', one, '--wokers', '2'])
    expect(typo.status).toBe(2)
    expect(typo.stderr).toBe(`recensio: Unknown option '--wokers' (did you mean --workers?)\nTry 'recensio analyze --help'.\n`)
    expect(run(['analyze', one, '--ratingscale', '1-10']).stderr).toMatch(/^recensio: Unknown option '--ratingscale' \(did you mean --rating-scale\?\)\n/)
    expect(run(['analyze', one, '--frobnicate']).stderr).toMatch(/^recensio: Unknown option '--frobnicate'\n/)
  })

  it('says what a refused option value was', () => {
    const scale = run(['analyze', one, '--rating-scale', '10'])
    expect(scale.status).toBe(2)
    expect(scale.stderr).toBe(`recensio: --rating-scale: expected a range like "1-5" or "0-10", got "10"\nTry 'recensio analyze --help'.\n`)
    const workers = run(['analyze', one, '--workers', '999'])
    expect(workers.status).toBe(2)
    expect(workers.stderr).toBe(`recensio: --workers: expected at most 256, got 999\nTry 'recensio analyze --help'.\n`)
  })
})

describe('recensio analyze: signed means in the summary', () => {
  it('writes each mean with its own sign and a minus sign, as the report does', async () => {
    const run = analyzeBatch([{ text: 'Llegó tarde y roto.' }, { text: 'Muy buena calidad, la uso cada día.' }], { workers: 0 })
    for await (const _ of run);
    const s = run.summary()
    s.sentiment.average = -0.25
    s.journey = {
      usage: { count: 3, averageSentiment: 0.004, positive: 1, negative: 1 },
      delivery: { count: 2, averageSentiment: -0.1, positive: 0, negative: 2 },
      support: { count: 1, averageSentiment: 0, positive: 0, negative: 0 },
      loyalty: { count: 1, averageSentiment: -0.002, positive: 0, negative: 0 },
    }
    const text = summaryText(s, 'stdout')
    expect(text).toContain('\n  sentiment: average −0.250 (positive ')
    // A mean of 0.004 is a positive one: "+0.00", as the report writes it; only zero itself has no sign.
    expect(text).toContain('\n  journey (reviews, average sentiment): usage 3 (+0.00) · delivery 2 (−0.10) · support 1 (0.00) · loyalty 1 (−0.00)\n')
    s.sentiment.average = 0.1
    expect(summaryText(s, 'stdout')).toContain('\n  sentiment: average +0.100 (positive ')
  })
})

describe('recensio analyze: an input without rows', () => {
  it('says so in the summary, for an empty file and for a CSV that is only its header', () => {
    const empty = run(['analyze', tempFile('empty.jsonl', '')])
    expect(empty.status).toBe(0)
    expect(empty.stdout).toBe('')
    expect(empty.stderr).toMatch(/\n  ok 0 · error rows 0\n  the input holds no rows\n$/)
    const header = run(['analyze', tempFile('header-only.csv', 'id,text,rating\n')])
    expect(header.status).toBe(0)
    expect(header.stderr).toMatch(/\n  the CSV holds a header and no rows under it\n$/)
  })
})

describe('recensio analyze: --keep and --map columns a CSV lacks', () => {
  it('says which ones in the summary', () => {
    const csv = 'id,text,stars\n1,Muy bueno,5\n'
    const r = run(['analyze', tempFile('keep.csv', csv), '--keep', 'order_id,id', '--map', 'rating=overall'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/not in the CSV header, so left empty: "overall" \(--map rating=overall\), "order_id" \(--keep\)\n/)
    expect(r.stderr).not.toMatch(/"id" \(--keep\)/)
  })

  it('says nothing when every column is there', () => {
    const r = run(['analyze', tempFile('keep-ok.csv', 'id,text,stars\n1,Muy bueno,5\n'), '--keep', 'stars'])
    expect(r.status).toBe(0)
    expect(r.stderr).not.toMatch(/not in the CSV header/)
  })

  it('says which --map keys no JSON row has', () => {
    const rows = '{"id":"a","text":"Muy bueno","user":{"name":"ana"},"stars":5}\n{"id":"b","text":"Malo","stars":1}\n'
    const input = tempFile('keys.jsonl', rows)
    const r = run(['analyze', input, '--map', 'author=user.nmae,product=sku,rating=stars'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/\n {2}no row has the keys "user\.nmae" \(--map author=user\.nmae\), "sku" \(--map product=sku\), so left empty\n/)
    expect(run(['analyze', input, '--map', 'author=user.name,rating=stars']).stderr).not.toMatch(/no row has/)
  })

  it('says which --keep keys no JSON row has, with the --map ones', () => {
    const input = tempFile('keep-keys.jsonl', '{"id":"a","text":"Muy bueno","order":{"id":7}}\n{"id":"b","text":"Malo"}\n')
    const r = run(['analyze', input, '--keep', 'order.id,ordr,id', '--map', 'product=sku'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/\n {2}no row has the keys "sku" \(--map product=sku\), "ordr" \(--keep\), so left empty\n/)
    expect(run(['analyze', input, '--keep', 'order.id']).stderr).not.toMatch(/no row has/)
  })
})

describe('recensio report: an input CSV with a quote inside an unquoted field', () => {
  it('reads the flagged review back instead of crashing', () => {
    const csv = 'id;reviewText;overall\nc1;"Muy bueno; llegó rápido";5\nc2;Buy now www.cheap-pills.com use code SAVE50 =HYPERLINK("x");5\n'
    const dir = tempDir()
    const out = join(dir, 'report.html')
    const r = run(['report', tempFile('stray-quote.csv', csv), '--out', out, '--json', join(dir, 'report.json')])
    expect(r.stderr).not.toMatch(/unexpected error/)
    expect(r.status).toBe(0)
    expect(existsSync(out)).toBe(true)
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { authenticity: { flagged: { id: string; text?: string }[] } }
    expect(report.authenticity.flagged.find((f) => f.id === 'c2')?.text).toMatch(/cheap-pills/)
  })
})

describe('recensio analyze: a Latin-1 export', () => {
  it('warns once that the file is not UTF-8, and still gives every row', () => {
    const bytes = Buffer.from('id,text,rating\n1,"Qualit\xe0 ottima, lo consiglio",5\n2,Caf\xe9 bueno,4\n', 'latin1')
    const r = run(['analyze', tempFile('latin1.csv', bytes)])
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(2)
    expect(r.stderr).toMatch(/^recensio: warning: .*latin1\.csv is not UTF-8 .*run again with --encoding windows-1252\n/)
  })

  it('points to --encoding, not --map, when the text column is unknown only because the header is Windows-1252', () => {
    const bytes = Buffer.from('Fecha;Rese\xf1a;Valoraci\xf3n\n01/02/2024;Lleg\xf3 roto;1\n', 'latin1')
    const input = tempFile('tienda.csv', bytes)
    const r = run(['analyze', input])
    expect(r.status).toBe(2)
    const last = r.stderr.trim().split('\n').at(-1)!
    expect(last).toMatch(/^recensio: .*no review text column .*not UTF-8 .*run again with --encoding windows-1252/)
    expect(last).not.toMatch(/--map text=/)
    const mapped = run(['analyze', input, '--map', 'text=Reseña'])
    expect(mapped.status).toBe(2)
    expect(mapped.stderr.trim().split('\n').at(-1)).toMatch(/no column "Reseña" .*run again with --encoding windows-1252/)
    expect(run(['analyze', input, '--encoding', 'windows-1252', '--quiet']).status).toBe(0)
  })

  it('reads a Windows-1252 spreadsheet export with --encoding windows-1252', () => {
    // As Excel on Windows saves "CSV": ANSI code page, ";" and a header with an accent; the € is 0x80 in Windows-1252, not Latin-1.
    const text = 'id;opinión;estrellas\n1;Pésimo, se rompió en dos días. 20 € tirados;1\n2;Perfetto, però la consegna è arrivata tardi;4\n'
    const bytes = Buffer.from([...text].map((c) => (c === '€' ? 0x80 : c.charCodeAt(0))))
    const input = tempFile('excel.csv', bytes)
    for (const encoding of ['windows-1252', 'latin1']) {
      const r = run(['analyze', input, '--encoding', encoding, '--map', 'text=opinión,rating=estrellas', '--explain', '--quiet'])
      expect(r.status).toBe(0)
      expect(r.stderr).not.toMatch(/not UTF-8/)
      const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; sentiment: { label: string; explain: { text: string }[] }; warnings?: string[] })
      expect(rows.map((x) => x.ok)).toEqual([true, true])
      expect(rows[0]!.sentiment.label).toBe('negative')
      expect(rows[0]!.sentiment.explain.map((e) => e.text)).toContain('Pésimo')
      expect(rows.every((x) => x.warnings === undefined)).toBe(true)
    }
    expect(readFileSync(input).includes(Buffer.from('é'))).toBe(false)
    // Read as UTF-8 (either spelling), the same bytes get the warning.
    for (const encoding of ['utf-8', 'utf8']) expect(run(['analyze', input, '--encoding', encoding, '--map', 'text=opinión']).stderr).toMatch(/not UTF-8/)
    const bad = run(['analyze', input, '--encoding', 'utf-16'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^recensio: --encoding: expected utf-8, utf8, windows-1252 or latin1, got "utf-16"/)
  })

  it('passes UTF-8 with a byte-order mark through unchanged under --encoding windows-1252', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,text\n1,Pésimo servicio\n')])
    const r = run(['analyze', tempFile('bom.csv', bytes), '--encoding', 'windows-1252', '--explain', '--quiet'])
    expect(r.status).toBe(0)
    const row = JSON.parse(r.stdout) as { id: string; sentiment: { explain: { text: string }[] } }
    expect(row.id).toBe('1')
    expect(row.sentiment.explain.map((e) => e.text)).toContain('Pésimo servicio')
  })

  it('reads a UTF-8 file of a batch as UTF-8 under --encoding windows-1252, and the Windows-1252 one decoded', () => {
    const latin = tempFile('tienda.csv', Buffer.from('id;opini\xf3n;estrellas\ne1;Lleg\xf3 roto, p\xe9simo;1\n', 'latin1'))
    const utf8 = tempFile('negozio.csv', 'id,testo,stelle\ni1,"Qualità ottima, però caro",★★★★☆\n')
    const r = run(['analyze', latin, utf8, '--encoding', 'windows-1252', '--quiet'])
    expect(r.status).toBe(0)
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; ok: boolean; rating?: number; warnings?: string[] })
    expect(rows.map((x) => [x.id, x.ok, x.rating, x.warnings])).toEqual([
      ['e1', true, 1, undefined],
      ['i1', true, 4, undefined],
    ])
  })

  it('decides between UTF-8 and Windows-1252 on whole characters, whatever pieces the bytes come in', async () => {
    const { toUtf8 } = await import('../src/batch/encoding.js')
    const decode = async (pieces: Buffer[]): Promise<string> => {
      const t = toUtf8('windows-1252')
      const out: Buffer[] = []
      t.on('data', (b: Buffer) => out.push(b))
      for (const p of pieces) t.write(p)
      t.end()
      await new Promise((resolve) => t.on('end', resolve))
      return Buffer.concat(out).toString('utf8')
    }
    const utf8 = Buffer.from('id,text\n1,Qualità ★★★★☆ café')
    const cut = utf8.indexOf(Buffer.from('à')) + 1
    expect(await decode([utf8.subarray(0, cut), utf8.subarray(cut)])).toBe('id,text\n1,Qualità ★★★★☆ café')
    expect(await decode([utf8])).toBe('id,text\n1,Qualità ★★★★☆ café')
    const latin = Buffer.from('id,text\n1,Caf\xe9 bueno, se\xf1or', 'latin1')
    const at = latin.indexOf(0xe9) + 1
    expect(await decode([latin.subarray(0, at), latin.subarray(at)])).toBe('id,text\n1,Café bueno, señor')
    // A file that ends on a lone byte past ASCII: Windows-1252.
    expect(await decode([Buffer.from('id,text\n1,caf\xe9', 'latin1')])).toBe('id,text\n1,café')
  })

  it('takes encoding in analyzeFile, with the € of Windows-1252', async () => {
    const bytes = Buffer.from([...'id,text,price\n1,"Ottimo acquisto, ben spesi",30 €\n'].map((c) => (c === '€' ? 0x80 : c.charCodeAt(0))))
    const rows = []
    for await (const row of analyzeFile(tempFile('euro.csv', bytes), { encoding: 'windows-1252', keep: ['price'] })) rows.push(row)
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    expect(row.ok && row.fields).toEqual({ price: '30 €' })
    expect(row.ok && row.warnings).toBeUndefined()
  })

  it('does not warn for UTF-8, nor for a character cut at the end of the head', () => {
    const r = run(['analyze', tempFile('utf8.csv', 'id,text\n1,Qualità ottima\n')])
    expect(r.status).toBe(0)
    expect(r.stderr).not.toMatch(/not UTF-8/)
    const euro = Buffer.from('€ Qualità')
    expect(hasInvalidUtf8(euro.subarray(0, 2), false)).toBe(false)
    expect(hasInvalidUtf8(euro.subarray(0, 2), true)).toBe(true)
    expect(hasInvalidUtf8(Buffer.from('Qualit\xe0 ottima', 'latin1'), false)).toBe(true)
  })
})

describe('recensio analyze: pretty-printed JSON named .jsonl', () => {
  const array = `${JSON.stringify([{ id: 'a', text: 'good' }, { id: 'b', text: 'bad' }], null, 2)}\n`
  const object = `${JSON.stringify({ id: 'a', text: 'good' }, null, 2)}\n`

  it('reads an indented array element by element, instead of an error row per line', () => {
    const r = run(['analyze', tempFile('pretty.jsonl', array), '--quiet'])
    expect(r.status).toBe(0)
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; ok: boolean; row: number })
    expect(rows.map((x) => [x.id, x.ok, x.row])).toEqual([
      ['a', true, 1],
      ['b', true, 2],
    ])
  })

  it('refuses an object spread over several lines with the jq hint', () => {
    const r = run(['analyze', tempFile('object.jsonl', object)])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^recensio: .*object\.jsonl: not a JSON Lines, JSON, CSV or .xlsx file: .*spread over several lines.*jq -c/)
  })

  it('reads the reviews in an object that holds them, and says which array it read', () => {
    const answer = JSON.stringify({ total: 2, data: { items: [{ id: 'a', text: 'good' }, { id: 'b', text: 'bad' }], tags: ['x'] } }, null, 2)
    const r = run(['analyze', tempFile('answer.json', answer)])
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'b'])
    expect(r.stderr).toMatch(/\n {2}read the array at "data\.items" in the JSON object\n/)
    const asked = run(['analyze', tempFile('answer2.json', answer), '--array-path', 'data.tags', '--quiet'])
    expect(asked.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { ok: boolean }).ok)).toEqual([false])
    const typoFile = tempFile('answer4.json', answer)
    const typo = run(['analyze', typoFile, '--array-path', 'data.item'])
    expect(typo.status).toBe(2)
    expect(typo.stderr).toBe(`recensio: ${typoFile}: its JSON object has no array at "data.item" (the arrayPath option); its array of objects: "data.items"\n`)
    const wrong = run(['analyze', tempFile('answer3.json', answer), '--array-path', 'data.items', '--input-format', 'csv'])
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toMatch(/^recensio: --array-path: needs JSON input, not csv \(--input-format csv\)/)
  })

  it('says a JSON Lines or JSON file read as CSV starts with JSON, and how to read it', () => {
    for (const [name, body] of [
      ['forced.jsonl', '{"id":"a","text":"Ottimo prodotto"}\n{"id":"b","text":"Pessimo"}\n'],
      ['forced.json', '[{"id":"a","text":"Ottimo prodotto"}]\n'],
    ] as const) {
      const r = run(['analyze', tempFile(name, body), '--input-format', 'csv', '--quiet'])
      expect(r.status).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/^recensio: the first line is JSON, not a CSV header \(.*\): it was read as CSV \(a \.csv or \.tsv name, or --input-format csv\); if it is JSON Lines or JSON, run again with --input-format jsonl or json \(option format\)/)
    }
  })

  it('says how to read a JSON Lines file named .csv, where no --input-format was given', () => {
    const r = run(['analyze', tempFile('named.csv', '{"id":"a","text":"Ottimo prodotto"}\n{"id":"b","text":"Pessimo"}\n'), '--quiet'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/a \.csv or \.tsv name, or --input-format csv\); if it is JSON Lines or JSON, run again with --input-format jsonl or json/)
    expect(r.stderr).not.toMatch(/leave out --input-format/)
  })

  it('reads pages of answers one per line as rows with a warning that names --array-path, and as pages with it', () => {
    const pages = tempFile('pages.json', '{"page":1,"reviews":[{"id":"a","text":"Great"},{"id":"b","text":"Bad"}]}\n{"page":2,"reviews":[{"id":"c","text":"Fine"}]}\n')
    const rows = run(['analyze', pages, '--quiet'])
    expect(rows.stdout.trim().split('\n')).toHaveLength(2)
    expect(rows.stderr.split('\n')[0]).toBe(
      `recensio: warning: the lines of ${pages} look like pages of answers with the reviews in "reviews"; they are read as rows: to read the reviews, run again with --array-path reviews`,
    )
    const read = run(['analyze', pages, '--array-path', 'reviews', '--quiet'])
    expect(read.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'b', 'c'])
  })

  it('reads several files as one batch and lists them in the summary; stdin is not one of several', () => {
    const a = tempFile('jan.csv', 'id,text\n1,Muy bueno\n')
    const b = tempFile('feb.jsonl', '{"id":"2","text":"Ottimo"}\n{"id":"3","text":"Great"}\n')
    const r = run(['analyze', a, b, '--keep', 'store'])
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string; row: number }).row)).toEqual([1, 2, 3])
    expect(r.stderr).toContain(`\n  files (rows): ${a} 1 · ${b} 2\n`)
    expect(r.stderr).toContain(`  not in the CSV header of ${a}, so left empty: "store" (--keep)`)
    const piped = run(['analyze', a, '-'])
    expect(piped.status).toBe(2)
    expect(piped.stderr).toMatch(/^recensio: analyze: stdin \(-\) cannot be one of several inputs/)
  })

  it.skipIf(process.platform === 'win32')('refuses a pipe by its name among several inputs, whose first rows would be lost', async () => {
    // `recensio analyze jan.csv <(zcat feb.jsonl.gz)`: checked at the start, then opened again in its turn, the pipe read on from its 64th kB.
    const a = tempFile('jan.csv', 'id,text\n1,Muy bueno\n')
    const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `f${i}`, text: 'Ottimo prodotto, arrivato presto.' })).join('\n')
    const b = tempFile('feb.jsonl', `${rows}\n`)
    const fifo = join(dirname(b), 'feb.fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const writer = spawn('sh', ['-c', `cat "${b}" > "${fifo}"`])
    const child = spawn(process.execPath, [CLI, 'analyze', a, fifo, '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const code = await new Promise<number | null>((done) => child.on('close', done))
    writer.kill()
    expect(code).toBe(2)
    expect(stderr).toBe(`recensio: ${fifo} is a pipe, which cannot be one of several inputs: save it to a file, or give it alone\n`)
  })

  it('says in the summary, and in the report, which scale ratings off 1–5 fit', () => {
    const input = tempFile('scores.csv', 'Review score,Positive review,Negative review\n8,Personal muy amable,El desayuno\n4.5,Buena ubicación,Ruido\n10,Todo perfecto,Nada\n')
    const line = '2 rows have ratings off the 1–5 scale (from 8 to 10), and are error rows: if the export rates on 1–10, run again with --rating-scale 1-10 (the ratings within 1–5 were read on it)'
    const r = run(['analyze', input, '--quiet'])
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining(`\n  scales: ${line}\n`)])
    const report = run(['report', input, '--out', tempFile('scores.html', '')])
    expect(report.stderr).toContain(`recensio report: warning: ${line}\n`)
    expect(run(['analyze', input, '--quiet', '--rating-scale', '1-10']).stderr).not.toMatch(/scales:/)
  })

  it('says in the summary how many dates only read the other way round, as the others were read wrong', async () => {
    const csv = 'Date;Review\n05/03/2024;Llegó roto\n14/03/2024;Muy bueno\n20/03/2024;Perfecto\n'
    const input = tempFile('dates.csv', csv)
    const r = run(['analyze', input, '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stderr).toContain('\n  dates: 2 rows have dates that only read day first (the first: row 2, "14/03/2024"): if the file writes dates day first, run again with --date-order dmy, as its other dates were read month first\n')
    const run2 = analyzeFile(input, { workers: 2, chunkSize: 1 })
    for await (const _ of run2);
    expect(run2.summary().otherDateOrder).toEqual({ rows: 2, first: expect.stringMatching(/^row 2, field "date": .*"14\/03\/2024"/) as unknown, row: 2, id: null, order: 'dmy', value: '14/03/2024' })
    const right = run(['analyze', input, '--quiet', '--date-order', 'dmy'])
    expect(right.stderr).not.toMatch(/dates:/)
  })

  it('says which other columns of the header name a text and were not read, and how to read one', () => {
    const both = tempFile('both.csv', 'id,Review,Comment,Rating\nr1,Ottimo prodotto,Arrivato tardi,5\n')
    const r = run(['analyze', both, '--out', '/dev/null'])
    expect(r.stderr).toContain('\n  columns: text ← Review, rating ← Rating\n  not read: "Comment", also a text column (the text is "Review"; --map text=Comment reads another)\n')
    // The map's choice is the user's: no line then; a name with spaces is quoted for the shell.
    expect(run(['analyze', both, '--out', '/dev/null', '--map', 'text=Comment']).stderr).not.toMatch(/not read:/)
    // A text column the map reads as another field is read.
    const cons = run(['analyze', both, '--out', '/dev/null', '--map', 'cons=Comment'])
    expect(cons.stderr).toContain('cons ← Comment')
    expect(cons.stderr).not.toMatch(/not read:/)
    const spaced = run(['analyze', tempFile('spaced.csv', 'id,review,Review Text\nr1,Ottimo prodotto,Arrivato tardi\n'), '--out', '/dev/null'])
    expect(spaced.stderr).toContain(`\n  not read: "Review Text", also a text column (the text is "review"; --map 'text=Review Text' reads another)\n`)
    // Of several files, the one with such a column is named.
    const one = tempFile('only-review.csv', 'id,Review\nr2,Bello\n')
    expect(run(['analyze', one, both, '--out', '/dev/null']).stderr).toMatch(/\n {2}not read in \S*both\.csv: "Comment", also a text column/)
    // Columns that name other fields, or nothing, say nothing.
    expect(run(['analyze', tempFile('one.csv', 'id,Review Title,Review Text,Developer Reply Text\nr1,Bello,Ottimo prodotto,Grazie\n'), '--out', '/dev/null']).stderr).not.toMatch(/not read:/)
  })

  it('says which other keys of JSON rows name a text and were not read, and how to read one', () => {
    const rows = tempFile('both.jsonl', '{"id":"r1","review":"Ottimo prodotto","comment":"Arrivato tardi"}\n{"id":"r2","review":"Bello"}\n')
    const r = run(['analyze', rows, '--out', '/dev/null'])
    expect(r.stderr).toContain('\n  columns: text ← review\n  not read: "comment", also a text key (the text is "review"; --map text=comment reads another)\n')
    expect(run(['analyze', rows, '--out', '/dev/null', '--map', 'text=comment']).stderr).not.toMatch(/not read:/)
  })

  it('reads the dates of a Spanish or Italian date column day first, unless --date-order says otherwise', () => {
    const dates = (r: SpawnSyncReturns<string>) => r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { date?: string }).date ?? null)
    const es = tempFile('fechas.csv', 'Fecha;Reseña\n05/03/2024;Llegó roto\n14/03/2024;Muy bueno\n')
    const r = run(['analyze', es])
    expect(dates(r)).toEqual(['2024-03-05T00:00:00.000Z', '2024-03-14T00:00:00.000Z'])
    expect(r.stderr).toContain('\n  columns: text ← Reseña, date ← Fecha (day first)\n')
    expect(r.stderr).not.toMatch(/dates:/)
    const it = tempFile('date.csv', 'Data;Recensione\n05/03/2024;Ottimo\n')
    expect(dates(run(['analyze', it, '--quiet']))).toEqual(['2024-03-05T00:00:00.000Z'])
    // An order given wins, and the summary then says the other way round is there.
    const mdy = run(['analyze', es, '--date-order', 'mdy'])
    expect(dates(mdy)).toEqual(['2024-05-03T00:00:00.000Z', null])
    expect(mdy.stderr).toContain('\n  columns: text ← Reseña, date ← Fecha\n')
    expect(mdy.stderr).toMatch(/dates: 1 row has a date that only reads day first/)
    // A date column of another name keeps month first.
    expect(dates(run(['analyze', tempFile('en.csv', 'Date;Review\n05/03/2024;Great\n'), '--quiet']))).toEqual(['2024-05-03T00:00:00.000Z'])
  })

  it('keeps the rows of a scrape whose dates are relative, and counts them back from --reference-date', async () => {
    const csv = 'author,date,text\nana,Hace 3 días,Muy buena atención\nbob,2 weeks ago,Great staff\ncarla,ieri,Ottimo servizio\n'
    const input = tempFile('scrape.csv', csv)
    const r = run(['analyze', input, '--quiet'])
    expect(r.status).toBe(0)
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; date: string | null; warnings?: string[] })
    expect(rows.map((x) => [x.ok, x.date])).toEqual([[true, null], [true, null], [true, null]])
    expect(rows[0]!.warnings).toEqual(['date "Hace 3 días" is relative and no referenceDate (--reference-date) says when the reviews were exported: the row has no date'])
    expect(r.stderr).toContain('\n  dates: 3 rows have relative dates (the first: row 1, "Hace 3 días"), left without a date: run again with --reference-date YYYY-MM-DD, the day the reviews were exported, to count them back from it\n')
    const dated = run(['analyze', input, '--quiet', '--reference-date', '2024-03-10'])
    const out = dated.stdout.trim().split('\n').map((l) => JSON.parse(l) as { date: string; dayless?: true; warnings?: string[] })
    expect(out.map((x) => [x.date, x.dayless ?? false, x.warnings ?? []])).toEqual([
      ['2024-03-07T00:00:00.000Z', false, []],
      ['2024-02-25T00:00:00.000Z', true, []],
      ['2024-03-09T00:00:00.000Z', false, []],
    ])
    expect(dated.stderr).not.toMatch(/dates:/)
    // The option travels to the threads as the row's own dates do.
    const threads = analyzeFile(input, { workers: 2, chunkSize: 1, referenceDate: new Date('2024-03-10T18:00:00Z') })
    const rowsOut = []
    for await (const row of threads) rowsOut.push(row.ok ? row.date : null)
    expect(rowsOut).toEqual(['2024-03-07T00:00:00.000Z', '2024-02-25T00:00:00.000Z', '2024-03-09T00:00:00.000Z'])
    const bad = run(['analyze', input, '--reference-date', 'yesterday'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^recensio: --reference-date: expected a date such as "2024-03-10", got "yesterday"/)
  })

  it('says which columns each file of a batch was read through when their headers differ', async () => {
    const es = tempFile('tienda.csv', 'Fecha;Reseña;Valoración\n2024-03-01;Llegó roto;1\n2024-03-02;Muy bueno;5\n')
    const it2 = tempFile('negozio.csv', 'data_recensione,testo,stelle\n2024-03-01,Ottimo,5\n')
    const es2 = tempFile('tienda-abril.csv', 'Fecha;Reseña;Valoración\n2024-04-01;Perfecto;5\n')
    const r = run(['analyze', es, it2, es2, '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stderr).toContain(`\n  columns of ${es}, ${es2}: text ← Reseña, rating ← Valoración, date ← Fecha (day first)\n  columns of ${it2}: text ← testo, rating ← stelle, date ← data_recensione (day first)\n`)
    const run2 = analyzeFile([es, it2, es2], { workers: 2, chunkSize: 1 })
    for await (const _ of run2);
    expect(run2.summary().input.files?.map((f) => f.fields)).toEqual([
      { date: 'Fecha', text: 'Reseña', rating: 'Valoración' },
      { date: 'data_recensione', text: 'testo', rating: 'stelle' },
      { date: 'Fecha', text: 'Reseña', rating: 'Valoración' },
    ])
    // Files read alike keep the one line.
    const alike = run(['analyze', es, es2, '--quiet'])
    expect(alike.stderr).toContain('\n  columns: text ← Reseña, rating ← Valoración, date ← Fecha (day first)\n')
  })

  it('still reads a .jsonl whose first row is a whole array as an error row', () => {
    const r = run(['analyze', tempFile('first-array.jsonl', '[1]\n{"id":"b","text":"fine"}\n'), '--quiet'])
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(2)
  })

  it('reads JSON Lines rows written with a comma after each, as objects joined for an array without its brackets', () => {
    const rows = '{"id":"a","text":"Funziona bene, ottimo"},\r\n{"id":"b","text":"Si è rotto subito"} , \n{"id":"c","text":"ok"},,\n'
    for (const name of ['commas.jsonl', 'commas.json']) {
      const r = run(['analyze', tempFile(name, rows), '--quiet'])
      expect(r.status).toBe(0)
      const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; ok: boolean; error?: { code: string } })
      expect(out.map((x) => [x.id, x.ok, x.error?.code])).toEqual([
        ['a', true, undefined],
        ['b', true, undefined],
        ['c', false, 'invalid_json'],
      ])
    }
  })
})

describe('recensio analyze: --out naming the input file', () => {
  it('refuses to replace the input with its results', () => {
    const input = tempFile('dump.jsonl', '{"id":"a","text":"Funziona bene"}\n')
    const before = readFileSync(input, 'utf8')
    // Another spelling of the same file: relative to the working directory, through '..'.
    const r = run(['analyze', input, '--out', relative(root, join(dirname(input), '..', basename(dirname(input)), 'dump.jsonl'))])
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^recensio: --out .*dump\.jsonl is an input file/)
    expect(readFileSync(input, 'utf8')).toBe(before)
  })

  it('refuses --summary-json naming the input file too', () => {
    const input = tempFile('dump2.jsonl', '{"id":"a","text":"Funziona bene"}\n')
    const r = run(['analyze', input, '--summary-json', input])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^recensio: --summary-json .*dump2\.jsonl is an input file/)
    expect(readFileSync(input, 'utf8')).toBe('{"id":"a","text":"Funziona bene"}\n')
  })
})

describe('recensio analyze: JSON Lines whose rows have no text key', () => {
  it('says in the summary how to name the text key', () => {
    const input = '{"id":"1","descripcion":"Muy bueno"}\n{"id":"2","descripcion":"Malo"}\n'
    const r = run(['analyze', tempFile('no-text.jsonl', input)])
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(2)
    expect(r.stderr).toMatch(/\n {2}no row has a text field \(text, reviewText, .*\): name its key with --map text=KEY\n/)
  })

  it('says nothing of the kind when some rows have a text', () => {
    const r = run(['analyze', tempFile('some-text.jsonl', '{"id":"1"}\n{"id":"2","text":"Buono"}\n')])
    expect(r.status).toBe(0)
    expect(r.stderr).not.toMatch(/no row has a text field/)
  })
})

describe('recensio analyze: --map text= a key no JSON row has', () => {
  it('names the key in the summary', () => {
    const r = run(['analyze', tempFile('mapped.jsonl', '{"id":"1","text":"Muy bueno"}\n'), '--map', 'text=body'])
    expect(r.status).toBe(0)
    expect(r.stderr).toMatch(/\n {2}no row has the key "body" that --map text=body names\n/)
  })
})

describe('recensio analyze --window', () => {
  it('scores the input in windows and says how many', () => {
    const rows = Array.from({ length: 7 }, (_, i) => JSON.stringify({ id: `${i + 1}`, text: `Ottimo prodotto ${i + 1}, arrivato presto` }))
    const r = run(['analyze', tempFile('windows.jsonl', `${rows.join('\n')}\n`), '--window', '3'])
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { row: number }).row)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(r.stderr).toMatch(/^recensio: 7 rows → stdout in [\d.]+ s \([\d,]+ rows\/s, [^)]*, 3 windows\)\n/)
  })

  it('refuses a window of no rows in one line', () => {
    const r = run(['analyze', tempFile('windows0.jsonl', '{"text":"a"}\n'), '--window', '0'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('recensio: --window: expected a whole number ≥ 1, got "0"\nTry \'recensio analyze --help\'.\n')
  })

  it('says what a numeric flag expected when it is given a negative number', () => {
    const input = tempFile('negative.jsonl', '{"text":"a"}\n')
    const cases: [string[], string][] = [
      [['--chunk-size', '-1'], '--chunk-size: expected a whole number ≥ 1, got "-1"'],
      [['-w', '-2'], '--workers: expected a whole number ≥ 0, got "-2"'],
      // In a cluster of short flags, after a switch.
      [['-qw', '-2'], '--workers: expected a whole number ≥ 0, got "-2"'],
      [['--window', '-10'], '--window: expected a whole number ≥ 1, got "-10"'],
      [['--window', '5', '--window-idle', '-0.5'], '--window-idle: expected a time in seconds (such as 2, 0.5, 500ms, 1m or 1h) from 1ms to a day, got "-0.5"'],
    ]
    for (const [flags, message] of cases) {
      const r = run(['analyze', input, ...flags])
      expect(r.status, flags.join(' ')).toBe(2)
      expect(r.stderr).toBe(`recensio: ${message}\nTry 'recensio analyze --help'.\n`)
    }
  })

  it('writes the rows of a quiet stream with --window-idle, without waiting for the window to fill', async () => {
    const child = spawn(process.execPath, [CLI, 'analyze', '-', '--window', '1000', '--window-idle', '0.2'], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const line = (i: number) => `${JSON.stringify({ id: `t${i}`, text: `Ottimo prodotto numero ${i}, arrivato presto` })}\n`
    child.stdin.write(line(1) + line(2) + line(3))
    // The first three rows come out while stdin stays open (or the wait runs out).
    const firstOut = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000)
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString()
        if (stdout.split('\n').length > 3) {
          clearTimeout(timer)
          resolve(true)
        }
      })
    })
    child.stdin.end(line(4) + line(5))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(firstOut).toBe(true)
    expect(code).toBe(0)
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['t1', 't2', 't3', 't4', 't5'])
    expect(stderr).toMatch(/^recensio: 5 rows → stdout in [\d.]+ s \([^)]*, 2 windows\)\n/)
  })

  it('reads stdin redirected from a file to its end with --window-idle, as the file itself', () => {
    const rows = Array.from({ length: 6000 }, (_, i) =>
      JSON.stringify({ id: `r${i}`, text: `Il pacco ${i % 50} è arrivato ${i % 7 === 0 ? 'in ritardo e danneggiato' : 'presto e ben imballato'}.`, author: `u${i}`, product: `p${i % 9}` }),
    )
    const file = tempFile('idle-stdin.jsonl', `${rows.join('\n')}\n`)
    const args = ['analyze', '-', '--window', '2000', '--window-idle', '1ms']
    const maxBuffer = 64 * 1024 * 1024
    const byPath = spawnSync(process.execPath, [CLI, 'analyze', file, ...args.slice(2)], { encoding: 'utf8', maxBuffer })
    const fd = openSync(file, 'r')
    const fromStdin = spawnSync(process.execPath, [CLI, ...args], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', maxBuffer })
    closeSync(fd)
    expect(byPath.status).toBe(0)
    expect(fromStdin.status).toBe(0)
    expect(fromStdin.stdout).toBe(byPath.stdout)
    expect(fromStdin.stderr).toMatch(/, 3 windows\)\n/)
    expect(byPath.stderr).toMatch(/, 3 windows\)\n/)
  })

  it('runs stdin redirected from a file as the file itself: in-process under 16 MB, past 40,000 rows too', () => {
    // Past the 40,000 rows within which a pipe of unknown size runs in-process.
    const rows = Array.from({ length: 40_500 }, (_, i) => `{"id":"s${i}","text":"Bene ${i % 97}"}`)
    const file = tempFile('sized-stdin.jsonl', `${rows.join('\n')}\n`)
    const summary = (stdin: 'ignore' | number, path: string) => {
      const json = tempFile('sized-summary.json', '')
      const r = spawnSync(process.execPath, [CLI, 'analyze', path, '--out', '/dev/null', '--quiet', '--summary-json', json], { stdio: [stdin, 'pipe', 'pipe'], encoding: 'utf8' })
      expect(r.status).toBe(0)
      return JSON.parse(readFileSync(json, 'utf8')) as { rows: number; workers: number }
    }
    const byPath = summary('ignore', file)
    const fd = openSync(file, 'r')
    const fromStdin = summary(fd, '-')
    closeSync(fd)
    expect([fromStdin.rows, fromStdin.workers]).toEqual([40_500, 0])
    expect(fromStdin.workers).toBe(byPath.workers)
  })

  it.skipIf(process.platform !== 'linux')('sizes stdin from a file by what is left of it, past what the shell read before', () => {
    // `(head -c N >/dev/null; recensio analyze -) < dump`: 17 MB already read, 200 rows left, so in-process.
    const skipped = Buffer.alloc(17 * 1024 * 1024, 0x20)
    const rows = Array.from({ length: 200 }, (_, i) => `{"id":"t${i}","text":"Ottimo ${i}"}`)
    const file = tempFile('read-before.jsonl', Buffer.concat([skipped, Buffer.from(`\n${rows.join('\n')}\n`)]))
    const fd = openSync(file, 'r')
    readSync(fd, Buffer.alloc(skipped.length), 0, skipped.length, null)
    const json = tempFile('read-before-summary.json', '')
    const r = spawnSync(process.execPath, [CLI, 'analyze', '-', '--out', '/dev/null', '--quiet', '--summary-json', json], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' })
    closeSync(fd)
    expect(r.status).toBe(0)
    const summary = JSON.parse(readFileSync(json, 'utf8')) as { rows: number; workers: number }
    expect([summary.rows, summary.workers]).toEqual([200, 0])
  })

  it('refuses --window-idle without --window, or a time it cannot read, in one line', () => {
    const input = tempFile('idle.jsonl', '{"text":"a"}\n')
    const alone = run(['analyze', input, '--window-idle', '5'])
    expect(alone.status).toBe(2)
    expect(alone.stderr).toMatch(/^recensio: --window-idle: needs --window \(the most rows a window holds\), as in --window 1000 --window-idle 5\n/)
    for (const bad of ['0', 'soon', '25h', '2d', '90000']) {
      const r = run(['analyze', input, '--window', '10', '--window-idle', bad])
      expect(r.status, bad).toBe(2)
      expect(r.stderr, bad).toMatch(new RegExp(`^recensio: --window-idle: expected a time in seconds \\(such as 2, 0\\.5, 500ms, 1m or 1h\\) from 1ms to a day, got "${bad}"\n`))
    }
    for (const good of ['500ms', '1h', '0.5h']) expect(run(['analyze', input, '--window', '10', '--window-idle', good, '--quiet']).status, good).toBe(0)
  })
})

describe('recensio analyze on a named pipe', () => {
  it.skipIf(process.platform === 'win32')('exits at once on Ctrl-C while the writer is quiet, with the rows read so far', async () => {
    const fifo = join(tempDir(), 'reviews.fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    // A writer that sends one review, then keeps the pipe open and quiet for 20 s.
    const writer = spawn('sh', ['-c', `exec 3>"${fifo}"; echo '{"id":"f1","text":"Ottimo prodotto"}' >&3; sleep 20`])
    const child = spawn(process.execPath, [join(root, 'dist/cli.js'), 'analyze', fifo, '--window', '5'])
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const stopped = Date.now()
    child.kill('SIGINT')
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    const took = Date.now() - stopped
    writer.kill()
    expect(code).toBe(130)
    expect(took).toBeLessThan(5000)
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['f1'])
  })
})

describe('the progress line', () => {
  it('draws the whole line on a terminal that reports 0 columns', () => {
    let written = ''
    const stream = { columns: 0, write: (text: string) => ((written += text), true) } as unknown as NodeJS.WriteStream
    new ProgressLine(stream).writing(893, 36000)
    expect(written).toBe('\r\x1b[2Kwriting 893 of 36,000 rows')
  })

  it('gives the share and ETA of a compressed file through its compressed bytes', () => {
    let written = ''
    const stream = { columns: 200, write: (text: string) => ((written += text), true) } as unknown as NodeJS.WriteStream
    new ProgressLine(stream).analyzing({ rows: 150000, elapsedMs: 12000, bytes: 5 * 1048576, totalBytes: 20 * 1048576, compressed: true })
    expect(written).toBe('\r\x1b[2Kanalyzing 150,000 rows · 12,500 rows/s · 5.0 of 20.0 MB gz (25%) · ETA 0:36')
    // A million rows of a 100 MB file still show their ETA on an 80-column terminal.
    written = ''
    ;(stream as { columns: number }).columns = 80
    // (A fresh line: one line redraws at most every 100 ms.)
    new ProgressLine(stream).analyzing({ rows: 1234567, elapsedMs: 240000, bytes: 55.5 * 1048576, totalBytes: 123.4 * 1048576, compressed: true })
    expect(written).toMatch(/· ETA \d+:\d\d$/)
  })

  it('says when the cross-review pass starts, whatever the last redraw', () => {
    let written = ''
    const stream = { columns: 120, write: (text: string) => ((written += text), true) } as unknown as NodeJS.WriteStream
    const draw = drawProgress(new ProgressLine(stream))
    draw({ rows: 999, elapsedMs: 500 })
    draw({ rows: 1000, elapsedMs: 501, phase: 'crossReview' })
    expect(written).toBe('\r\x1b[2Kanalyzing 999 rows · 1,998 rows/s\r\x1b[2Kcomparing 1,000 rows for copies, bursts and reviewer activity')
  })

  it('shows the time the cross-review pass has taken until the rows are written, within 80 columns', () => {
    vi.useFakeTimers()
    try {
      let written = ''
      const stream = { columns: 80, write: (text: string) => ((written += text), true) } as unknown as NodeJS.WriteStream
      const line = new ProgressLine(stream)
      drawProgress(line)({ rows: 1_000_000, elapsedMs: 60_000, phase: 'crossReview' })
      vi.advanceTimersByTime(12_000)
      expect(written.split('\r\x1b[2K').at(-1)).toBe('comparing 1,000,000 rows for copies, bursts and reviewer activity · 0:12')
      line.writing(0, 1_000_000)
      written = ''
      vi.advanceTimersByTime(5_000)
      expect(written).toBe('')
    } finally {
      vi.useRealTimers()
    }
  })

  it('still cuts the line to a terminal of known width', () => {
    let written = ''
    const stream = { columns: 11, write: (text: string) => ((written += text), true) } as unknown as NodeJS.WriteStream
    new ProgressLine(stream).writing(893, 36000)
    expect(written).toBe('\r\x1b[2Kwriting 89')
  })
})

describe('recensio analyze: the missing-text hint', () => {
  it('is not given when the rows are not objects at all', () => {
    const r = run(['analyze', tempFile('arrays.jsonl', '[{"text":"a"},{"text":"b"}]\n')])
    expect(r.status).toBe(0)
    expect(r.stderr).not.toMatch(/no row has a text field/)
  })
})

describe('recensio analyze: day-first dates', () => {
  const csv = 'id;opinione;posted\n1;Ottimo, arrivato presto;25/03/2024\n2;Pessimo;05/03/2024 14:30\n3;Buono;05.03.2024\n'

  it('reads DD/MM/YYYY with --date-order dmy', () => {
    const r = run(['analyze', tempFile('giorni.csv', csv), '--map', 'text=opinione,date=posted', '--date-order', 'dmy', '--quiet'])
    expect(r.status).toBe(0)
    const dates = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { date: string }).date)
    expect(dates).toEqual(['2024-03-25T00:00:00.000Z', '2024-03-05T14:30:00.000Z', '2024-03-05T00:00:00.000Z'])
  })

  it('says which flag to use when a date only reads day first', () => {
    const r = run(['analyze', tempFile('giorni2.csv', csv), '--map', 'text=opinione,date=posted', '--quiet'])
    expect(r.status).toBe(0)
    const first = JSON.parse(r.stdout.split('\n')[0]!) as { ok: boolean; error: { field: string; message: string } }
    expect(first.ok).toBe(false)
    expect(first.error.field).toBe('date')
    expect(first.error.message).toContain('--date-order dmy')
  })

  it('refuses an unknown order in one line', () => {
    const r = run(['analyze', tempFile('giorni3.csv', csv), '--date-order', 'ymd'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('recensio: --date-order: expected mdy or dmy, got "ymd"\nTry \'recensio analyze --help\'.\n')
  })
})

describe('recensio analyze: output paths', () => {
  const input = () => tempFile('paths.jsonl', '{"id":"a","text":"Muy bueno"}\n{"id":"b","text":"Pessimo"}\n')

  it('makes no folder for a run it refuses', () => {
    const dir = tempDir()
    const r = run(['analyze', join(dir, 'missing.jsonl'), '--out', join(dir, 'newA/b/out.jsonl')])
    expect(r.status).toBe(2)
    const s = run(['analyze', input(), '--out', join(dir, 'newB/out.jsonl'), '--summary-json', join(input(), 'x.json')])
    expect(s.status).toBe(2)
    expect(s.stderr).toMatch(/cannot write the summary to .*: a part of its folder is a file/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses a path ending in a slash, and --out and --summary-json naming one file', () => {
    const dir = tempDir()
    const slash = run(['analyze', input(), '--out', `${join(dir, 'newC')}/`])
    expect(slash.status).toBe(2)
    expect(slash.stderr).toMatch(/: it is a folder\n$/)
    const same = run(['analyze', input(), '--out', join(dir, 'same.json'), '--summary-json', join(dir, '.', 'same.json')])
    expect(same.status).toBe(2)
    expect(same.stderr).toMatch(/--out and --summary-json both name/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('writes through a symbolic link to its file, keeping the link', () => {
    const dir = tempDir()
    const link = join(dir, 'latest.jsonl')
    symlinkSync('runs/run-1.jsonl', link)
    const r = run(['analyze', input(), '--out', link, '--quiet'])
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'runs/run-1.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2)
    expect(readdirSync(dir).sort()).toEqual(['latest.jsonl', 'runs'])
  })

  it('refuses --summary-json naming the file --out reaches through a link, and names a file on the path', () => {
    const dir = tempDir()
    symlinkSync('runs/r.jsonl', join(dir, 'latest.jsonl'))
    const r = run(['analyze', input(), '--out', join(dir, 'latest.jsonl'), '--summary-json', join(dir, 'runs/r.jsonl')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/--out and --summary-json both name/)
    const file = tempFile('afile', 'x')
    const deep = run(['analyze', input(), '--out', join(file, 'a/b.jsonl')])
    expect(deep.status).toBe(2)
    expect(deep.stderr).toMatch(/: a part of its folder is a file\n$/)
  })

  it.runIf(process.platform === 'linux')('appends to /dev/stdout when the shell opened it with >>', () => {
    const file = tempFile('log.jsonl', '{"earlier":true}\n')
    const fd = openSync(file, 'a')
    try {
      const r = spawnSync(process.execPath, [CLI, 'analyze', input(), '--out', '/dev/stdout', '--quiet'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' })
      expect(r.status).toBe(0)
    } finally {
      closeSync(fd)
    }
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe('{"earlier":true}')
  })

  it.runIf(process.platform === 'linux')('writes /proc/self/fd/1 in place and fails fast under /proc', () => {
    // stdout redirected to a file, as `> results.jsonl` in a shell (a spawn pipe is a socket, which /proc cannot reopen).
    const file = join(tempDir(), 'redirected.jsonl')
    const fd = openSync(file, 'w')
    try {
      const r = spawnSync(process.execPath, [CLI, 'analyze', input(), '--out', '/proc/self/fd/1', '--quiet'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' })
      expect(r.stderr).toMatch(/^recensio: 2 rows → \/proc\/self\/fd\/1/)
      expect(r.status).toBe(0)
    } finally {
      closeSync(fd)
    }
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2)
    const p = spawnSync(process.execPath, [CLI, 'analyze', input(), '--summary-json', '/proc/recensio-none/x.json'], { encoding: 'utf8', timeout: 20_000 })
    expect(p.status).toBe(2)
    expect(p.stderr).toMatch(/cannot write the summary to \/proc\/recensio-none\/x\.json: no such file/)
  })
})

describe('recensio analyze: stdin that stays open', () => {
  it('lets go of a pipe that sends nothing more once it refuses the input, with --encoding windows-1252', async () => {
    const child = spawn(process.execPath, [CLI, 'analyze', '-', '--encoding', 'windows-1252', '--quiet'], { stdio: ['pipe', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    // The writer keeps the pipe open: the process must still end.
    child.stdin.write('a,b\n1,2\n')
    const code = await new Promise<number | string>((resolve) => {
      const guard = setTimeout(() => {
        child.kill()
        resolve('still running after 10 s')
      }, 10_000)
      child.on('exit', (c) => {
        clearTimeout(guard)
        resolve(c ?? -1)
      })
    })
    child.stdin.destroy()
    expect(code).toBe(2)
    expect(stderr).toMatch(/no review text column/)
  })
})

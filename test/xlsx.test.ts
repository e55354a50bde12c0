/**
 * Excel workbooks: the first sheet's rows, keyed by its first row. The two
 * fixtures were written by the Python libraries XlsxWriter (shared strings,
 * rich text, date and boolean cells, a second sheet) and openpyxl (inline
 * strings, a workbook whose relationships give absolute paths); the others
 * are ZIP archives made here.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { constants, deflateRawSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { analyzeFile } from '../src/index.js'
import type { ResultRow, ReviewResult } from '../src/index.js'
import { elements, openWorkbook } from '../src/batch/xlsx.js'
import { zipArchive } from '../scripts/zip.mjs'
import { collect, prng, root, tempDir, tempFile } from './batch-util.js'

const fixture = (name: string) => join(root, 'test/fixtures/xlsx', name)

function ok(row: ResultRow | undefined): ReviewResult {
  if (row === undefined || !row.ok) throw new Error(`expected an ok row, got ${JSON.stringify(row)}`)
  return row
}

/** The first sheet's columns and rows, as `openWorkbook` reads them. */
async function sheet(path: string): Promise<{ columns: string[]; repeated: string[]; rows: Record<string, string>[] }> {
  const handle = await open(path, 'r')
  try {
    const book = await openWorkbook(path, handle, (await handle.stat()).size)
    const rows: Record<string, string>[] = []
    for await (const row of book.rows) rows.push(row)
    return { columns: book.columns, repeated: book.repeated, rows }
  } finally {
    await handle.close()
  }
}

/** A file's data deflated already, and its size inflated (a part too large to hold as text). */
interface Deflated {
  deflated: Buffer
  size: number
}

const zip = zipArchive

const SHEET = (rows: string) => `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`

describe('Excel workbooks', () => {
  it('read the first sheet of a workbook written as Excel writes one: shared strings, rich text, dates, booleans', async () => {
    const { columns, rows } = await sheet(fixture('reviews.xlsx'))
    expect(columns).toEqual(['Review ID', 'Review Created (UTC)', 'Review Consumer User ID', 'Review Title', 'Review Content', 'Review Stars', 'Verified'])
    expect(rows.map((r) => r['Review Content'])).toEqual([
      'Arrivata in tempo, funziona benissimo & costa poco',
      'Llegó rota y nadie respondió a mis correos <nunca más>',
      // Rich text: its runs joined.
      'Buen producto, muy recomendable para todos',
      'Great kettle, boils fast.\nWould buy again.',
    ])
    // Empty cells are left out; date cells are ISO dates (45358.5 serial days); booleans 1 and 0.
    expect(rows[2]).toEqual({ 'Review ID': 'r3', 'Review Created (UTC)': '2024-03-07T12:00:00', 'Review Content': 'Buen producto, muy recomendable para todos', 'Review Stars': '4' })
    expect(rows[1]!.Verified).toBe('0')

    const run = analyzeFile(fixture('reviews.xlsx'))
    const out = (await collect(run)).map(ok)
    expect(out.map((r) => [r.id, r.rating, r.date, r.author ?? null, r.language.code])).toEqual([
      ['r1', 5, '2024-03-05T10:30:00.000Z', 'u1', 'it'],
      ['r2', 1, '2024-03-06T00:00:00.000Z', 'u2', 'es'],
      ['r3', 4, '2024-03-07T12:00:00.000Z', null, 'es'],
      ['r4', 4, '2024-03-08T08:15:00.000Z', 'u3', 'en'],
    ])
    expect(out[1]!.authenticity.signals.map((s) => s.type)).toContain('unverified')
    expect(run.summary().input.format).toBe('xlsx')
    expect(run.summary().fields).toMatchObject({ text: 'Review Content', date: 'Review Created (UTC)', verified: 'Verified' })
  })

  it('read the sheet the workbook lists first, with inline strings, a repeated name and a blank row', async () => {
    const { columns, repeated, rows } = await sheet(fixture('export.xlsx'))
    expect([columns, repeated]).toEqual([['texto', 'puntuación', 'fecha', 'texto_2'], ['texto']])
    expect(rows).toEqual([
      { texto: 'Muy buena cafetera', puntuación: '5', fecha: '2024-03-05', texto_2: 'repetida' },
      { texto: 'Ottimo prodotto', puntuación: '4.5', fecha: '2024-03-06' },
    ])
    const out = (await collect(analyzeFile(fixture('export.xlsx')))).map(ok)
    expect(out.map((r) => [r.row, r.rating, r.date])).toEqual([
      [1, 5, '2024-03-05T00:00:00.000Z'],
      [2, 4.5, '2024-03-06T00:00:00.000Z'],
    ])
  })

  it("read date cells as the dates they show, in either date system, and other numbers as written", async () => {
    // Written by openpyxl with the 1904 date system of old Mac Excel: 43894.4375 days from 1904-01-01.
    const { rows } = await sheet(fixture('mac1904.xlsx'))
    expect(rows.map((r) => [r.fecha, r.hora, r.importe, r['valoración']])).toEqual([
      // A time of day alone, and a number in a currency format, stay numbers.
      ['2024-03-05T10:30:00', '0.4375', '19.99', '5'],
      ['2024-03-06', '0.75', '7.5', '1'],
    ])
    const out = (await collect(analyzeFile(fixture('mac1904.xlsx'), { keep: ['fecha'] }))).map(ok)
    expect(out.map((r) => [r.date, r.rating, r.fields?.fecha])).toEqual([
      ['2024-03-05T10:30:00.000Z', 5, '2024-03-05T10:30:00'],
      ['2024-03-06T00:00:00.000Z', 1, '2024-03-06'],
    ])

    // Styles made here: built-in date formats, custom ones with locale brackets and quoted text, a month alone,
    // and formats that are not dates (minutes, elapsed hours, quoted letters, General) in the 1900 system.
    const formats = ['[$-409]mmmm d, yyyy;@', 'mmm', '"day" 0', 'mm:ss', '[h]:mm', 'yy\\-mm']
    const styles =
      `<styleSheet><numFmts>${formats.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${f.replace(/"/g, '&quot;')}"/>`).join('')}</numFmts>` +
      '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>' +
      `<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/><xf numFmtId="2"/>${formats.map((_, i) => `<xf numFmtId="${164 + i}" applyNumberFormat="1"/>`).join('')}` +
      // East Asian built-ins: a year, month and day (31), and a time of day (32).
      '<xf numFmtId="31"/><xf numFmtId="32"/></cellXfs></styleSheet>'
    const values = ['45356', '45356', '45356.75', '45356', '45356', '45356', '45356', '0.5', '1.5', '45356', '-3', '3000000', '45356', '45356.5']
    const cellStyles = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 10, 11]
    const cells = values.map((v, i) => `<c s="${cellStyles[i]}"><v>${v}</v></c>`).join('')
    const header = values.map((_, i) => `<c t="inlineStr"><is><t>${i === 0 ? 'text' : `c${i}`}</t></is></c>`).join('')
    const path = tempFile(
      'styled.xlsx',
      zip({
        'xl/worksheets/sheet1.xml': SHEET(`<row>${header}</row><row>${cells}</row>`),
        'xl/styles.xml': styles,
      }),
    )
    const [row] = (await sheet(path)).rows
    expect(values.map((_, i) => row![i === 0 ? 'text' : `c${i}`])).toEqual([
      '45356',
      '2024-03-05',
      '2024-03-05T18:00:00',
      '45356',
      '2024-03-05',
      '2024-03-05',
      '45356',
      '0.5',
      '1.5',
      '2024-03-05',
      // No date has these: kept as written.
      '-3',
      '3000000',
      '2024-03-05',
      '45356.5',
    ])
  })

  /** The dates read from cells in a date format (`<v>` bodies), in the 1900 or the 1904 date system. */
  async function dateCells(bodies: readonly string[], date1904: boolean): Promise<(string | undefined)[]> {
    const header = '<row><c t="inlineStr"><is><t>text</t></is></c><c t="inlineStr"><is><t>date</t></is></c></row>'
    const rows = bodies.map((v) => `<row><c t="inlineStr"><is><t>Buena</t></is></c><c s="1">${v}</c></row>`)
    const book = zip({
      'xl/workbook.xml': `<workbook xmlns:r="r"><workbookPr${date1904 ? ' date1904="1"' : ''}/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/styles" Target="styles.xml"/></Relationships>',
      'xl/worksheets/sheet1.xml': SHEET(header + rows.join('')),
      'xl/styles.xml': '<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
    })
    return (await sheet(tempFile('dates.xlsx', book))).rows.map((r) => r.date)
  }

  it('keep a column named __proto__ as the row\'s own key', async () => {
    const cell = (t: string) => `<c t="inlineStr"><is><t>${t}</t></is></c>`
    const path = tempFile('proto.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET(`<row>${cell('text')}${cell('__proto__')}</row><row>${cell('Buena')}${cell('X-9')}</row>`) }))
    const { rows } = await sheet(path)
    expect(Object.getOwnPropertyNames(rows[0])).toEqual(['text', '__proto__'])
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype)
    expect(rows[0]!['__proto__']).toBe('X-9')
  })

  it('read no date from a date cell that holds none: empty, or day 0 of the 1900 system', async () => {
    const bodies = ['<v></v>', '<v> </v>', '<v>0</v>', '<v>0.5</v>', '<v>45356</v>']
    expect(await dateCells(bodies, false)).toEqual([undefined, ' ', '0', '0.5', '2024-03-05'])
    // In the 1904 system, day 0 is 1904-01-01; an empty cell is still none.
    expect(await dateCells(bodies, true)).toEqual([undefined, ' ', '1904-01-01', '1904-01-01T12:00:00', '2028-03-06'])
  })

  it('read the days of January and February 1900 as Excel shows them, and no date past 9999', async () => {
    const bodies = ['1', '31', '59', '59.5', '60', '61', '2957003', '2957004'].map((v) => `<v>${v}</v>`)
    // Day 60 is the 29 February 1900 Excel counts and no calendar has: kept as written.
    expect(await dateCells(bodies, false)).toEqual(['1900-01-01', '1900-01-31', '1900-02-28', '1900-02-28T12:00:00', '60', '1900-03-01', '9995-12-30', '9995-12-31'])
    expect(await dateCells(bodies, true)).toEqual(['1904-01-02', '1904-02-01', '1904-02-29', '1904-02-29T12:00:00', '1904-03-01', '1904-03-02', '9999-12-31', '2957004'])
  })

  it('read elapsed minutes alone as a number, not as a month', async () => {
    const styles = '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="[mm]"/><numFmt numFmtId="165" formatCode="[m]"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>'
    const cell = (t: string) => `<c t="inlineStr"><is><t>${t}</t></is></c>`
    const path = tempFile(
      'minutes.xlsx',
      zip({ 'xl/worksheets/sheet1.xml': SHEET(`<row>${cell('text')}${cell('call')}${cell('wait')}</row><row>${cell('Buena')}<c s="1"><v>45356.25</v></c><c s="2"><v>0.5</v></c></row>`), 'xl/styles.xml': styles }),
    )
    expect((await sheet(path)).rows).toEqual([{ text: 'Buena', call: '45356.25', wait: '0.5' }])
  })

  it('read the date styles of a styles part longer than a string can hold', async () => {
    // 600 MiB of blanks inside the styles part, deflated once and repeated: each piece ends in a full flush.
    const flush = { finishFlush: constants.Z_FULL_FLUSH }
    const head = '<styleSheet>'
    const mib = deflateRawSync(Buffer.alloc(1 << 20, 32), flush)
    const tail = '<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
    const styles = {
      deflated: Buffer.concat([deflateRawSync(Buffer.from(head), flush), ...Array.from({ length: 600 }, () => mib), deflateRawSync(Buffer.from(tail))]),
      size: head.length + 600 * (1 << 20) + tail.length,
    }
    const path = tempFile(
      'bloated.xlsx',
      zip({
        'xl/worksheets/sheet1.xml': SHEET('<row><c t="inlineStr"><is><t>text</t></is></c><c t="inlineStr"><is><t>fecha</t></is></c></row><row><c t="inlineStr"><is><t>Buena</t></is></c><c s="1"><v>45356</v></c></row>'),
        'xl/styles.xml': styles,
      }),
    )
    expect((await sheet(path)).rows).toEqual([{ text: 'Buena', fecha: '2024-03-05' }])
  }, 30_000)

  it('read stored entries, no shared strings, cells without references, entities and Excel escapes', async () => {
    const book = zip(
      {
        'xl/worksheets/sheet1.xml': SHEET(
          '<row><c t="inlineStr"><is><t>text</t></is></c><c t="inlineStr"><is><t>stars</t></is></c></row>' +
            '<row><c t="inlineStr"><is><t xml:space="preserve">Caf&#233; &amp; cr&#xE8;me_x000D_\nok</t></is></c><c><v>5</v></c></row>' +
            '<row r="5"><c r="B5"><v>2</v></c><c r="A5" t="str"><v>&lt;b&gt;Bad&lt;/b&gt;</v></c></row>',
        ),
      },
      true,
    )
    const path = tempFile('plain.xlsx', book)
    expect((await sheet(path)).rows).toEqual([
      { text: 'Café & crème\r\nok', stars: '5' },
      { text: '<b>Bad</b>', stars: '2' },
    ])
  })

  it("pass over a spreadsheet's title rows above the header, as a CSV's", async () => {
    const cell = (t: string) => `<c t="inlineStr"><is><t>${t}</t></is></c>`
    const titled = zip({
      'xl/worksheets/sheet1.xml': SHEET(
        `<row r="1">${cell('Reseñas marzo 2024')}</row><row r="2"></row><row r="3">${cell('texto')}${cell('estrellas')}</row>` +
          `<row r="4">${cell('Muy buena cafetera')}<c r="B4"><v xml:space="preserve">5</v></c></row>`,
      ),
    })
    const book = await sheet(tempFile('titled.xlsx', titled))
    expect([book.columns, book.rows]).toEqual([['texto', 'estrellas'], [{ texto: 'Muy buena cafetera', estrellas: '5' }]])
    // A sheet of one column keeps its first row as its header, and the rows after it.
    const single = zip({ 'xl/worksheets/sheet1.xml': SHEET(`<row>${cell('Opiniones')}</row><row>${cell('Muy buena')}</row><row>${cell('Mala')}</row>`) })
    const one = await sheet(tempFile('single.xlsx', single))
    expect([one.columns, one.rows]).toEqual([['Opiniones'], [{ Opiniones: 'Muy buena' }, { Opiniones: 'Mala' }]])
    // A one-cell first row that names a field is the header.
    const named = zip({ 'xl/worksheets/sheet1.xml': SHEET(`<row>${cell('Review')}</row><row>${cell('Great kettle')}</row>`) })
    expect((await sheet(tempFile('named.xlsx', named))).columns).toEqual(['Review'])
  })

  it("say what a sheet's header row gave, as for a CSV's, and refuse one without a text column before any row", async () => {
    const cell = (t: string) => `<c t="inlineStr"><is><t>${t}</t></is></c>`
    const titled = tempFile(
      'report.xlsx',
      zip({
        'xl/worksheets/sheet1.xml': SHEET(
          `<row r="2">${cell('Reseñas marzo 2024')}</row><row r="4">${cell('texto')}${cell('nota')}${cell('nota')}</row>` +
            `<row r="5">${cell('Muy buena cafetera, llegó rápido')}<c r="B5"><v>5</v></c><c r="C5"><v>4</v></c></row>`,
        ),
      }),
    )
    const run = analyzeFile(titled, { keep: ['tienda'] })
    expect(await collect(run)).toHaveLength(1)
    expect(run.summary().input).toEqual({ format: 'xlsx', columns: ['texto', 'nota', 'nota_2'], repeatedColumns: ['nota'], headerLine: 4, titleLines: 1 })
    const cli = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', titled, '--keep', 'tienda', '--out', join(tempDir(), 'out.jsonl')], { encoding: 'utf8' })
    expect(cli.status).toBe(0)
    expect(cli.stderr).toContain('the header row of the sheet in ' + titled + ' was read from row 4: 1 row above it, with one cell or none, was taken for a title')
    expect(cli.stderr).toContain('the header row of the sheet in ' + titled + ' names "nota" more than once')
    expect(cli.stderr).toContain(`not in the sheet's header row, so left empty: "tienda" (--keep)`)

    // No text column: refused at once, by its columns, as a CSV is, with no output written; before, every row was an error row.
    const untexted = tempFile('scores.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET(`<row>${cell('pedido')}${cell('nota')}</row><row>${cell('A-1')}<c><v>5</v></c></row>`) }))
    await expect(collect(analyzeFile(untexted))).rejects.toThrow(/^no review text column in the sheet's header row \(pedido, nota\): say which column holds the text with --map text=COLUMN/)
    await expect(collect(analyzeFile(untexted, { map: { text: 'reseña' } }))).rejects.toThrow(/no column "reseña" \(mapped to text\) in the sheet's header row: pedido, nota/)
    const out = join(tempDir(), 'none.jsonl')
    const refused = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', untexted, '--out', out], { encoding: 'utf8' })
    expect([refused.status, existsSync(out)]).toEqual([2, false])
    expect(refused.stderr).toMatch(/no review text column in the sheet's header row \(pedido, nota\)/)
    // In a batch of several files, the sheet is refused by its name before the first file is read.
    const csv = tempFile('ok.csv', 'text\nBuen producto\n')
    await expect(collect(analyzeFile([csv, untexted]))).rejects.toThrow(/scores\.xlsx: no review text column in the sheet's header row/)
  })

  it('say that a sheet holds a header row and nothing under it', async () => {
    const path = tempFile('empty.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET('<row><c t="inlineStr"><is><t>review</t></is></c></row>') }))
    const cli = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', path, '--out', join(tempDir(), 'out.jsonl')], { encoding: 'utf8' })
    expect([cli.status, cli.stderr]).toEqual([0, expect.stringContaining('the sheet holds a header row and no rows under it')])
  })

  it('read a workbook on a pipe as from its file, leaving no copy behind', () => {
    const book = readFileSync(fixture('reviews.xlsx'))
    const tmp = tempDir()
    const cli = (args: string[], input: Buffer) =>
      spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', ...args], { encoding: 'utf8', input, env: { ...process.env, TMPDIR: tmp } })
    const fromFile = cli([fixture('reviews.xlsx'), '--quiet'], Buffer.alloc(0))
    const piped = cli(['-', '--quiet'], book)
    expect([piped.status, piped.stdout.split('\n').length]).toEqual([0, 5])
    expect(piped.stdout).toBe(fromFile.stdout)
    expect(readdirSync(tmp)).toEqual([])
    // An encoding given for text (as for a file) leaves a workbook on a pipe as it is.
    const encoded = cli(['-', '--quiet', '--encoding', 'windows-1252'], book)
    expect([encoded.status, encoded.stdout]).toEqual([0, fromFile.stdout])
    expect(readdirSync(tmp)).toEqual([])
    // Cut off on the way: refused in one line that names stdin once.
    const cut = cli(['-'], book.subarray(0, 3000))
    expect([cut.status, cut.stderr.trim()]).toEqual([2, 'recensio: stdin: not an Excel workbook (.xlsx) recensio can read: its ZIP directory is missing (the file may be cut off); export the sheet as CSV'])
    expect(readdirSync(tmp)).toEqual([])
    // Gzip-compressed, a workbook streams as a pipe does: read the same, and refused by the file's name once.
    const gz = tempFile('reviews.xlsx.gz', gzipSync(book))
    expect(cli([gz, '--quiet'], Buffer.alloc(0)).stdout).toBe(fromFile.stdout)
    // Bytes after the gzip data are ignored, and said to be, as for gzip input of any format.
    const trailing = Buffer.concat([gzipSync(book), Buffer.from('junk after the download\n')])
    const junk = cli([tempFile('junk.xlsx.gz', trailing), '--quiet'], Buffer.alloc(0))
    expect([junk.stdout, junk.stderr]).toEqual([fromFile.stdout, expect.stringMatching(/\nrecensio: warning: \S*junk\.xlsx\.gz has trailing data after its compressed data \(from byte \d+\), which was ignored\n$/)])
    expect(cli(['-', '--quiet'], trailing).stderr).toMatch(/\nrecensio: warning: stdin has trailing data after its compressed data/)
    // Cut in the gzip trailer alone (its check and size): the workbook opened is whole, so no row is said to be missing.
    const whole = gzipSync(book)
    const noTrailer = whole.subarray(0, whole.length - 4)
    for (const [args, input] of [[[tempFile('notrailer.xlsx.gz', noTrailer), '--quiet'], Buffer.alloc(0)], [['-', '--quiet'], noTrailer]] as const) {
      const r = cli([...args], input)
      expect([r.status, r.stdout, r.stderr]).toEqual([0, fromFile.stdout, expect.not.stringContaining('warning')])
    }
    const cutGz = cli([tempFile('cut.xlsx.gz', gzipSync(book.subarray(0, 3000)))], Buffer.alloc(0))
    expect(cutGz.stderr).toMatch(/^recensio: \S*cut\.xlsx\.gz: not an Excel workbook \(\.xlsx\) recensio can read: its ZIP directory is missing/)
    expect(readdirSync(tmp)).toEqual([])
    // A format forced on it is not a workbook's.
    const forced = cli(['-', '--input-format', 'csv'], book)
    expect([forced.status, forced.stderr]).toEqual([2, expect.stringContaining('it looks like a ZIP archive, as an .xlsx workbook is: read a workbook without --input-format')])
    // Read as text, it is no JSON Lines, JSON or CSV; the .xlsx it looks like it may well be.
    expect(forced.stderr).toBe('recensio: stdin: not a JSON Lines, JSON or CSV file: it looks like a ZIP archive, as an .xlsx workbook is: read a workbook without --input-format (option format), or export the sheet as CSV\n')
  })

  it('refuse a gzipped workbook that does not inflate as such, on a pipe or by name, not as a copy that failed', () => {
    // Random text, so that the gzip is too large to inflate in one call: it streams into the copy.
    const rand = prng(11)
    const word = () => Math.floor(rand() * 2 ** 32).toString(36)
    const rows = Array.from({ length: 4000 }, () => `<row><c t="inlineStr"><is><t>${Array.from({ length: 8 }, word).join(' ')}</t></is></c></row>`)
    const gz = gzipSync(zip({ 'xl/worksheets/sheet1.xml': SHEET('<row><c t="inlineStr"><is><t>text</t></is></c></row>' + rows.join('')) }))
    gz[gz.length - 8]! ^= 0xff // its CRC
    const tmp = tempDir()
    const cli = (args: string[], input: Buffer) =>
      spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', ...args], { encoding: 'utf8', input, env: { ...process.env, TMPDIR: tmp } })
    const piped = cli(['-'], gz)
    expect([piped.status, piped.stderr.trim()]).toEqual([2, 'recensio: cannot decompress stdin: it is not valid gzip data (incorrect data check)'])
    const named = cli([tempFile('damaged.xlsx.gz', gz)], Buffer.alloc(0))
    expect([named.status, named.stderr]).toEqual([2, expect.stringMatching(/^recensio: cannot decompress \S*damaged\.xlsx\.gz: it is not valid gzip data \(incorrect data check\)\n$/)])
    expect(readdirSync(tmp)).toEqual([])
  })

  it('name a gzipped workbook found damaged as its rows are read by the file, .gz and all', async () => {
    const sheetXml = SHEET('<row><c t="inlineStr"><is><t>text</t></is></c></row><row><c t="inlineStr"><is><t>Great kettle</t></is></c></row>')
    // Its size says more bytes than it inflates to: found at the sheet's end, once its rows are read.
    const book = zip({ 'xl/worksheets/sheet1.xml': { deflated: deflateRawSync(sheetXml), size: sheetXml.length + 5 } })
    const path = tempFile('late.xlsx.gz', gzipSync(book))
    await expect(collect(analyzeFile(path))).rejects.toThrow(/^\S*late\.xlsx\.gz: not an Excel workbook \(\.xlsx\) recensio can read: xl\/worksheets\/sheet1\.xml is damaged/)
    const cli = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', path], { encoding: 'utf8' })
    expect([cli.status, cli.stderr]).toEqual([2, expect.stringMatching(/^recensio: \S*late\.xlsx\.gz: not an Excel workbook \(\.xlsx\) recensio can read: xl\/worksheets\/sheet1\.xml is damaged/)])
  })

  it('say what a ZIP archive of export files holds and how to read it, by name or on a pipe', () => {
    // An export downloaded as a .zip is no workbook: "it has no worksheet; export the sheet as CSV" sent the user the wrong way.
    const one = tempFile('export.zip', zip({ 'reviews.jsonl': '{"text":"Ottimo"}\n', '__MACOSX/._reviews.jsonl': 'x' }))
    const cli = (args: string[], input?: Buffer) => spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', ...args], { encoding: 'utf8', input })
    expect(cli([one]).stderr).toBe(`recensio: ${one}: a ZIP archive of a file, "reviews.jsonl", not an Excel workbook: unzip it first, or pipe the file in: unzip -p ${one} reviews.jsonl | recensio analyze - (or report -)\n`)
    // On a pipe, the copy's temporary name is not given.
    const piped = 'a ZIP archive of a file, "reviews.jsonl", not an Excel workbook: unzip it first, or pipe the file in: unzip -p ARCHIVE.zip reviews.jsonl | recensio analyze - (or report -)\n'
    expect(cli(['-'], readFileSync(one)).stderr).toBe(`recensio: stdin: ${piped}`)
    const report = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'report', '-', '--out', join(tempDir(), 'r.html')], { encoding: 'utf8', input: readFileSync(one) })
    expect(report.stderr).toBe(`recensio report: stdin: ${piped}`)
    const several = tempFile('many.zip', zip({ 'a.csv': 'text\nx\n', 'b/c.json': '[]', 'readme.pdf': 'x', 'd.ndjson': '', 'e.xlsx': 'x' }))
    expect(cli([several])).toMatchObject({ status: 2, stderr: `recensio: ${several}: a ZIP archive of 4 files, "a.csv", "b/c.json", "d.ndjson" and 1 more, not an Excel workbook: unzip it first, and give the files by name (several are one batch)\n` })
    // An archive of nothing readable is still said to hold no worksheet.
    expect(cli([tempFile('pics.zip', zip({ 'a.png': 'x' }))]).stderr).toMatch(/it has no worksheet; export the sheet as CSV\n$/)
  })

  it('stop as a full disk does when the copy of a piped workbook cannot be made, naming the input', () => {
    const book = readFileSync(fixture('reviews.xlsx'))
    const missing = join(tempDir(), 'missing')
    const cli = (args: string[], input: Buffer) =>
      spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', ...args], { encoding: 'utf8', input, env: { ...process.env, TMPDIR: missing } })
    const piped = cli(['-'], book)
    expect([piped.status, piped.stderr]).toEqual([1, `recensio: stdin: cannot copy the workbook to a temporary file in ${missing} (ENOENT) to read it: set TMPDIR to a folder with room, or give the workbook's path\n`])
    const gz = tempFile('reviews.xlsx.gz', gzipSync(book))
    const named = cli([gz], Buffer.alloc(0))
    expect([named.status, named.stderr]).toEqual([1, `recensio: ${gz}: cannot copy the workbook to a temporary file in ${missing} (ENOENT) to read it: set TMPDIR to a folder with room, or give the workbook's path\n`])
  })

  it('read a sheet with no row as holding none, alone or in a batch, not as one without a text column', async () => {
    const blank = tempFile('blank.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET('<row r="1"/><row r="2"><c r="A2" t="inlineStr"><is><t> </t></is></c></row>') }))
    const alone = analyzeFile(blank)
    expect(await collect(alone)).toEqual([])
    expect(alone.summary().input).toEqual({ format: 'xlsx' })
    const csv = tempFile('ok.csv', 'text\nBuen producto\n')
    const batch = analyzeFile([csv, blank])
    expect(await collect(batch)).toHaveLength(1)
    const cli = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'analyze', blank, '--out', join(tempDir(), 'out.jsonl')], { encoding: 'utf8' })
    expect([cli.status, cli.stderr]).toEqual([0, expect.stringContaining('the input holds no rows')])
  })

  it('read the same with worker threads as in-process, chunk by chunk', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `<row><c t="inlineStr"><is><t>Review number ${i} of a kettle that ${i % 3 === 0 ? 'leaks' : 'works well'}</t></is></c><c><v>${(i % 5) + 1}</v></c></row>`)
    const path = tempFile('many.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET('<row><c t="inlineStr"><is><t>text</t></is></c><c t="inlineStr"><is><t>rating</t></is></c></row>' + rows.join('')) }))
    const lines = async (workers: number, chunkSize: number) => (await collect(analyzeFile(path, { workers, chunkSize }))).map((r) => JSON.stringify(r))
    const inProcess = await lines(0, 1000)
    expect(inProcess).toHaveLength(300)
    expect(await lines(2, 7)).toEqual(inProcess)
  })

  it('refuse a cut-off workbook and a ZIP archive that is none, in one line that says what to do', async () => {
    const whole = readFileSync(fixture('reviews.xlsx'))
    const cut = tempFile('cut.xlsx', whole.subarray(0, whole.length >> 1))
    await expect(collect(analyzeFile(cut))).rejects.toThrow(/cut\.xlsx: not an Excel workbook \(\.xlsx\) recensio can read: its ZIP directory is missing \(the file may be cut off\); export the sheet as CSV/)
    const other = tempFile('notes.zip', zip({ 'notes.txt': 'hello' }))
    await expect(collect(analyzeFile(other))).rejects.toThrow(/notes\.zip: not an Excel workbook \(\.xlsx\) recensio can read: it has no worksheet/)
    // An Excel 97–2003 workbook (an OLE compound file) is none either: save it as .xlsx.
    const old = tempFile('reviews.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]))
    await expect(collect(analyzeFile(old))).rejects.toThrow(/reviews\.xls: not a JSON Lines, JSON, CSV or \.xlsx file: it looks like an old Excel file \(\.xls\): save it as an \.xlsx workbook, or export the sheet as CSV$/)
  })

  it('close a workbook opened only to be checked, in a batch of several files or a run called off', async (ctx) => {
    if (!existsSync('/proc/self/fd')) return ctx.skip('no /proc/self/fd to count open files')
    // Random text, so that the sheet deflates to more than one read of the file.
    const rand = prng(7)
    const word = () => Math.floor(rand() * 2 ** 32).toString(36)
    const rows = Array.from({ length: 4000 }, () => `<row><c t="inlineStr"><is><t>${Array.from({ length: 8 }, word).join(' ')}</t></is></c><c><v>4</v></c></row>`)
    const path = tempFile('big.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET('<row><c t="inlineStr"><is><t>text</t></is></c><c t="inlineStr"><is><t>rating</t></is></c></row>' + rows.join('')) }))
    const csv = tempFile('first.csv', 'text,rating\nGreat kettle,5\n')
    const openOn = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path
      } catch {
        return false
      }
    }).length
    for await (const _ of analyzeFile([csv, path])) break
    await expect(collect(analyzeFile([path, join(root, 'no-such-file.csv')]))).rejects.toThrow(/no-such-file/)
    await collect(analyzeFile(path, { signal: AbortSignal.abort() })).catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(openOn()).toBe(0)
  })

  it('refuse a sheet whose deflate data ends early and cleanly, as damaged data can', async () => {
    const cell = (t: string) => `<c t="inlineStr"><is><t>${t}</t></is></c>`
    const xml = SHEET(`<row>${cell('text')}</row>` + `<row>${cell('Great kettle')}</row>`.repeat(100))
    // The first half deflated alone ends in a final block, where the archive says the whole was.
    const book = zip({ 'xl/worksheets/sheet1.xml': xml.slice(0, xml.length >> 1) })
    book.writeUInt32LE(Buffer.byteLength(xml), book.length - 22 - 46 - 'xl/worksheets/sheet1.xml'.length + 24)
    const path = tempFile('short.xlsx', book)
    await expect(collect(analyzeFile(path))).rejects.toThrow(/short\.xlsx: not an Excel workbook \(\.xlsx\) recensio can read: xl\/worksheets\/sheet1\.xml is damaged \(it inflates to \d+ bytes, not \d+\)/)
  })

  it('read a numeric entity past Unicode as U+FFFD, not fail', async () => {
    const book = zip({ 'xl/worksheets/sheet1.xml': SHEET('<row><c t="inlineStr"><is><t>text</t></is></c></row><row><c t="str"><v>Great &#x110000;&#99999999999; kettle</v></c></row>') })
    expect((await sheet(tempFile('entity.xlsx', book))).rows).toEqual([{ text: 'Great \ufffd\ufffd kettle' }])
  })

  const RELS = (...rels: [string, string, string][]) =>
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.map(([id, type, target]) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`).join('')}</Relationships>`
  const WORKBOOK = (...sheets: string[]) =>
    `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets.map((id, i) => `<sheet name="S${i}" sheetId="${i + 1}" r:id="${id}"/>`).join('')}</sheets></workbook>`

  it('read the first worksheet, past a chart sheet listed before it', async () => {
    const book = zip({
      'xl/workbook.xml': WORKBOOK('rId2', 'rId1'),
      'xl/_rels/workbook.xml.rels': RELS(['rId1', 'worksheet', 'worksheets/sheet1.xml'], ['rId2', 'chartsheet', 'chartsheets/sheet1.xml']),
      'xl/chartsheets/sheet1.xml': '<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr/></chartsheet>',
      'xl/worksheets/sheet1.xml': SHEET('<row><c t="inlineStr"><is><t>text</t></is></c></row><row><c t="inlineStr"><is><t>Great kettle</t></is></c></row>'),
    })
    expect((await sheet(tempFile('chart-first.xlsx', book))).rows).toEqual([{ text: 'Great kettle' }])
  })

  it('read the first sheet a user sees, past hidden ones; a hidden one when every sheet is', async () => {
    const hiddenFirst = (state: string, both: boolean) =>
      zip({
        'xl/workbook.xml':
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
          `<sheet name="lookup" sheetId="1" state="${state}" r:id="rId1"/><sheet name="Reviews" sheetId="2" ${both ? `state="${state}" ` : ''}r:id="rId2"/></sheets></workbook>`,
        'xl/_rels/workbook.xml.rels': RELS(['rId1', 'worksheet', 'worksheets/sheet1.xml'], ['rId2', 'worksheet', 'worksheets/sheet2.xml']),
        'xl/worksheets/sheet1.xml': SHEET('<row><c t="inlineStr"><is><t>code</t></is></c><c t="inlineStr"><is><t>comment</t></is></c></row><row><c t="inlineStr"><is><t>ES</t></is></c><c t="inlineStr"><is><t>Spain</t></is></c></row>'),
        'xl/worksheets/sheet2.xml': SHEET('<row><c t="inlineStr"><is><t>text</t></is></c></row><row><c t="inlineStr"><is><t>Great kettle</t></is></c></row>'),
      })
    expect((await sheet(tempFile('hidden.xlsx', hiddenFirst('hidden', false)))).rows).toEqual([{ text: 'Great kettle' }])
    expect((await sheet(tempFile('very-hidden.xlsx', hiddenFirst('veryHidden', false)))).rows).toEqual([{ text: 'Great kettle' }])
    expect((await sheet(tempFile('all-hidden.xlsx', hiddenFirst('hidden', true)))).rows).toEqual([{ code: 'ES', comment: 'Spain' }])
  })

  it('read the shared strings where the relationships put them', async () => {
    const book = zip({
      'xl/workbook.xml': WORKBOOK('rId1'),
      'xl/_rels/workbook.xml.rels': RELS(['rId1', 'worksheet', 'worksheets/sheet1.xml'], ['rId2', 'sharedStrings', 'SharedStrings.xml']),
      'xl/SharedStrings.xml': '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>text</t></si><si><t>Great kettle</t></si></sst>',
      'xl/worksheets/sheet1.xml': SHEET('<row><c t="s"><v>0</v></c></row><row><c t="s"><v>1</v></c></row>'),
    })
    expect((await sheet(tempFile('strings.xlsx', book))).rows).toEqual([{ text: 'Great kettle' }])
  })

  it('read a workbook whose elements carry a namespace prefix, as the Open XML SDK may write them', async () => {
    const cell = (v: string) => `<x:c t="s"><x:v>${v}</x:v></x:c>`
    const book = zip({
      'xl/workbook.xml': '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="S" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
      'xl/_rels/workbook.xml.rels': RELS(['rId1', 'worksheet', 'worksheets/sheet1.xml'], ['rId2', 'sharedStrings', 'sharedStrings.xml']),
      'xl/sharedStrings.xml': '<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:si><x:t>text</x:t></x:si><x:si><x:t>stars</x:t></x:si><x:si><x:r><x:t>Great </x:t></x:r><x:r><x:t>kettle</x:t></x:r></x:si></x:sst>',
      'xl/worksheets/sheet1.xml':
        '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
        `<x:row r="1">${cell('0')}${cell('1')}</x:row><x:row r="2">${cell('2')}<x:c><x:v>5</x:v></x:c></x:row><x:row r="3"><x:c t="inlineStr"><x:is><x:t>Good</x:t></x:is></x:c></x:row>` +
        '</x:sheetData><x:rowBreaks count="0"/></x:worksheet>',
    })
    expect((await sheet(tempFile('prefixed.xlsx', book))).rows).toEqual([{ text: 'Great kettle', stars: '5' }, { text: 'Good' }])
  })

  /** `text` in pieces of `size` characters, as an inflater hands them out. */
  async function* inPieces(text: string, size: number): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
  }

  it('find the same elements however the text is cut into pieces', async () => {
    const xml =
      '<?xml version="1.0"?><x:worksheet xmlns:x="m"><x:sheetData><x:row r="1"><x:c><x:v>1</x:v></x:c></x:row><x:row r="2"/>' +
      '<x:row r="3" spans="1:2"><x:c t="inlineStr"><x:is><x:t>a &lt;x:row&gt; b</x:t></x:is></x:c></x:row></x:sheetData><x:rowBreaks count="1"><x:brk id="3"/></x:rowBreaks></x:worksheet>'
    const whole: string[] = []
    for await (const row of elements(inPieces(xml, xml.length), 'worksheet', 'row')) whole.push(row)
    expect(whole).toHaveLength(3)
    for (let size = 1; size <= xml.length; size++) {
      const rows: string[] = []
      for await (const row of elements(inPieces(xml, size), 'worksheet', 'row')) rows.push(row)
      expect(rows, `pieces of ${size}`).toEqual(whole)
    }
  })

  it('read a row longer than many pieces in time linear in its length', async () => {
    const cell = 'Great kettle. '.repeat(600_000)
    const xml = `<worksheet><sheetData><row><c t="inlineStr"><is><t>${cell}</t></is></c></row><row/></sheetData></worksheet>`
    const started = performance.now()
    const rows: string[] = []
    for await (const row of elements(inPieces(xml, 16 * 1024), 'worksheet', 'row')) rows.push(row)
    expect(rows.map((r) => r.length)).toEqual([xml.indexOf('<row/>') - xml.indexOf('<row>'), 6])
    // Some 50 ms; rescanning the row at every piece took seconds.
    expect(performance.now() - started).toBeLessThan(1500)
  })
})

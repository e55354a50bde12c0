/**
 * Fuzz the batch readers and the CLI with malformed and edge-case input files
 * (JSON Lines, CSV, JSON arrays and objects, Excel workbooks, gzip of each).
 *
 *   npm run fuzz -- [options]   (builds, then runs this file), or
 *   npm run build && node scripts/fuzz-batch.mjs [--seed 1] [--cases 60] [--jobs 2] [--keep dir] [--only N] [--kind xlsx]
 *                                                [--dist dir] [--verbose]
 *
 * Each case is built from a seeded generator (same seed, same files), so a
 * failure replays with `--seed S --only CASE` (CASE as printed, e.g. `7:jsonl`);
 * `--keep dir` saves the input of every failing case there; `--kind K` runs only
 * the cases whose kind starts with K (`xlsx`, `csv`, `jsonl` …). Texts come from
 * ../shared/data/*.jsonl when that folder is there, else from
 * data/sample/reviews.jsonl.
 *
 * For every case it runs `node dist/cli.js analyze FILE --out OUT --quiet
 * --summary-json S` with `--workers 0`, `--workers 1`, `--workers 2` and
 * `--workers 0 --chunk-size 3` (stdin cases read `-`; some add `--window 50`),
 * then `analyzeFile` (and `analyzeBatch` for rows that parse) in this process,
 * and checks:
 *   - exit code 0, or 2 with one line that names the problem (no stack trace);
 *   - on 2, nothing under the output name and no temporary file left beside it;
 *   - on 0, one output line per row the summary counts, each valid JSON with
 *     `ok` true or false and `row` numbers 1..n in order; error rows carry
 *     `error.field` and `error.message`;
 *   - where the row count is known from the bytes (JSON Lines, clean CSV and
 *     arrays), the summary counts that many rows;
 *   - byte-identical output for every worker count and chunk size, for stdin
 *     and the file, for a gzip file and its plain bytes, and from the library.
 * Exit code 1 when any case fails.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { parse as parseCsv } from 'csv-parse/sync'
// The dump generator's seeded PRNG (mulberry32): cases replay from their seed.
import { prng } from '../benchmarks/batch/generate.mjs'
import { zipArchive } from './zip.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

// ---------------------------------------------------------------- options

const args = process.argv.slice(2)
function opt(name, fallback) {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const seed = Number(opt('seed', '1'))
const caseCount = Number(opt('cases', '60'))
const jobs = Number(opt('jobs', '2'))
const keep = opt('keep', '')
const only = opt('only', '')
const kindOnly = opt('kind', '')
const verbose = args.includes('--verbose')
// A copy of dist/ keeps a long run apart from rebuilds (a folder with dist/, package.json and a node_modules link: `--dist /tmp/d/dist`).
const dist = resolve(opt('dist', join(root, 'dist')))
const cli = join(dist, 'cli.js')

// ---------------------------------------------------------------- texts

function loadTexts() {
  const dir = resolve(root, '..', 'shared', 'data')
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f)) : []
  if (files.length === 0) files.push(join(root, 'data', 'sample', 'reviews.jsonl'))
  const texts = []
  for (const f of files.sort()) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue
      try {
        const o = JSON.parse(line)
        if (typeof o.text === 'string' && o.text.length > 0) texts.push(o.text)
      } catch {
        // not a row
      }
    }
  }
  return texts
}
const TEXTS = loadTexts()

// ---------------------------------------------------------------- generators

const B = (s) => Buffer.from(s, 'utf8')

class Gen {
  constructor(rand) {
    this.r = rand
  }
  int(n) {
    return Math.floor(this.r() * n)
  }
  pick(a) {
    return a[this.int(a.length)]
  }
  chance(p) {
    return this.r() < p
  }
  text() {
    let t = this.pick(TEXTS)
    if (this.chance(0.1)) t = t + ' ' + this.pick(TEXTS)
    return t
  }
  /** A review object with realistic and odd field values. */
  review(i, keys = 'canonical') {
    const o = {}
    const names =
      keys === 'export'
        ? { id: 'reviewerID', text: 'reviewText', rating: 'overall', date: 'unixReviewTime', product: 'asin' }
        : { id: 'id', text: 'text', rating: 'rating', date: 'date', product: 'product' }
    o[names.id] = this.chance(0.9) ? `r${i}` : i
    const odd = this.r()
    if (odd < 0.03) o[names.text] = { nested: this.text() }
    else if (odd < 0.05) o[names.text] = this.pick([42, 3.5, true, false, null, [], ['a', 'b']])
    else if (odd < 0.07) {
      /* no text */
    } else if (odd < 0.08) o[names.text] = ''
    else if (odd < 0.09) o[names.text] = '   \u200b  '
    else o[names.text] = this.text()
    if (this.chance(0.8)) {
      o[names.rating] = this.chance(0.9)
        ? 1 + this.int(5)
        : this.pick([1e308, -1e308, 99999999999999999999, -0, 0, 6, 'five', '4/5', '★★★★☆', '4.0', null, true, 'NaN', '', 2.5])
    }
    if (this.chance(0.6)) {
      o[names.date] = this.chance(0.85)
        ? keys === 'export'
          ? 1_700_000_000 + this.int(5_000_000)
          : `2024-0${1 + this.int(9)}-1${this.int(9)}`
        : this.pick([1e20, -1e20, 8.64e15 + 1, 99999999999999999999, '2024-13-45', '31/02/2024', 20240305, 'yesterday', 0, -1, '', null])
    }
    if (this.chance(0.7)) o[names.product] = `p${this.int(5)}`
    if (this.chance(0.6)) o.author = `u${this.int(12)}`
    if (this.chance(0.2)) o.verified = this.pick([true, false, 'yes', 'N', 1, 'Verified Purchase'])
    if (this.chance(0.05)) o.lang = this.pick(['es', 'it', 'en', 'fr', 'spa', 'es-MX', 42])
    if (this.chance(0.03)) o.title = this.pick([this.text().slice(0, 40), 7, null])
    if (this.chance(0.02)) o['__proto__'] = { text: 'polluted' }
    return o
  }
  /** Invalid UTF-8 bytes. */
  badUtf8() {
    return Buffer.from(this.pick([[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80, 0x80]]))
  }
}

/** Damage one JSON line (a Buffer); returns the new bytes. */
function damageLine(g, line) {
  const at = line.length ? g.int(line.length) : 0
  switch (g.int(9)) {
    case 0: // cut
      return line.subarray(0, at)
    case 1: // stray quote
      return Buffer.concat([line.subarray(0, at), B('"'), line.subarray(at)])
    case 2: // NUL bytes
      return Buffer.concat([line.subarray(0, at), Buffer.from([0, 0]), line.subarray(at)])
    case 3: // invalid UTF-8 (inside the text, most of the time)
      {
        const q = line.indexOf('"text":"')
        const p = q >= 0 && g.chance(0.7) ? q + 8 + g.int(5) : at
        return Buffer.concat([line.subarray(0, p), g.badUtf8(), line.subarray(p)])
      }
    case 4: // BOM at the start of the line
      return Buffer.concat([B('\ufeff'), line])
    case 5: // a control character or escape
      return Buffer.concat([line.subarray(0, at), B(g.pick(['\\', '\t', '\u0001', '\\u0000', '\\ud800', '}', ']', ',', '{'])), line.subarray(at)])
    case 6: // a duplicate key
      return B(line.toString('utf8').replace(/^\{/, '{"text":"first copy of the key",'))
    case 7: // JSON that is not an object
      return B(g.pick(['[1,2,3]', '42', '"just a string"', 'null', 'true', '[]', '{}', '[{"text":"in an array"}]', '1e400', '-']))
    default: // doubled
      return Buffer.concat([line, line])
  }
}

function joinLines(g, lines, eol) {
  const parts = []
  for (let i = 0; i < lines.length; i++) {
    parts.push(lines[i])
    if (i < lines.length - 1 || g.chance(0.8)) {
      const e = eol === 'mix' ? g.pick(['\n', '\r\n', '\n\n', '\n  \n']) : eol
      parts.push(B(e))
    }
  }
  return Buffer.concat(parts)
}

/** JSON Lines: some lines damaged, empty lines, CRLF, long lines, a BOM. */
function genJsonl(g) {
  const n = 1 + g.int(60)
  const lines = []
  for (let i = 1; i <= n; i++) {
    let line = B(JSON.stringify(g.review(i, g.chance(0.2) ? 'export' : 'canonical')))
    if (g.chance(0.15)) line = damageLine(g, line)
    lines.push(line)
    if (g.chance(0.05)) lines.push(B(g.pick(['', '   ', '\t'])))
  }
  if (g.chance(0.08)) {
    // a very long line (over maxTextLength characters, or over the byte limit)
    const size = g.pick([100_001, 200_000, 1_500_000, 3_000_000])
    const big = 'abc déf '.repeat(Math.ceil(size / 8)).slice(0, size)
    lines.splice(g.int(lines.length + 1), 0, B(JSON.stringify({ id: 'big', text: big })))
  }
  if (g.chance(0.1)) {
    // the first line cut off, as a part of `split -b`
    lines[0] = lines[0].subarray(Math.min(lines[0].length, 1 + g.int(20)))
  }
  const eol = g.pick(['\n', '\n', '\n', '\r\n', 'mix'])
  let bytes = joinLines(g, lines, eol)
  if (g.chance(0.1)) bytes = Buffer.concat([B('\ufeff'), bytes])
  // rows = lines that are not blank (space, tab, CR)
  const expect = bytes
    .toString('latin1')
    .split('\n')
    .filter((l) => !/^[ \t\r]*$/.test(l)).length
  return { kind: 'jsonl', ext: '.jsonl', bytes, expectRows: expect }
}

/** JSON Lines with CR alone between lines (old Mac). */
function genJsonlCr(g) {
  const n = 2 + g.int(10)
  const lines = []
  for (let i = 1; i <= n; i++) lines.push(B(JSON.stringify(g.review(i))))
  return { kind: 'jsonl-cr', ext: '.jsonl', bytes: joinLines(g, lines, '\r'), expectRows: null }
}

function csvCell(g, v, delim, quoteAll) {
  const s = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)
  if (quoteAll || s.includes(delim) || s.includes('"') || s.includes('\n') || s.includes('\r')) return '"' + s.replace(/"/g, '""') + '"'
  return s
}

/** CSV: delimiters, quoting, newlines in fields, ragged rows, sep=, duplicate headers. */
function genCsv(g) {
  const delim = g.pick([',', ',', ';', '\t'])
  const eol = g.pick(['\n', '\r\n', '\r'])
  const exportNames = g.chance(0.3)
  let header = exportNames ? ['reviewerID', 'reviewText', 'overall', 'unixReviewTime', 'asin', 'author'] : ['id', 'text', 'rating', 'date', 'product', 'author']
  let expectFail = false
  let clean = true
  const variant = g.r()
  if (variant < 0.05) {
    header = ['id', 'body_of_it', 'rating'] // no text column
    expectFail = true
  } else if (variant < 0.1) header = [...header, header[1]] // duplicate header
  else if (variant < 0.13) header = header.map((h) => ' ' + h + ' ')
  const n = 1 + g.int(50)
  const quoteAll = g.chance(0.3)
  const lines = []
  if (g.chance(0.1)) lines.push(`sep=${delim === '\t' ? '\t' : delim}`)
  lines.push(header.map((h) => csvCell(g, h, delim, quoteAll)).join(delim))
  let rows = 0
  for (let i = 1; i <= n; i++) {
    const o = g.review(i, exportNames ? 'export' : 'canonical')
    let t = o[header[1]] ?? o.text ?? o.reviewText
    if (typeof t === 'string' && g.chance(0.1)) t = t.replace(/ /, g.pick(['\n', '\r\n', ' "quoted" ', delim]))
    const vals = [o[exportNames ? 'reviewerID' : 'id'], t, o[exportNames ? 'overall' : 'rating'], o[exportNames ? 'unixReviewTime' : 'date'], o[exportNames ? 'asin' : 'product'], o.author]
    let cells = vals.map((v) => csvCell(g, v, delim, quoteAll))
    if (header.length > vals.length) cells.push(csvCell(g, 'x', delim, quoteAll))
    if (g.chance(0.05)) {
      cells = cells.slice(0, 1 + g.int(cells.length)) // ragged: fewer
    } else if (g.chance(0.04)) {
      cells.push('extra', 'more') // ragged: more
    }
    let line = cells.join(delim)
    if (g.chance(0.04)) {
      line = line.slice(0, g.int(line.length + 1)) + '"' + line.slice(g.int(line.length + 1)) // stray quote
      clean = false
    }
    if (g.chance(0.02)) {
      line = header.join(delim) // a header repeated (files joined)
    }
    lines.push(line)
    rows++
    if (g.chance(0.04)) lines.push('')
  }
  let bytes = Buffer.from(lines.join(eol) + (g.chance(0.7) ? eol : ''), 'utf8')
  if (g.chance(0.1)) bytes = Buffer.concat([B('\ufeff'), bytes])
  if (g.chance(0.08)) {
    // Windows-1252 bytes
    bytes = Buffer.from(bytes.toString('utf8').replace(/[^\x00-\x7f]/g, () => String.fromCharCode(0xe9)), 'latin1')
  }
  if (g.chance(0.05)) {
    bytes = bytes.subarray(0, g.int(bytes.length)) // cut
    clean = false
  }
  let expectRows = null
  if (clean && !expectFail) {
    // records after the header (and Excel's sep= line), as csv-parse reads them
    try {
      const records = parseCsv(bytes.toString('latin1').replace(/^\u00ef\u00bb\u00bf/, ''), { delimiter: delim, relax_column_count: true, skip_empty_lines: true })
      expectRows = records.length - 1 - (lines[0].startsWith('sep=') ? 1 : 0)
    } catch {
      expectRows = null
    }
  }
  return { kind: 'csv', ext: g.chance(0.85) ? '.csv' : '.txt', bytes, expectRows, expectFail }
}

/** A JSON array, on one line or indented, with broken elements. */
function genArray(g) {
  const n = g.int(40)
  const indent = g.pick([0, 0, 2, 4, '\t'])
  const els = []
  let clean = true
  for (let i = 1; i <= n; i++) {
    let s = JSON.stringify(g.review(i), null, indent || undefined)
    if (g.chance(0.06)) s = g.pick(['42', '"str"', 'null', '[1,2]', '{}', 'true'])
    if (g.chance(0.08)) {
      s = damageLine(g, B(s)).toString('latin1')
      clean = false
    }
    els.push(s)
  }
  const sep = indent ? ',\n' + (typeof indent === 'number' ? ' '.repeat(indent) : indent) : g.pick([',', ', '])
  let body = indent ? '[\n' + (typeof indent === 'number' ? ' '.repeat(indent) : indent) + els.join(sep) + '\n]' : '[' + els.join(sep) + ']'
  if (g.chance(0.1)) {
    body = body.slice(0, g.int(body.length)) // cut
    clean = false
  }
  if (g.chance(0.05)) {
    body = body.replace(/\]$/, ',]') // trailing comma
    clean = false
  }
  return { kind: 'array', ext: g.pick(['.json', '.json', '']), bytes: Buffer.from(body + (g.chance(0.5) ? '\n' : ''), 'latin1'), expectRows: clean ? n : null }
}

/** A JSON object that holds the array (an API answer), or pages one per line. */
function genWrapper(g) {
  const n = 1 + g.int(30)
  const reviews = Array.from({ length: n }, (_, i) => g.review(i + 1))
  const v = g.int(5)
  let doc
  let extra = []
  if (v === 0) doc = { data: { reviews }, next: 'abc' }
  else if (v === 1) doc = { meta: { count: n, tags: ['a', 'b'] }, items: reviews }
  else if (v === 2) doc = { data: { total: n }, next: null } // no array
  else if (v === 3) doc = { results: [{ x: 1 }], reviews } // an array without texts first
  else doc = { data: { reviews: reviews.slice(0, Math.ceil(n / 2)) } }
  let body
  if (v === 4) {
    // pages one per line
    body = JSON.stringify(doc) + '\n' + JSON.stringify({ data: { reviews: reviews.slice(Math.ceil(n / 2)) } }) + '\n'
    if (g.chance(0.5)) extra = ['--array-path', 'data.reviews']
  } else body = JSON.stringify(doc, null, g.pick([0, 2])) + '\n'
  if (g.chance(0.1)) body = body.slice(0, g.int(body.length))
  return { kind: 'wrapper', ext: '.json', bytes: B(body), expectRows: null, extra }
}

/** Text as a sheet's XML holds it: entities, and Excel's `_xHHHH_` for characters XML cannot hold. */
function sheetText(t) {
  return t
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `_x${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}_`)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

/** An Excel workbook: shared and inline strings, date cells, a title row, blank rows; a header without a text column now and then. */
function genXlsx(g) {
  const shared = []
  const index = new Map()
  const sharedId = (t) => {
    if (!index.has(t)) {
      index.set(t, shared.length)
      shared.push(t)
    }
    return index.get(t)
  }
  const column = (i) => String.fromCharCode(65 + i)
  const cell = (ref, v, date) => {
    if (v === undefined || v === null) return ''
    if (typeof v === 'number' && Number.isFinite(v)) return `<c r="${ref}"${date ? ' s="1"' : ''}><v>${v}</v></c>`
    if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`
    const t = typeof v === 'string' ? v : JSON.stringify(v)
    return g.chance(0.6) ? `<c r="${ref}" t="s"><v>${sharedId(t)}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${sheetText(t)}</t></is></c>`
  }
  const v = g.r()
  const header = v < 0.1 ? ['id', 'rating', 'date'] : v < 0.4 ? ['Review ID', 'Review Content', 'Review Stars', 'Review Created (UTC)'] : ['id', 'text', 'rating', 'date']
  const textless = v < 0.1
  const rows = []
  let r = 1
  if (g.chance(0.2)) {
    rows.push(`<row r="${r}">${cell('A' + r, 'Informe de reseñas')}</row>`)
    r += 1 + g.int(2)
  }
  rows.push(`<row r="${r}">${header.map((h, i) => cell(column(i) + r, h)).join('')}</row>`)
  const n = 1 + g.int(40)
  for (let i = 1; i <= n; i++) {
    r += g.chance(0.1) ? 2 : 1
    const o = g.review(i)
    // A date as a date cell (serial days), or as the row gives it.
    const iso = typeof o.date === 'string' ? Date.parse(o.date) : Number.NaN
    const date = Number.isFinite(iso) && g.chance(0.7) ? iso / 86_400_000 + 25_569 + (g.chance(0.3) ? g.int(24) / 24 : 0) : o.date
    const values = header.map((h) => (h === 'id' || h === 'Review ID' ? (o.id ?? i) : h === 'text' || h === 'Review Content' ? o.text : h === 'rating' || h === 'Review Stars' ? o.rating : date))
    rows.push(`<row r="${r}">${values.map((x, k) => cell(column(k) + r, x, header[k] === 'date' || header[k] === 'Review Created (UTC)')).join('')}</row>`)
    if (g.chance(0.05)) rows.push(`<row r="${++r}"/>`)
  }
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
  const files = {
    'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${main}" xmlns:r="${rel}">${g.chance(0.1) ? '<workbookPr date1904="1"/>' : ''}<sheets><sheet name="Reviews" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': `<?xml version="1.0"?><styleSheet xmlns="${main}"><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="${g.pick([14, 22, 164])}"/></cellXfs></styleSheet>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="${main}"><sheetData>${rows.join('')}</sheetData></worksheet>`,
  }
  files['xl/sharedStrings.xml'] = `<?xml version="1.0"?><sst xmlns="${main}">${shared.map((t) => `<si><t xml:space="preserve">${sheetText(t)}</t></si>`).join('')}</sst>`
  return { kind: 'xlsx', ext: g.pick(['.xlsx', '.xlsx', '']), bytes: zipArchive(files, g.chance(0.3)), expectRows: textless ? null : n }
}

/** Files that are not reviews at all. */
function genBadFile(g) {
  const v = g.int(12)
  const review = JSON.stringify(g.review(1))
  const bytes = [
    () => Buffer.alloc(0),
    () => B('   \n\n\t\n'),
    () => B('\ufeff'),
    () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 200 }, () => g.int(256))]),
    () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(review + '\n' + review + '\n', 'utf16le')]),
    () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(review + '\n', 'utf16le').swap16()]),
    () => B(JSON.stringify(g.review(1), null, 2) + '\n' + JSON.stringify(g.review(2), null, 2) + '\n'),
    () => Buffer.from(Array.from({ length: 500 }, () => g.int(256))),
    () => Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0]),
    () => B('\0'.repeat(100)),
    () => B('not json at all, just some words\n'),
    () => B('{"text":'),
  ][v]()
  return { kind: `bad${v}`, ext: g.pick(['.jsonl', '.json', '.csv', '']), bytes, expectRows: null }
}

/** Compress a case: whole, cut short, with junk after it, two members, zero padding. */
function gzipCase(g, c) {
  const z = gzipSync(c.bytes)
  const v = g.int(5)
  let bytes
  let same = false
  if (v === 0) {
    bytes = z
    same = true
  } else if (v === 1) bytes = z.subarray(0, 10 + g.int(Math.max(1, z.length - 10)))
  else if (v === 2) bytes = Buffer.concat([z, B(g.pick(['junk\n', '\0\0\0\0junk', 'PK\x03\x04']))])
  else if (v === 3) {
    const cut = g.int(c.bytes.length + 1)
    bytes = Buffer.concat([gzipSync(c.bytes.subarray(0, cut)), gzipSync(c.bytes.subarray(cut))])
    same = true
  } else {
    bytes = Buffer.concat([z, Buffer.alloc(512 - (z.length % 512))])
    same = true
  }
  return { ...c, kind: `${c.kind}.gz${v}`, ext: c.ext + '.gz', bytes, plain: same ? c : null, expectRows: same ? c.expectRows : null }
}

/** Random byte damage anywhere: flips, inserted junk, deleted spans. */
function mutateBytes(g, c) {
  const b = Buffer.from(c.bytes)
  const parts = []
  let at = 0
  const n = 1 + g.int(4)
  const cuts = Array.from({ length: n }, () => g.int(b.length + 1)).sort((x, y) => x - y)
  for (const cut of cuts) {
    parts.push(b.subarray(at, cut))
    const v = g.int(4)
    if (v === 0 && cut < b.length) {
      parts.push(Buffer.from([g.int(256)]))
      at = cut + 1
    } else if (v === 1) {
      parts.push(Buffer.from(Array.from({ length: 1 + g.int(8) }, () => g.int(256))))
      at = cut
    } else if (v === 2) at = Math.min(b.length, cut + g.int(200))
    else {
      parts.push(B(g.pick(['"', '\n', '\r', ',', '{', '}', '[', ']', '\\', '\ufeff', '\u2028'])))
      at = cut
    }
  }
  parts.push(b.subarray(Math.max(at, cuts[cuts.length - 1] ?? 0)))
  return { ...c, kind: c.kind + '~', bytes: Buffer.concat(parts), expectRows: null }
}

/** A larger input (64 kB pipe pieces and 1 MB reads cut through it): JSON Lines, CSV or an array. */
function genBig(g) {
  const target = g.pick([70_000, 200_000, 700_000, 1_300_000])
  const v = g.int(3)
  const rows = []
  let size = 0
  let i = 0
  while (size < target) {
    const o = g.review(++i)
    const s = v === 1 ? [o.id, o.text, o.rating, o.date].map((x) => csvCell(g, x, ',', false)).join(',') : JSON.stringify(o)
    rows.push(s)
    size += s.length + 1
  }
  if (v === 0) return { kind: 'big-jsonl', ext: '.jsonl', bytes: B(rows.join('\n') + '\n'), expectRows: rows.length }
  if (v === 1) return { kind: 'big-csv', ext: '.csv', bytes: B('id,text,rating,date\n' + rows.join('\r\n') + '\r\n'), expectRows: null }
  return { kind: 'big-array', ext: '.json', bytes: B('[\n  ' + rows.join(',\n  ') + '\n]\n'), expectRows: rows.length }
}

function makeCase(index) {
  const g = new Gen(prng(seed * 1_000_003 + index))
  const k = g.r()
  let c
  if (k < 0.33) c = genJsonl(g)
  else if (k < 0.36) c = genJsonlCr(g)
  else if (k < 0.56) c = genCsv(g)
  else if (k < 0.7) c = genArray(g)
  else if (k < 0.78) c = genWrapper(g)
  else if (k < 0.85) c = genBadFile(g)
  else if (k < 0.92) c = genXlsx(g)
  else c = genBig(g)
  if (g.chance(0.15) && !c.kind.startsWith('bad')) c = mutateBytes(g, c)
  if (g.chance(0.15) && !c.kind.startsWith('bad')) c = gzipCase(g, c)
  c.stdin = g.chance(c.kind.startsWith('big') ? 0.5 : 0.12)
  c.window = c.stdin && g.chance(0.4) ? 50 : 0
  c.extra = c.extra ?? []
  c.id = `${index}:${c.kind}`
  return c
}

// ---------------------------------------------------------------- running

function run(argv, stdinBytes) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [cli, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] })
    const out = []
    const err = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    child.stdin.on('error', () => {})
    if (stdinBytes) child.stdin.end(stdinBytes)
    else child.stdin.end()
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }))
  })
}

const STACK = /^\s+at .+:\d+:\d+\)?$|node:internal|^(Type|Range|Reference|Syntax)Error\b|Uncaught/m

/** Check one run of the CLI; returns problems (strings) and the output. */
function checkCli(c, res, outPath, summaryPath, dir) {
  const problems = []
  if (res.signal) problems.push(`killed by ${res.signal}`)
  if (STACK.test(res.stderr)) problems.push(`stack trace on stderr: ${res.stderr.slice(0, 400)}`)
  const leftovers = readdirSync(dirname(outPath)).filter((f) => f !== 'out.jsonl' && f !== 'summary.json')
  if (leftovers.length) problems.push(`files left beside the output: ${leftovers.join(', ')}`)
  if (res.code === 2) {
    const lines = res.stderr.trim().split('\n')
    if (!/^recensio: /.test(lines[0] ?? '')) problems.push(`exit 2 without a recensio: message: ${res.stderr.slice(0, 200)}`)
    if (lines.length > 3) problems.push(`exit 2 with ${lines.length} lines on stderr`)
    if (existsSync(outPath)) problems.push('exit 2 but the output file exists')
    return { problems, output: null, summary: null, failed: true, stderr: res.stderr }
  }
  if (res.code !== 0) {
    problems.push(`exit ${res.code}: ${res.stderr.slice(0, 300)}`)
    return { problems, output: null, summary: null, failed: true }
  }
  if (!existsSync(outPath)) {
    problems.push('exit 0 but no output file')
    return { problems, output: null, summary: null }
  }
  const output = readFileSync(outPath, 'utf8')
  let summary = null
  try {
    summary = JSON.parse(readFileSync(summaryPath, 'utf8'))
  } catch (e) {
    problems.push(`summary JSON unreadable: ${e.message}`)
  }
  const lines = output === '' ? [] : output.replace(/\n$/, '').split('\n')
  if (output !== '' && !output.endsWith('\n')) problems.push('output does not end with a newline')
  if (summary && summary.rows !== lines.length) problems.push(`summary.rows ${summary.rows} but ${lines.length} output lines`)
  if (summary && summary.ok + summary.errors !== summary.rows) problems.push(`summary ok ${summary.ok} + errors ${summary.errors} != rows ${summary.rows}`)
  let errors = 0
  for (let i = 0; i < lines.length; i++) {
    let o
    try {
      o = JSON.parse(lines[i])
    } catch {
      problems.push(`output line ${i + 1} is not JSON: ${lines[i].slice(0, 120)}`)
      continue
    }
    if (typeof o.ok !== 'boolean') problems.push(`output line ${i + 1} has no ok`)
    if (o.row !== i + 1 && !c.window) problems.push(`output line ${i + 1} has row ${o.row}`)
    if (o.ok === false) {
      errors++
      if (typeof o.row !== 'number' || typeof o.error?.field !== 'string' || typeof o.error?.message !== 'string' || !o.error.message)
        problems.push(`error row ${i + 1} lacks row/field/message: ${lines[i].slice(0, 200)}`)
    }
  }
  if (summary && summary.errors !== errors) problems.push(`summary.errors ${summary.errors} but ${errors} error rows`)
  if (c.expectRows != null && lines.length !== c.expectRows) problems.push(`expected ${c.expectRows} rows from the bytes, got ${lines.length}`)
  return { problems, output, summary, stderr: res.stderr }
}

async function runCase(c) {
  const dir = mkdtempSync(join(tmpdir(), 'recensio-fuzz-'))
  const input = join(dir, 'input' + c.ext)
  writeFileSync(input, c.bytes)
  const variants = [['--workers', '0'], ['--workers', '1'], ['--workers', '2'], ['--workers', '0', '--chunk-size', '3']]
  if (!c.stdin && c.bytes.length < 1_000_000) variants.push(['--workers', '2', '--chunk-size', '1'])
  const results = []
  const problems = []
  const once = async (variant, useStdin, name) => {
    const vdir = join(dir, name)
    mkdirSync(vdir)
    const outPath = join(vdir, 'out.jsonl')
    const summaryPath = join(vdir, 'summary.json')
    const argv = ['analyze', useStdin ? '-' : input, '--out', outPath, '--quiet', '--summary-json', summaryPath, ...variant, ...c.extra]
    if (c.window) argv.push('--window', String(c.window))
    const res = await run(argv, useStdin ? c.bytes : null)
    const checked = checkCli(c, res, outPath, summaryPath, dir)
    for (const p of checked.problems) problems.push(`[${name}] ${p}`)
    return { name, argv, ...checked }
  }
  // in pairs (two cores)
  for (let i = 0; i < variants.length; i += jobs) {
    const batch = variants.slice(i, i + jobs)
    results.push(...(await Promise.all(batch.map((v) => once(v, c.stdin, (c.stdin ? 'stdin' : 'file') + v.join('')))))) // eslint-disable-line no-await-in-loop
  }
  const ref = results[0]
  for (const r of results.slice(1)) {
    if (!!r.failed !== !!ref.failed) problems.push(`${ref.name} ${ref.failed ? 'failed' : 'ran'} but ${r.name} ${r.failed ? 'failed' : 'ran'}`)
    else if (ref.output != null && r.output != null && r.output !== ref.output) problems.push(`output of ${r.name} differs from ${ref.name} at line ${firstDiff(ref.output, r.output)}`)
  }
  // stdin vs file (same bytes; the file's extension may pick the format, so only for JSON Lines files that start with an object)
  if (c.stdin && ref.output != null && c.window === 0) {
    const f = await once(['--workers', '0'], false, 'file-w0')
    if (f.output != null && f.output !== ref.output && c.kind === 'jsonl' && c.bytes[0] === 0x7b) problems.push(`stdin output differs from the file's at line ${firstDiff(f.output, ref.output)}`)
  }
  // gzip vs plain
  if (c.plain && ref.output != null) {
    const plainPath = join(dir, 'plain' + c.plain.ext)
    writeFileSync(plainPath, c.plain.bytes)
    const p = await run(['analyze', plainPath, '--out', join(dir, 'plain-out.jsonl'), '--quiet', '--workers', '0', ...c.extra, ...(c.window ? ['--window', String(c.window)] : [])])
    if (p.code === 0) {
      const po = readFileSync(join(dir, 'plain-out.jsonl'), 'utf8')
      if (po !== ref.output) problems.push(`gzip output differs from the plain file's at line ${firstDiff(po, ref.output)}`)
    } else if (!ref.failed) problems.push(`plain file exits ${p.code}, gzip ran`)
  }
  // the library
  if (!c.stdin) {
    for (const options of [{ workers: 0 }, { workers: 2, chunkSize: 2 }]) {
      const lib = await libraryRun(input, { ...options, ...libExtra(c) })
      if (lib.error) {
        if (!ref.failed) problems.push(`analyzeFile(${JSON.stringify(options)}) threw: ${lib.error}`)
        else if (!lib.recensioError) problems.push(`analyzeFile(${JSON.stringify(options)}) threw a non-RecensioError: ${lib.error}`)
      } else if (ref.failed) problems.push(`analyzeFile(${JSON.stringify(options)}) ran, the CLI failed`)
      else if (ref.output != null && lib.output !== ref.output) problems.push(`analyzeFile(${JSON.stringify(options)}) output differs from the CLI's at line ${firstDiff(ref.output, lib.output)}`)
    }
  }
  // analyzeBatch on the rows of a JSON Lines file that parse as objects
  if (c.kind === 'jsonl' && c.window === 0) {
    const objs = []
    for (const l of c.bytes.toString('utf8').split('\n')) {
      try {
        objs.push(JSON.parse(l))
      } catch {
        // skip
      }
    }
    for (const options of [{ workers: 0 }, { workers: 2, chunkSize: 3 }]) {
      const lib = await libraryBatch(objs, options)
      if (lib.error) problems.push(`analyzeBatch(${JSON.stringify(options)}) threw: ${lib.error}`)
      else if (lib.rows !== objs.length) problems.push(`analyzeBatch(${JSON.stringify(options)}): ${objs.length} rows in, ${lib.rows} out`)
      else if (options.workers !== 0 && lib.output !== batchRef) problems.push(`analyzeBatch output depends on workers/chunkSize at line ${firstDiff(batchRef, lib.output)}`)
      if (options.workers === 0) batchRef = lib.output
    }
  }
  if (problems.length && keep) {
    mkdirSync(keep, { recursive: true })
    writeFileSync(join(keep, c.id.replace(/[^\w.-]/g, '_') + c.ext), c.bytes)
  }
  if (!problems.length) rmSync(dir, { recursive: true, force: true })
  else problems.push(`(files kept in ${dir})`)
  return { problems, failed: !!ref.failed, stderr: ref.stderr ?? '' }
}
let batchRef = ''

function libExtra(c) {
  const o = {}
  const i = c.extra.indexOf('--array-path')
  if (i >= 0) o.arrayPath = c.extra[i + 1]
  return o
}

let lib
/** The output lines of a library run (`start` makes it from the module), or its error. */
async function libraryOutput(start) {
  lib ??= await import(join(dist, 'index.js'))
  try {
    const parts = []
    for await (const r of start(lib)) parts.push(JSON.stringify(r) + '\n')
    return { output: parts.join(''), rows: parts.length }
  } catch (e) {
    return { error: String(e?.stack ?? e).slice(0, 400), recensioError: e instanceof lib.RecensioError }
  }
}

const libraryRun = (path, options) => libraryOutput((m) => m.analyzeFile(path, options))
const libraryBatch = (objs, options) => libraryOutput((m) => m.analyzeBatch(objs, options))

function firstDiff(a, b) {
  const la = a.split('\n')
  const lb = b.split('\n')
  for (let i = 0; i < Math.max(la.length, lb.length); i++) if (la[i] !== lb[i]) return `${i + 1}: ${String(la[i]).slice(0, 160)} | ${String(lb[i]).slice(0, 160)}`
  return '?'
}

// ---------------------------------------------------------------- main

if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run npm run build first')
  process.exit(2)
}
let failures = 0
let ran = 0
let exit2 = 0
const started = Date.now()
for (let i = 1; i <= caseCount; i++) {
  const c = makeCase(i)
  if (only && c.id !== only && String(i) !== only) continue
  if (kindOnly && !c.kind.startsWith(kindOnly)) continue
  ran++
  const { problems, failed, stderr } = await runCase(c)
  if (failed) exit2++
  if (problems.length) {
    failures++
    console.log(`FAIL ${c.id} (seed ${seed}, ${c.bytes.length} bytes${c.stdin ? ', stdin' : ''}${c.window ? ', --window ' + c.window : ''})`)
    for (const p of problems.slice(0, 8)) console.log('  ' + p.replace(/\n/g, '\n    ').slice(0, 600))
    if (problems.length > 8) console.log(`  … and ${problems.length - 8} more`)
  } else if (verbose) console.log(`ok   ${c.id}${failed ? ' (exit 2: ' + stderr.trim().split('\n')[0] + ')' : ''}`)
}
console.log(`${ran} cases, ${failures} failing, ${exit2} refused with exit 2, ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed})`)
process.exit(failures ? 1 : 0)

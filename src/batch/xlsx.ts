/**
 * Excel workbooks (.xlsx): the rows of the first worksheet that is not hidden
 * as objects keyed by its header row, as a CSV export of it would give them
 * (a date cell as the ISO date it shows). The workbook is a
 * ZIP archive of XML files; the worksheet is inflated and scanned as it
 * streams, row by row, so a large one is never held whole (its shared
 * strings, which hold every text cell once, are).
 */
import { createReadStream } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { type Readable, Transform, pipeline } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { createInflateRaw, inflateRawSync } from 'node:zlib'
import { RecensioError, setOwn } from '../review/index.js'
import { MAX_PREAMBLE_LINES, columnNames, isTitleRow } from './csv.js'

/** A file in the archive, as its central directory lists it. */
interface Entry {
  method: number
  compressedSize: number
  size: number
  /** Offset of its local header. */
  offset: number
}

/** Why a file that starts as a ZIP archive cannot be read as a workbook. */
function notWorkbook(why: string): RecensioError {
  return new RecensioError('invalid_file', `not an Excel workbook (.xlsx) recensio can read: ${why}; export the sheet as CSV`)
}

/** Names of files a ZIP archive of an export holds reviews in (a CSV, JSON or JSON Lines file, a workbook; gzipped too). */
const DATA_FILE = /\.(?:csv|tsv|json|jsonl|ndjson|xlsx)(?:\.gz)?$/i

/** Data files shown in the message of a ZIP archive that holds them, at most. */
const DATA_FILES_SHOWN = 3

/**
 * A ZIP archive of data files (an export's download) is no workbook: say what
 * it holds and how to read it, rather than that it has no worksheet.
 */
function zipOfFiles(path: string, data: string[]): RecensioError {
  const shown = data.slice(0, DATA_FILES_SHOWN).map((n) => `"${n}"`).join(', ') + (data.length > DATA_FILES_SHOWN ? ` and ${data.length - DATA_FILES_SHOWN} more` : '')
  // A copy of a pipe (`analyze`'s stdin.xlsx, `report`'s stdin) is no name the user knows.
  const archive = /^stdin(?:\.xlsx)?$/.test(basename(path)) ? 'ARCHIVE.zip' : shellWord(path)
  const how = data.length === 1 ? `unzip it first, or pipe the file in: unzip -p ${archive} ${shellWord(data[0]!)} | recensio analyze - (or report -)` : 'unzip it first, and give the files by name (several are one batch)'
  return new RecensioError('invalid_file', `a ZIP archive of ${data.length === 1 ? 'a file' : `${data.length} files`}, ${shown}, not an Excel workbook: ${how}`)
}

/** A path as a shell takes it: in single quotes when it holds more than letters, digits and `_./-`. */
function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  if (bytesRead < length) throw notWorkbook('the file is cut off')
  return buffer
}

const END_OF_DIRECTORY = 0x06054b50
const DIRECTORY_ENTRY = 0x02014b50
const LOCAL_HEADER = 0x04034b50
/** The end-of-directory record's size without its comment, and the longest comment. */
const END_SIZE = 22
const MAX_COMMENT = 0xffff

/** The archive's entries by name, from its central directory (the sizes there are right even when a local header's are not). */
async function readDirectory(handle: FileHandle, size: number): Promise<Map<string, Entry>> {
  const tailLength = Math.min(size, END_SIZE + MAX_COMMENT)
  const tail = await readAt(handle, size - tailLength, tailLength)
  let end = -1
  for (let i = tail.length - END_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_DIRECTORY) {
      end = i
      break
    }
  }
  if (end < 0) throw notWorkbook('its ZIP directory is missing (the file may be cut off)')
  const count = tail.readUInt16LE(end + 10)
  const directorySize = tail.readUInt32LE(end + 12)
  const directoryOffset = tail.readUInt32LE(end + 16)
  if (count === 0xffff || directoryOffset === 0xffffffff) throw notWorkbook('it is a ZIP64 archive (over 4 GB)')
  if (directoryOffset + directorySize > size) throw notWorkbook('its ZIP directory points past its end (the file may be cut off)')
  const directory = await readAt(handle, directoryOffset, directorySize)
  const entries = new Map<string, Entry>()
  let p = 0
  for (let k = 0; k < count; k++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== DIRECTORY_ENTRY) throw notWorkbook('its ZIP directory is damaged')
    const nameLength = directory.readUInt16LE(p + 28)
    const name = directory.toString('utf8', p + 46, p + 46 + nameLength)
    entries.set(name, {
      method: directory.readUInt16LE(p + 10),
      compressedSize: directory.readUInt32LE(p + 20),
      size: directory.readUInt32LE(p + 24),
      offset: directory.readUInt32LE(p + 42),
    })
    p += 46 + nameLength + directory.readUInt16LE(p + 30) + directory.readUInt16LE(p + 32)
  }
  return entries
}

/** Whether bytes start as a ZIP archive (a local file header), as an .xlsx workbook does. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0) === LOCAL_HEADER
}

/** Where an entry's data starts: after its local header, whose name and extra field may differ in length from the directory's. */
async function dataStart(handle: FileHandle, entry: Entry): Promise<number> {
  const header = await readAt(handle, entry.offset, 30)
  if (header.readUInt32LE(0) !== LOCAL_HEADER) throw notWorkbook('a file in it is damaged')
  return entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
}

function checkMethod(entry: Entry, name: string): void {
  if (entry.method !== 0 && entry.method !== 8) throw notWorkbook(`${name} is compressed with method ${entry.method}, not deflate`)
}

/** A small entry, whole, as text. */
async function entryText(handle: FileHandle, entry: Entry, name: string): Promise<string> {
  checkMethod(entry, name)
  const raw = await readAt(handle, await dataStart(handle, entry), entry.compressedSize)
  let bytes: Buffer
  try {
    bytes = entry.method === 0 ? raw : inflateRawSync(raw)
  } catch {
    throw notWorkbook(`${name} is damaged`)
  }
  if (bytes.length !== entry.size) throw notWorkbook(`${name} is damaged (it inflates to ${bytes.length} bytes, not ${entry.size})`)
  return bytes.toString('utf8')
}

/** An entry's text as it streams, and a way to stop reading it (closing its file); `read` counts the compressed bytes read, for progress. */
async function entryStream(path: string, handle: FileHandle, entry: Entry, name: string, read: { bytes: number }): Promise<{ text: AsyncIterable<string>; destroy: () => void }> {
  checkMethod(entry, name)
  const start = await dataStart(handle, entry)
  if (entry.compressedSize === 0) return { text: (async function* () {})(), destroy: () => {} }
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 })
  // Counted as they pass, with no 'data' listener, which would let the bytes flow before they are read.
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read.bytes += chunk.length
      done(null, chunk)
    },
  })
  // Through pipeline, so that a read stopped early (or failing) closes the file too.
  const bytes: Readable = entry.method === 0 ? pipeline(raw, counted, () => {}) : pipeline(raw, counted, createInflateRaw(), () => {})
  const text = (async function* () {
    const decoder = new StringDecoder('utf8')
    let size = 0
    try {
      for await (const chunk of bytes as AsyncIterable<Buffer>) {
        size += chunk.length
        const piece = decoder.write(chunk)
        if (piece !== '') yield piece
      }
    } catch (error) {
      throw error instanceof RecensioError ? error : notWorkbook(`${name} is damaged (${(error as Error).message})`)
    }
    // Damaged deflate data can end early and cleanly (a stray final block), and the CRC is not checked: the size is.
    if (size !== entry.size) throw notWorkbook(`${name} is damaged (it inflates to ${size} bytes, not ${entry.size})`)
    const rest = decoder.end()
    if (rest !== '') yield rest
  })()
  return { text, destroy: () => bytes.destroy() }
}

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
/** Excel's escape for a character XML cannot hold (`_x000D_` for a carriage return). */
const EXCEL_ESCAPE = /_x([0-9A-Fa-f]{4})_/g

/** A numeric entity's character; one past Unicode (`&#x110000;`, which no XML may hold) is U+FFFD, as a decoder gives for bad bytes. */
function character(code: number): string {
  return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
}

/** XML text with its entities, and Excel's `_xHHHH_` escapes, decoded. */
function xmlText(s: string): string {
  let out = s.includes('&') ? s.replace(ENTITY, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) => (name !== undefined ? NAMED[name]! : character(Number.parseInt(dec ?? hex!, dec !== undefined ? 10 : 16)))) : s
  if (out.includes('_x')) out = out.replace(EXCEL_ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return out
}

/** The text of a string item (`<si>` or `<is>`): its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
function itemText(xml: string): string {
  const body = xml.includes('rPh') ? xml.replace(/<(?:[\w.-]+:)?rPh\b[\s\S]*?<\/(?:[\w.-]+:)?rPh>/g, '') : xml
  let text = ''
  for (const m of body.matchAll(/<(?:[\w.-]+:)?t\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?t>)/g)) text += m[1] === undefined ? '' : xmlText(m[1])
  return text
}

/**
 * Complete elements named `tag` from text that streams in pieces, each as its XML.
 *
 * @param pieces The part's text, in pieces.
 * @param root Its root element's name, whose prefix, if any, `tag` takes.
 * @param tag The elements' name, without a prefix.
 */
export async function* elements(pieces: AsyncIterable<string>, root: string, tag: string): AsyncGenerator<string> {
  let open = ''
  let close = ''
  let buffer = ''
  // An element longer than a piece (a cell of megabytes) is held as its pieces until its closing tag comes, each
  // searched once with the end of the one before: joining and rescanning the whole at every piece is quadratic.
  let waiting = false
  const held: string[] = []
  let tail = ''
  for await (const piece of pieces) {
    if (waiting) {
      const seen = tail + piece
      tail = seen.slice(-close.length)
      if (!seen.includes(close)) {
        held.push(piece)
        continue
      }
      held.push(piece)
      buffer += held.join('')
      held.length = 0
      waiting = false
    } else buffer += piece
    if (open === '') {
      // The root element's prefix (`<x:worksheet xmlns:x=…>`, as the Open XML SDK may write) is its elements' too.
      const m = new RegExp(`<([\\w.-]+:)?${root}[\\s>/]`).exec(buffer)
      if (m === null && buffer.length < MAX_PROLOG) continue
      const prefix = m?.[1] ?? ''
      open = `<${prefix}${tag}`
      close = `</${prefix}${tag}>`
    }
    let from = 0
    for (;;) {
      const start = nextOpen(buffer, open, from)
      if (start < 0) {
        // Keep a partial opening tag at the end for the next piece.
        from = Math.max(from, buffer.length - open.length)
        break
      }
      const tagEnd = buffer.indexOf('>', start)
      if (tagEnd < 0) {
        from = start
        break
      }
      if (buffer.charCodeAt(tagEnd - 1) === 47 /* / */) {
        yield buffer.slice(start, tagEnd + 1)
        from = tagEnd + 1
        continue
      }
      const end = buffer.indexOf(close, tagEnd)
      if (end < 0) {
        from = start
        waiting = true
        tail = buffer.slice(-close.length)
        break
      }
      yield buffer.slice(start, end + close.length)
      from = end + close.length
    }
    buffer = buffer.slice(from)
  }
}

/** Text, at most, before a part's root element (its XML declaration, comments). */
const MAX_PROLOG = 64 * 1024

/** Where the next element `open` ("<row") starts, not a longer name ("<rowBreaks"), or -1. */
function nextOpen(buffer: string, open: string, from: number): number {
  for (let i = buffer.indexOf(open, from); i >= 0; i = buffer.indexOf(open, i + 1)) {
    const after = buffer.charCodeAt(i + open.length)
    if (after === 62 /* > */ || after === 47 /* / */ || after === 32 || after === 9 || after === 10 || after === 13) return i
    if (Number.isNaN(after)) return i
  }
  return -1
}

/** Column index of a cell reference ("B12" → 1), or -1 without one. */
function columnOf(ref: string | undefined): number {
  if (ref === undefined) return -1
  let n = 0
  let i = 0
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    if (c < 65 || c > 90) break
    n = n * 26 + (c - 64)
  }
  return i === 0 ? -1 : n - 1
}

// Elements may carry a prefix (`<x:c>`), as the root does.
const CELL = /<(?:[\w.-]+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?c>)/g
const ATTRIBUTE = /\b(r|t|s)="([^"]*)"/g
const ROW_NUMBER = /^<(?:[\w.-]+:)?row\b[^>]*?\br="(\d+)"/
const VALUE = /<(?:[\w.-]+:)?v\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?v>/

/** How a sheet's numbers read as dates: the cell styles whose number format shows one, and the workbook's date system. */
interface DateCells {
  /** By cell style index (a cell's `s`): whether its format shows a date. */
  styles: readonly boolean[]
  /** True for the 1904 date system (old Mac Excel): serial days count from 1904-01-01, not 1899-12-30. */
  date1904: boolean
}

/**
 * Excel's built-in number formats that show a date (14–17, 22; 27–31, 34–36
 * and 50–58 are East Asian ones). 32 and 33 are a time of day in every East
 * Asian locale (`h"時"mm"分"`); 34, 35, 55 and 56 are a time of day in Chinese
 * locales and a date in the others, and read as dates.
 */
function builtinDate(id: number): boolean {
  return (id >= 14 && id <= 17) || id === 22 || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58)
}

/**
 * Whether a number format code shows a date: a day, a year, or a month
 * without hours or seconds (`mm:ss` is minutes), outside quoted text,
 * brackets (`[$-409]`, `[Red]`) and escaped characters.
 */
function isDateFormat(code: string): boolean {
  // Elapsed time (`[h]:mm`) keeps its hours: its minutes are not a month, nor are elapsed minutes alone (`[mm]`).
  const bare = code.replace(/"[^"]*"|\[(?![hms]+\])[^\]]*\]|\\.|[_*]./gi, '')
  return /[dy]/i.test(bare) || (/m/i.test(bare) && !/[hs]|\[m+\]/i.test(bare))
}

/**
 * Which cell styles show a date, from the workbook's styles part (its
 * `numFmts`, and its `cellXfs` in order), read as it streams: a bloated one
 * (many thousands of styles) can run to more text than one string can hold.
 */
async function dateStyles(path: string, handle: FileHandle, entry: Entry, name: string): Promise<boolean[]> {
  /** The first element `tag` of the part, whole; null when it has none. */
  const first = async (tag: string): Promise<string | null> => {
    const { text, destroy } = await entryStream(path, handle, entry, name, { bytes: 0 })
    try {
      for await (const xml of elements(text, 'styleSheet', tag)) return xml
      return null
    } finally {
      destroy()
    }
  }
  const custom = new Map<number, string>()
  for (const m of ((await first('numFmts')) ?? '').matchAll(/<(?:[\w.-]+:)?numFmt\b[^>]*>/g)) {
    const id = /\bnumFmtId="(\d+)"/.exec(m[0])?.[1]
    const code = /\bformatCode="([^"]*)"/.exec(m[0])?.[1]
    if (id !== undefined && code !== undefined) custom.set(Number(id), xmlText(code))
  }
  const xfs = (await first('cellXfs')) ?? ''
  return Array.from(xfs.matchAll(/<(?:[\w.-]+:)?xf\b[^>]*>/g), (m) => {
    const id = Number(/\bnumFmtId="(\d+)"/.exec(m[0])?.[1] ?? 0)
    const code = custom.get(id)
    return code === undefined ? builtinDate(id) : isDateFormat(code)
  })
}

/** The last serial day a date can have (9999-12-31), in the 1900 and the 1904 date system. */
const MAX_SERIAL = 2_958_465
const MAX_SERIAL_1904 = 2_957_003

/**
 * A date cell's serial days as an ISO date, as the sheet shows it: `2024-03-05`,
 * or `2024-03-05T10:30:00` with its time (to the second, no zone, as Excel
 * keeps none); null for a number no date can have.
 */
function serialDate(days: number, date1904: boolean): string | null {
  if (!Number.isFinite(days) || days < 0 || days > (date1904 ? MAX_SERIAL_1904 : MAX_SERIAL)) return null
  // Day 0 of the 1900 system is no date: Excel shows it as 1900-01-00 (a date never set, a lookup that found none).
  if (!date1904 && days < 1) return null
  let epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)
  // The 1900 system counts a 29 February 1900 that never was (day 60, as Lotus 1-2-3 did): the days before it are one day later.
  if (!date1904 && days < 61) {
    if (days >= 60) return null
    epoch = Date.UTC(1899, 11, 31)
  }
  const iso = new Date(epoch + Math.round(days * 86_400) * 1000).toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19)
}

/** A row's cell values by column index (text as the sheet shows it; numbers as written, date cells as ISO dates). */
function rowCells(xml: string, shared: readonly string[], dates: DateCells): string[] {
  const cells: string[] = []
  let next = 0
  for (const m of xml.matchAll(CELL)) {
    let ref: string | undefined
    let type = 'n'
    let style = 0
    for (const a of m[1]!.matchAll(ATTRIBUTE)) {
      if (a[1] === 'r') ref = a[2]
      else if (a[1] === 't') type = a[2]!
      else style = Number(a[2])
    }
    const column = columnOf(ref)
    const at = column >= 0 ? column : next
    next = at + 1
    const body = m[2]
    if (body === undefined) continue
    let value: string | undefined
    if (type === 'inlineStr') value = itemText(body)
    else {
      const v = VALUE.exec(body)?.[1]
      if (v === undefined) continue
      value = type === 's' ? shared[Number(v)] : xmlText(v)
      // An empty value (`<v></v>`, as some writers give an empty cell) is no day 0.
      if (type === 'n' && dates.styles[style] === true && value.trim() !== '') value = serialDate(Number(value), dates.date1904) ?? value
    }
    if (value !== undefined) cells[at] = value
  }
  return cells
}

/** Where relationship types end, for a worksheet (not a chart sheet or a dialog sheet) and the shared strings. */
const WORKSHEET_TYPE = '/worksheet'
const SHARED_STRINGS_TYPE = '/sharedStrings'
const STYLES_TYPE = '/styles'

/**
 * The first worksheet's path in the archive, and the shared strings', from the
 * workbook and its relationships: the first sheet the workbook lists that is a
 * worksheet (a chart sheet, first in some workbooks, has no rows) and not
 * hidden, or else the first hidden one.
 */
async function workbookParts(handle: FileHandle, entries: Map<string, Entry>): Promise<{ sheet: string; strings: string; styles: string; date1904: boolean }> {
  const fallback = { sheet: 'xl/worksheets/sheet1.xml', strings: 'xl/sharedStrings.xml', styles: 'xl/styles.xml', date1904: false }
  const workbook = entries.get('xl/workbook.xml')
  const rels = entries.get('xl/_rels/workbook.xml.rels')
  if (workbook === undefined || rels === undefined) return fallback
  const targets = new Map<string, { type: string; path: string }>()
  let strings = fallback.strings
  let styles = fallback.styles
  for (const m of (await entryText(handle, rels, 'xl/_rels/workbook.xml.rels')).matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1]
    const type = /\bType="([^"]+)"/.exec(m[0])?.[1] ?? ''
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1]
    if (id === undefined || target === undefined) continue
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`
    targets.set(id, { type, path })
    if (type.endsWith(SHARED_STRINGS_TYPE)) strings = path
    else if (type.endsWith(STYLES_TYPE)) styles = path
  }
  let sheet: string | undefined
  const book = await entryText(handle, workbook, 'xl/workbook.xml')
  const date1904 = /<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(book)
  // A hidden sheet (a lookup table, a pivot's data) is not the one a user sees first: it is read only when no other is.
  let hidden: string | undefined
  for (const m of book.matchAll(/<(?:[\w.-]+:)?sheet\b[^>]*>/g)) {
    const id = /\br:id="([^"]+)"/.exec(m[0])?.[1]
    const target = id === undefined ? undefined : targets.get(id)
    // A type other than a worksheet's is passed over; one left out (a hand-made archive) is taken.
    if (target === undefined || (target.type !== '' && !target.type.endsWith(WORKSHEET_TYPE))) continue
    if (/\bstate="(?:hidden|veryHidden)"/.test(m[0])) hidden ??= target.path
    else {
      sheet = target.path
      break
    }
  }
  return { sheet: sheet ?? hidden ?? fallback.sheet, strings, styles, date1904 }
}

/** A workbook opened for reading: its first sheet's column names, its rows, and the progress of reading them. */
export interface Workbook {
  /** The header row's names (blank ones `column_N`, repeats `name_2`): the first row, or the one after a title. */
  columns: string[]
  /** Names the first row repeats. */
  repeated: string[]
  /** The sheet's row number of the header, and the rows above it taken for a title (0 when it is the first row with a value). */
  headerRow: number
  titleRows: number
  /** The rows after the first, as objects keyed by `columns` (empty cells left out; rows with no value skipped). */
  rows: AsyncGenerator<Record<string, string>>
  /** The sheet's compressed size, and its bytes read so far. */
  totalBytes: number
  bytesRead(): number
  /** Stop reading the sheet and close its file, whether or not `rows` was read (a file opened only to be checked). */
  close(): void
}

/**
 * Open the first worksheet of an .xlsx file: its shared strings are read
 * whole, its header row at once, its other rows as they are asked for.
 *
 * @param path The file's path (read again by range for the sheet).
 * @param handle The file, open.
 * @param size Its size in bytes.
 * @param textKey The column `map` gives the text, which a title row cannot name.
 */
export async function openWorkbook(path: string, handle: FileHandle, size: number, textKey?: string): Promise<Workbook> {
  const entries = await readDirectory(handle, size)
  const parts = await workbookParts(handle, entries)
  const sheetName = parts.sheet
  const sheet = entries.get(sheetName)
  if (sheet === undefined) {
    if (entries.has('word/document.xml')) throw notWorkbook('it is a Word document')
    const data = [...entries.keys()].filter((name) => DATA_FILE.test(name) && !name.startsWith('__MACOSX/'))
    if (data.length > 0) throw zipOfFiles(path, data)
    throw notWorkbook('it has no worksheet')
  }
  const shared: string[] = []
  const strings = entries.get(parts.strings)
  if (strings !== undefined) {
    const { text, destroy } = await entryStream(path, handle, strings, parts.strings, { bytes: 0 })
    try {
      for await (const item of elements(text, 'sst', 'si')) shared.push(itemText(item))
    } finally {
      destroy()
    }
  }
  const styles = entries.get(parts.styles)
  const dates: DateCells = { styles: styles === undefined ? [] : await dateStyles(path, handle, styles, parts.styles), date1904: parts.date1904 }
  const read = { bytes: 0 }
  const stream = await entryStream(path, handle, sheet, sheetName, read)
  const rows = elements(stream.text, 'worksheet', 'row')
  /** The sheet's number of the row read last: its `r`, else one past the one before. */
  let rowNumber = 0
  /** The next row with a value, as cells; null at the sheet's end. */
  const nextCells = async (): Promise<string[] | null> => {
    for (;;) {
      const next = await rows.next()
      if (next.done === true) return null
      const r = ROW_NUMBER.exec(next.value)
      rowNumber = r === null ? rowNumber + 1 : Number(r[1])
      const cells = rowCells(next.value, shared, dates)
      if (cells.some((c) => c !== undefined && c.trim() !== '')) return cells
    }
  }
  // A title above the header ("Reviews March 2024" alone in A1), as in a CSV: rows that name at most one column,
  // and no field, are passed over while a row with more comes within MAX_PREAMBLE_LINES; else the first is the header.
  const above: string[][] = []
  let header: string[] | null = null
  try {
    while (header === null && above.length <= MAX_PREAMBLE_LINES) {
      const cells = await nextCells()
      if (cells === null) break
      if (isTitleRow(cells, textKey)) above.push(cells)
      else header = cells
    }
  } catch (error) {
    stream.destroy()
    throw error
  }
  const pending = header === null ? above.slice(1) : []
  const titleRows = header === null ? 0 : above.length
  if (header === null) header = above[0] ?? []
  const { names: columns, repeated } = columnNames(header)
  const object = (cells: readonly (string | undefined)[]): Record<string, string> | null => {
    const row: Record<string, string> = {}
    let any = false
    for (let i = 0; i < cells.length; i++) {
      const value = cells[i]
      if (value === undefined || value === '') continue
      setOwn(row, columns[i] ?? `column_${i + 1}`, value)
      any = true
    }
    return any ? row : null
  }
  async function* objects(): AsyncGenerator<Record<string, string>> {
    for (const cells of pending) {
      const row = object(cells)
      if (row !== null) yield row
    }
    for await (const xml of rows) {
      const row = object(rowCells(xml, shared, dates))
      if (row !== null) yield row
    }
  }
  return {
    columns,
    repeated,
    headerRow: rowNumber,
    titleRows,
    rows: objects(),
    totalBytes: sheet.compressedSize,
    bytesRead: () => read.bytes,
    close: stream.destroy,
  }
}

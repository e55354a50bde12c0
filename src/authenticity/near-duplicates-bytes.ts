/**
 * The bytes of a `NearDuplicateIndex` (`toBytes`, `fromBytes`): its columns as
 * they are in memory, so that a service that restarts gets back the index it
 * had without keeping the reviews' texts.
 *
 * Layout (little-endian; each part starts at a multiple of 8 bytes, so the
 * columns are read as typed arrays over the bytes):
 *
 * - header, HEADER_BYTES: magic (8), format version (u32), fingerprint digest
 *   (u32), threshold (f64), rows (u32), live rows (u32), id bytes (u32),
 *   checksum (u32)
 * - shingle counts: Int32 per row
 * - exact hashes: Float64 per row
 * - stored signatures: STORED_WORDS Uint32 per row
 * - replaced flags: Uint8 per row
 * - id lengths: Uint32 per live row, in UTF-16 code units
 * - ids: the live rows' ids one after another, as UTF-8
 *
 * A row is a text the index stored; a replaced or deleted one stays a row
 * until the index compacts, since its band values still take their place in
 * the LSH buckets (read newest first, 256 at most) and its count decides when
 * the index compacts: a restored index reads the same rows in the same order.
 * Its id, shingle count, exact hash and sketch are saved as zeros, so the
 * bytes keep nothing of a deleted review but those band values.
 */
import { RecensioError, describeValue } from '../review/index.js'
import { Column } from './columns.js'
import { BANDS, STORED_WORDS, fingerprintDigest } from './fingerprint.js'

/** First bytes of the format: "RCNSNDX" and a line feed (a transfer that rewrites line ends breaks it). */
const MAGIC = [0x52, 0x43, 0x4e, 0x53, 0x4e, 0x44, 0x58, 0x0a]

/** Format version: bump it when the layout changes (a reader refuses any other). */
export const FORMAT_VERSION = 1

const HEADER_BYTES = 40
/** Word of the header that holds the checksum (the checksum covers every other word). */
const CHECKSUM_WORD = 9

/** The columns are copied as the host stores them: little-endian, as on x86 and ARM. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const encoder = new TextEncoder()
/** `ignoreBOM`: an id that starts with U+FEFF keeps it. */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** What an index is made of, as `toBytes` saves it and `fromBytes` gives it back. */
export interface SavedIndex {
  threshold: number
  /** Id of each row; '' for a replaced or deleted one. */
  ids: string[]
  counts: Column<Int32Array<ArrayBuffer>>
  exact: Column<Float64Array<ArrayBuffer>>
  store: Column<Uint32Array<ArrayBuffer>>
  replaced: Column<Uint8Array<ArrayBuffer>>
}

/** A restored index: its columns, and each live id's row. */
export interface RestoredIndex extends SavedIndex {
  latest: Map<string, number>
}

interface Layout {
  counts: number
  exact: number
  store: number
  replaced: number
  lengths: number
  ids: number
  total: number
}

const padded = (n: number): number => Math.ceil(n / 8) * 8

function layoutOf(rows: number, live: number, idBytes: number): Layout {
  const counts = HEADER_BYTES
  const exact = counts + padded(4 * rows)
  const store = exact + 8 * rows
  const replaced = store + 4 * STORED_WORDS * rows
  const lengths = replaced + padded(rows)
  const ids = lengths + padded(4 * live)
  return { counts, exact, store, replaced, lengths, ids, total: ids + padded(idBytes) }
}

/** A lone UTF-16 surrogate, which UTF-8 cannot hold (it would come back as U+FFFD): `add` refuses such an id. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * The bytes of an index (see the file comment for the layout).
 *
 * @param index Its columns; row k of each is the k-th text stored.
 * @param live Rows not replaced nor deleted.
 */
export function indexToBytes(index: SavedIndex, live: number): Uint8Array {
  if (!LITTLE_ENDIAN) throw bigEndian('toBytes')
  const rows = index.ids.length
  const liveIds: string[] = []
  for (let k = 0; k < rows; k++) if (index.replaced.get(k) === 0) liveIds.push(index.ids[k]!)
  // Every id is well-formed (`add` refuses a lone surrogate), so its UTF-8 gives it back whole.
  const joined = liveIds.join('')
  const idBytes = encoder.encode(joined)
  const at = layoutOf(rows, live, idBytes.length)
  const out = new Uint8Array(at.total)
  const buffer = out.buffer
  const view = new DataView(buffer)
  out.set(MAGIC, 0)
  view.setUint32(8, FORMAT_VERSION, true)
  view.setUint32(12, fingerprintDigest(), true)
  view.setFloat64(16, index.threshold, true)
  view.setUint32(24, rows, true)
  view.setUint32(28, live, true)
  view.setUint32(32, idBytes.length, true)
  copyRows(index.counts, rows, out, at.counts)
  copyRows(index.exact, rows, out, at.exact)
  copyRows(index.store, rows, out, at.store)
  copyRows(index.replaced, rows, out, at.replaced)
  // A replaced or deleted row keeps only its band values (see the file comment).
  const counts = new Int32Array(buffer, at.counts, rows)
  const exact = new Float64Array(buffer, at.exact, rows)
  const store = new Uint32Array(buffer, at.store, rows * STORED_WORDS)
  for (let k = 0; k < rows; k++) {
    if (out[at.replaced + k] === 0) continue
    counts[k] = 0
    exact[k] = 0
    store.fill(0, k * STORED_WORDS + BANDS, (k + 1) * STORED_WORDS)
  }
  const lengths = new Uint32Array(buffer, at.lengths, live)
  for (let i = 0; i < live; i++) lengths[i] = liveIds[i]!.length
  out.set(idBytes, at.ids)
  view.setUint32(4 * CHECKSUM_WORD, checksumOf(new Uint32Array(buffer)), true)
  return out
}

/** Copy the first `rows` rows of a column into `out` at byte `at`, as they are stored. */
function copyRows(column: Column<Int32Array | Float64Array | Uint32Array | Uint8Array>, rows: number, out: Uint8Array, at: number): void {
  let done = 0
  for (const chunk of column.chunks) {
    if (done === rows) break
    const n = Math.min(rows - done, chunk.length / column.width)
    const rowBytes = column.width * chunk.BYTES_PER_ELEMENT
    out.set(new Uint8Array(chunk.buffer, chunk.byteOffset, n * rowBytes), at + done * rowBytes)
    done += n
  }
}

/**
 * The index the bytes hold; throws a RecensioError (`invalid_file`) saying what
 * was expected and what was found when they are not bytes `indexToBytes` gave
 * in this format with this recensio's fingerprint.
 *
 * @param given What `toBytes` returned, or a Buffer of it read back.
 */
export function indexFromBytes(given: unknown): RestoredIndex {
  if (!LITTLE_ENDIAN) throw bigEndian('fromBytes')
  let bytes: Uint8Array
  if (given instanceof Uint8Array) bytes = given
  else if (given instanceof ArrayBuffer) bytes = new Uint8Array(given)
  else {
    const got = ArrayBuffer.isView(given) ? `a ${given.constructor.name}` : describeValue(given)
    const message = `expected the bytes NearDuplicateIndex.toBytes() returned (a Uint8Array or a Buffer), got ${got}`
    throw new RecensioError('invalid_value', `NearDuplicateIndex.fromBytes: ${message}`, [{ field: 'bytes', code: 'invalid_value', message }])
  }
  const head = bytes.subarray(0, MAGIC.length)
  if (bytes.length === 0 || head.some((b, i) => b !== MAGIC[i])) {
    throw badFile(`expected the bytes of NearDuplicateIndex.toBytes(), which start ${shown(MAGIC)}, found ${bytes.length === 0 ? 'no bytes' : `bytes starting ${shown(head)}`}`)
  }
  if (bytes.length < HEADER_BYTES) {
    throw badFile(`expected a header of ${HEADER_BYTES} bytes, found ${bytes.length} bytes: they were cut short`)
  }
  // The version is read before anything else of the header: another version may lay it out otherwise.
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES)
  const version = header.getUint32(8, true)
  if (version !== FORMAT_VERSION) {
    const which = version > FORMAT_VERSION ? 'a later recensio release writes' : 'an earlier recensio release wrote'
    throw badFile(`expected format version ${FORMAT_VERSION}, found version ${version}, which ${which}: restore the index with that release, or add the reviews again`)
  }
  const digest = header.getUint32(12, true)
  if (digest !== fingerprintDigest()) {
    throw badFile(
      `expected fingerprints made as this recensio makes them (digest ${hex(fingerprintDigest())}), found digest ${hex(digest)}: ` +
        'a recensio release with another fingerprint saved this index, and its stored reviews cannot be compared with new ones; add the reviews again',
    )
  }
  const threshold = header.getFloat64(16, true)
  const rows = header.getUint32(24, true)
  const live = header.getUint32(28, true)
  const idBytes = header.getUint32(32, true)
  const at = layoutOf(rows, live, idBytes)
  if (bytes.length !== at.total) {
    const why = bytes.length < at.total ? 'they were cut short' : 'something follows them'
    throw badFile(`expected ${at.total} bytes for ${rows} stored texts and ${idBytes} bytes of ids, found ${bytes.length}: ${why}`)
  }
  // Buffers read from a file often sit at an odd offset of a shared pool: typed arrays need their alignment.
  if (bytes.byteOffset % 8 !== 0) {
    const copy = new Uint8Array(bytes.length)
    copy.set(bytes)
    bytes = copy
  }
  const buffer = bytes.buffer
  const base = bytes.byteOffset
  const stored = new DataView(buffer, base, HEADER_BYTES).getUint32(4 * CHECKSUM_WORD, true)
  const sum = checksumOf(new Uint32Array(buffer, base, at.total / 4))
  if (sum !== stored) throw badFile(`expected checksum ${hex(stored)}, found ${hex(sum)}: the bytes were changed after they were saved`)
  if (!(threshold > 0 && threshold <= 1)) throw badFile(`expected a threshold in (0, 1], found ${threshold}`)
  const flags = new Uint8Array(buffer, base + at.replaced, rows)
  let gone = 0
  for (let k = 0; k < rows; k++) {
    const flag = flags[k]!
    if (flag > 1) throw badFile(`expected a replaced flag of 0 or 1 at row ${k}, found ${flag}`)
    gone += flag
  }
  if (rows - gone !== live) throw badFile(`expected ${live} stored reviews, found ${rows - gone} rows that are neither replaced nor deleted`)
  let joined: string
  try {
    joined = decoder.decode(new Uint8Array(buffer, base + at.ids, idBytes))
  } catch {
    throw badFile('expected the ids as UTF-8, found bytes that are not UTF-8')
  }
  const lengths = new Uint32Array(buffer, base + at.lengths, live)
  const ids: string[] = new Array<string>(rows)
  const latest = new Map<string, number>()
  let from = 0
  let i = 0
  for (let k = 0; k < rows; k++) {
    if (flags[k] === 1) {
      ids[k] = ''
      continue
    }
    const length = lengths[i++]!
    if (length === 0) throw badFile(`expected a non-empty id at row ${k}, found an empty one`)
    if (from + length > joined.length) throw badFile(`expected id lengths adding up to ${joined.length} UTF-16 code units, found more by row ${k}`)
    const id = joined.slice(from, from + length)
    from += length
    if (latest.has(id)) throw badFile(`expected each id once, found ${describeValue(id)} at rows ${latest.get(id)} and ${k}`)
    latest.set(id, k)
    ids[k] = id
  }
  if (from !== joined.length) throw badFile(`expected id lengths adding up to ${joined.length} UTF-16 code units, found ${from}`)
  const counts = new Column(Int32Array)
  counts.setRows(0, new Int32Array(buffer, base + at.counts, rows), 0, rows)
  const exact = new Column(Float64Array)
  exact.setRows(0, new Float64Array(buffer, base + at.exact, rows), 0, rows)
  const store = new Column(Uint32Array, STORED_WORDS)
  store.setRows(0, new Uint32Array(buffer, base + at.store, rows * STORED_WORDS), 0, rows)
  const replaced = new Column(Uint8Array)
  replaced.setRows(0, flags, 0, rows)
  return { threshold, ids, counts, exact, store, replaced, latest }
}

/**
 * A 32-bit checksum of every word but the header's checksum word. Each step
 * (xor, multiply by an odd number, rotate) is one-to-one, so a change to any
 * one word always changes the sum.
 */
function checksumOf(words: Uint32Array): number {
  let h = 0x2545f491
  for (let i = 0; i < words.length; i++) {
    if (i === CHECKSUM_WORD) continue
    h = Math.imul(h ^ words[i]!, 0x9e3779b1)
    h = (h << 15) | (h >>> 17)
  }
  return h >>> 0
}

function badFile(message: string): RecensioError {
  return new RecensioError('invalid_file', `NearDuplicateIndex.fromBytes: ${message}`, [{ field: 'bytes', code: 'invalid_file', message }])
}

function bigEndian(method: string): RecensioError {
  return new RecensioError('invalid_state', `NearDuplicateIndex.${method}: this host stores numbers big-endian, and the bytes of an index are little-endian`)
}

/** Bytes as a reader can recognize them: hex, then the printable ASCII ones ("52 43 4e 53 (RCNS)"). */
function shown(bytes: ArrayLike<number>): string {
  const list = Array.from(bytes)
  const text = list.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')
  return `${list.map((b) => b.toString(16).padStart(2, '0')).join(' ')} ("${text}")`
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`

/**
 * Gzip-compressed input files (`reviews.jsonl.gz`, `export.csv.gz`): told by
 * their first two bytes, not their name, and inflated as they stream with
 * node:zlib, so a compressed dump is never written out or held whole.
 */
import { createReadStream } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { PassThrough, type Readable } from 'node:stream'
import * as zlib from 'node:zlib'
import { type InflateRaw, constants, createInflateRaw, inflateRawSync } from 'node:zlib'
import { RecensioError } from '../review/index.js'

/** Whether bytes start with the gzip magic bytes (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

/** Whether an open file starts with the gzip magic bytes. */
async function isGzipFile(handle: FileHandle): Promise<boolean> {
  const magic = Buffer.alloc(2)
  const { bytesRead } = await handle.read(magic, 0, 2, 0)
  return isGzip(magic.subarray(0, bytesRead))
}

/**
 * The bytes of an open file as they stream, inflated when it is
 * gzip-compressed (told by its first bytes, which only a regular file can be
 * read for ahead). The handle is closed when the stream is, or at once if
 * looking at the first bytes fails.
 *
 * @param handle The open file.
 * @param name Its name, for messages.
 * @param regularFile Whether it is a regular file (pipes and devices are not looked into).
 * @param highWaterMark Bytes per read (Node's default when not given).
 */
export async function fileBytes(handle: FileHandle, name: string, regularFile: boolean, highWaterMark?: number): Promise<Inflated & { gzipped: boolean }> {
  let gzipped: boolean
  try {
    gzipped = regularFile && (await isGzipFile(handle))
  } catch (error) {
    await handle.close()
    throw error
  }
  // Compressed files are read in Node's default pieces: the progress through them counts bytes read, which run ahead of the rows by a piece.
  const file = createReadStream('', highWaterMark === undefined || gzipped ? { fd: handle } : { fd: handle, highWaterMark })
  return gzipped ? { ...gunzip(file, name), gzipped } : { stream: file, incomplete: () => null, trailing: () => null, compressedBytes: () => 0, gzipped }
}

/**
 * An error about the input `name`, named: as it is when it names the input
 * already (gzip's "cannot decompress NAME: …", raised while reading too,
 * where no caller adds the name), else with the name in front.
 */
export function namedError(error: RecensioError, name: string): RecensioError {
  return error.message.startsWith(`cannot decompress ${name}:`) ? error : new RecensioError(error.code, `${name}: ${error.message}`, error.issues)
}

/** Compressed bytes, at most, of a member inflated in one call (see `inflateSmallMember` in `gunzip`). */
const SMALL_MEMBER_BYTES = 64 * 1024
/** Inflated bytes, at most, of such a member. */
const SMALL_MEMBER_OUTPUT = 1024 * 1024

/** Bytes of a gzip member's trailer: the CRC-32 and the size of its inflated data. */
const TRAILER_BYTES = 8

/** Flag bits of a gzip member header (RFC 1952, 2.3.1). */
const FHCRC = 0x02
const FEXTRA = 0x04
const FNAME = 0x08
const FCOMMENT = 0x10
const FRESERVED = 0xe0

/**
 * The length of the gzip member header at the start of `bytes`; 0 when more
 * bytes are needed to tell; what is wrong with it, in zlib's words, when it is
 * not a gzip header.
 */
function headerLength(bytes: Buffer): number | string {
  if ((bytes.length >= 1 && bytes[0] !== 0x1f) || (bytes.length >= 2 && bytes[1] !== 0x8b)) return 'incorrect header check'
  if (bytes.length < 10) return 0
  if (bytes[2] !== 8) return 'unknown compression method'
  const flags = bytes[3]!
  if ((flags & FRESERVED) !== 0) return 'unknown header flags set'
  let at = 10
  if ((flags & FEXTRA) !== 0) {
    if (bytes.length < at + 2) return 0
    at += 2 + bytes.readUInt16LE(at)
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if ((flags & flag) === 0) continue
    const end = at < bytes.length ? bytes.indexOf(0, at) : -1
    if (end < 0) return 0
    at = end + 1
  }
  if ((flags & FHCRC) !== 0) at += 2
  if (bytes.length < at) return 0
  if ((flags & FHCRC) !== 0 && (crc32(bytes.subarray(0, at - 2), 0) & 0xffff) !== bytes.readUInt16LE(at - 2)) return 'header crc mismatch'
  return at
}

/** node:zlib's CRC-32 (Node 20.15 and later); undefined before. */
const nativeCrc32: ((data: Uint8Array, value?: number) => number) | undefined = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32

/** The CRC-32 table for older Nodes, made on first use. */
let crcTable: Uint32Array | null = null

/** The CRC-32 of `data` continued from `value` (gzip's check of a member's inflated bytes). */
function crc32(data: Uint8Array, value: number): number {
  if (nativeCrc32 !== undefined) return nativeCrc32(data, value)
  if (crcTable === null) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let c = ~value
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/** A file's name without its `.gz`, for the format its extension names. */
export function withoutGz(name: string): string {
  return name.replace(/\.gz$/i, '')
}

/** A compressed file's inflated bytes, and whether its compressed data ended early. */
export interface Inflated {
  stream: Readable
  /**
   * Why the input ended early, once the stream has ended: the file is cut
   * off, or has bytes after its compressed data that are not gzip (ignored);
   * null when neither.
   */
  incomplete(): string | null
  /**
   * Of those, only why bytes after the compressed data were ignored: what
   * holds for a workbook, whose ZIP directory at its end shows that it was
   * inflated whole (a cut that left it whole cut the gzip trailer alone).
   */
  trailing(): string | null
  /** Compressed bytes read so far (0 for an uncompressed file). */
  compressedBytes(): number
}

/**
 * The inflated bytes of a compressed stream, member by member (RFC 1952): a
 * file of several gzip members (`cat a.gz b.gz`) is read whole, as `gzip -dc`
 * reads it. A file cut off inside its compressed data ends the stream where
 * the data ends, as a cut-off plain file would (its last line is then a
 * `truncated` row); bytes after the last member that are not gzip (a
 * download's junk, a stray `echo >>`) end it there. Either is said through
 * `incomplete`. Zeros after the last member (padding to a block size) are
 * skipped quietly. Corrupt data fails the stream with a message that names the file.
 *
 * Each member's deflate data goes through its own raw inflater, which stops
 * where that data ends and says how much of it it used: node's gunzip goes on
 * into whatever follows a member and, on bytes that are not gzip, fails
 * dropping the rows it had inflated in the same call (all of them, for a small file).
 *
 * @param compressed The file's bytes.
 * @param name The file's name, for messages.
 */
export function gunzip(compressed: Readable, name: string): Inflated {
  const out = new PassThrough()
  const pieces = compressed[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>
  /** Compressed bytes read but not used yet. */
  let pending: Buffer = Buffer.alloc(0)
  let read = 0
  let cut = false
  /** Bytes of the last member's trailer that the file lacks (0–8) when its deflate data ended whole: all its data was read, unchecked. */
  let trailerMissing = 0
  /** Where bytes that are not gzip start after the last member (0-based), or -1. */
  let trailing = -1
  let inflater: InflateRaw | null = null
  const corrupt = (why: string) => new RecensioError('invalid_file', `cannot decompress ${name}: it is not valid gzip data (${why})`)

  /** Read one more piece onto `pending`; false at the end of the input. */
  async function more(): Promise<boolean> {
    const next = await pieces.next()
    if (next.done === true) return false
    const piece = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
    read += piece.length
    pending = pending.length === 0 ? piece : Buffer.concat([pending, piece])
    return true
  }

  /** Inflate the deflate data at the start of `pending` into `out`; its CRC-32 and size, or null when the input ends inside it. */
  async function inflateMember(): Promise<{ crc: number; size: number } | null> {
    // Z_SYNC_FLUSH at the end: data cut short is not an error here, the cut is said through `incomplete`.
    const raw = createInflateRaw({ finishFlush: constants.Z_SYNC_FLUSH })
    inflater = raw
    let crc = 0
    let size = 0
    const failed = new Promise<never>((_, reject) => {
      // zlib's own words ("invalid block type") name no file.
      raw.once('error', (error: Error) => reject(corrupt(error.message)))
      raw.once('close', () => reject(new Error('closed')))
    })
    failed.catch(() => {})
    const ended = new Promise<void>((resolve) => raw.once('end', resolve))
    raw.on('data', (piece: Buffer) => {
      crc = crc32(piece, crc)
      size += piece.length
      if (!out.write(piece)) {
        raw.pause()
        void drained().then(() => raw.resume())
      }
    })
    try {
      for (;;) {
        if (pending.length > 0) {
          const before = raw.bytesWritten
          const given = pending.length
          await Promise.race([new Promise<void>((resolve) => raw.write(pending, () => resolve())), failed])
          // The inflater takes no more once its data has ended: what it left is the trailer and beyond.
          const used = raw.bytesWritten - before
          pending = pending.subarray(used)
          if (used < given) break
        }
        if (!(await more())) {
          raw.end()
          await Promise.race([ended, failed])
          return null
        }
      }
      await Promise.race([ended, failed])
      return { crc: crc >>> 0, size }
    } finally {
      inflater = null
      raw.destroy()
    }
  }

  /**
   * A member whose deflate data is small and all in `pending`, inflated in
   * one call: a file of many small members (a logger appending `gzip`
   * output line by line) would otherwise pay for a stream per member. Null,
   * with nothing used, when the data goes on past `pending`, is large, or is
   * damaged (the stream then reads it, and says what is wrong).
   */
  async function inflateSmallMember(): Promise<{ crc: number; size: number } | null> {
    let data: Buffer
    let used: number
    try {
      // Its end must come within the first SMALL_MEMBER_BYTES: a large member costs one short try, then streams.
      const inflated = inflateRawSync(pending.subarray(0, SMALL_MEMBER_BYTES), { info: true, maxOutputLength: SMALL_MEMBER_OUTPUT }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } }
      data = inflated.buffer
      used = inflated.engine.bytesWritten
    } catch {
      return null
    }
    pending = pending.subarray(used)
    if (data.length > 0 && !out.write(data)) await drained()
    return { crc: crc32(data, 0) >>> 0, size: data.length }
  }

  /** Until `out` wants more (or is gone). */
  function drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        out.off('drain', done)
        out.off('close', done)
        resolve()
      }
      out.once('drain', done)
      out.once('close', done)
    })
  }

  /** After the last member: skip zero padding, and note where other bytes start. */
  async function afterLast(): Promise<void> {
    for (;;) {
      const at = pending.findIndex((byte) => byte !== 0)
      if (at >= 0) {
        trailing = read - pending.length + at
        return
      }
      pending = Buffer.alloc(0)
      if (!(await more())) return
    }
  }

  async function run(): Promise<void> {
    for (let members = 0; ; members++) {
      if (members > 0) {
        while (pending.length < 2 && (await more()));
        if (pending.length === 0) return
        if (!isGzip(pending)) return afterLast()
      }
      let length = headerLength(pending)
      while (length === 0) {
        if (!(await more())) {
          cut = true
          return
        }
        length = headerLength(pending)
      }
      if (typeof length === 'string') throw corrupt(length)
      pending = pending.subarray(length)
      const body = (await inflateSmallMember()) ?? (await inflateMember())
      while (body !== null && pending.length < TRAILER_BYTES && (await more()));
      if (body === null) {
        cut = true
        return
      }
      if (pending.length < TRAILER_BYTES) {
        trailerMissing = TRAILER_BYTES - pending.length
        return
      }
      if (pending.readUInt32LE(0) !== body.crc) throw corrupt('incorrect data check')
      if (pending.readUInt32LE(4) !== body.size % 2 ** 32) throw corrupt('incorrect length check')
      pending = pending.subarray(TRAILER_BYTES)
    }
  }

  out.on('close', () => {
    ;(inflater as InflateRaw | null)?.destroy()
    compressed.destroy()
  })
  run().then(
    () => {
      // Bytes past the data are not read on: the input is closed at once.
      void pieces.return?.()
      if (!out.destroyed) out.end()
    },
    (error: unknown) => {
      void pieces.return?.()
      out.destroy(error as Error)
    },
  )
  const trailingText = () => (trailing >= 0 ? `${name} has trailing data after its compressed data (from byte ${trailing + 1}), which was ignored` : null)
  return {
    stream: out,
    incomplete: () =>
      cut
        ? `${name} is cut off: its compressed data ends early (or is damaged where it should end), so the rows after the last one read are missing`
        : trailerMissing > 0
          ? `${name} is cut off in its last ${trailerMissing} byte${trailerMissing === 1 ? '' : 's'}, the gzip check after its data: all of its data was read, but could not be checked`
          : trailingText(),
    trailing: trailingText,
    compressedBytes: () => read,
  }
}

/**
 * Gzip-compressed input files (`reviews.jsonl.gz`, `export.csv.gz`): told by
 * their first two bytes, not their name, and inflated as they stream with
 * node:zlib, so a compressed dump is never written out or held whole.
 */
import { createReadStream } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { PassThrough, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
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
  return gzipped ? { ...gunzip(file, name), gzipped } : { stream: file, incomplete: () => null, compressedBytes: () => 0, gzipped }
}

/**
 * An error about the input `name`, named: as it is when it names the input
 * already (gzip's "cannot decompress NAME: …", raised while reading too,
 * where no caller adds the name), else with the name in front.
 */
export function namedError(error: RecensioError, name: string): RecensioError {
  return error.message.startsWith(`cannot decompress ${name}:`) ? error : new RecensioError(error.code, `${name}: ${error.message}`, error.issues)
}

/** A file's name without its `.gz`, for the format its extension names. */
export function withoutGz(name: string): string {
  return name.replace(/\.gz$/i, '')
}

/** A compressed file's inflated bytes, and whether its compressed data ended early. */
export interface Inflated {
  stream: Readable
  /** Why the input ended early (the file is cut off), once the stream has ended; null when it did not. */
  incomplete(): string | null
  /** Compressed bytes read so far (0 for an uncompressed file). */
  compressedBytes(): number
}

/**
 * The inflated bytes of a compressed stream. A file cut off inside its
 * compressed data ends the stream where the data ends, as a cut-off plain
 * file would (its last line is then a `truncated` row), and says so through
 * `incomplete`; corrupt data fails the stream with a message that names the file.
 *
 * @param compressed The file's bytes.
 * @param name The file's name, for messages.
 */
export function gunzip(compressed: Readable, name: string): Inflated {
  const inflate = createGunzip()
  const out = new PassThrough()
  let cut = false
  let read = 0
  compressed.on('data', (piece: Buffer) => {
    read += piece.length
  })
  compressed.on('error', (error) => out.destroy(error))
  // zlib destroys the stream on "unexpected end of file", dropping what it
  // inflated but nobody has read yet (up to a buffer's worth of rows, more
  // when the reader is slow): that is handed on first, then the data ends.
  const destroy = inflate.destroy.bind(inflate)
  inflate.destroy = (error?: Error) => {
    if ((error as NodeJS.ErrnoException | undefined)?.code !== 'Z_BUF_ERROR' || cut) return destroy(error)
    cut = true
    inflate.unpipe(out)
    for (let piece = inflate.read() as Buffer | null; piece !== null; piece = inflate.read() as Buffer | null) out.write(piece)
    out.end()
    return destroy()
  }
  inflate.on('error', (error: Error) => {
    // zlib's own words ("invalid block type") name no file.
    out.destroy(new RecensioError('invalid_file', `cannot decompress ${name}: it is not valid gzip data (${error.message})`))
  })
  out.on('close', () => {
    inflate.destroy()
    compressed.destroy()
  })
  compressed.pipe(inflate).pipe(out)
  return {
    stream: out,
    incomplete: () => (cut ? `${name} is cut off: its compressed data ends early, so the rows after the last one read are missing` : null),
    compressedBytes: () => read,
  }
}

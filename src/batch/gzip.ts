/**
 * Gzip-compressed input files (`reviews.jsonl.gz`, `export.csv.gz`): told by
 * their first two bytes, not their name, and inflated as they stream with
 * node:zlib, so a compressed dump is never written out or held whole.
 */
import type { FileHandle } from 'node:fs/promises'
import { PassThrough, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { RecensioError } from '../review/index.js'

/** Whether an open file starts with the gzip magic bytes (1f 8b). */
export async function isGzipFile(handle: FileHandle): Promise<boolean> {
  const magic = Buffer.alloc(2)
  const { bytesRead } = await handle.read(magic, 0, 2, 0)
  return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b
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
  }
}

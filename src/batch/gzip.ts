/**
 * Gzip-compressed input files (`reviews.jsonl.gz`, `export.csv.gz`): told by
 * their first two bytes, not their name, and inflated as they stream with
 * node:zlib, so a compressed dump is never written out or held whole.
 */
import type { FileHandle } from 'node:fs/promises'
import type { Readable } from 'node:stream'
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

/**
 * The inflated bytes of a compressed stream. A corrupt or cut-off file fails
 * the stream with a message that says so.
 *
 * @param compressed The file's bytes.
 * @param name The file's name, for messages.
 */
export function gunzip(compressed: Readable, name: string): Readable {
  const inflated = createGunzip()
  compressed.on('error', (error) => inflated.destroy(error))
  inflated.on('close', () => compressed.destroy())
  compressed.pipe(inflated)
  const original = inflated.destroy.bind(inflated)
  // zlib's own words ("unexpected end of file", "invalid block type") name no file.
  inflated.destroy = (error?: Error) => {
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    if (error !== undefined && typeof code === 'string' && code.startsWith('Z_')) {
      const why = code === 'Z_BUF_ERROR' ? 'it is cut off (the file ends before the compressed data does)' : `it is not valid gzip data (${error.message})`
      return original(new RecensioError('invalid_file', `cannot decompress ${name}: ${why}`))
    }
    return original(error)
  }
  return inflated
}

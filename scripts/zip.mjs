/**
 * A ZIP archive writer for made-up Excel workbooks (the workbook tests and the
 * fuzz script): stored or deflated entries, CRCs left 0, as recensio does not
 * check them.
 */
import { deflateRawSync } from 'node:zlib'

/**
 * @param {Record<string, string | { deflated: Buffer, size: number }>} files Entry names and their texts, or an
 *   entry's data deflated already with its inflated size (a part too large to hold as text).
 * @param {boolean} [stored] Store the texts rather than deflate them.
 * @returns {Buffer} The archive.
 */
export function zipArchive(files, stored = false) {
  const locals = []
  const directory = []
  let offset = 0
  for (const [name, file] of Object.entries(files)) {
    const raw = typeof file === 'string' ? Buffer.from(file) : null
    const data = raw === null ? file.deflated : stored ? raw : deflateRawSync(raw)
    const size = raw === null ? file.size : raw.length
    const method = raw !== null && stored ? 0 : 8
    const nameBytes = Buffer.from(name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    locals.push(local, nameBytes, data)
    const entry = Buffer.alloc(46)
    entry.writeUInt32LE(0x02014b50, 0)
    entry.writeUInt16LE(method, 10)
    entry.writeUInt32LE(data.length, 20)
    entry.writeUInt32LE(size, 24)
    entry.writeUInt16LE(nameBytes.length, 28)
    entry.writeUInt32LE(offset, 42)
    directory.push(entry, nameBytes)
    offset += 30 + nameBytes.length + data.length
  }
  const dir = Buffer.concat(directory)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(files).length, 8)
  end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

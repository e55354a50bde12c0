/**
 * Where the CLI writes: stdout, or a file written under a temporary name in
 * the same folder and renamed at the end, so a crash never leaves a half-file
 * under the name the user asked for.
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import { open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Writable } from 'node:stream'

export interface Sink {
  /** Write text or UTF-8 bytes (not reused by the caller afterwards); resolves when more may be written. */
  write(text: string | Uint8Array): Promise<void>
  /** Finish: flush, and for a file, move it to its final name. */
  commit(): Promise<void>
  /** Give up: for a file, remove the temporary file. */
  discard(): Promise<void>
  /** Remove the temporary file now (at exit, synchronously safe to call twice). */
  readonly tempPath: string | null
  /** True once the reader went away (stdout closed by `head`, for example). */
  readonly closed: boolean
}

async function writeTo(stream: Writable, text: string | Uint8Array, failed: () => Error | null): Promise<void> {
  const err = failed()
  if (err !== null) throw err
  if (!stream.write(text)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done)
        stream.off('error', done)
        stream.off('close', done)
        resolve()
      }
      stream.on('drain', done)
      stream.on('error', done)
      stream.on('close', done)
    })
  }
  const after = failed()
  if (after !== null) throw after
}

/** Standard output; a closed pipe ends the run quietly. */
export function stdoutSink(): Sink {
  let failure: Error | null = null
  let closed = false
  const out = process.stdout
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true
    else failure = error
  })
  return {
    tempPath: null,
    get closed() {
      return closed
    },
    async write(text) {
      if (closed) return
      await writeTo(out, text, () => failure)
    },
    async commit() {
      if (closed || failure !== null) return
      await new Promise<void>((resolve) => out.write('', () => resolve()))
    },
    async discard() {},
  }
}

/**
 * A file, written as `.<name>.<pid>.tmp` beside it and renamed on commit.
 * Opens the temporary file at once, so an unwritable place fails before any work.
 * A path that is not a regular file (`/dev/null`, a named pipe) is written
 * directly: renaming over it would replace the device or the pipe.
 */
export async function fileSink(path: string): Promise<Sink> {
  const info = await stat(path).catch(() => null)
  if (info !== null && !info.isFile() && !info.isDirectory()) return deviceSink(path)
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  const handle = await open(temp, 'w')
  const stream: WriteStream = createWriteStream('', { fd: handle, encoding: 'utf8' })
  let failure: Error | null = null
  stream.on('error', (error) => {
    failure = error
  })
  let done = false
  return {
    tempPath: temp,
    closed: false,
    async write(text) {
      await writeTo(stream, text, () => failure)
    },
    async commit() {
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())))
      if (failure !== null) throw failure
      await rename(temp, path)
      done = true
    },
    async discard() {
      if (done) return
      stream.destroy()
      await rm(temp, { force: true })
    },
  }
}

/** A device or a named pipe, written in place. */
async function deviceSink(path: string): Promise<Sink> {
  const handle = await open(path, 'w')
  const stream: WriteStream = createWriteStream('', { fd: handle, encoding: 'utf8' })
  let failure: Error | null = null
  stream.on('error', (error) => {
    failure = error
  })
  return {
    tempPath: null,
    closed: false,
    async write(text) {
      await writeTo(stream, text, () => failure)
    },
    async commit() {
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())))
      if (failure !== null) throw failure
    },
    async discard() {
      stream.destroy()
    },
  }
}

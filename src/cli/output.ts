/**
 * Where the CLI writes: stdout, or a file written under a temporary name in
 * the same folder and renamed at the end, so a crash never leaves a half-file
 * under the name the user asked for.
 */
import { constants, createWriteStream, type WriteStream } from 'node:fs'
import { type FileHandle, access, lstat, mkdir, open, readlink, realpath, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve, sep } from 'node:path'
import type { Writable } from 'node:stream'
import { createGzip } from 'node:zlib'

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

/**
 * Writing an output failed once the run had started (a full disk, a device
 * error): one line naming the output and the cause, exit code 1.
 */
export class OutputWriteError extends Error {
  /**
   * @param where The output, as the user named it (`results.jsonl`), or `stdout`.
   * @param cause The system error.
   */
  constructor(
    readonly where: string,
    cause: unknown,
  ) {
    super(`cannot write ${where === 'stdout' ? 'to stdout' : where}: ${systemErrorText(cause)}`, { cause })
    this.name = 'OutputWriteError'
  }
}

/** A system error in a few words with its code: "no space left on device (ENOSPC)"; any other error's message. */
export function systemErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as NodeJS.ErrnoException).code
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return error.message
  // Node's words are "ENOSPC: no space left on device, write" (and the path, for an open).
  const words = new RegExp(`^${code}: (.*?)(?:, [a-z]+(?: '.*')?)?$`).exec(error.message)?.[1] ?? error.message
  return `${words} (${code})`
}

/** A sink whose failures name its output: `OutputWriteError`. */
function naming(sink: Sink, where: string): Sink {
  const named = (error: unknown) => (error instanceof OutputWriteError ? error : new OutputWriteError(where, error))
  return {
    get tempPath() {
      return sink.tempPath
    },
    get closed() {
      return sink.closed
    },
    write: (text) => sink.write(text).catch((error: unknown) => Promise.reject(named(error))),
    commit: () => sink.commit().catch((error: unknown) => Promise.reject(named(error))),
    discard: () => sink.discard(),
  }
}

async function writeTo(stream: Writable, text: string | Uint8Array, failed: () => Error | null): Promise<void> {
  const err = failed()
  if (err !== null) throw err
  // (stdout on a file is written synchronously: a full disk throws here.)
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

/** Standard output; a closed pipe ends the run quietly, other failures are an `OutputWriteError`. */
export function stdoutSink(): Sink {
  return naming(stdoutWriter(), 'stdout')
}

function stdoutWriter(): Sink {
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

/** Why an output path cannot be written, in a few words for the user. */
export class OutputPathError extends Error {}

/** Symbolic links followed from an output path, at most. */
const MAX_LINKS = 16

/** How an output path will be written, worked out before any work. */
export interface OutputPlan {
  /** Written in place (a device, a pipe, /dev/stdout, /proc/self/fd/1) rather than through a temporary file. */
  inPlace: boolean
  /** Opened for appending, not emptied: a descriptor the shell may have opened with `>>`. */
  append: boolean
  /** The file the temporary file is renamed to (a symlink's target, so the link survives). */
  target: string
  /** Folders to make, outermost first, before the file is opened. */
  missing: string[]
}

/**
 * Check an output path without changing anything: a folder, a path ending in
 * a separator, a part of the path that is a file, or an unwritable folder is
 * refused. Missing folders are listed, to be made with `makeFolders` once the
 * run is sure to start. Devices, pipes and anything under /dev or /proc are
 * written in place: a rename there would replace the device (or, for root,
 * the /dev/stdout link itself).
 */
export async function planOutput(path: string, links = 0): Promise<OutputPlan> {
  if (path.endsWith('/') || path.endsWith(sep)) throw new OutputPathError('it is a folder')
  const absolute = resolve(path)
  // Another process's file descriptors (/dev/stdout, /dev/fd/1, /proc/self/fd/1): written in place, appended to.
  const special = absolute.startsWith('/proc/') || /^\/dev\/(?:std(?:in|out|err)|fd\/\d+)$/.test(absolute)
  const link = await lstat(path).catch(() => null)
  if (link !== null) {
    const info = link.isSymbolicLink() ? await stat(path).catch(() => null) : link
    if (info?.isDirectory() === true) throw new OutputPathError('it is a folder')
    if (special || (info !== null && !info.isFile())) {
      await writable(path)
      return { inPlace: true, append: special, target: path, missing: [] }
    }
    // A link is followed, so the link survives (a dangling one gets its file made).
    const target = !link.isSymbolicLink() ? path : info !== null ? await realpath(path) : resolve(dirname(path), await readlink(path))
    if (target !== path) {
      if (links >= MAX_LINKS) throw new OutputPathError('too many symbolic links')
      return planOutput(target, links + 1)
    }
    await writable(dirname(target))
    return { inPlace: false, append: false, target, missing: [] }
  }
  if (special) throw new OutputPathError('no such file')
  // Walk up to the nearest folder that exists; the rest is made later, one level at a time.
  const missing: string[] = []
  let folder = dirname(absolute)
  for (;;) {
    const info = await stat(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw new OutputPathError(error.code === 'ENOTDIR' ? 'a part of its folder is a file' : 'permission denied')
    })
    if (info !== null) {
      if (!info.isDirectory()) throw new OutputPathError('a part of its folder is a file')
      break
    }
    missing.unshift(folder)
    const up = dirname(folder)
    if (up === folder) break
    folder = up
  }
  await writable(folder)
  return { inPlace: false, append: false, target: path, missing }
}

/** Fail unless this process may write to `path` (a file, a device or a folder to make files in). */
async function writable(path: string): Promise<void> {
  await access(path, constants.W_OK).catch(() => {
    throw new OutputPathError('permission denied')
  })
}

/** Make the folders a plan lists (each with a plain mkdir: no recursive walk). */
export async function makeFolders(plan: OutputPlan): Promise<void> {
  for (const folder of plan.missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
  }
}

/**
 * A file, written as `.<name>.<pid>.tmp` beside it and renamed on commit.
 * Opens the temporary file at once, so an unwritable place fails before any work.
 * A path that is not a regular file (`/dev/null`, a named pipe) is written
 * directly: renaming over it would replace the device or the pipe. A path
 * ending in `.gz` (`results.jsonl.gz`) is gzip-compressed as it is written, a
 * whole gzip file even when Ctrl-C stops the run.
 *
 * @param path The output path.
 * @param plan Its plan from `planOutput` (worked out here when not given).
 */
export async function fileSink(path: string, plan?: OutputPlan): Promise<Sink> {
  const p = plan ?? (await planOutput(path))
  const file = naming(p.inPlace ? await deviceSink(path, p.append) : await tempFileSink(p), path)
  return isGzipPath(path) ? gzipSink(file) : file
}

/** A file written under a temporary name beside it, renamed into place on commit. */
async function tempFileSink(p: OutputPlan): Promise<Sink> {
  await makeFolders(p)
  const path = p.target
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  const out = handleWriter(await open(temp, 'w'))
  let done = false
  return {
    tempPath: temp,
    closed: false,
    write: out.write,
    async commit() {
      await out.end()
      await rename(temp, path)
      done = true
    },
    async discard() {
      if (done) return
      out.stream.destroy()
      await rm(temp, { force: true })
    },
  }
}

/** A device or a named pipe, written in place (appended to where asked: the shell's `>>`). */
async function deviceSink(path: string, append: boolean): Promise<Sink> {
  const out = handleWriter(await open(path, append ? 'a' : 'w'))
  return {
    tempPath: null,
    closed: false,
    write: out.write,
    async commit() {
      await out.end()
    },
    async discard() {
      out.stream.destroy()
    },
  }
}

/** A write stream on an open file, with its first error kept for `write` and `end` to throw. */
function handleWriter(handle: FileHandle): { stream: WriteStream; write: (text: string | Uint8Array) => Promise<void>; end: () => Promise<void> } {
  const stream: WriteStream = createWriteStream('', { fd: handle, encoding: 'utf8' })
  let failure: Error | null = null
  stream.on('error', (error) => {
    failure ??= error
  })
  // A failed write destroys the stream at once but emits its error a tick later: `errored` has it already.
  const failed = () => failure ?? stream.errored
  return {
    stream,
    write: (text) => writeTo(stream, text, failed),
    async end() {
      // Ending a stream a failed write destroyed says ERR_STREAM_DESTROYED: the failure is the cause to tell.
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(failed() ?? error) : resolve())))
      const error = failed()
      if (error !== null) throw error
    },
  }
}

/** Whether an output path asks for gzip-compressed output (`results.jsonl.gz`). */
function isGzipPath(path: string): boolean {
  return /\.gz$/i.test(path)
}

/**
 * A sink that gzip-compresses what is written to it into `inner`, as it
 * streams. `commit` ends the gzip data before `inner` commits (a run stopped
 * by Ctrl-C leaves a whole gzip file of the rows finished); `discard`
 * discards `inner`.
 *
 * @param inner Where the compressed bytes go (a file sink).
 */
function gzipSink(inner: Sink): Sink {
  const gzip = createGzip()
  // The compressed bytes go on to `inner` as they come, at the pace it takes them.
  const pumped = (async () => {
    for await (const piece of gzip as AsyncIterable<Buffer>) await inner.write(piece)
  })()
  let failure: unknown = null
  pumped.catch((error: unknown) => {
    failure = error
  })
  return {
    get tempPath() {
      return inner.tempPath
    },
    get closed() {
      return inner.closed
    },
    async write(text) {
      if (failure !== null) throw failure
      // A failed write to `inner` stops the pump: it, not a drain that never comes, ends the wait.
      if (!gzip.write(text)) await Promise.race([new Promise((resolve) => gzip.once('drain', resolve)), pumped])
    },
    async commit() {
      gzip.end()
      await pumped
      await inner.commit()
    },
    async discard() {
      gzip.destroy()
      await inner.discard()
    },
  }
}

/**
 * Write a whole text to `path` as `fileSink` does: under a temporary name
 * renamed into place (a device in place), so a failed write (a full disk)
 * leaves nothing under the name; it throws an `OutputWriteError`. A path
 * ending in `.gz` gets the text gzip-compressed (see `fileSink`); `-` is stdout.
 *
 * @param path The output path, or `-`.
 * @param text What to write.
 * @param plan Its plan from `planOutput` (worked out here when not given).
 */
export async function writeOutput(path: string, text: string, plan?: OutputPlan): Promise<void> {
  if (path === '-') {
    const out = stdoutSink()
    await out.write(text)
    await out.commit()
    return
  }
  const sink = await fileSink(path, plan).catch((error: unknown) => {
    throw error instanceof OutputPathError ? error : new OutputWriteError(path, error)
  })
  try {
    await sink.write(text)
    await sink.commit()
  } catch (error) {
    await sink.discard()
    throw error
  }
}

/** Whether two paths name one regular file (through links too); null when either does not exist. */
export async function sameFile(a: string, b: string): Promise<boolean | null> {
  const [x, y] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)])
  if (x === null || y === null) return null
  return x.isFile() && x.dev === y.dev && x.ino === y.ino
}

/** Whether two planned outputs would be written to one file: the same file (through links too), or the same path when it does not exist yet. */
export async function sameTarget(a: OutputPlan, b: OutputPlan): Promise<boolean> {
  return (await sameFile(a.target, b.target)) ?? resolve(a.target) === resolve(b.target)
}

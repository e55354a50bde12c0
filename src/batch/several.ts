/**
 * What one of several inputs of a batch or a report cannot be: stdin, or a
 * pipe given by its name (`<(zcat feb.jsonl.gz)`, a FIFO). Each is read once:
 * the check of its format would take its first bytes, and opening it again in
 * its turn would read on from there, its first rows lost.
 */
import { statSync } from 'node:fs'
import { RecensioError } from '../review/index.js'

/** Refuse stdin or a pipe among several inputs, before any is opened. */
export function checkSeveralInputs(paths: readonly string[]): void {
  if (paths.includes('-')) throw new RecensioError('invalid_file', 'stdin (-) cannot be one of several inputs: give the files by name')
  const pipe = paths.find(isPipe)
  if (pipe !== undefined) throw new RecensioError('invalid_file', `${pipe} is a pipe, which cannot be one of several inputs: save it to a file, or give it alone`)
}

/** Whether a path names a pipe or a device, read once and in order (a missing path or a folder is refused when it is opened). */
export function isPipe(path: string): boolean {
  try {
    const info = statSync(path)
    return !info.isFile() && !info.isDirectory()
  } catch {
    return false
  }
}

/**
 * Vitest global setup: the tests' temporary files (their own, and those the
 * CLI and the batch core make) go to one folder of this run, removed at the
 * end, instead of a few hundred folders left in the system's temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup(): () => void {
  const before = process.env.TMPDIR
  const dir = mkdtempSync(join(tmpdir(), 'recensio-tests-'))
  // Workers and spawned CLIs inherit it.
  process.env.TMPDIR = dir
  return () => {
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
    rmSync(dir, { recursive: true, force: true })
  }
}

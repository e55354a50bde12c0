/**
 * recensio bundled into another program, as esbuild and webpack do it: the
 * built package's ESM entry (what a bundler picks for an `import`) taken into
 * one file written outside the package, so that nothing of `dist/` is beside it.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { root, tempDir } from './batch-util.js'

const ENTRY = join(root, 'dist/index.js')

/** A batch of 600 reviews (more than two chunks) with two workers asked for; prints `[rows, workers]`. */
const BATCH = `const { analyzeBatch } = lib
  const rows = Array.from({ length: 600 }, (_, i) => ({ id: String(i), text: 'Llegó rápido y funciona muy bien ' + i }))
  const run = analyzeBatch(rows, { workers: WORKERS })
  let n = 0
  for await (const row of run) n++
  process.stdout.write(JSON.stringify([n, run.summary().workers]))`

/** Bundle `body` (which sees the package as `lib`) in `format` into a fresh folder; returns the bundle's path. */
function bundle(format: 'esm' | 'cjs', body: string, dir = tempDir()): string {
  const app = join(dir, 'app.mjs')
  writeFileSync(app, `import * as lib from ${JSON.stringify(ENTRY)}\nasync function main() {\n${body}\n}\nmain().catch((error) => { process.stdout.write('FAILED ' + error.message); process.exitCode = 1 })\n`)
  const outfile = join(dir, format === 'esm' ? 'bundle.mjs' : 'bundle.cjs')
  buildSync({ entryPoints: [app], bundle: true, platform: 'node', format, outfile, logLevel: 'silent' })
  return outfile
}

/** Run a bundle; zod is found through NODE_PATH, as it would be in the program's node_modules. */
function run(file: string, args: string[] = []) {
  return spawnSync(process.execPath, [...args, file], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
  })
}

describe('recensio bundled by esbuild', () => {
  it('checks options in a CommonJS bundle, where esbuild empties import.meta', () => {
    const out = run(bundle('cjs', "process.stdout.write(JSON.stringify(lib.analyze('Ottimo prodotto', { lang: 'it', ratingScale: '1-10' }).language))"))
    expect([out.stdout, out.status]).toEqual(['{"code":"it","confidence":1,"source":"given"}', 0])
  })

  it('says how to fix a bundle that left zod out, which it requires at run time', () => {
    const dir = tempDir()
    // As if zod were not installed beside the bundle.
    const hook = join(dir, 'no-zod.cjs')
    writeFileSync(
      hook,
      `const Module = require('node:module'); const resolve = Module._resolveFilename
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'zod') throw Object.assign(new Error("Cannot find module 'zod'"), { code: 'MODULE_NOT_FOUND' })
        return resolve.call(this, request, ...rest)
      }`,
    )
    const out = run(bundle('esm', "lib.analyze('Ottimo prodotto', { ratingScale: '1-10' })", dir), ['--require', hook])
    expect(out.stdout).toMatchInlineSnapshot(
      `"FAILED recensio could not load zod, which it requires at run time to check options and to word refused rows. If recensio was bundled into your program, leave it out of the bundle (esbuild --external:recensio, webpack externals) or install zod beside the bundle."`,
    )
  })

  it('runs a batch where a bundler took `typeof __filename` for a string in ESM output, as webpack does', () => {
    const file = bundle('esm', BATCH.replace('WORKERS', '2'))
    // webpack 5 (target node, ESM output) writes `if (true) return __filename`: a ReferenceError in a module.
    const source = readFileSync(file, 'utf8')
    expect(source).toContain('typeof __filename === "string"')
    writeFileSync(file, source.replaceAll('typeof __filename === "string"', 'true'))
    const out = run(file)
    expect([out.stdout, out.status]).toEqual(['[600,0]', 0])
  })

  it("starts no worker.js of the program's own that is beside the bundle", () => {
    const dir = tempDir()
    // A program that bundles its app and its own worker entry into one folder.
    writeFileSync(join(dir, 'worker.js'), "console.log('the program worker ran'); setInterval(() => {}, 1000)\n")
    const out = run(bundle('esm', BATCH.replace('WORKERS', '2'), dir))
    expect(out.signal).toBeNull()
    expect([out.stdout, out.status]).toEqual(['[600,0]', 0])
  })

  it('warns once that worker threads asked for cannot start, and says what to do', () => {
    const file = bundle('esm', `${BATCH.replace('WORKERS', '2')}\n  for await (const row of analyzeBatch(rows, { workers: 2 }));`)
    const out = run(file)
    expect([out.stdout, out.status]).toEqual(['[600,0]', 0])
    const warnings = out.stderr.split('\n').filter((line) => line.includes('RECENSIO_NO_WORKER'))
    expect(warnings.map((line) => line.replace(/^\(node:\d+\) /, '').replace(file, '<bundle>'))).toMatchInlineSnapshot(`
      [
        "[RECENSIO_NO_WORKER] Warning: recensio runs this batch on the calling thread: its worker threads need recensio-worker.js, which is not beside <bundle>. If recensio was bundled into your program, leave it out of the bundle (esbuild --external:recensio, webpack externals) to get worker threads; pass workers: 0 to run in-process without this warning.",
      ]
    `)
    const quiet = run(bundle('esm', BATCH.replace('WORKERS', '0')))
    expect([quiet.stdout, quiet.stderr]).toEqual(['[600,0]', ''])
  })
})

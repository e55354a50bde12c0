#!/usr/bin/env node
// Checks that a change to the batch core leaves the output alone: runs a base
// build and this checkout's build of the CLI on the same generated dump, with
// 1 and 2 workers, and compares the output bytes and the summary (all but the
// elapsed time and the worker count).
//
//   node benchmarks/batch/same-output.mjs --ref HEAD~1 [--rows 100000] [--workers 1,2]
//   node benchmarks/batch/same-output.mjs --base /path/to/other/checkout [--rows 100000]
//
// --ref builds that commit in a temporary folder (git archive, no checkout);
// --base uses another checkout whose dist/ is built. This checkout's dist/ is
// rebuilt first. Exit code 0 when every output is the same, 1 otherwise.
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDump } from './generate.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const argv = process.argv.slice(2)
function flag(name, fallback) {
  const at = argv.indexOf(`--${name}`)
  return at >= 0 ? argv[at + 1] : fallback
}
const rows = Number(flag('rows', '100000'))
const workers = flag('workers', '1,2').split(',').map(Number)
const ref = flag('ref', undefined)
let base = flag('base', undefined)

if (!existsSync(resolve(root, '../shared/data'))) {
  console.log('same-output: skipped (../shared/data is missing; the dumps are generated from it)')
  process.exit(0)
}
if ((ref === undefined) === (base === undefined)) {
  console.error('usage: node benchmarks/batch/same-output.mjs (--ref <commit> | --base <checkout>) [--rows n] [--workers 1,2]')
  process.exit(2)
}

const tsup = (cwd) => execFileSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js')], { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
const scratch = mkdtempSync(join(tmpdir(), 'recensio-same-'))
try {
  if (ref !== undefined) {
    base = join(scratch, 'base')
    execFileSync('mkdir', ['-p', base])
    execFileSync('sh', ['-c', `git -C "${root}" archive "${ref}" | tar -x -C "${base}"`])
    symlinkSync(join(root, 'node_modules'), join(base, 'node_modules'))
    console.error(`same-output: building ${ref}`)
    tsup(base)
  }
  console.error('same-output: building this checkout')
  tsup(root)
  const dump = await ensureDump(rows)

  /** Run a CLI on the dump; resolve with the output's SHA-256 and the summary. */
  const run = (cli, w, tag) =>
    new Promise((resolvePromise, reject) => {
      const out = join(scratch, `out-${tag}-${w}.jsonl`)
      const summary = join(scratch, `summary-${tag}-${w}.json`)
      const child = spawn(process.execPath, [cli, 'analyze', dump, '--quiet', '--workers', String(w), '--out', out, '--summary-json', summary], { stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`${cli} exited ${code}: ${stderr.slice(-500)}`))
        const hash = createHash('sha256')
        createReadStream(out)
          .on('data', (d) => hash.update(d))
          .on('end', () => {
            const s = JSON.parse(readFileSync(summary, 'utf8'))
            delete s.elapsedMs
            delete s.phases
            delete s.workers
            resolvePromise({ sha: hash.digest('hex'), summary: JSON.stringify(s) })
            rmSync(out)
          })
          .on('error', reject)
      })
    })

  let same = true
  for (const w of workers) {
    const a = await run(join(base, 'dist/cli.js'), w, 'base')
    const b = await run(join(root, 'dist/cli.js'), w, 'this')
    const ok = a.sha === b.sha && a.summary === b.summary
    same &&= ok
    console.log(`${rows} rows, ${w} worker${w > 1 ? 's' : ''}: output ${a.sha === b.sha ? 'same' : 'DIFFERENT'} (sha256 ${b.sha.slice(0, 16)}), summary ${a.summary === b.summary ? 'same' : 'DIFFERENT'}`)
  }
  console.log(same ? 'same-output: identical' : 'same-output: outputs differ')
  process.exitCode = same ? 0 : 1
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

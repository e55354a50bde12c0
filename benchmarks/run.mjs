#!/usr/bin/env node
// `npm run bench`: runs every part's benchmark (benchmarks/<part>/run.{mjs,js,ts,mts})
// one after the other, each in its own process, and prints their tables.
//
//   npm run bench                         every part
//   npm run bench -- batch language       only these parts
//   npm run bench -- batch -- --full      arguments after -- go to each runner
//
// TypeScript runners run through tsx. Exits 1 if any runner fails.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const RUNNERS = ['run.mjs', 'run.js', 'run.ts', 'run.mts']

const argv = process.argv.slice(2)
const dash = argv.indexOf('--')
const wanted = dash >= 0 ? argv.slice(0, dash) : argv
const passed = dash >= 0 ? argv.slice(dash + 1) : []

const parts = readdirSync(here)
  .filter((name) => name !== 'node_modules' && !name.startsWith('.') && statSync(join(here, name)).isDirectory())
  .sort()
  .flatMap((part) => {
    const file = RUNNERS.find((r) => existsSync(join(here, part, r)))
    return file === undefined ? [] : [{ part, file: join(here, part, file) }]
  })

const unknown = wanted.filter((w) => !parts.some((p) => p.part === w))
if (unknown.length > 0) {
  console.error(`bench: no runner for ${unknown.join(', ')} (parts with one: ${parts.map((p) => p.part).join(', ')})`)
  process.exit(2)
}

let failed = 0
for (const { part, file } of parts) {
  if (wanted.length > 0 && !wanted.includes(part)) continue
  const ts = /\.m?ts$/.test(file)
  const command = ts ? join(root, 'node_modules/.bin/tsx') : process.execPath
  console.log(`\n## ${part}\n`)
  const started = performance.now()
  const r = spawnSync(command, [file, ...passed], { cwd: root, stdio: 'inherit' })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  if (r.status !== 0) {
    failed++
    console.error(`bench: ${part} failed (exit ${r.status ?? r.signal}) after ${seconds} s`)
  } else console.error(`bench: ${part} done in ${seconds} s`)
}
process.exit(failed > 0 ? 1 : 0)

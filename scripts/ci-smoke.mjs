// Runs the CLI on the bundled sample dump and checks rows in = rows out.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const input = 'data/sample/reviews.jsonl'
const dir = mkdtempSync(join(tmpdir(), 'recensio-smoke-'))
const out = join(dir, 'out.jsonl')
execFileSync(process.execPath, ['dist/cli.js', 'analyze', input, '--out', out, '--quiet'], { stdio: 'inherit' })
const rowsIn = readFileSync(input, 'utf8').split('\n').filter((l) => l.trim() !== '').length
const rows = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l))
rmSync(dir, { recursive: true, force: true })
const errors = rows.filter((r) => !r.ok).length
console.log(`rows in: ${rowsIn}, rows out: ${rows.length} (${errors} error rows)`)
if (rows.length !== rowsIn) process.exit(1)
rows.forEach((r, i) => {
  if (r.row !== i + 1) {
    console.error(`output row ${i + 1} has row number ${r.row}`)
    process.exit(1)
  }
})

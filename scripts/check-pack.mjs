// Fails when `npm pack` would publish tests, benchmarks, fixtures or
// build-time sources, or when a file the package needs at run time is missing.
import { execFileSync } from 'node:child_process'

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }))
const files = pack.files.map((f) => f.path)
const forbidden = files.filter((f) => /^(test|tests|benchmarks|scripts|src|fixtures|\.ci)\//.test(f) || /\.test\.|fixture/i.test(f))
const required = ['package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/cli.js', 'dist/recensio-worker.js', 'README.md', 'LICENSE', 'data/LICENSES.md']
const missing = required.filter((f) => !files.includes(f))
console.log(`${files.length} files, ${(pack.size / 1024).toFixed(1)} kB packed, ${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked`)
for (const f of files) console.log(`  ${f}`)
if (forbidden.length > 0 || missing.length > 0) {
  if (forbidden.length > 0) console.error(`not for publishing: ${forbidden.join(', ')}`)
  if (missing.length > 0) console.error(`missing from the package: ${missing.join(', ')}`)
  process.exit(1)
}

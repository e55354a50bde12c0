/**
 * Vitest global setup: build `dist/` once before the tests that spawn the CLI,
 * start workers or import the packed package. Set RECENSIO_SKIP_BUILD=1 to reuse
 * an existing build.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

export default function setup(): void {
  const root = resolve(import.meta.dirname, '../..')
  if (process.env.RECENSIO_SKIP_BUILD === '1' && existsSync(resolve(root, 'dist/index.js'))) return
  execFileSync(process.execPath, [resolve(root, 'node_modules/tsup/dist/cli-default.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'tsup'
import { asciiBuild } from './scripts/ascii-build.js'

/** The built files of one format, written in ASCII (see scripts/ascii-build.ts). */
function ascii(extension: string): () => Promise<void> {
  return async () => {
    asciiBuild(readdirSync('dist').filter((f) => f.endsWith(extension)).map((f) => join('dist', f)))
  }
}

export default defineConfig([
  {
    // ESM: the library, the CLI and the worker share chunks, so the compiled
    // lexicons and language data ship once. The worker is loaded by path by
    // worker_threads (src/batch/pool.ts names it); the CLI keeps its shebang
    // from the source.
    entry: { index: 'src/index.ts', cli: 'src/cli/main.ts', 'recensio-worker': 'src/batch/worker.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts' } },
    clean: true,
    target: 'node18',
    sourcemap: false,
    splitting: true,
    treeshake: true,
    onSuccess: ascii('.js'),
  },
  {
    // CommonJS for require() users: one self-contained file (`import.meta.url`,
    // which loads zod on first use, is shimmed from __filename).
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    shims: true,
    dts: { entry: { index: 'src/index.ts' } },
    clean: false,
    target: 'node18',
    sourcemap: false,
    splitting: false,
    treeshake: true,
    onSuccess: ascii('.cjs'),
  },
])

import { defineConfig } from 'tsup'

export default defineConfig([
  {
    // ESM: the library, the CLI and the worker share chunks, so the compiled
    // lexicons and language data ship once. The worker is loaded by path by
    // worker_threads; the CLI keeps its shebang from the source.
    entry: { index: 'src/index.ts', cli: 'src/cli/main.ts', worker: 'src/batch/worker.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts' } },
    clean: true,
    target: 'node18',
    sourcemap: false,
    splitting: true,
    treeshake: true,
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
  },
])

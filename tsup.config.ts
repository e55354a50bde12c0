import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node18',
    sourcemap: false,
    splitting: false,
    treeshake: true,
  },
  {
    // The CLI and the worker are separate entry points: the worker file is
    // loaded by worker_threads by path, and the CLI carries a shebang.
    entry: { cli: 'src/cli/main.ts', worker: 'src/batch/worker.ts' },
    format: ['esm'],
    target: 'node18',
    splitting: false,
    clean: false,
    banner: ({ format }) => (format === 'esm' ? {} : {}),
  },
])

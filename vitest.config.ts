import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build.ts', 'test/setup/tmp.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})

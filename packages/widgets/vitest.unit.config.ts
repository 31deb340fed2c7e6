import { defineConfig } from 'vitest/config'

// Node-level unit tests of the widgets' pure modules (attribute parsing, amounts, formatting, words): fast enough
// for StrykerJS to run per mutant (`npm run mutation`). Elements themselves are tested in chromium (wtr, stories).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
  },
})

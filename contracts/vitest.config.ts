import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test-ts/**/*.test.ts'],
    // Each file starts its own anvil and deploys: allow for a busy machine.
    hookTimeout: 60_000,
    testTimeout: 60_000,
  },
})

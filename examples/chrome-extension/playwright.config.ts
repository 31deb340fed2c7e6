import { defineConfig } from '@playwright/test'

// The extension is loaded into Debian's chromium (never a downloaded browser) through a persistent
// context the tests launch themselves (test/support/fixtures.ts); globalSetup builds dist/ first.
export default defineConfig({
  testDir: 'test',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/support/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/artifacts',
  use: { trace: 'retain-on-failure' },
})

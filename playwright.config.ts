import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '@tokentags/testkit'

// End-to-end tests drive Debian's chromium (never a downloaded browser) against a dev stack
// that each test file starts on free ports.
export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: '.tokentags/test-reports/e2e.json' }]],
  outputDir: '.tokentags/e2e-artifacts',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
})

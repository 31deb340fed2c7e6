import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '@tokentags/testkit'

// The embed pages (in cross-origin iframes) and the operator dashboard, in Debian's chromium
// (never a downloaded browser), against a relay on anvil that each worker starts on free ports.
export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: '../../.tokentags/dashboard-e2e-artifacts',
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

import { defineConfig } from '@playwright/test'

// Debian's chromium: Playwright never downloads a browser here.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export default defineConfig({
  testDir: 'test',
  workers: 1,
  reporter: [['list']],
  // Each worker builds the app against its own dev stack (test/fixtures.ts) and serves it with `vite preview`.
  timeout: 120_000,
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
})

// Story tests: every story of stories/ rendered in Debian's chromium (Vitest browser mode,
// Playwright provider), its play function run, and axe run on it (addon-a11y, a11y.test = 'error').
//   npx vitest run   (npm run test:stories)
import { fileURLToPath } from 'node:url'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { CHROMIUM_ARGS, chromiumPath } from '@tokentags/testkit'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) })],
  test: {
    name: 'storybook',
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] } }),
      instances: [{ browser: 'chromium' }],
    },
    // Two cores shared with other work: one file at a time.
    fileParallelism: false,
  },
})

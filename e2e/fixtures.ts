import { test as base } from '@playwright/test'
import { freePort } from '@tokentags/testkit'
import { type DevStack, startDevStack } from '../scripts/dev-stack.js'

/** A dev stack (anvil, contracts, relay, demo page) on free ports, one per test file. */
export const test = base.extend<object, { stack: DevStack }>({
  stack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const stack = await startDevStack({
        chainPort: await freePort(),
        relayPort: await freePort(),
        pagePort: await freePort(),
        solanaPort: await freePort(),
        outFile: null,
        relayLogLevel: 'warn',
      })
      await use(stack)
      await stack.stop()
    },
    { scope: 'worker', timeout: 120_000 },
  ],
})

export { expect } from '@playwright/test'

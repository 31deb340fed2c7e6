import { test as base, type Locator, type Page } from '@playwright/test'
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

/** Presses Tab (no mouse anywhere) until `target` has focus; fails if 40 presses never reach it. */
export async function pressTabUntilFocused(page: Page, target: Locator) {
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((el) => el.matches(':focus'))) return
    await page.keyboard.press('Tab')
  }
  throw new Error('Tab never reached the control')
}

/** Collects Content-Security-Policy violations from before the first page script runs. */
export async function watchCspViolations(page: Page) {
  await page.addInitScript(() => {
    const violations: string[] = []
    ;(window as unknown as { __violations: string[] }).__violations = violations
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    )
  })
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)
}

/** Resolves with the widget's own `token-success` detail, or rejects on its `token-error`. */
export function widgetOutcome(page: Page, selector: string) {
  return page.evaluate(
    (sel) =>
      new Promise<{ txHash?: string; signature?: string; via?: string }>((resolve, reject) => {
        const el = document.querySelector(sel)
        if (!el) return reject(new Error(`no ${sel}`))
        el.addEventListener('token-success', (e) => resolve((e as CustomEvent).detail), { once: true })
        el.addEventListener('token-error', (e) => reject(new Error(JSON.stringify((e as CustomEvent).detail))), {
          once: true,
        })
      }),
    selector,
  )
}

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, test as base, chromium, expect, type Frame, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '@tokentags/testkit'
import type { ContentProbe } from '../../src/content.js'
import type { ExtensionOptions } from '../../src/options.js'
import { extensionDir, unpackedExtensionId } from './paths.js'
import { type FixtureServer, startFixtureServer } from './server.js'

export interface LoadedExtension {
  context: BrowserContext
  id: string
  /** Writes the extension's options through its options page (as a user would store them). */
  setOptions(options: Partial<ExtensionOptions>): Promise<void>
}

/** The extension in Debian's chromium (headless, persistent profile), and the fixture server. */
export const test = base.extend<{ page: Page }, { extension: LoadedExtension; fixtures: FixtureServer }>({
  fixtures: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const server = await startFixtureServer()
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],
  extension: [
    async ({ fixtures }, use) => {
      const profile = await mkdtemp(join(tmpdir(), 'tokentags-extension-'))
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: chromiumPath(),
        headless: true,
        args: [
          ...CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--headless')),
          `--disable-extensions-except=${extensionDir}`,
          `--load-extension=${extensionDir}`,
        ],
      })
      let [worker] = context.serviceWorkers()
      worker ??= await context.waitForEvent('serviceworker', { timeout: 30_000 })
      const id = new URL(worker.url()).host
      // Tests give the relay this origin before the browser starts: it must be the real one.
      if (id !== unpackedExtensionId()) throw new Error(`extension id ${id} is not ${unpackedExtensionId()}`)
      const setOptions = async (options: Partial<ExtensionOptions>) => {
        const page = await context.newPage()
        await page.goto(`chrome-extension://${id}/options.html`)
        await page.evaluate(
          async (next) => {
            const stored = await chrome.storage.local.get('options')
            await chrome.storage.local.set({ options: { ...(stored.options ?? {}), ...next } })
          },
          options as Record<string, unknown>,
        )
        await page.close()
      }
      // Map the adapters onto the fixture server: no test ever reaches x.com.
      await setOptions({
        sites: { x: [`${fixtures.origin}/x/*`], generic: [`${fixtures.origin}/generic/*`] },
      })
      await use({ context, id, setOptions })
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  page: async ({ extension }, use) => {
    const page = await extension.context.newPage()
    await use(page)
    await page.close()
  },
})

export { expect }

/** The tip frames (extension pages) of `page`, in document order of their creation. */
export function tipFrames(page: Page): Frame[] {
  return page.frames().filter((frame) => /^chrome-extension:\/\/[^/]+\/tip\.html/.test(frame.url()))
}

/** The `to` of every tip frame's `<token-tip>`. */
export async function tipRecipients(page: Page): Promise<string[]> {
  return Promise.all(tipFrames(page).map((frame) => frame.locator('token-tip').getAttribute('to') as Promise<string>))
}

/**
 * The content script's probe in `page`'s top frame, read in the script's isolated world through the
 * DevTools protocol (the page itself cannot see it); null while the script has not run there.
 */
export async function contentProbe(page: Page): Promise<ContentProbe | null> {
  const session = await page.context().newCDPSession(page)
  try {
    const contexts: { id: number; origin: string; auxData?: { frameId?: string; type?: string } }[] = []
    session.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context))
    // Enabling the domain reports every execution context that already exists.
    await session.send('Runtime.enable')
    const { frameTree } = await session.send('Page.getFrameTree')
    const world = contexts.find(
      (c) =>
        c.auxData?.type === 'isolated' &&
        c.auxData.frameId === frameTree.frame.id &&
        c.origin === `chrome-extension://${unpackedExtensionId()}`,
    )
    if (!world) return null
    const { result } = await session.send('Runtime.evaluate', {
      contextId: world.id,
      expression: 'globalThis.tokentagsContentProbe ?? null',
      returnByValue: true,
    })
    return result.value as ContentProbe | null
  } finally {
    await session.detach()
  }
}

/**
 * Waits until the content script has finished a pass over `page` (after every mutation and options
 * change it saw): the positive proof that the extension ran before a test asserts what it did not add.
 * Returns the probe then.
 */
export async function contentSettled(page: Page, after = 0): Promise<ContentProbe> {
  let probe: ContentProbe | null = null
  await expect
    .poll(
      async () => {
        probe = await contentProbe(page)
        return probe !== null && probe.passes > after && probe.due === 0
      },
      { message: 'the content script never finished a pass over the page' },
    )
    .toBe(true)
  return probe as unknown as ContentProbe
}

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { freePort } from '@tokentags/testkit'
import { serveExample } from '../../../e2e/example-app.js'

test('built with no dev stack and no VITE_TOKENTAGS_*, the page says what to set instead of a broken widget', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'tokentags-example-'))
  const served = await serveExample({
    exampleDir: fileURLToPath(new URL('..', import.meta.url)),
    localJson: join(dir, 'missing.json'),
    port: await freePort(),
    dir,
  })
  try {
    await page.goto(served.url)
    await expect(page.getByRole('alert')).toContainText('npm start')
    await expect(page.getByRole('alert')).toContainText('VITE_TOKENTAGS_RELAY')
    await expect(page.locator('token-claim')).toHaveCount(0)
  } finally {
    await served.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

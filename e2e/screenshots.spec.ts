import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../scripts/dev-stack.js'
import { expect, test } from './fixtures.js'

// Screenshots of each widget on the demo page, light and dark, in English and in Arabic (right to left),
// saved for review under .tokentags/screenshots/e2e/. The page is shown as a visitor first sees it.
const widgets = ['token-claim', '#tip-tag', '#buy-native']
const out = join(repoRoot, '.tokentags/screenshots/e2e')

for (const scheme of ['light', 'dark'] as const) {
  for (const locale of ['en', 'ar'] as const) {
    test(`widgets in ${scheme}, ${locale}`, async ({ page, stack }) => {
      mkdirSync(out, { recursive: true })
      await page.emulateMedia({ colorScheme: scheme })
      await page.goto(stack.deployment.pageUrl)
      for (const selector of widgets) {
        const widget = page.locator(selector)
        await widget.evaluate((el, l) => el.setAttribute('locale', l), locale)
        // The widget settles on a state with a wallet list once its language is loaded.
        await expect(widget.getByRole('button').first()).toBeVisible()
        const dir = await widget.evaluate((el) => getComputedStyle(el).direction)
        expect(dir).toBe(locale === 'ar' ? 'rtl' : 'ltr')
        const file = join(out, `${selector.replace(/[#]/g, '')}-${scheme}-${locale}.png`)
        await widget.screenshot({ path: file })
        expect(statSync(file).size).toBeGreaterThan(1000)
      }
    })
  }
}

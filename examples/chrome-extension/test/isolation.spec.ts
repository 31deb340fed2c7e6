import type { Locator, Page } from '@playwright/test'
import { contentSettled, expect, test, tipFrames } from './support/fixtures.js'

const HOST = 'tokentags-extension-tip'

/** Waits until every tip frame drew its widget in a settled state. */
async function widgetsSettled(page: Page, count: number): Promise<void> {
  await expect(page.locator(HOST)).toHaveCount(count)
  await expect.poll(() => tipFrames(page).length).toBe(count)
  for (const frame of tipFrames(page)) {
    await expect(frame.locator('token-tip [part~="container"]')).toHaveAttribute(
      'data-status',
      /^(no-wallet|choose-wallet)$/,
    )
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

const shot = (locator: Locator) => locator.screenshot({ animations: 'disabled', caret: 'hide' })

/** What the page shows where `host` is: scrolled into view, once its box stopped changing. */
async function hostShot(page: Page, host: Locator): Promise<Buffer> {
  await host.scrollIntoViewIfNeeded()
  let previous = ''
  await expect
    .poll(async () => {
      const box = JSON.stringify(await host.boundingBox())
      const stable = box === previous
      previous = box
      return stable
    })
    .toBe(true)
  const box = await host.boundingBox()
  if (!box) throw new Error('the tip button has no box')
  return page.screenshot({ clip: box, animations: 'disabled', caret: 'hide' })
}

/** What the widget looks like from inside its frame. */
async function widgetStyles(page: Page) {
  const frame = tipFrames(page)[0]
  if (!frame) throw new Error('no tip frame')
  return frame.locator('token-tip').evaluate((el) => {
    const root = el.shadowRoot as ShadowRoot
    const pick = (node: Element | null) => {
      if (!node) return null
      const s = getComputedStyle(node)
      return {
        display: s.display,
        color: s.color,
        background: s.backgroundColor,
        font: s.font,
        visibility: s.visibility,
      }
    }
    return {
      container: pick(root.querySelector('[part~="container"]')),
      action: pick(root.querySelector('[part~="action"]')),
      status: pick(root.querySelector('[part~="status"]')),
    }
  })
}

test('a hostile page stylesheet changes neither the tip button nor the widget', async ({ page, fixtures }) => {
  await page.goto(`${fixtures.origin}/x/alice`)
  await widgetsSettled(page, 2)
  const host = page.locator(`#post-alice-1 ${HOST}`)
  const calm = { image: await hostShot(page, host), box: await host.boundingBox(), styles: await widgetStyles(page) }

  await page.goto(`${fixtures.origin}/x/alice?hostile=1`)
  // The stylesheet really is hostile: it hides the page's own buttons and restyles its text.
  await expect(page.locator('#page-button')).toBeHidden()
  expect(await page.locator('#page-header h1').evaluate((h) => getComputedStyle(h).color)).toBe('rgb(0, 255, 0)')
  await widgetsSettled(page, 2)
  await expect(host).toBeVisible()
  const hostile = { image: await hostShot(page, host), box: await host.boundingBox(), styles: await widgetStyles(page) }

  expect(hostile.styles).toEqual(calm.styles)
  expect(hostile.styles.action?.display).not.toBe('none')
  expect({ width: hostile.box?.width, height: hostile.box?.height }).toEqual({
    width: calm.box?.width,
    height: calm.box?.height,
  })
  expect(calm.box?.height).toBeGreaterThan(20)
  expect(hostile.image.equals(calm.image)).toBe(true)
})

test('adding the tip buttons changes nothing else on the page', async ({ page, fixtures, extension }) => {
  // Start with the X adapter pointed elsewhere: the page as it is without the extension's buttons.
  const mapped = { x: [`${fixtures.origin}/x/*`], generic: [`${fixtures.origin}/generic/*`] }
  await extension.setOptions({ sites: { x: ['http://127.0.0.1:1/nowhere/*'], generic: [] } })
  try {
    const response = await page.goto(`${fixtures.origin}/x/alice`)
    expect(response?.headers()['content-security-policy']).toContain("frame-src 'self'")
    // The content script did run here and found no adapter for the URL: that is why there is no button.
    expect((await contentSettled(page)).adapter).toBeNull()
    await expect(page.locator(HOST)).toHaveCount(0)

    const snapshot = () =>
      page.evaluate((hostTag) => {
        const props = [
          'display',
          'visibility',
          'color',
          'background-color',
          'font-family',
          'font-size',
          'font-weight',
          'line-height',
          'letter-spacing',
          'text-decoration-line',
          'opacity',
          'position',
          'z-index',
          'cursor',
          'margin-top',
          'margin-right',
          'margin-bottom',
          'margin-left',
          'padding-top',
          'padding-right',
          'padding-bottom',
          'padding-left',
          'border-top-width',
          'border-bottom-width',
          'border-top-color',
          'border-radius',
          'box-sizing',
          'flex-direction',
          'gap',
          'transform',
          'filter',
          'outline-style',
        ]
        const elements = [...document.querySelectorAll('*')].filter((el) => !el.closest(hostTag))
        return {
          styles: elements.map((el) => {
            const s = getComputedStyle(el)
            return `${el.tagName}#${el.id}: ${props.map((p) => s.getPropertyValue(p)).join('|')}`
          }),
          head: document.head.innerHTML,
          styleSheets: document.styleSheets.length,
          adopted: document.adoptedStyleSheets.length,
          globals: Object.getOwnPropertyNames(window).sort().join(','),
          tokenTipDefined: customElements.get('token-tip') !== undefined,
          configDefined: customElements.get('tokentags-config') !== undefined,
          bodyAttributes: [...document.body.attributes].map((a) => `${a.name}=${a.value}`),
          htmlAttributes: [...document.documentElement.attributes].map((a) => `${a.name}=${a.value}`),
        }
      }, HOST)
    const regions = ['#page-header', '#post-alice-1 [role="group"]', '#post-bob-repost', '#cell-carol']
    const before = await snapshot()
    const beforeShots = await Promise.all(regions.map((r) => shot(page.locator(r))))

    await extension.setOptions({ sites: mapped })
    await widgetsSettled(page, 2)
    const after = await snapshot()
    const afterShots = await Promise.all(regions.map((r) => shot(page.locator(r))))

    expect(after).toEqual(before)
    expect(after.tokenTipDefined).toBe(false)
    regions.forEach((region, i) => {
      expect(afterShots[i]?.equals(beforeShots[i] as Buffer), `${region} looks the same`).toBe(true)
    })
  } finally {
    await extension.setOptions({ sites: mapped })
  }
})

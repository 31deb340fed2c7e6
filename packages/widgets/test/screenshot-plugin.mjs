// A @web/test-runner server plugin: `executeServerCommand('tokentags-screenshot', { selector, name })`
// takes a PNG of the element and compares it with the committed baseline test/screenshots/<name>.png.
// It answers `{ baseline, width, height, expectedWidth, expectedHeight, diffPixels, diffRatio }` and the
// test asserts on it. On a difference (or a missing baseline) the new PNG is left in
// .tokentags/screenshots/<name>.actual.png at the repo root for review.
//
// TOKENTAGS_UPDATE_SCREENSHOTS=1 rewrites the baselines instead. Baselines come from Debian's chromium
// with the flags of @tokentags/testkit, as the tests run it: regenerate them on that machine kind only.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const baselines = fileURLToPath(new URL('./screenshots/', import.meta.url))
const artifacts = fileURLToPath(new URL('../../../.tokentags/screenshots/', import.meta.url))

/** The viewport every screenshot is taken in, so the layout never depends on the runner's window. */
const VIEWPORT = { width: 800, height: 600 }

export function screenshotPlugin() {
  const update = process.env.TOKENTAGS_UPDATE_SCREENSHOTS === '1'
  return {
    name: 'tokentags-screenshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'tokentags-screenshot') return undefined
      const { selector, name } = payload
      if (!/^[\w.-]+$/.test(name)) throw new Error(`bad screenshot name ${name}`)
      const page = session.browser.getPage(session.id)
      await page.setViewportSize(VIEWPORT)
      const actual = await page
        .locator(selector)
        .first()
        .screenshot({ animations: 'disabled', caret: 'hide', scale: 'css' })
      const baselinePath = `${baselines}${name}.png`
      const actualPath = `${artifacts}${name}.actual.png`
      if (update) {
        mkdirSync(baselines, { recursive: true })
        writeFileSync(baselinePath, actual)
        rmSync(actualPath, { force: true })
        return { baseline: 'updated', diffPixels: 0, diffRatio: 0 }
      }
      if (!existsSync(baselinePath)) {
        mkdirSync(artifacts, { recursive: true })
        writeFileSync(actualPath, actual)
        return { baseline: 'missing', path: baselinePath, actual: actualPath }
      }
      const result = await page.evaluate(comparePngs, {
        actual: actual.toString('base64'),
        expected: readFileSync(baselinePath).toString('base64'),
      })
      if (result.diffPixels > 0 || result.width !== result.expectedWidth || result.height !== result.expectedHeight) {
        mkdirSync(artifacts, { recursive: true })
        writeFileSync(actualPath, actual)
      } else {
        rmSync(actualPath, { force: true })
      }
      return { baseline: 'compared', path: baselinePath, actual: actualPath, ...result }
    },
  }
}

/**
 * Runs in the browser (no PNG library needed in Node): decodes both PNGs and counts the pixels whose
 * colour differs by more than pixelmatch's default threshold (0.1, in YIQ space), so that a sub-pixel
 * anti-aliasing wobble is not a difference but any moved edge is.
 */
async function comparePngs({ actual, expected }) {
  const pixels = async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    })
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
    const context = canvas.getContext('2d', { willReadFrequently: true })
    context.drawImage(bitmap, 0, 0)
    return {
      width: bitmap.width,
      height: bitmap.height,
      data: context.getImageData(0, 0, bitmap.width, bitmap.height).data,
    }
  }
  const a = await pixels(actual)
  const e = await pixels(expected)
  const result = { width: a.width, height: a.height, expectedWidth: e.width, expectedHeight: e.height }
  if (a.width !== e.width || a.height !== e.height) return { ...result, diffPixels: a.width * a.height, diffRatio: 1 }
  const maxDelta = 35215 * 0.1 * 0.1
  let diffPixels = 0
  for (let i = 0; i < a.data.length; i += 4) {
    const dr = a.data[i] - e.data[i]
    const dg = a.data[i + 1] - e.data[i + 1]
    const db = a.data[i + 2] - e.data[i + 2]
    const y = dr * 0.29889531 + dg * 0.58662247 + db * 0.11448223
    const iq = dr * 0.59597799 - dg * 0.2741761 - db * 0.32180189
    const q = dr * 0.21147017 - dg * 0.52261711 + db * 0.31114694
    if (0.5053 * y * y + 0.299 * iq * iq + 0.1957 * q * q > maxDelta) diffPixels++
  }
  return { ...result, diffPixels, diffRatio: diffPixels / (a.width * a.height) }
}

// A @web/test-runner server plugin: `executeServerCommand('tokentags-screenshot', { selector, name })`
// saves a PNG of the element to .tokentags/screenshots/<name>.png at the repo root (an artifact, not a
// baseline: nothing compares them).
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('../../../.tokentags/screenshots/', import.meta.url))

export function screenshotPlugin() {
  return {
    name: 'tokentags-screenshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'tokentags-screenshot') return undefined
      const { selector, name } = payload
      if (!/^[\w.-]+$/.test(name)) throw new Error(`bad screenshot name ${name}`)
      mkdirSync(dir, { recursive: true })
      const page = session.browser.getPage(session.id)
      const path = `${dir}${name}.png`
      await page.locator(selector).first().screenshot({ path, animations: 'disabled' })
      return path
    },
  }
}

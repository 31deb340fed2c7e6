// Two bundles on one page (e.g. a site's token-claim.js and a plugin's tokentags.js, plus the classic
// script): the first definition of each tag wins, the others warn once per tag, and nothing crashes.
import { expect, waitUntil } from '@open-wc/testing'
import { requireBuiltBundles } from './built-bundles.js'

describe('several TokenTags bundles on one page', () => {
  it('keeps the first definitions, warns once per tag, draws the widget, throws nothing', async () => {
    await requireBuiltBundles('token-claim.js', 'tokentags.js', 'tokentags.iife.js')
    const frame = document.createElement('iframe')
    frame.src = new URL('./fixtures/two-copies.html', import.meta.url).href
    document.body.append(frame)
    try {
      await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }))
      const win = frame.contentWindow as Window & { probe: { warnings: string[]; errors: string[] } }
      const el = win.document.querySelector('token-claim') as HTMLElement
      await waitUntil(() => el.shadowRoot?.querySelector('[part~="error"]'), 'the widget never drew', { timeout: 5000 })
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(win.probe.errors).to.deep.equal([])
      const duplicate = (tag: string) => win.probe.warnings.filter((w) => w.includes(`<${tag}> is already defined`))
      // token-claim.js defines both tags first; tokentags.js and the IIFE each warn once per tag.
      expect(duplicate('token-claim')).to.have.length(2)
      expect(duplicate('tokentags-config')).to.have.length(2)
      expect(el.shadowRoot?.querySelector('[part~="error"]')?.textContent).to.match(/is not an address/)
      // Copies share the page configuration (a global channel), so the config element of any copy counts.
      const config = win.document.querySelector('tokentags-config') as HTMLElement & { config: unknown }
      expect(config.config).to.have.property('chains')
    } finally {
      frame.remove()
    }
  })
})

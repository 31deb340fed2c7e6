// The built drop-in bundle (dist/cdn/token-claim.js) on a page with a strict
// Content-Security-Policy: no inline styles or scripts, no remote fonts.
import { expect, waitUntil } from '@open-wc/testing'
import { requireBuiltBundles } from './built-bundles.js'

const pages = [
  { bundle: 'token-claim.js', page: 'csp.html' },
  { bundle: 'tokentags.iife.js', page: 'csp-iife.html' },
]

describe('drop-in bundles under a strict CSP', () => {
  for (const { bundle, page } of pages)
    it(`dist/cdn/${bundle} draws <token-claim> with its styles and no CSP violation`, async () => {
      await requireBuiltBundles(bundle)
      const PAGE = new URL(`./fixtures/${page}`, import.meta.url).href
      const frame = document.createElement('iframe')
      frame.src = PAGE
      document.body.append(frame)
      try {
        await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }))
        const win = frame.contentWindow as Window & { cspViolations: string[] }
        const el = win.document.querySelector('token-claim') as HTMLElement
        await waitUntil(() => el.shadowRoot?.querySelector('[part~="error"]'), 'the widget never drew', {
          timeout: 5000,
        })
        const root = el.shadowRoot as ShadowRoot
        expect(root.querySelector('[part~="error"]')?.textContent).to.match(/is not an address/)
        const card = root.querySelector('[part~="container"]') as HTMLElement
        expect(win.getComputedStyle(card).borderTopLeftRadius).to.equal('12px')
        expect(root.querySelectorAll('style, [style]')).to.have.length(0)
        expect(win.document.head.querySelectorAll('style')).to.have.length(0)
        expect(win.cspViolations).to.deep.equal([])
      } finally {
        frame.remove()
      }
    })
})

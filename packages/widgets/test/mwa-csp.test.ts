// The Mobile Wallet Adapter's own dialogs (the spinner while a wallet app is asked, the local-network permission
// prompts) on a page under the widgets' strict Content-Security-Policy, through the built `tokentags-mwa.js` on an
// emulated Android phone: a connect shows them with their styles and nothing is refused (no inline style, no remote
// font). No wallet app can answer here.
import { expect, waitUntil } from '@open-wc/testing'
import { executeServerCommand } from '@web/test-runner-commands'
import { requireBuiltBundles } from './built-bundles.js'

type Api = typeof import('../src/token-tip/mwa.js')
interface StandardWallet {
  name: string
  features: Record<string, { connect?: () => Promise<unknown> }>
}
type FrameWindow = Window &
  typeof globalThis & { cspViolations: string[]; mwaApi?: Api; Element: typeof Element; ShadowRoot: typeof ShadowRoot }

after(() => executeServerCommand('tokentags-phone', false))

describe('Mobile Wallet Adapter under a strict CSP', () => {
  it('connects through the built tokentags-mwa.js: its dialogs draw with their styles, no CSP violation', async function () {
    this.timeout(60_000)
    await requireBuiltBundles('tokentags-mwa.js')
    await executeServerCommand('tokentags-phone', 'android')
    const frame = document.createElement('iframe')
    frame.src = new URL('./fixtures/csp-mwa.html', import.meta.url).href
    document.body.append(frame)
    try {
      const win = frame.contentWindow as FrameWindow
      await waitUntil(() => win.mwaApi, 'the MWA module never loaded', { timeout: 20_000 })
      // MWA draws in closed shadow roots: keep them to look inside (test instrumentation only).
      const roots: ShadowRoot[] = []
      const attach = win.Element.prototype.attachShadow
      win.Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
        const root = attach.call(this, init)
        roots.push(root)
        return root
      }
      expect((win.mwaApi as Api).registerMobileWallet()).to.equal(true)
      const wallets: StandardWallet[] = []
      const ready = new win.Event('wallet-standard:app-ready')
      Object.defineProperty(ready, 'detail', {
        value: { register: (...found: StandardWallet[]) => wallets.push(...found) },
      })
      win.dispatchEvent(ready)
      const mwa = wallets.find((w) => w.name === 'Mobile Wallet Adapter')
      expect(mwa, 'MWA registered').to.not.equal(undefined)

      const connect = mwa?.features['standard:connect']?.connect
      if (!connect) throw new TypeError('MWA has no standard:connect')
      // It asks Android for a wallet app and shows its spinner meanwhile; none answers here (MWA gives up after its
      // own 30 s timeout), so the test looks at the spinner while it waits.
      connect().catch(() => {})
      await waitUntil(() => roots.some((root) => root.querySelector('[role="dialog"]')), 'MWA drew no dialog', {
        timeout: 20_000,
      })
      // Refusals are reported in a task after the element that caused them is inserted.
      await new Promise((resolve) => win.requestAnimationFrame(() => win.setTimeout(resolve)))
      for (const root of roots) {
        const dialog = root.querySelector('[role="dialog"]') as HTMLElement
        expect(dialog, 'the dialog').to.not.equal(null)
        expect(win.getComputedStyle(dialog).position).to.equal('fixed')
        // The layer that closes the dialog on a tap outside it (an inline style attribute in MWA's markup).
        const backdrop = dialog.querySelector('[data-modal-close]') as HTMLElement
        expect(win.getComputedStyle(backdrop).position).to.equal('absolute')
      }
      expect(win.document.querySelectorAll('link[href*="fonts.googleapis"]')).to.have.length(0)
      expect(win.cspViolations).to.deep.equal([])
    } finally {
      frame.remove()
    }
  })
})

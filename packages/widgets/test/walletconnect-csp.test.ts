// The built WalletConnect module pairs on a page under a strict Content-Security-Policy (the widgets' own plus the
// relay in connect-src, as the README asks): no eval, no inline styles or scripts, no blocked connection.
import { expect, waitUntil } from '@open-wc/testing'
import { executeServerCommand } from '@web/test-runner-commands'
import { requireBuiltBundles } from './built-bundles.js'

type Api = typeof import('../src/internal/walletconnect-api.js')

describe('WalletConnect under a strict CSP', () => {
  it('pairs through the built tokentags-walletconnect.js with no CSP violation', async function () {
    this.timeout(60_000)
    // The bundle comes from `npm run build -w packages/widgets`; the root test run builds first. Missing, it fails.
    await requireBuiltBundles('tokentags-walletconnect.js')
    const phone = (await executeServerCommand('tokentags-walletconnect', { kind: 'csp' })) as {
      relayUrl: string
      solanaAddress: string
    }
    const frame = document.createElement('iframe')
    frame.src = new URL('./fixtures/csp-walletconnect.html', import.meta.url).href
    document.body.append(frame)
    try {
      const win = frame.contentWindow as Window & { cspViolations: string[]; walletConnectApi?: Api }
      await waitUntil(() => win.walletConnectApi, 'the WalletConnect module never loaded', { timeout: 20_000 })
      const api = win.walletConnectApi as Api
      const wc = api.walletConnectFor(undefined, { projectId: 'tokentags-wtr-csp', relayUrl: phone.relayUrl }, [
        'solana:devnet',
      ])
      wc.onDisplayUri((uri) => {
        void executeServerCommand('tokentags-walletconnect-pair', { kind: 'csp', uri })
      })
      await wc.connect()
      expect(wc.solanaWallet.accounts.map((a) => a.address)).to.deep.equal([phone.solanaAddress])
      expect(win.cspViolations).to.deep.equal([])
    } finally {
      frame.remove()
    }
  })
})

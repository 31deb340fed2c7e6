// The built stand-alone WalletConnect module (dist/cdn/tokentags-walletconnect.js, what the classic script loads)
// evaluates in a plain browser page: no Node globals (`process`, `global`), no bare imports left by the bundler.
import { expect } from '@open-wc/testing'

const URI =
  'wc:7f6e504bfad60b485450578e05678ed3e8e8c4751d3c6160be17160d63ec90f9@2?relay-protocol=irn' +
  '&symKey=587d5484ce2a2a6ee3ba1962fdd7e8588e06200c46823bd18fbd67def96ad303&expiryTimestamp=1765000000'

describe('dist/cdn/tokentags-walletconnect.js', () => {
  it('loads in a browser and builds the wallet-app links of a pairing URI', async function () {
    const url = new URL('../dist/cdn/tokentags-walletconnect.js', import.meta.url).href
    // The bundle comes from `npm run build -w packages/widgets`; the root test run builds first.
    if (!(await fetch(url, { method: 'HEAD' })).ok) this.skip()
    expect('process' in globalThis || 'global' in globalThis).to.equal(false)
    const api = (await import(/* @vite-ignore */ url)) as typeof import('../src/internal/walletconnect-api.js')
    expect(api.WALLETCONNECT_ID).to.equal('walletConnect')
    expect(typeof api.walletConnectFor).to.equal('function')
    expect(api.walletConnectLinks(URI).map((l) => l.id)).to.deep.equal(['metamask', 'trust', 'rainbow', 'wc'])
  })
})

// Android's Solana wallet apps through the Mobile Wallet Adapter: registered on demand (its code is a chunk loaded by
// a Solana tip on Android only) as the Wallet Standard wallet "Mobile Wallet Adapter". Chromium here emulates the
// platforms through the DevTools protocol (user agent and client hints, test/visitor-plugin.mjs); a real MWA session
// needs an Android phone with a wallet app answering the `solana-wallet:` intent, which no test here can have, so
// these tests stop at the wallet list. `test/mwa-size.test.mjs` checks that the chunk stays out of up-front bundles.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import {
  createSolanaDevWallet,
  registerSolanaDevWallet,
  SOLANA_DEV_WALLET_NAME,
} from '@tokentags/testkit/solana-dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/define.js'
import { configureTokenTags, type TokenTip } from '../src/index.js'
import { isAndroid, registerMobileWalletAdapter } from '../src/token-tip/mwa-loader.js'

// Nothing is ever sent to these: the widget stops at the wallet list.
const RPC = 'http://127.0.0.1:9'
const SOL_CREATOR = 'sol:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'
const MWA = 'Mobile Wallet Adapter'

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const walletButtons = (el: Element) =>
  [...(el.shadowRoot as ShadowRoot).querySelectorAll<HTMLButtonElement>('[part~="wallet-list"] button')].map(text)
const mwaScripts = () => performance.getEntriesByType('resource').filter((e) => /\/mwa\.(ts|js)\b/.test(e.name))

async function solanaTip(): Promise<TokenTip> {
  configureTokenTags({ chains: [], relayUrl: 'http://127.0.0.1:9', solanaRpcUrl: RPC })
  const el = await fixture<TokenTip>(html`<token-tip to=${SOL_CREATOR} amounts="0.1"></token-tip>`)
  await el.updateComplete
  return el
}

after(() => executeServerCommand('tokentags-phone', false))

describe('Mobile Wallet Adapter', function () {
  this.timeout(20_000)

  it('is not registered on a desktop: no chunk, no wallet', async () => {
    expect(isAndroid()).to.equal(false)
    const el = await solanaTip()
    expect(await registerMobileWalletAdapter()).to.equal(false)
    expect(el.state.status).to.equal('no-wallet')
    expect(mwaScripts()).to.have.length(0)
  })

  it('is not registered on an iPhone (MWA is Android only): no chunk, no wallet', async () => {
    await executeServerCommand('tokentags-phone', true)
    expect(isAndroid()).to.equal(false)
    const el = await solanaTip()
    expect(await registerMobileWalletAdapter()).to.equal(false)
    expect(el.state.status).to.equal('no-wallet')
    expect(mwaScripts()).to.have.length(0)
  })

  it('registers on Android once a Solana tip starts; the tip lists it and, beside it, the Solana wallet apps', async () => {
    await executeServerCommand('tokentags-phone', 'android')
    expect(isAndroid()).to.equal(true)
    expect(mwaScripts()).to.have.length(0)
    const el = await solanaTip()
    await waitUntil(() => el.state.status === 'choose-wallet', `still ${JSON.stringify(el.state)}`, { timeout: 10_000 })
    await el.updateComplete
    expect(walletButtons(el)).to.deep.equal([MWA])
    expect(mwaScripts()).to.have.length(1)
    // MWA reaches only an installed wallet app answering its intent: the links that reopen this page inside the
    // Solana wallet apps are offered too, as on an iPhone, each carrying the page.
    const links = [...(el.shadowRoot as ShadowRoot).querySelectorAll<HTMLAnchorElement>('a[part~="deep-link"]')]
    expect(links.map(text)).to.deep.equal(['Open in Phantom', 'Open in Solflare', 'Open in Backpack'])
    const enc = encodeURIComponent
    expect(links[0]?.href).to.equal(`https://phantom.app/ul/browse/${enc(location.href)}?ref=${enc(location.origin)}`)
    for (const link of links) expect(decodeURIComponent(link.href)).to.contain(location.href)
    await expect(el).shadowDom.to.be.accessible()
  })

  // Last: the wallet it registers stays on the page.
  it('on Android, a browser with a Solana wallet of its own lists it beside MWA, and no wallet-app links', async () => {
    await executeServerCommand('tokentags-phone', 'android')
    const unregister = registerSolanaDevWallet(await createSolanaDevWallet())
    try {
      const el = await solanaTip()
      await waitUntil(() => walletButtons(el).length === 2, `still ${JSON.stringify(el.state)}`, { timeout: 10_000 })
      await el.updateComplete
      expect(walletButtons(el)).to.have.members([MWA, SOLANA_DEV_WALLET_NAME])
      expect((el.shadowRoot as ShadowRoot).querySelectorAll('a[part~="deep-link"]')).to.have.length(0)
    } finally {
      unregister()
    }
  })
})

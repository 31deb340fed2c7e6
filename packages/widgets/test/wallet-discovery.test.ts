// The default controller (through @tokentags/core) with EIP-6963 discovery, no chain needed.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installDevWallet } from '@tokentags/testkit/dev-wallet'
import '../src/define.js'
import { configureTokenTags, type TokenClaim } from '../src/index.js'
import { SAMPLE_VAULT } from '../src/testing/index.js'

const until = (el: TokenClaim, status: string) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${JSON.stringify(el.state)}`, {
    timeout: 5000,
  })

describe('<token-claim> wallet discovery (EIP-6963)', () => {
  it('says there is no wallet, then lists the dev wallet once it is announced', async () => {
    // Nothing is ever sent to this RPC: the widget stops before any read.
    configureTokenTags({ chains: [{ id: 31337, rpcUrl: 'http://127.0.0.1:9' }] })
    const el = await fixture<TokenClaim>(html`<token-claim vault=${SAMPLE_VAULT} chain="31337"></token-claim>`)
    await until(el, 'no-wallet')
    const root = el.shadowRoot as ShadowRoot
    expect(root.querySelector('a')?.textContent).to.equal('Find a wallet')
    await expect(el).to.be.accessible()

    const wallet = installDevWallet({
      rpcUrl: 'http://127.0.0.1:9',
      chainId: 31337,
      privateKeys: ['0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'],
    })
    try {
      await until(el, 'choose-wallet')
      await el.updateComplete
      const button = root.querySelector('[part~="wallet-list"] button[part~="action"]') as HTMLButtonElement
      expect(button.textContent?.trim()).to.equal('TokenTags Dev Wallet (dev only)')
      expect(button.querySelector('img')?.getAttribute('src')).to.match(/^data:image\/svg\+xml/)
      await expect(el).to.be.accessible()
    } finally {
      wallet.uninstall()
    }
  })
})

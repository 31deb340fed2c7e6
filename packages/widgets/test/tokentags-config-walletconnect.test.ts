// <tokentags-config walletconnect-project-id walletconnect-relay>: WalletConnect is opt-in per page.
import { expect, fixture, html } from '@open-wc/testing'
import '../src/define.js'
import type { TokenTagsConfig } from '../src/index.js'
import { getPageConfig, parseWalletConnect, resetPageConfig } from '../src/internal/config.js'

afterEach(() => resetPageConfig())

const PROJECT_ID = '0123456789abcdef0123456789abcdef'

describe('<tokentags-config> WalletConnect attributes', () => {
  it('gives the page WalletConnect with the project id and relay', async () => {
    await fixture<TokenTagsConfig>(
      html`<tokentags-config rpc="8453=https://mainnet.base.org" walletconnect-project-id=" ${PROJECT_ID} "
        walletconnect-relay="wss://relay.example.com"></tokentags-config>`,
    )
    expect(getPageConfig()?.walletConnect).to.deep.equal({ projectId: PROJECT_ID, relayUrl: 'wss://relay.example.com' })
  })

  it('leaves WalletConnect off without a project id, and follows the attribute when it is set later', async () => {
    const el = await fixture<TokenTagsConfig>(
      html`<tokentags-config rpc="8453=https://mainnet.base.org" walletconnect-relay="wss://relay.example.com"></tokentags-config>`,
    )
    expect(getPageConfig()).to.not.have.property('walletConnect')
    el.setAttribute('walletconnect-project-id', PROJECT_ID)
    await el.updateComplete
    expect(getPageConfig()?.walletConnect).to.deep.equal({ projectId: PROJECT_ID, relayUrl: 'wss://relay.example.com' })
    el.removeAttribute('walletconnect-project-id')
    await el.updateComplete
    expect(getPageConfig()).to.not.have.property('walletConnect')
  })

  it('uses WalletConnect’s relay when walletconnect-relay is not wss:// (plain ws:// only on this machine)', () => {
    for (const relay of ['ws://relay.example.com', 'https://relay.example.com', 'javascript:alert(1)', 'relay'])
      expect(parseWalletConnect(PROJECT_ID, relay), relay).to.deep.equal({ projectId: PROJECT_ID })
    expect(parseWalletConnect(PROJECT_ID, 'ws://127.0.0.1:8899')).to.deep.equal({
      projectId: PROJECT_ID,
      relayUrl: 'ws://127.0.0.1:8899',
    })
    expect(parseWalletConnect(PROJECT_ID, '  ')).to.deep.equal({ projectId: PROJECT_ID })
  })

  it('turns WalletConnect off for a project id that is not one (markup, spaces, URLs)', () => {
    for (const id of ['"><img src=x onerror=alert(1)>', 'a b', 'https://x.example', 'x'.repeat(129)])
      expect(parseWalletConnect(id, null), id).to.equal(undefined)
    expect(parseWalletConnect(null, null)).to.equal(undefined)
    expect(parseWalletConnect('', 'wss://relay.example.com')).to.equal(undefined)
  })
})

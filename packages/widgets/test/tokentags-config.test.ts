import { expect, fixture, html } from '@open-wc/testing'
import '../src/define.js'
import type { TokenTagsConfig } from '../src/index.js'
import { getPageConfig, parseRpcList, resetPageConfig, watchPageConfig } from '../src/internal/config.js'

afterEach(() => resetPageConfig())

describe('<tokentags-config>', () => {
  it('configures the page from its attributes and draws nothing', async () => {
    const el = await fixture<TokenTagsConfig>(
      html`<tokentags-config relay="https://relay.example/" site-key="pk_test_1" gasless="always"
        rpc="31337=http://127.0.0.1:8545, 8453=https://mainnet.base.org"></tokentags-config>`,
    )
    expect(getPageConfig()).to.deep.equal({
      chains: [
        { id: 31337, rpcUrl: 'http://127.0.0.1:8545', name: 'Local chain' },
        { id: 8453, rpcUrl: 'https://mainnet.base.org', name: 'Base', explorerUrl: 'https://basescan.org' },
      ],
      relayUrl: 'https://relay.example/',
      siteKey: 'pk_test_1',
      gasless: 'always',
    })
    expect(getComputedStyle(el).display).to.equal('none')
    expect(el.getBoundingClientRect().height).to.equal(0)
  })

  it('reconfigures the page when an attribute changes', async () => {
    const el = await fixture<TokenTagsConfig>(html`<tokentags-config rpc="1=https://eth.example"></tokentags-config>`)
    const seen: number[][] = []
    const unwatch = watchPageConfig((config) => seen.push(config.chains.map((c) => c.id)))
    el.setAttribute('rpc', '1=https://eth.example,10=https://op.example')
    await el.updateComplete
    unwatch()
    expect(seen).to.deep.equal([[1], [1, 10]])
  })

  it('defaults gasless to auto and skips malformed rpc entries', () => {
    expect(parseRpcList('abc, 5=ftp://x, =https://y, 0=https://z, 7=https://ok.example')).to.deep.equal([
      { id: 7, rpcUrl: 'https://ok.example' },
    ])
    expect(parseRpcList(null)).to.deep.equal([])
  })
})

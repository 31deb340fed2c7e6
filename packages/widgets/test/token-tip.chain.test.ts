// <token-tip> and <token-buy> against a real chain: anvil with the TokenTags contracts, a TipRouter and a native
// TokenSale (see chain-plugin.mjs), the dev wallet over EIP-6963, and @tokentags/core doing the work.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installDevWallet } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand, sendKeys } from '@web/test-runner-commands'
import '../src/token-buy/define.js'
import '../src/token-tip/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags } from '../src/internal/config.js'
import type { TokenBuy } from '../src/token-buy/token-buy.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

interface ChainSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  chainId: number
  token: `0x${string}`
  tipRouter: `0x${string}`
  tokenSale: `0x${string}`
  accounts: { kind: string; address: `0x${string}`; privateKey: `0x${string}` }[]
}

let chain: ChainSetup
let wallet: ReturnType<typeof installDevWallet>
const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const until = (el: TokenTip | TokenBuy, status: string, timeout = 20_000) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${JSON.stringify(el.state, big)}`, {
    timeout,
    interval: 50,
  })
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))

async function connect(el: TokenTip | TokenBuy): Promise<void> {
  await until(el, 'choose-wallet')
  await el.updateComplete
  const dev = button(el, /^TokenTags Dev Wallet \(dev only\)$/)
  expect(dev, 'the dev wallet is listed').to.not.equal(undefined)
  dev?.click()
}

function configure(relay: boolean) {
  configureTokenTags({
    chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }],
    ...(relay ? { relayUrl: chain.relayUrl, siteKey: chain.siteKey, gasless: 'always' as const } : {}),
  })
}

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  wallet = installDevWallet({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKeys: chain.accounts.map((a) => a.privateKey),
  })
})

after(() => wallet?.uninstall())

describe('<token-tip> and <token-buy> on a local chain', function () {
  this.timeout(60_000)

  it('tips TAG gaslessly with one signature (a forwarded transfer)', async () => {
    wallet.provider.selectAccount(chain.accounts[0]?.address as `0x${string}`)
    configure(true)
    const el = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} token=${chain.token} amounts="1,5" chain=${String(chain.chainId)}></token-tip>`,
    )
    await connect(el)
    await until(el, 'ready')
    await el.updateComplete
    expect(text(root(el))).to.match(/You pay no gas/)
    await expect(el).to.be.accessible()
    button(el, /^5 TAG$/)?.click()
    await el.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    button(el, /^Tip 5 TAG$/)?.click()
    const event = await success
    expect(event.detail.via).to.equal('relay')
    expect(event.detail.amount).to.equal(5n * 10n ** 18n)
    await el.updateComplete
    expect(text(root(el).querySelector('[role="status"]'))).to.equal('Sent 5 TAG to 0x7099…79C8.')
    expect(text(root(el))).to.match(/Gas was paid by the relay/)
  })

  it('tips native coin through the wallet and says the visitor pays gas', async () => {
    wallet.provider.selectAccount(chain.accounts[1]?.address as `0x${string}`)
    configure(false)
    const el = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} amounts="0.01" memo="thanks" router=${chain.tipRouter} chain=${String(chain.chainId)}></token-tip>`,
    )
    await connect(el)
    await until(el, 'ready')
    await el.updateComplete
    expect(text(root(el))).to.match(/You pay the network fee \(gas\)/)
    expect(text(root(el))).to.match(/Message: thanks/)
    const field = root(el).querySelector<HTMLInputElement>('[part~="input"]') as HTMLInputElement
    field.focus()
    await sendKeys({ type: '0.02' })
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    await sendKeys({ press: 'Enter' })
    const event = await success
    expect(event.detail).to.deep.include({ via: 'wallet', amount: 2n * 10n ** 16n })
    await el.updateComplete
    expect(text(root(el).querySelector('[role="status"]'))).to.equal('Sent 0.02 ETH to 0x7099…79C8.')
  })

  it('reads the sale, quotes as the visitor types and buys with native coin', async () => {
    wallet.provider.selectAccount(chain.accounts[2]?.address as `0x${string}`)
    configure(false)
    const el = await fixture<TokenBuy>(
      html`<token-buy sale=${chain.tokenSale} chain=${String(chain.chainId)}></token-buy>`,
    )
    await connect(el)
    await until(el, 'ready')
    await el.updateComplete
    expect(text(root(el))).to.match(/Price 0\.001 ETH per TAG/)
    expect(text(root(el))).to.match(/You can buy 1,000 TAG/)
    const field = root(el).querySelector<HTMLInputElement>('[part~="input"]') as HTMLInputElement
    field.focus()
    await sendKeys({ type: '0.01' })
    await waitUntil(() => el.state.status === 'ready' && !!el.state.quote && !el.state.quoting, 'no quote', {
      timeout: 10_000,
    })
    await el.updateComplete
    expect(text(root(el))).to.match(/You receive about 10 TAG/)
    expect(text(root(el))).to.match(/At least 9\.95 TAG/)
    await expect(el).to.be.accessible()
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    button(el, /^Buy 10 TAG$/)?.click()
    const event = await success
    expect(event.detail).to.deep.include({ via: 'wallet', amount: 10n * 10n ** 18n })
    await el.updateComplete
    expect(text(root(el).querySelector('[role="status"]'))).to.equal('Bought 10 TAG for 0.01 ETH.')
  })
})

// A page whose only wallet is a legacy `window.ethereum` (no EIP-6963 announcement: in-app browsers, old wallets)
// against a real chain (chain-plugin.mjs): the widget offers it, connects through it, claims gaslessly and tips.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { createDevWalletProvider, type DevWalletProvider } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/define.js'
import { configureTokenTags, type TokenClaim, type TokenSuccessEvent, type TokenTip } from '../src/index.js'

interface ChainSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  chainId: number
  vestingVault: `0x${string}`
  token: `0x${string}`
}

// anvil's public dev account #5: no other test uses it, so its schedule and balance are this file's.
const VISITOR = {
  address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
  privateKey: '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
} as const
const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

let chain: ChainSetup
let calls: string[]

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const until = (el: TokenClaim | TokenTip, status: string, timeout = 20_000) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${JSON.stringify(el.state, big)}`, {
    timeout,
    interval: 50,
  })
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))

/** The visitor's wallet as an in-app browser injects it: `window.ethereum` only, every call recorded. */
function injectLegacyWallet(flags: Record<string, unknown>): DevWalletProvider {
  const provider = createDevWalletProvider({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKeys: [VISITOR.privateKey],
  })
  const request = provider.request.bind(provider)
  const recorded = Object.assign(provider, flags, {
    request: ((args: { method: string }) => {
      calls.push(args.method)
      return request(args as never)
    }) as DevWalletProvider['request'],
  })
  Object.defineProperty(window, 'ethereum', { value: recorded, configurable: true, writable: true })
  return recorded
}

async function pick(el: TokenClaim | TokenTip, name: string): Promise<void> {
  await until(el, 'choose-wallet')
  await el.updateComplete
  const wallet = button(el, new RegExp(`^${name}$`))
  expect(wallet, `${name} is offered`).to.not.equal(undefined)
  wallet?.click()
}

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  await executeServerCommand('tokentags-schedule', { chain, beneficiary: VISITOR.address })
})

beforeEach(() => {
  calls = []
})

afterEach(async () => {
  delete (window as { ethereum?: unknown }).ethereum
  await executeServerCommand('tokentags-phone', false)
})

describe('a legacy-only wallet (window.ethereum, no EIP-6963)', function () {
  this.timeout(60_000)

  it('inside a wallet app on a phone: connects directly and claims gaslessly', async () => {
    await executeServerCommand('tokentags-phone', true)
    injectLegacyWallet({ isMetaMask: true, isTrust: true })
    configureTokenTags({
      chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }],
      relayUrl: chain.relayUrl,
      siteKey: chain.siteKey,
      gasless: 'always',
    })
    const el = await fixture<TokenClaim>(
      html`<token-claim vault=${chain.vestingVault} chain=${String(chain.chainId)}></token-claim>`,
    )
    expect(root(el).querySelector('a[part~="deep-link"]'), 'no links into wallet apps').to.equal(null)
    await pick(el, 'Trust Wallet')
    await until(el, 'claimable')
    // wagmi asks for the accounts through wallet_requestPermissions, then reads them.
    expect(calls.slice(0, 2), JSON.stringify(calls)).to.deep.equal(['wallet_requestPermissions', 'eth_accounts'])
    await el.updateComplete
    expect(text(root(el).querySelector('[role="status"]'))).to.equal('250 TAG ready to claim.')
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    ;(root(el).querySelector('[part~="action"]') as HTMLButtonElement).click()
    const event = await success
    expect(event.detail.via).to.equal('relay')
    expect(event.detail.amount).to.equal(250n * 10n ** 18n)
    // The claim was signed by the legacy provider (EIP-712), never sent by it: the relay paid.
    expect(calls).to.include('eth_signTypedData_v4')
    expect(calls).to.not.include('eth_sendTransaction')
  })

  it('tips native coin through it on a desktop', async () => {
    injectLegacyWallet({})
    configureTokenTags({ chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }] })
    const el = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} amounts="0.01" chain=${String(chain.chainId)}></token-tip>`,
    )
    await pick(el, 'Browser wallet')
    await until(el, 'ready')
    await el.updateComplete
    button(el, /^0\.01 ETH$/)?.click()
    await el.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    button(el, /^Tip 0\.01 ETH$/)?.click()
    const event = await success
    expect(event.detail).to.deep.include({ via: 'wallet', amount: 10n ** 16n })
    expect(calls).to.include('eth_sendTransaction')
    await el.updateComplete
    expect(text(root(el).querySelector('[role="status"]'))).to.equal('Sent 0.01 ETH to 0x7099…79C8.')
  })
})

describe('paying a tip from any phone wallet (EIP-681)', function () {
  this.timeout(60_000)

  async function qrTip(token: string, preset: RegExp): Promise<{ el: TokenTip; uri: string }> {
    configureTokenTags({ chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }] })
    const el = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} token=${token} amounts="0.01,2" chain=${String(chain.chainId)}></token-tip>`,
    )
    await until(el, 'no-wallet')
    await el.updateComplete
    // Before anything is scanned, the widget says who pays the network fee.
    expect(text(root(el))).to.match(/Scan a code with any phone wallet\. You pay the network fee yourself\./)
    button(el, /^Pay from any phone wallet$/)?.click()
    await until(el, 'ready')
    await el.updateComplete
    expect(text(root(el))).to.match(/You pay the network fee yourself/)
    button(el, preset)?.click()
    await el.updateComplete
    button(el, /^Show the code for /)?.click()
    await until(el, 'qr')
    await el.updateComplete
    const svg = root(el).querySelector('svg[part~="qr"]')
    expect(svg, 'the QR code is drawn').to.not.equal(null)
    await expect(el).to.be.accessible()
    const state = el.state as Extract<TokenTip['state'], { status: 'qr' }>
    return { el, uri: state.uri }
  }

  it('native coin: shows ethereum:<to>@<chain>?value=<wei>, sees the payment land and shows its hash', async () => {
    const { el, uri } = await qrTip('native', /^0\.01 ETH$/)
    expect(uri).to.equal(`ethereum:${CREATOR}@${chain.chainId}?value=10000000000000000`)
    expect(root(el).querySelector('svg[part~="qr"]')?.getAttribute('aria-label')).to.equal('Payment code for 0.01 ETH')
    expect(root(el).querySelector(`a[href="${uri}"]`), 'a link for a wallet on this device').to.not.equal(null)
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    const paid = (await executeServerCommand('tokentags-pay-uri', {
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      uri,
    })) as { hash: string }
    const event = await success
    expect(event.detail).to.deep.include({ txHash: paid.hash, via: 'wallet', amount: 10n ** 16n })
    await el.updateComplete
    expect(text(root(el).querySelector('[role="status"]'))).to.equal('Sent 0.01 ETH to 0x7099…79C8.')
    expect(text(root(el))).to.include(`${paid.hash.slice(0, 6)}`)
  })

  it('ERC-20: shows ethereum:<token>@<chain>/transfer?address=<to>&uint256=<amount> and sees the Transfer', async () => {
    const { el, uri } = await qrTip(chain.token, /^2 TAG$/)
    expect(uri).to.equal(
      `ethereum:${chain.token}@${chain.chainId}/transfer?address=${CREATOR}&uint256=2000000000000000000`,
    )
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    const paid = (await executeServerCommand('tokentags-pay-uri', {
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      uri,
    })) as { hash: string }
    const event = await success
    expect(event.detail).to.deep.include({ txHash: paid.hash, via: 'wallet', amount: 2n * 10n ** 18n })
  })

  it('goes back from the code to the amounts, and from there to the wallet options', async () => {
    const { el } = await qrTip('native', /^2 ETH$/)
    button(el, /^Back$/)?.click()
    await until(el, 'ready')
    await el.updateComplete
    button(el, /^Back$/)?.click()
    await until(el, 'no-wallet')
  })
})

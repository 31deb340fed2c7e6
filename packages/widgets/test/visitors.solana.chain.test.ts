// A Solana tip from a legacy injected provider (`window.phantom.solana`, Phantom's pre-Wallet-Standard API: a
// `publicKey`, `connect`, and `signTransaction` of a web3.js-like object) on the LiteSVM ledger of
// solana-plugin.mjs. The provider signs with the dev Solana wallet's keys; it is never registered.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { createSolanaDevWallet, type SolanaDevWallet } from '@tokentags/testkit/solana-dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags } from '../src/internal/config.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

interface SolanaSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  visitor: string
  creator: string
}

let ledger: SolanaSetup
let dev: SolanaDevWallet

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const until = (el: TokenTip, status: string, timeout = 20_000) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${JSON.stringify(el.state, big)}`, {
    timeout,
    interval: 50,
  })
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))
const balance = async (owner: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner })) as string)

/** Phantom's legacy provider over the dev wallet's keys; `seen` records what `signTransaction` was handed. */
function legacyPhantom(seen: unknown[]) {
  const account = () => dev.accounts[0]
  const provider = {
    isPhantom: true,
    isConnected: false,
    publicKey: null as null | { toBase58(): string; toBytes(): Uint8Array },
    async connect() {
      await dev.features['standard:connect'].connect()
      const connected = account()
      if (!connected) throw new Error('no dev account')
      provider.publicKey = { toBase58: () => connected.address, toBytes: () => connected.publicKey }
      provider.isConnected = true
      return { publicKey: provider.publicKey }
    },
    async disconnect() {
      provider.isConnected = false
      provider.publicKey = null
    },
    // As Phantom's injected script: serialize what it is given, sign, hand back an object that serializes.
    async signTransaction(transaction: { version?: unknown; serialize(): Uint8Array }) {
      seen.push(transaction.version)
      const connected = account()
      if (!connected) throw new Error('not connected')
      const [signed] = await dev.features['solana:signTransaction'].signTransaction({
        account: connected,
        transaction: transaction.serialize(),
      })
      if (!signed) throw new Error('nothing signed')
      return { serialize: () => signed.signedTransaction }
    },
    on() {},
    off() {},
  }
  return provider
}

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
  dev = await createSolanaDevWallet({ seeds: ['visitor'] })
  configureTokenTags({
    chains: [],
    relayUrl: ledger.relayUrl,
    siteKey: ledger.siteKey,
    solanaRpcUrl: ledger.rpcUrl,
  })
})

afterEach(() => {
  delete (window as { phantom?: unknown }).phantom
})

describe('<token-tip> with a legacy injected Solana wallet', function () {
  this.timeout(90_000)

  it('offers window.phantom.solana as Phantom and tips SOL gaslessly through it', async () => {
    const seen: unknown[] = []
    ;(window as { phantom?: unknown }).phantom = { solana: legacyPhantom(seen) }
    const creatorBefore = await balance(ledger.creator)
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.01"></token-tip>`)
    await until(el, 'choose-wallet')
    await el.updateComplete
    expect([...root(el).querySelectorAll('[part~="wallet-list"] button')].map(text)).to.deep.equal(['Phantom'])
    button(el, /^Phantom$/)?.click()
    await until(el, 'ready')
    await el.updateComplete
    button(el, /^0\.01 SOL$/)?.click()
    await el.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    button(el, /^Tip /)?.click()
    const event = await success
    expect(event.detail.signature).to.be.a('string')
    // A v0 transaction, flagged as versioned the way Phantom's script tells them apart.
    expect(seen).to.deep.equal([0])
    expect((await balance(ledger.creator)) - creatorBefore).to.equal(10_000_000n)
  })
})

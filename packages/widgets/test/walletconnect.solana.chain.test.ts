// A Solana tip over WalletConnect in a real browser, through the widget's own wallet list: a page with a `sol:`
// <token-tip> only (no EVM client) offers WalletConnect; the pick draws the pairing QR code, the "phone" (a wallet
// sign client in Node, test/walletconnect-plugin.mjs) pairs with the URI read back from the rendered <svg>, and the
// relay's fee payer pays the fee on LiteSVM (test/solana-plugin.mjs). The WalletConnect relay is a loopback one
// (@tokentags/testkit/walletconnect-relay): it stands in for WalletConnect's service, which cannot be reached here.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags, resetPageConfig } from '../src/internal/config.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'
import { scanQr } from './qr-scan.js'

interface SolanaSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  visitor: string
  creator: string
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const balance = async (owner: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner })) as string)

let ledger: SolanaSetup
let phone: { relayUrl: string; solanaAddress: string }

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
  phone = (await executeServerCommand('tokentags-walletconnect', { kind: 'solana' })) as typeof phone
  // sign-client's own test switch, read from `process.env`: no Verify API iframe and no telemetry, which would
  // try to leave this machine. In that mode it also looks for React Native's linking on Node's `global`.
  Object.assign(globalThis, { process: { env: { IS_VITEST: 'true' } }, global: globalThis })
})

after(() => resetPageConfig())

describe('a Solana tip over WalletConnect', function () {
  this.timeout(90_000)

  it('offers WalletConnect in the Solana wallet list, pairs through its QR code and tips SOL; the relay pays the fee', async () => {
    expect(phone.solanaAddress, 'the phone holds the funded visitor keypair').to.equal(ledger.visitor)
    configureTokenTags({
      chains: [],
      relayUrl: ledger.relayUrl,
      siteKey: ledger.siteKey,
      solanaRpcUrl: ledger.rpcUrl,
      walletConnect: { projectId: 'tokentags-wtr-solana', relayUrl: phone.relayUrl },
    })
    const creatorBefore = await balance(ledger.creator)
    const visitorBefore = await balance(ledger.visitor)
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.5,1"></token-tip>`)
    const root = el.shadowRoot as ShadowRoot
    const button = (label: RegExp) => [...root.querySelectorAll('button')].find((b) => label.test(text(b)))
    await waitUntil(() => el.state.status === 'choose-wallet', `still ${el.state.status}`, { timeout: 20_000 })
    await el.updateComplete
    // Nothing of WalletConnect is loaded yet: the widget offers it by name, and (no wallet in this browser, a relay
    // serving this tip's Solana Pay link) paying from any phone wallet too.
    expect(text(root.querySelector('[part="wallet-list"]'))).to.equal('WalletConnect')
    await waitUntil(() => 'solanaPay' in el.state, 'no Solana Pay offer beside WalletConnect')
    await el.updateComplete
    expect(text(root.querySelector('[part~="qr-offer"]'))).to.equal('Pay from any phone wallet')
    button(/^WalletConnect$/)?.click()
    await waitUntil(() => el.state.status === 'pairing', `still ${el.state.status}`, { timeout: 20_000 })
    await el.updateComplete
    const uri = await scanQr(root.querySelector('svg[part="qr"]') as SVGSVGElement)
    expect(uri).to.match(/^wc:[0-9a-f]{64}@2\?/)
    await executeServerCommand('tokentags-walletconnect-pair', { kind: 'solana', uri })
    await waitUntil(() => el.state.status === 'ready', `still ${el.state.status}`, { timeout: 30_000 })
    await el.updateComplete
    expect(text(root)).to.match(/You pay no network fee/)
    button(/^0\.5 SOL$/)?.click()
    await el.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    button(/^Tip /)?.click()
    const event = await success
    expect(event.detail.via).to.equal('relay')
    expect(event.detail.amount).to.equal(500_000_000n)
    expect((await balance(ledger.creator)) - creatorBefore).to.equal(500_000_000n)
    expect(await balance(ledger.visitor)).to.equal(visitorBefore - 500_000_000n)
    const requests = (await executeServerCommand('tokentags-walletconnect-requests', { kind: 'solana' })) as string[]
    expect(requests).to.deep.equal(['solana_signTransaction'])
  })
})

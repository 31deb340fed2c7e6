// A Solana tip over WalletConnect in a real browser: a page with a `sol:` <token-tip> only (no EVM client), the
// session's Solana wallet registered through Wallet Standard as a page's picker would, the "phone" (a wallet sign
// client in Node, test/walletconnect-plugin.mjs) scanning the pairing QR code, and the relay's fee payer paying the
// fee on LiteSVM (test/solana-plugin.mjs).
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { registerSolanaDevWallet } from '@tokentags/testkit/solana-dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import { render } from 'lit'
import '../src/token-tip/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags, getPageConfig, resetPageConfig } from '../src/internal/config.js'
import { loadPairing } from '../src/internal/qr-loader.js'
import { loadWalletConnect } from '../src/internal/walletconnect-loader.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'
import { scanQr } from './qr-scan.js'

interface SolanaSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  visitor: string
  creator: string
}

const WORDS = { scan: 'Scan with your phone’s wallet', openIn: 'Open in {wallet}', otherWallet: 'Other wallet' }
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const balance = async (owner: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner })) as string)

let ledger: SolanaSetup
let phone: { relayUrl: string; solanaAddress: string }
let unregister: (() => void) | undefined

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
  phone = (await executeServerCommand('tokentags-walletconnect', { kind: 'solana' })) as typeof phone
  // sign-client's own test switch, read from `process.env`: no Verify API iframe and no telemetry, which would
  // try to leave this machine. In that mode it also looks for React Native's linking on Node's `global`.
  Object.assign(globalThis, { process: { env: { IS_VITEST: 'true' } }, global: globalThis })
})

after(() => {
  unregister?.()
  resetPageConfig()
})

describe('a Solana tip over WalletConnect', function () {
  this.timeout(90_000)

  it('pairs from the Solana wallet list through the QR code and tips SOL; the relay pays the fee', async () => {
    expect(phone.solanaAddress, 'the phone holds the funded visitor keypair').to.equal(ledger.visitor)
    configureTokenTags({
      chains: [],
      relayUrl: ledger.relayUrl,
      siteKey: ledger.siteKey,
      solanaRpcUrl: ledger.rpcUrl,
      walletConnect: { projectId: 'tokentags-wtr-solana', relayUrl: phone.relayUrl },
    })
    const settings = getPageConfig()?.walletConnect
    if (!settings) throw new TypeError('no WalletConnect in the page config')
    const [api, { renderPairing }] = await Promise.all([loadWalletConnect(), loadPairing()])
    const wc = api.walletConnectFor(undefined, settings, ['solana:devnet'])
    expect(wc.solanaWallet.chains).to.deep.equal(['solana:devnet'])
    unregister = registerSolanaDevWallet(wc.solanaWallet as never)
    const host = await fixture<HTMLDivElement>(html`<div></div>`)
    wc.onDisplayUri(async (uri) => {
      render(renderPairing({ uri, links: api.walletConnectLinks(uri), phone: false, words: WORDS }), host)
      const fromQr = await scanQr(host.querySelector('svg[part="qr"]') as SVGSVGElement)
      await executeServerCommand('tokentags-walletconnect-pair', { kind: 'solana', uri: fromQr })
    })

    const creatorBefore = await balance(ledger.creator)
    const visitorBefore = await balance(ledger.visitor)
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.5,1"></token-tip>`)
    const root = el.shadowRoot as ShadowRoot
    const button = (label: RegExp) => [...root.querySelectorAll('button')].find((b) => label.test(text(b)))
    await waitUntil(() => el.state.status === 'choose-wallet', `still ${el.state.status}`, { timeout: 20_000 })
    await el.updateComplete
    button(/^WalletConnect$/)?.click()
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

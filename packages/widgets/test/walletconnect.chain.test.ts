// WalletConnect in a real browser: the page's core client pairs through the pairing view's QR code, which the
// "phone" (a wallet sign client in Node, test/walletconnect-plugin.mjs) reads back from the rendered <svg>, over
// the loopback WalletConnect relay; then <token-claim> claims gasless on anvil, signing over WalletConnect.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { executeServerCommand } from '@web/test-runner-commands'
import { render } from 'lit'
import '../src/define.js'
import { configureTokenTags, type TokenClaim, type TokenSuccessEvent, type TokenTip } from '../src/index.js'
import { getPageConfig, resetPageConfig } from '../src/internal/config.js'
import { loadCore } from '../src/internal/core-loader.js'
import { loadPairing } from '../src/internal/qr-loader.js'
import { loadWalletConnect } from '../src/internal/walletconnect-loader.js'
import { scanQr } from './qr-scan.js'

interface ChainSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  chainId: number
  vestingVault: `0x${string}`
  token: `0x${string}`
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const WORDS = { scan: 'Scan with your phone’s wallet', openIn: 'Open in {wallet}', otherWallet: 'Other wallet' }

let chain: ChainSetup
let phone: { relayUrl: string; address: `0x${string}` }

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  phone = (await executeServerCommand('tokentags-walletconnect', { kind: 'evm', chain })) as typeof phone
  // sign-client's own test switch, read from `process.env`: no Verify API iframe and no telemetry, which would
  // try to leave this machine. In that mode it also looks for React Native's linking on Node's `global`.
  Object.assign(globalThis, { process: { env: { IS_VITEST: 'true' } }, global: globalThis })
})

after(() => resetPageConfig())

describe('WalletConnect in the browser', function () {
  this.timeout(60_000)

  it('pairs through the QR code of the pairing view; <token-claim> then claims gasless over WalletConnect', async () => {
    configureTokenTags({
      chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }],
      relayUrl: chain.relayUrl,
      siteKey: chain.siteKey,
      gasless: 'always',
      walletConnect: { projectId: 'tokentags-wtr-page', relayUrl: phone.relayUrl },
    })
    const config = getPageConfig()
    if (!config?.walletConnect) throw new TypeError('no WalletConnect in the page config')
    const [core, api, { renderPairing }] = await Promise.all([loadCore(), loadWalletConnect(), loadPairing()])
    const client = core.clientFor(config)
    const wc = api.walletConnectFor(client, config.walletConnect)
    expect(core.getWallets(client).map((w) => w.id)).to.include('walletConnect')

    const host = await fixture<HTMLDivElement>(html`<div></div>`)
    const scanned: string[] = []
    wc.onDisplayUri(async (uri) => {
      render(renderPairing({ uri, links: api.walletConnectLinks(uri), phone: false, words: WORDS }), host)
      const fromQr = await scanQr(host.querySelector('svg[part="qr"]') as SVGSVGElement)
      scanned.push(fromQr)
      await executeServerCommand('tokentags-walletconnect-pair', { kind: 'evm', uri: fromQr })
    })
    const connected = await core.connect(client, { walletId: 'walletConnect' })
    expect(connected).to.deep.equal({ address: phone.address, chainId: chain.chainId })
    expect(scanned).to.have.length(1)
    expect(api.isPairingUri(scanned[0] as string)).to.equal(true)
    // The same view offers the wallet apps with the same URI (a phone cannot scan its own screen).
    const metamask = host.querySelector<HTMLAnchorElement>('a[href^="https://metamask.app.link/wc?uri="]')
    expect(metamask?.href).to.equal(`https://metamask.app.link/wc?uri=${encodeURIComponent(scanned[0] as string)}`)
    expect(text(metamask)).to.equal('Open in MetaMask')

    const el = await fixture<TokenClaim>(
      html`<token-claim vault=${chain.vestingVault} chain=${String(chain.chainId)}></token-claim>`,
    )
    await waitUntil(() => el.state.status === 'claimable', `still ${el.state.status}`, { timeout: 20_000 })
    await el.updateComplete
    const root = el.shadowRoot as ShadowRoot
    expect(text(root)).to.match(/You pay no gas/)
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    ;(root.querySelector('[part~="action"]') as HTMLButtonElement).click()
    const event = await success
    expect(event.detail.via).to.equal('relay')
    expect(event.detail.txHash).to.match(/^0x[0-9a-f]{64}$/)
    expect(event.detail.amount >= 1500n * 10n ** 18n).to.equal(true)
    const requests = (await executeServerCommand('tokentags-walletconnect-requests', { kind: 'evm' })) as string[]
    expect(requests).to.deep.equal(['eth_signTypedData_v4'])
  })

  it('tips TAG gasless from the same WalletConnect session (one signature in the phone)', async () => {
    const creator = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
    const el = await fixture<TokenTip>(
      html`<token-tip to=${creator} token=${chain.token} amounts="1,5" chain=${String(chain.chainId)}></token-tip>`,
    )
    await waitUntil(() => el.state.status === 'ready', `still ${el.state.status}`, { timeout: 20_000 })
    await el.updateComplete
    const root = el.shadowRoot as ShadowRoot
    const button = (label: RegExp) => [...root.querySelectorAll('button')].find((b) => label.test(text(b)))
    button(/^5 TAG$/)?.click()
    await el.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    button(/^Tip 5 TAG$/)?.click()
    const event = await success
    expect(event.detail.via).to.equal('relay')
    expect(event.detail.amount).to.equal(5n * 10n ** 18n)
    await el.updateComplete
    expect(text(root.querySelector('[role="status"]'))).to.equal('Sent 5 TAG to 0x7099…79C8.')
    const requests = (await executeServerCommand('tokentags-walletconnect-requests', { kind: 'evm' })) as string[]
    expect(requests).to.deep.equal(['eth_signTypedData_v4', 'eth_signTypedData_v4'])
  })
})

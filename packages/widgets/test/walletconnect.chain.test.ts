// WalletConnect in a real browser, through the widgets' own wallet list: the visitor picks WalletConnect, the widget
// draws the pairing view, and the "phone" (a wallet sign client in Node, test/walletconnect-plugin.mjs) pairs with the
// URI it reads back from the rendered QR code <svg>. The WalletConnect relay is a loopback one
// (@tokentags/testkit/walletconnect-relay): it stands in for WalletConnect's service, which cannot be reached here.
// One pairing serves every widget on the page; <token-claim> then claims and <token-tip> tips gasless on anvil,
// signing over WalletConnect.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/define.js'
import { configureTokenTags, type TokenClaim, type TokenSuccessEvent, type TokenTip } from '../src/index.js'
import { resetPageConfig, type TokenTagsPageConfig } from '../src/internal/config.js'
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
const buttons = (el: HTMLElement, label: RegExp) =>
  [...(el.shadowRoot as ShadowRoot).querySelectorAll('button')].filter((b) => label.test(text(b)))
const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

let chain: ChainSetup
let phone: { relayUrl: string; address: `0x${string}` }
let config: TokenTagsPageConfig

/** What the loopback relay sees of a topic: connections subscribed now, and the messages published there. */
interface TopicView {
  subscribers: number
  messages: { tag: number; delivered: number }[]
}
const topicView = (topic: string) =>
  executeServerCommand('tokentags-walletconnect-topic', { topic }) as Promise<TopicView>
// sign-client's tag for a wallet's answer to a session proposal (its approval).
const TAG_PROPOSAL_ANSWER = 1101

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  phone = (await executeServerCommand('tokentags-walletconnect', { kind: 'evm', chain })) as typeof phone
  // sign-client's own test switch, read from `process.env`: no Verify API iframe and no telemetry, which would
  // try to leave this machine. In that mode it also looks for React Native's linking on Node's `global`.
  Object.assign(globalThis, { process: { env: { IS_VITEST: 'true' } }, global: globalThis })
  config = {
    chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }],
    relayUrl: chain.relayUrl,
    siteKey: chain.siteKey,
    gasless: 'always',
    walletConnect: { projectId: 'tokentags-wtr-page', relayUrl: phone.relayUrl },
  }
})

after(() => resetPageConfig())

describe('WalletConnect in the browser', function () {
  this.timeout(60_000)

  it('Cancel gives the pairing up at once: the relay closes its topic, the phone’s later approval connects nothing', async () => {
    configureTokenTags(config)
    // A second phone whose holder scans the code but looks at the approval prompt only later.
    await executeServerCommand('tokentags-walletconnect', { kind: 'late', chain })
    await executeServerCommand('tokentags-walletconnect-hold', { kind: 'late', hold: true })
    const tip = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} token=${chain.token} amounts="1,5" chain=${String(chain.chainId)}></token-tip>`,
    )
    await waitUntil(() => tip.state.status === 'choose-wallet', `still ${tip.state.status}`, { timeout: 20_000 })
    await tip.updateComplete
    buttons(tip, /^WalletConnect$/)[0]?.click()
    await waitUntil(() => tip.state.status === 'pairing', `still ${tip.state.status}`, { timeout: 20_000 })
    await tip.updateComplete
    const uri = await scanQr((tip.shadowRoot as ShadowRoot).querySelector('svg[part="qr"]') as SVGSVGElement)
    const topic = /^wc:([0-9a-f]{64})@2\?/.exec(uri)?.[1] as string
    expect(topic).to.be.a('string')
    await executeServerCommand('tokentags-walletconnect-pair', { kind: 'late', uri })
    await waitUntil(async () => (await executeServerCommand('tokentags-walletconnect-held', { kind: 'late' })) === 1)
    // The page and the phone both listen on the pairing's topic.
    expect((await topicView(topic)).subscribers).to.equal(2)

    buttons(tip, /^Cancel$/)[0]?.click()
    await waitUntil(() => tip.state.status === 'choose-wallet', `still ${tip.state.status}`)
    // The pairing is deleted, not left to WalletConnect's 5 minutes: the page leaves its topic and tells the phone,
    // which leaves it too.
    await waitUntil(async () => (await topicView(topic)).subscribers === 0, 'the pairing topic is still listened to', {
      timeout: 10_000,
    })

    // Now the phone's holder approves: the phone was told the pairing is gone (the approval fails there), or its
    // answer reaches nobody; the widget stays on the wallet list.
    const outcomes = (await executeServerCommand('tokentags-walletconnect-approve-held', { kind: 'late' })) as string[]
    expect(outcomes).to.have.length(1)
    const answers = (await topicView(topic)).messages.filter((m) => m.tag === TAG_PROPOSAL_ANSWER)
    expect(answers.map((m) => m.delivered)).to.deep.equal(outcomes[0] === 'published' ? [0] : [])
    expect(tip.state.status).to.equal('choose-wallet')
  })

  it('offers WalletConnect in the wallet list; one pairing (its QR code) connects every widget; claims over it', async () => {
    configureTokenTags(config)
    const claim = await fixture<TokenClaim>(
      html`<token-claim vault=${chain.vestingVault} chain=${String(chain.chainId)}></token-claim>`,
    )
    const tip = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} token=${chain.token} amounts="1,5" chain=${String(chain.chainId)}></token-tip>`,
    )
    for (const el of [claim, tip]) {
      await waitUntil(() => el.state.status === 'choose-wallet', `still ${el.state.status}`, { timeout: 20_000 })
      await el.updateComplete
    }
    // No wallet in this browser: WalletConnect alone, before any of its code is loaded.
    expect(text((claim.shadowRoot as ShadowRoot).querySelector('[part="wallet-list"]'))).to.equal('WalletConnect')

    // The tip's visitor opens a pairing, then cancels it: back to the wallets, at once.
    buttons(tip, /^WalletConnect$/)[0]?.click()
    await waitUntil(() => tip.state.status === 'pairing', `still ${tip.state.status}`, { timeout: 20_000 })
    await tip.updateComplete
    const tipRoot = tip.shadowRoot as ShadowRoot
    const abandoned = await scanQr(tipRoot.querySelector('svg[part="qr"]') as SVGSVGElement)
    expect(text(tipRoot.querySelector('[role="status"]'))).to.equal(
      'Scan the code with your phone’s wallet to connect.',
    )
    buttons(tip, /^Cancel$/)[0]?.click()
    await waitUntil(() => tip.state.status === 'choose-wallet', `still ${tip.state.status}`)
    const tipStatuses: string[] = []
    tip.addEventListener('token-status', (e) => tipStatuses.push(e.detail.status))

    // The claim's visitor picks WalletConnect: a new pairing (the cancelled one is gone).
    buttons(claim, /^WalletConnect$/)[0]?.click()
    await waitUntil(() => claim.state.status === 'pairing', `still ${claim.state.status}`, { timeout: 20_000 })
    await claim.updateComplete
    const root = claim.shadowRoot as ShadowRoot
    const uri = await scanQr(root.querySelector('svg[part="qr"]') as SVGSVGElement)
    expect(uri).to.not.equal(abandoned)
    expect(uri).to.match(/^wc:[0-9a-f]{64}@2\?/)
    // The same view offers the wallet apps with the same URI (a phone cannot scan its own screen).
    const metamask = root.querySelector<HTMLAnchorElement>('a[href^="https://metamask.app.link/wc?uri="]')
    expect(metamask?.href).to.equal(`https://metamask.app.link/wc?uri=${encodeURIComponent(uri)}`)
    expect(text(metamask)).to.equal('Open in MetaMask')
    await executeServerCommand('tokentags-walletconnect-pair', { kind: 'evm', uri })

    // Both widgets connect from that one pairing; the tip's never showed a code again.
    await waitUntil(() => claim.state.status === 'claimable', `still ${claim.state.status}`, { timeout: 20_000 })
    await waitUntil(() => tip.state.status === 'ready', `still ${tip.state.status}`, { timeout: 20_000 })
    expect(tipStatuses).to.not.include('pairing')
    await claim.updateComplete
    expect(text(root)).to.match(/You pay no gas/)
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      claim.addEventListener('token-success', resolve, { once: true }),
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
    const el = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} token=${chain.token} amounts="1,5" chain=${String(chain.chainId)}></token-tip>`,
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

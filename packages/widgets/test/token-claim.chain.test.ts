// <token-claim> against a real chain: anvil with the TokenTags contracts (see chain-plugin.mjs),
// the dev wallet announced over EIP-6963, and @tokentags/core doing the reads and the claim.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installDevWallet } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/define.js'
import { configureTokenTags, type TokenClaim, type TokenSuccessEvent } from '../src/index.js'

interface ChainSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  chainId: number
  vestingVault: `0x${string}`
  token: `0x${string}`
  accounts: { kind: string; address: `0x${string}`; privateKey: `0x${string}`; total: string }[]
}

let chain: ChainSetup
let wallet: ReturnType<typeof installDevWallet>

const until = (el: TokenClaim, status: string, timeout = 20_000) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${JSON.stringify(el.state, big)}`, {
    timeout,
    interval: 50,
  })
const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const account = (kind: string) => {
  const found = chain.accounts.find((a) => a.kind === kind)
  if (!found) throw new Error(`no ${kind} account`)
  return found
}

/** A widget on a fresh core client (so it starts disconnected), connected to the dev wallet's selected account. */
async function connectedWidget(kind: string, relay = false, explorerUrl?: string): Promise<TokenClaim> {
  wallet.provider.selectAccount(account(kind).address)
  configureTokenTags({
    chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl, ...(explorerUrl && { explorerUrl }) }],
    ...(relay ? { relayUrl: chain.relayUrl, siteKey: chain.siteKey, gasless: 'always' as const } : {}),
  })
  const el = await fixture<TokenClaim>(
    html`<token-claim vault=${chain.vestingVault} chain=${String(chain.chainId)}></token-claim>`,
  )
  await until(el, 'choose-wallet')
  await el.updateComplete
  const button = [...(el.shadowRoot as ShadowRoot).querySelectorAll<HTMLButtonElement>('[part~="action"]')].find(
    (b) => text(b) === 'TokenTags Dev Wallet (dev only)',
  )
  expect(button, 'the dev wallet is listed').to.not.equal(undefined)
  button?.click()
  return el
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

describe('<token-claim> on a local chain', function () {
  this.timeout(60_000)

  it('reads a fully vested schedule and claims it through the wallet', async () => {
    // A page configured with a script URL as its explorer: the claim works, the hash is never its href.
    const el = await connectedWidget('fullyVested', false, 'javascript:alert(document.domain)//https://basescan.org')
    await until(el, 'claimable')
    await el.updateComplete
    const root = el.shadowRoot as ShadowRoot
    expect(text(root.querySelector('[role="status"]'))).to.equal('1,000 TAG ready to claim.')
    expect((root.querySelector('progress') as HTMLProgressElement).value).to.equal(100)
    await expect(el).to.be.accessible()

    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    const statuses: string[] = []
    el.addEventListener('token-status', (e) => statuses.push(e.detail.status))
    ;(root.querySelector('[part~="action"]') as HTMLButtonElement).click()
    const event = await success
    expect(event.detail.via).to.equal('wallet')
    expect(event.detail.amount).to.equal(1000n * 10n ** 18n)
    expect(event.detail.txHash).to.match(/^0x[0-9a-f]{64}$/)
    expect(statuses[0]).to.equal('signing')
    expect(statuses.at(-1)).to.equal('success')
    await el.updateComplete
    expect(text(root.querySelector('[role="status"]'))).to.equal('Claimed 1,000 TAG.')
    expect(root.querySelector('[part~="hash"]')?.localName).to.equal('code')
    expect(root.querySelector('[part~="hash"]')?.getAttribute('title')).to.equal(event.detail.txHash)
    expect(root.querySelectorAll('a[href^="javascript:" i]')).to.have.length(0)
  })

  it('claims a partly vested schedule gaslessly through the relay', async () => {
    const el = await connectedWidget('partlyVested', true, 'https://explorer.example/')
    await until(el, 'claimable')
    await el.updateComplete
    const root = el.shadowRoot as ShadowRoot
    expect(text(root)).to.match(/You pay no gas/)
    expect(text(root.querySelector('[role="status"]'))).to.match(/^500(\.\d+)? TAG ready to claim\.$/)

    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    const seen: string[] = []
    el.addEventListener('token-status', (e) => seen.push(e.detail.status))
    ;(root.querySelector('[part~="action"]') as HTMLButtonElement).click()
    const event = await success
    expect(event.detail.via).to.equal('relay')
    expect(event.detail.txHash).to.match(/^0x[0-9a-f]{64}$/)
    expect(event.detail.amount >= 500n * 10n ** 18n).to.equal(true)
    expect(seen).to.include('pending')
    await el.updateComplete
    expect(text(root)).to.match(/Gas was paid by the relay/)
    // The explorer from the page's configuration links the transaction.
    expect(root.querySelector<HTMLAnchorElement>('a[part~="hash"]')?.href).to.equal(
      `https://explorer.example/tx/${event.detail.txHash}`,
    )
  })

  it('shows the next unlock of a schedule before its cliff', async () => {
    const el = await connectedWidget('beforeCliff')
    await until(el, 'nothing-to-claim')
    await el.updateComplete
    const root = el.shadowRoot as ShadowRoot
    const time = root.querySelector('time')
    const unlock = Date.parse(time?.getAttribute('datetime') ?? '')
    // The demo schedule started a day ago with a 7-day cliff: about 6 days from now.
    expect(unlock - Date.now()).to.be.within(5.9 * 86_400_000, 6.1 * 86_400_000)
    expect(text(root)).to.match(/Next unlock: 700 TAG on/)
    await expect(el).to.be.accessible()
  })
})

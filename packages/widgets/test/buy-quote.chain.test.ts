// <token-buy>'s quote is live (the embed e2e once stayed on "Getting a quote…"): the quote of what the field holds is
// always shown, on its way, or replaced by an error with a retry. Real parts: anvil and the chain plugin's native sale,
// the dev wallet, and rpc-hold-plugin.mjs, a JSON-RPC proxy in front of anvil that holds or refuses the sale's
// `quote(amountIn)` read until the test lets it through.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installDevWallet } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand, sendKeys } from '@web/test-runner-commands'
import '../src/token-buy/define.js'
import { amountApi } from '../src/internal/amount-loader.js'
import { configureTokenTags } from '../src/internal/config.js'
import { CoreBuyController } from '../src/token-buy/core-buy-controller.js'
import type { TokenBuy } from '../src/token-buy/token-buy.js'

interface ChainSetup {
  rpcUrl: string
  chainId: number
  tokenSale: `0x${string}`
  accounts: { address: `0x${string}`; privateKey: `0x${string}` }[]
}

let chain: ChainSetup
let proxyUrl: string
let wallet: ReturnType<typeof installDevWallet>

// 0.01 and 0.02 ETH at the sale's 0.001 ETH per TAG: 10 and 20 TAG.
const CENT = 10n ** 16n
const TWO_CENTS = 2n * CENT

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const field = (el: Element) => root(el).querySelector<HTMLInputElement>('[part~="input"]') as HTMLInputElement
const action = (el: Element) => root(el).querySelector<HTMLButtonElement>('[part~="action"]')
const rpc = (payload: object) =>
  executeServerCommand('tokentags-rpc-hold', payload) as Promise<{ held: number; calls?: number }>

async function until(el: TokenBuy, check: () => boolean, what: string, timeout = 20_000): Promise<void> {
  try {
    await waitUntil(check, what, { timeout, interval: 50 })
  } catch {
    throw new Error(`expected ${what}, still ${JSON.stringify(el.state, big)}: "${text(root(el))}"`)
  }
}

/** The card shows the quote of `amountIn`, nothing on its way: "Buy N TAG" can be pressed. */
async function quoted(el: TokenBuy, amountIn: bigint, bought: string): Promise<void> {
  await until(
    el,
    () => el.state.status === 'ready' && el.state.quote?.amountIn === amountIn && !el.state.quoting,
    `the quote of ${amountIn}`,
  )
  await el.updateComplete
  expect(text(action(el))).to.equal(`Buy ${bought}`)
  expect(action(el)?.getAttribute('aria-disabled')).to.equal('false')
  expect(text(root(el))).to.not.match(/Getting a quote/)
}

async function mount(): Promise<TokenBuy> {
  // A fresh client per test (a new configuration): every card starts from the wallet list.
  configureTokenTags({ chains: [{ id: chain.chainId, rpcUrl: proxyUrl }] })
  return fixture<TokenBuy>(html`<token-buy sale=${chain.tokenSale} chain=${String(chain.chainId)}></token-buy>`)
}

async function connect(el: TokenBuy): Promise<void> {
  await until(el, () => el.state.status === 'choose-wallet', 'the wallet list')
  await el.updateComplete
  const dev = [...root(el).querySelectorAll('button')].find((b) => /TokenTags Dev Wallet/.test(text(b)))
  expect(dev, 'the dev wallet is listed').to.not.equal(undefined)
  dev?.click()
}

async function ready(el: TokenBuy): Promise<void> {
  await connect(el)
  await until(el, () => el.state.status === 'ready', 'ready')
  // The amount reader has loaded with the field.
  await el.updateComplete
}

async function type(el: TokenBuy, keys: string): Promise<void> {
  field(el).focus()
  await sendKeys({ type: keys })
}

/** Resolves once the proxy holds a quote read. */
const whenHeld = () => waitUntil(async () => (await rpc({})).held > 0, 'the quote read reached the proxy')

/**
 * Lets the held reads through and resolves once the page has their answers: a response that started before the
 * release and ended after it (resource timing; the proxy is the only server on its port).
 */
async function release(): Promise<void> {
  const releasedAt = performance.now()
  await rpc({ release: true })
  await waitUntil(
    () =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).some(
        (e) => e.name.startsWith(proxyUrl) && e.startTime < releasedAt && e.responseEnd >= releasedAt,
      ),
    'the held answer reached the page',
  )
  // The answer's promise chain (viem's batch, core) settles in the tasks after it.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  proxyUrl = ((await executeServerCommand('tokentags-rpc-hold', { start: chain.rpcUrl })) as { url: string }).url
  wallet = installDevWallet({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKeys: chain.accounts.map((a) => a.privateKey),
  })
  performance.setResourceTimingBufferSize(100_000)
})

after(() => wallet?.uninstall())

afterEach(async () => {
  await rpc({ release: true })
})

describe('<token-buy> quotes what the field holds, whatever races it', function () {
  this.timeout(60_000)

  // First in the file: the page has not loaded the amount reader yet.
  it('a payment typed before the amount reader arrived is quoted once it has', async () => {
    const el = await mount()
    await connect(el)
    // Typed the moment the field is drawn (as Playwright's fill does in the embed e2e), before the reader's chunk.
    const early = await new Promise<boolean>((resolve) => {
      const observer = new MutationObserver(() => {
        const input = field(el)
        if (!input) return
        observer.disconnect()
        const before = amountApi() === undefined
        input.value = '0.01'
        input.dispatchEvent(new Event('input'))
        resolve(before)
      })
      observer.observe(root(el), { childList: true, subtree: true })
    })
    expect(early, 'typed before the amount reader loaded').to.equal(true)
    await quoted(el, CENT, '10 TAG')
    await expect(el).to.be.accessible()
  })

  it('a quote that answers while the wallet is away shows once it is back', async () => {
    const el = await mount()
    await ready(el)
    await rpc({ hold: String(CENT) })
    await type(el, '0.01')
    await whenHeld()
    wallet.provider.disconnect()
    await until(el, () => el.state.status === 'choose-wallet', 'the wallet list')
    // The answer comes while the card shows the wallets.
    await release()
    await connect(el)
    await quoted(el, CENT, '10 TAG')
  })

  it('an older quote that answers after the newer amount’s does not replace it', async () => {
    const el = await mount()
    await ready(el)
    await rpc({ hold: String(CENT) })
    await type(el, '0.01')
    await whenHeld()
    await sendKeys({ press: 'Backspace' })
    await sendKeys({ type: '2' })
    await quoted(el, TWO_CENTS, '20 TAG')
    const reads = (await rpc({ calls: String(TWO_CENTS) })).calls
    await release()
    await quoted(el, TWO_CENTS, '20 TAG')
    expect(field(el).value).to.equal('0.02')
    // The stale answer was dropped, not shown and then corrected by a new read.
    expect((await rpc({ calls: String(TWO_CENTS) })).calls).to.equal(reads)
  })

  it('a refused quote shows READ_FAILED with Try again, and the retry quotes the field again', async () => {
    const el = await mount()
    await ready(el)
    await rpc({ fail: String(CENT) })
    const error = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('token-error', (e) => resolve(e as CustomEvent), { once: true }),
    )
    await type(el, '0.01')
    await until(el, () => el.state.status === 'error', 'an error')
    expect(el.state).to.include({ code: 'READ_FAILED', retryable: true })
    expect((await error).detail.code).to.equal('READ_FAILED')
    await el.updateComplete
    expect(text(root(el).querySelector('[role="status"]'))).to.equal(
      'The network could not be read. Try again in a moment.',
    )
    await rpc({ release: true })
    expect(text(action(el))).to.equal('Try again')
    action(el)?.click()
    await quoted(el, CENT, '10 TAG')
    expect(field(el).value).to.equal('0.01')
  })

  it('a quote that never answers ends in READ_FAILED with Try again (the quote timeout), then quotes', async () => {
    const timeout = CoreBuyController.quoteTimeoutMs
    // The real bound is 10 s; a shorter one keeps the test short (it is what is tested, not how long).
    CoreBuyController.quoteTimeoutMs = 1_000
    try {
      const el = await mount()
      await ready(el)
      await rpc({ hold: String(CENT) })
      const error = new Promise<CustomEvent>((resolve) =>
        el.addEventListener('token-error', (e) => resolve(e as CustomEvent), { once: true }),
      )
      await type(el, '0.01')
      await whenHeld()
      await until(el, () => el.state.status === 'error', 'an error')
      expect(el.state).to.include({ code: 'READ_FAILED', retryable: true })
      expect((await error).detail.code).to.equal('READ_FAILED')
      await el.updateComplete
      expect(text(action(el))).to.equal('Try again')
      // The late answer of the timed-out read changes nothing.
      await release()
      expect(el.state.status).to.equal('error')
      action(el)?.click()
      await quoted(el, CENT, '10 TAG')
    } finally {
      CoreBuyController.quoteTimeoutMs = timeout
    }
  })
})

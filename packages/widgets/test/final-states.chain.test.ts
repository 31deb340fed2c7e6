// Honest texts in every final state (issue 15): after a buy or a tip that did not complete, the card says what happened
// and who paid, on a real chain (anvil, chain-plugin.mjs) with the dev wallet. Declined in the wallet: nothing was
// sent, nobody paid. Reverted on chain: the visitor paid the fee of the linked transaction.
// Partly done: the approval went through (and was paid for), the tip itself was declined.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installDevWallet } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand, sendKeys } from '@web/test-runner-commands'
import '../src/token-buy/define.js'
import '../src/token-tip/define.js'
import type { TokenErrorEvent } from '../src/events.js'
import { configureTokenTags } from '../src/internal/config.js'
import type { TokenBuy } from '../src/token-buy/token-buy.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

interface ChainSetup {
  rpcUrl: string
  chainId: number
  token: `0x${string}`
  tipRouter: `0x${string}`
  tokenSale: `0x${string}`
  accounts: { address: `0x${string}`; privateKey: `0x${string}` }[]
}

type Request = (args: { method: string; params?: unknown }) => Promise<unknown>

let chain: ChainSetup
let wallet: ReturnType<typeof installDevWallet>
let walletRequest: Request
const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const status = (el: Element) => text(root(el).querySelector('[role="status"]'))
const paidNote = (el: Element) => text(root(el).querySelector('[part~="paid"]'))
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))

async function until(el: TokenBuy | TokenTip, check: () => boolean, what: string): Promise<void> {
  try {
    await waitUntil(check, what, { timeout: 20_000, interval: 50 })
  } catch {
    throw new Error(`expected ${what}, still ${JSON.stringify(el.state, big)}`)
  }
}

/** The wallet answers `eth_sendTransaction` number `n` (from 1) with `answer` instead of sending as asked. */
function onSend(n: number, answer: (args: { method: string; params?: unknown }) => Promise<unknown>): void {
  let sends = 0
  ;(wallet.provider as unknown as { request: Request }).request = (args) =>
    args.method === 'eth_sendTransaction' && ++sends === n ? answer(args) : walletRequest(args)
}

const declined = () => Promise.reject(Object.assign(new Error('User rejected the request.'), { code: 4001 }))

/** The page's session connects once; later widgets join it (one session per network per page). */
async function connect(el: TokenBuy | TokenTip): Promise<void> {
  await until(el, () => el.state.status === 'choose-wallet' || el.state.status === 'ready', 'choose-wallet or ready')
  await el.updateComplete
  if (el.state.status === 'choose-wallet') button(el, /^TokenTags Dev Wallet \(dev only\)$/)?.click()
  await until(el, () => el.state.status === 'ready', 'ready')
  await el.updateComplete
}

async function buyFor(el: TokenBuy, amount: string): Promise<TokenErrorEvent> {
  const field = root(el).querySelector<HTMLInputElement>('[part~="input"]') as HTMLInputElement
  field.focus()
  await sendKeys({ type: amount })
  await until(el, () => el.state.status === 'ready' && !!el.state.quote && !el.state.quoting, 'a quote')
  await el.updateComplete
  const error = new Promise<TokenErrorEvent>((resolve) => el.addEventListener('token-error', resolve, { once: true }))
  button(el, /^Buy \d/)?.click()
  return error
}

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  wallet = installDevWallet({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKeys: chain.accounts.map((a) => a.privateKey),
  })
  walletRequest = wallet.provider.request.bind(wallet.provider) as Request
  configureTokenTags({ chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }] })
})

afterEach(() => {
  ;(wallet.provider as unknown as { request: Request }).request = walletRequest
})

after(() => wallet?.uninstall())

describe('final states of a buy and a tip that did not complete', function () {
  this.timeout(60_000)

  it('a buy declined in the wallet: nothing was sent, you paid nothing', async () => {
    wallet.provider.selectAccount(chain.accounts[0]?.address as `0x${string}`)
    const el = await fixture<TokenBuy>(
      html`<token-buy sale=${chain.tokenSale} chain=${String(chain.chainId)}></token-buy>`,
    )
    await connect(el)
    onSend(1, declined)
    const event = await buyFor(el, '0.001')
    expect(event.detail.code).to.equal('USER_REJECTED')
    await el.updateComplete
    expect(status(el)).to.equal('The request was declined in your wallet.')
    expect(paidNote(el)).to.equal('Nothing was sent: you paid nothing.')
    expect(root(el).querySelector('[part~="hash"]')).to.equal(null)
    await expect(el).to.be.accessible()
  })

  it('a buy that reverts on chain: you paid the fee of the linked transaction', async () => {
    wallet.provider.selectAccount(chain.accounts[0]?.address as `0x${string}`)
    const el = await fixture<TokenBuy>(
      html`<token-buy sale=${chain.tokenSale} chain=${String(chain.chainId)}></token-buy>`,
    )
    await connect(el)
    // The wallet sends the buy with 1 wei less than the price and its own gas limit (no estimate): the sale reverts it
    // on chain (TokenSaleWrongValue), after the widget's own estimate passed.
    onSend(1, (args) => {
      const [tx] = args.params as [Record<string, string>]
      return walletRequest({
        method: 'eth_sendTransaction',
        params: [{ ...tx, value: `0x${(BigInt(tx.value as string) - 1n).toString(16)}`, gas: '0x493e0' }],
      })
    })
    const event = await buyFor(el, '0.001')
    expect(event.detail.code).to.equal('TRANSACTION_FAILED')
    await el.updateComplete
    expect(status(el)).to.equal('The transaction failed on the network.')
    const txHash = (el.state as { txHash?: string }).txHash as `0x${string}`
    expect(txHash).to.match(/^0x[0-9a-f]{64}$/)
    const receipt = (await (
      await fetch(chain.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionReceipt', params: [txHash] }),
      })
    ).json()) as { result: { status: string; from: string; gasUsed: string } }
    // The linked transaction is the visitor's, it reverted, and it spent gas.
    expect(receipt.result.status).to.equal('0x0')
    expect(receipt.result.from.toLowerCase()).to.equal(chain.accounts[0]?.address.toLowerCase())
    expect(BigInt(receipt.result.gasUsed) > 0n).to.equal(true)
    expect(text(root(el).querySelector('[part~="hash"]'))).to.equal(`${txHash.slice(0, 6)}…${txHash.slice(-4)}`)
    expect(paidNote(el)).to.equal('You paid the gas from your wallet.')
    await expect(el).to.be.accessible()
  })

  it('a tip whose approval went through and whose tip was declined: says only the approval went through, and who paid', async () => {
    wallet.provider.selectAccount(chain.accounts[1]?.address as `0x${string}`)
    const el = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} token=${chain.token} amounts="1" memo="thanks" router=${chain.tipRouter} gasless="never" chain=${String(chain.chainId)}></token-tip>`,
    )
    await connect(el)
    // The first transaction is the router's approval; the second, the tip itself, is declined.
    onSend(2, declined)
    const error = new Promise<TokenErrorEvent>((resolve) => el.addEventListener('token-error', resolve, { once: true }))
    button(el, /^1 TAG$/)?.click()
    await el.updateComplete
    button(el, /^Tip 1 TAG$/)?.click()
    expect((await error).detail.code).to.equal('USER_REJECTED')
    await el.updateComplete
    expect(status(el)).to.equal('The request was declined in your wallet.')
    expect(paidNote(el)).to.equal('Only the approval went through. You paid the gas from your wallet.')
    expect(root(el).querySelector('[part~="hash"]')).to.not.equal(null)
  })
})

// Balances, Max and explorer links with the real controllers on a local chain (issue 15, items 7 and 10): the
// visitor's ETH is read through @tokentags/core, Max keeps the gas, an amount above it never reaches the wallet,
// and the success link comes from <tokentags-config explorer>.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { announceDevWallet, createDevWalletProvider } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-buy/define.js'
import '../src/token-tip/define.js'
import '../src/tokentags-config/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { resetPageConfig } from '../src/internal/config.js'
import type { TokenBuy } from '../src/token-buy/token-buy.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

interface ChainSetup {
  rpcUrl: string
  chainId: number
  tokenSale: `0x${string}`
}

// anvil's public dev account #8 (a well-known test key, no secret), used by no other browser test: its balance is
// set here to exactly 1 ETH, and given back afterwards (the chain is shared by every test file of a run).
const VISITOR = {
  address: '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
  privateKey: '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
} as const
const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const ETH = 10n ** 18n
const EXPLORER = 'http://localhost:5173/tx/{tx}'

let chain: ChainSetup
let uninstall: () => void
/** Every method the page asked the wallet, in order. */
const asked: string[] = []

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const until = (el: TokenTip | TokenBuy, test: () => boolean, what: string) =>
  waitUntil(test, `expected ${what}, still ${JSON.stringify(el.state, big)}`, { timeout: 20_000, interval: 50 })
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const field = (el: Element) => root(el).querySelector<HTMLInputElement>('[part~="input"]') as HTMLInputElement
const buttons = (el: Element) => [...root(el).querySelectorAll<HTMLButtonElement>('button')]

async function rpc(method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(chain.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return ((await response.json()) as { result: unknown }).result
}
const balanceOf = async (address: string) => BigInt((await rpc('eth_getBalance', [address, 'latest'])) as string)

async function connect(el: TokenTip | TokenBuy): Promise<void> {
  await until(el, () => el.state.status === 'choose-wallet', 'choose-wallet')
  await el.updateComplete
  buttons(el)
    .find((b) => /Dev Wallet/.test(text(b)))
    ?.click()
  await until(el, () => el.state.status === 'ready' && 'balance' in readyOf(el), 'ready with a balance')
  await el.updateComplete
}

function readyOf(el: TokenTip | TokenBuy): { balance?: { value: bigint; reserve: bigint; spendable: bigint } } {
  const state = el.state as { status: string; offer?: object; sale?: object }
  return (state.offer ?? state.sale ?? {}) as never
}

async function type(el: TokenTip | TokenBuy, value: string): Promise<void> {
  field(el).value = value
  field(el).dispatchEvent(new Event('input', { bubbles: true, composed: true }))
  await el.updateComplete
}

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  await rpc('anvil_setBalance', [VISITOR.address, `0x${ETH.toString(16)}`])
  const provider = createDevWalletProvider({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKeys: [VISITOR.privateKey],
  })
  const spied = {
    ...provider,
    request: (args: { method: string; params?: unknown }) => {
      asked.push(args.method)
      return provider.request(args as never)
    },
  }
  uninstall = announceDevWallet(spied as never)
})

after(async () => {
  uninstall?.()
  resetPageConfig()
  await rpc('anvil_setBalance', [VISITOR.address, `0x${(10_000n * ETH).toString(16)}`])
})

describe('balance, Max and explorer links on a local chain', function () {
  this.timeout(60_000)

  async function mount<T extends Element>(widget: ReturnType<typeof html>): Promise<T> {
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <tokentags-config rpc=${`${chain.chainId}=${chain.rpcUrl}`} explorer=${`${chain.chainId}=${EXPLORER}`}></tokentags-config>
      ${widget}
    </div>`)
    return wrapper.lastElementChild as T
  }

  it('<token-buy> with ETH: shows the balance and Max quotes the balance less the gas reserve', async () => {
    const el = await mount<TokenBuy>(
      html`<token-buy sale=${chain.tokenSale} chain=${String(chain.chainId)}></token-buy>`,
    )
    await connect(el)
    const balance = readyOf(el).balance as { value: bigint; reserve: bigint; spendable: bigint }
    expect(balance.value).to.equal(ETH)
    expect(balance.reserve > 0n && balance.reserve < ETH / 100n).to.equal(true)
    expect(text(root(el).querySelector('[part~="balance"]'))).to.match(/^Balance: 1 ETH/)
    root(el).querySelector<HTMLButtonElement>('[part~="max"]')?.click()
    await el.updateComplete
    expect(field(el).value).to.match(/^0\.99\d+$/)
    await until(
      el,
      () => (el.state as { quote?: { amountIn: bigint } }).quote?.amountIn === balance.spendable,
      'a quote of the spendable balance',
    )
  })

  it('<token-tip> in ETH: refuses more than the balance without asking the wallet; Max tips and the link comes from the explorer map', async () => {
    const el = await mount<TokenTip>(
      html`<token-tip to=${CREATOR} amounts="0.01" chain=${String(chain.chainId)}></token-tip>`,
    )
    await connect(el)
    const { spendable, reserve } = readyOf(el).balance as { value: bigint; reserve: bigint; spendable: bigint }
    expect(text(root(el))).to.match(/Max keeps 0\.\d+ ETH for the network fee\./)

    await type(el, '1')
    const before = asked.length
    buttons(el)
      .find((b) => b.getAttribute('part') === 'action')
      ?.click()
    await el.updateComplete
    expect(el.state.status).to.equal('ready')
    expect(text(root(el))).to.contain('That is more than you can send')
    expect(asked.slice(before).filter((m) => m.startsWith('eth_send') || m.startsWith('eth_sign'))).to.deep.equal([])

    root(el).querySelector<HTMLButtonElement>('[part~="max"]')?.click()
    await el.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    buttons(el)
      .find((b) => b.getAttribute('part') === 'action')
      ?.click()
    const event = await success
    expect(event.detail.amount).to.equal(spendable)
    await el.updateComplete
    const link = root(el).querySelector<HTMLAnchorElement>('a[part~="hash"]')
    expect(link?.href).to.equal(`http://localhost:5173/tx/${event.detail.txHash}`)
    // The reserve paid the fee: something is left, less than the reserve.
    const left = await balanceOf(VISITOR.address)
    expect(left > 0n && left < reserve).to.equal(true)
  })
})

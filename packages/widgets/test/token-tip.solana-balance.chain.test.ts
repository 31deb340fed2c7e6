// Balances and Max of <token-tip to="sol:…"> on a local Solana ledger (issue 15, Balances): LiteSVM behind JSON-RPC
// and a relay whose fee payer sponsors the tips (solana-plugin.mjs), a dev wallet of its own whose SOL and tokens the
// test sets. SOL: Max keeps the rent-exempt minimum of the account (the relay pays the fee) and the whole of it lands;
// SPL: Max is the token account's balance. An amount above it is refused before the wallet is asked; after a tip the
// balance is read again.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installSolanaDevWallet, type SolanaDevWallet } from '@tokentags/testkit/solana-dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags } from '../src/internal/config.js'
import type { SpendBalance } from '../src/token-tip/tip-state.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

interface SolanaSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  creator: string
  mint: string
}

/** The rent-exempt minimum of an account without data (what a wallet account keeps). */
const RENT_EXEMPT = 890_880n
const SOL = 1_000_000_000n

let ledger: SolanaSetup
let wallet: SolanaDevWallet
let visitor: string

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))
const action = (el: Element) => root(el).querySelector<HTMLButtonElement>('button[part="action"]') as HTMLButtonElement
const field = (el: Element) => root(el).querySelector<HTMLInputElement>('[part~="input"]') as HTMLInputElement
const balanceOf = async (owner: string, mint?: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner, ...(mint && { mint }) })) as string)
const offered = (el: TokenTip) => (el.state as { offer?: { balance?: SpendBalance } }).offer?.balance
/** Bigints compared as text: a failed comparison of bigints would not reach the report (not serializable). */
const same = (actual: bigint | undefined, expected: bigint, what?: string) =>
  expect(String(actual), what).to.equal(String(expected))
/** The offer's balance as text: a failed comparison of objects holding bigints would not reach the report. */
const offeredText = (el: TokenTip) => JSON.stringify(offered(el) ?? null, big)
const balanceText = (value: bigint, reserve: bigint, spendable: bigint) =>
  JSON.stringify({ value, reserve, spendable }, big)

/** Waits for `status` (an error on the way ends the wait, with what it says). */
async function until(el: TokenTip, status: string, timeout = 30_000): Promise<void> {
  await waitUntil(() => el.state.status === status || el.state.status === 'error', `expected ${status}`, {
    timeout,
    interval: 50,
  })
  expect(el.state.status, JSON.stringify(el.state, big)).to.equal(status)
  await el.updateComplete
}

async function type(el: TokenTip, value: string): Promise<void> {
  field(el).value = value
  field(el).dispatchEvent(new Event('input', { bubbles: true, composed: true }))
  await el.updateComplete
}

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
  // A visitor of this file alone: the other Solana tests keep their balances.
  wallet = await installSolanaDevWallet({ seeds: ['balance and Max visitor', 'balance and Max visitor 2'] })
  visitor = wallet.dev.addresses[0] as string
  configureTokenTags({
    chains: [],
    relayUrl: ledger.relayUrl,
    siteKey: ledger.siteKey,
    solanaRpcUrl: ledger.rpcUrl,
    splSymbols: { [ledger.mint]: 'DEV' },
  })
})

describe('<token-tip> balances and Max on a local Solana ledger', function () {
  this.timeout(120_000)

  it('SOL: Max keeps the rent-exempt minimum; more is refused before signing; Max lands whole; the balance is read again', async () => {
    await executeServerCommand('tokentags-solana-fund', { owner: visitor, lamports: String((3n * SOL) / 2n) })
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.1"></token-tip>`)
    await until(el, 'choose-wallet')
    button(el, /TokenTags Dev Solana Wallet/)?.click()
    await until(el, 'ready')
    const spendable = (3n * SOL) / 2n - RENT_EXEMPT
    expect(offeredText(el)).to.equal(balanceText((3n * SOL) / 2n, RENT_EXEMPT, spendable))
    expect(text(root(el).querySelector('[part~="balance"]'))).to.match(/^Balance: 1\.5 SOL/)
    // The relay pays the fee (the card says so): no gas reserve to announce.
    expect(text(root(el))).to.contain('You pay no network fee')
    expect(text(root(el))).not.to.contain('Max keeps')
    await expect(el).to.be.accessible()

    // More than the balance less the reserve: said, and the wallet is never asked.
    const signed = wallet.dev.signedCount
    await type(el, '1.5')
    action(el).click()
    await el.updateComplete
    expect(el.state.status).to.equal('ready')
    expect(action(el).getAttribute('aria-disabled')).to.equal('true')
    expect(text(root(el))).to.match(/That is more than you can send: at most 1\.499\d* SOL\./)
    expect(wallet.dev.signedCount).to.equal(signed)

    root(el).querySelector<HTMLButtonElement>('[part~="max"]')?.click()
    await el.updateComplete
    expect(field(el).value).to.equal('1.49910912')
    const creatorBefore = await balanceOf(ledger.creator)
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    action(el).click()
    await until(el, 'success', 40_000)
    same((await success).detail.amount, spendable)
    same((await balanceOf(ledger.creator)) - creatorBefore, spendable)
    same(await balanceOf(visitor), RENT_EXEMPT, 'the account keeps its rent-exempt minimum; the relay paid the fee')

    // "Send another tip": the offer with the balance the tip left.
    button(el, /^Send another tip$/)?.click()
    await waitUntil(
      () => offered(el)?.value === RENT_EXEMPT,
      `balance not read again: ${JSON.stringify(el.state, big)}`,
      {
        timeout: 20_000,
      },
    )
    await el.updateComplete
    same(offered(el)?.spendable, 0n)
    expect(text(root(el).querySelector('[part~="balance"]'))).to.match(/^Balance: 0\.0008 SOL/)
  })

  it('SPL: the token account’s balance, Max is all of it, more is refused before signing', async () => {
    await executeServerCommand('tokentags-solana-fund', {
      owner: visitor,
      lamports: String(SOL),
      mint: ledger.mint,
      amount: '12500000',
    })
    const el = await fixture<TokenTip>(
      html`<token-tip to=${`sol:${ledger.creator}`} token=${`sol:${ledger.mint}`} amounts="1"></token-tip>`,
    )
    // Connected by the first test: straight to the offer.
    await until(el, 'ready')
    expect(offeredText(el)).to.equal(balanceText(12_500_000n, 0n, 12_500_000n))
    expect(text(root(el).querySelector('[part~="balance"]'))).to.match(/^Balance: 12\.5 DEV/)
    expect(text(root(el))).not.to.contain('Max keeps')

    const signed = wallet.dev.signedCount
    await type(el, '12.6')
    action(el).click()
    await el.updateComplete
    expect(el.state.status).to.equal('ready')
    expect(text(root(el))).to.contain('That is more than you can send: at most 12.5 DEV.')
    expect(wallet.dev.signedCount).to.equal(signed)

    root(el).querySelector<HTMLButtonElement>('[part~="max"]')?.click()
    await el.updateComplete
    expect(field(el).value).to.equal('12.5')
    const creatorBefore = await balanceOf(ledger.creator, ledger.mint)
    action(el).click()
    await until(el, 'success', 40_000)
    same((await balanceOf(ledger.creator, ledger.mint)) - creatorBefore, 12_500_000n)
    same(await balanceOf(visitor, ledger.mint), 0n)
    button(el, /^Send another tip$/)?.click()
    await waitUntil(() => offered(el)?.value === 0n, `balance not read again: ${JSON.stringify(el.state, big)}`, {
      timeout: 20_000,
    })
  })

  it('reads the balance of the account the wallet switches to', async () => {
    const second = wallet.dev.addresses[1] as string
    await executeServerCommand('tokentags-solana-fund', { owner: second, lamports: String(2n * SOL) })
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.1"></token-tip>`)
    await until(el, 'ready')
    same(offered(el)?.value, await balanceOf(visitor))
    wallet.dev.selectAccount(second)
    await waitUntil(() => offered(el)?.value === 2n * SOL, `not the new account's: ${JSON.stringify(el.state, big)}`, {
      timeout: 20_000,
    })
    await el.updateComplete
    expect(text(root(el).querySelector('[part~="balance"]'))).to.match(/^Balance: 2 SOL/)
    wallet.dev.selectAccount(visitor)
  })
})

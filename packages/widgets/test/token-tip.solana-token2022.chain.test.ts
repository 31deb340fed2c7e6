// <token-tip> with Token-2022 mints (issue 15) on a local Solana ledger: LiteSVM runs the real Token-2022 program
// behind JSON-RPC, a relay's fee payer sponsors the tips (solana-plugin.mjs). A plain Token-2022 mint is offered with
// its decimals and the tip lands; a mint with TransferFeeConfig (the creator would get less than the tip) is refused
// by core before the wallet is asked, shown as UNSUPPORTED_MINT in the widget's language, with no Try again.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installSolanaDevWallet, type SolanaDevWallet } from '@tokentags/testkit/solana-dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenErrorEvent, TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags } from '../src/internal/config.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

interface SolanaSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  creator: string
}

let ledger: SolanaSetup
let wallet: SolanaDevWallet
let visitor: string
let plainMint: string
let feeMint: string

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))
const balanceOf = async (owner: string, mint: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner, mint, token2022: true })) as string)
/** Bigints compared as text: a failed comparison of bigints would not reach the report (not serializable). */
const same = (actual: bigint | undefined, expected: bigint, what?: string) =>
  expect(String(actual), what).to.equal(String(expected))

/** Waits for `status` (an error on the way ends the wait, with what it says). */
async function until(el: TokenTip, status: string, timeout = 30_000): Promise<void> {
  await waitUntil(() => el.state.status === status || el.state.status === 'error', `expected ${status}`, {
    timeout,
    interval: 50,
  })
  expect(el.state.status, JSON.stringify(el.state, big)).to.equal(status)
  await el.updateComplete
}

/** The offer, connecting the dev wallet first when this page has not yet. */
async function offer(el: TokenTip): Promise<void> {
  await waitUntil(() => el.state.status === 'choose-wallet' || el.state.status === 'ready', 'no wallets or offer', {
    timeout: 30_000,
  })
  if (el.state.status === 'choose-wallet') {
    await el.updateComplete
    button(el, /TokenTags Dev Solana Wallet/)?.click()
  }
  await until(el, 'ready')
}

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
  // A visitor of this file alone: the other Solana tests keep their balances.
  wallet = await installSolanaDevWallet({ seeds: ['token-2022 visitor'] })
  visitor = wallet.dev.addresses[0] as string
  const holders = [
    { owner: visitor, amount: '5000000' },
    { owner: ledger.creator, amount: '0' },
  ]
  plainMint = (await executeServerCommand('tokentags-solana-token2022', {
    seed: 'token-2022 plain mint',
    holders,
  })) as string
  feeMint = (await executeServerCommand('tokentags-solana-token2022', {
    seed: 'token-2022 fee mint',
    fee: true,
    holders,
  })) as string
  configureTokenTags({
    chains: [],
    relayUrl: ledger.relayUrl,
    siteKey: ledger.siteKey,
    solanaRpcUrl: ledger.rpcUrl,
    splSymbols: { [plainMint]: 'T22', [feeMint]: 'FEE' },
  })
})

describe('<token-tip> with Token-2022 mints on a local Solana ledger', function () {
  this.timeout(120_000)

  it('tips a plain Token-2022 mint with its decimals: the creator’s token account receives it', async () => {
    const el = await fixture<TokenTip>(
      html`<token-tip to=${`sol:${ledger.creator}`} token=${`sol:${plainMint}`} amounts="1.5"></token-tip>`,
    )
    await offer(el)
    expect(text(root(el))).to.contain('You pay no network fee')
    await expect(el).to.be.accessible()
    const creatorBefore = await balanceOf(ledger.creator, plainMint)
    button(el, /^1\.5 T22$/)?.click()
    await el.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    button(el, /^Tip 1\.5 T22$/)?.click()
    await until(el, 'success', 40_000)
    // 1.5 with the mint's 6 decimals (byte 44 of a Token-2022 mint too).
    same((await success).detail.amount, 1_500_000n)
    same((await balanceOf(ledger.creator, plainMint)) - creatorBefore, 1_500_000n, 'the creator got the tip')
    same(await balanceOf(visitor, plainMint), 3_500_000n, 'from the visitor’s Token-2022 account')
    expect(text(root(el))).to.match(/Sent 1\.5 T22 to/)
  })

  it('refuses a mint with TransferFeeConfig before the wallet is asked: UNSUPPORTED_MINT, no Try again', async () => {
    const el = await fixture<TokenTip>(
      html`<token-tip to=${`sol:${ledger.creator}`} token=${`sol:${feeMint}`} amounts="1"></token-tip>`,
    )
    const errors: TokenErrorEvent[] = []
    el.addEventListener('token-error', (event) => errors.push(event))
    await offer(el)
    const signed = wallet.dev.signedCount
    button(el, /^1 FEE$/)?.click()
    await el.updateComplete
    button(el, /^Tip 1 FEE$/)?.click()
    await until(el, 'error')
    expect(el.state).to.include({ code: 'UNSUPPORTED_MINT', retryable: false })
    expect(text(root(el).querySelector('[part~="error"]'))).to.equal(
      'This token cannot be tipped here: its mint has TransferFeeConfig.',
    )
    expect(text(root(el))).to.contain('Nothing was sent: you paid nothing.')
    expect(button(el, /Try again/), 'the page has to name another token').to.equal(undefined)
    expect(errors.map((event) => event.detail.code)).to.deep.equal(['UNSUPPORTED_MINT'])
    expect(errors[0]?.detail.message).to.equal('This token cannot be tipped here: its mint has TransferFeeConfig.')
    expect(wallet.dev.signedCount, 'the wallet was never asked to sign').to.equal(signed)
    same(await balanceOf(visitor, feeMint), 5_000_000n, 'nothing left the visitor')
    await expect(el).to.be.accessible()
  })

  it('says it in the widget’s language (German words from the lazy Solana chunk)', async () => {
    const el = await fixture<TokenTip>(
      html`<token-tip locale="de" to=${`sol:${ledger.creator}`} token=${`sol:${feeMint}`} amounts="1"></token-tip>`,
    )
    const errors: TokenErrorEvent[] = []
    el.addEventListener('token-error', (event) => errors.push(event))
    await offer(el)
    const signed = wallet.dev.signedCount
    button(el, /^1 FEE$/)?.click()
    await el.updateComplete
    root(el).querySelector<HTMLButtonElement>('button[part~="action"]')?.click()
    await until(el, 'error')
    const words = 'Mit diesem Token kann hier kein Trinkgeld gegeben werden.'
    expect(text(root(el).querySelector('[part~="error"]'))).to.equal(words)
    expect(errors.map((event) => event.detail)).to.deep.equal([{ code: 'UNSUPPORTED_MINT', message: words }])
    expect(wallet.dev.signedCount).to.equal(signed)
  })
})

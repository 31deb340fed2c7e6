// <token-tip to="sol:…"> on a site whose relay requires a human check (issue 13, the Solana side): LiteSVM behind
// JSON-RPC, a relay whose site `pk_human_sol` requires the check, a local Turnstile-compatible verifier and a local
// stand-in for Turnstile's script (solana-plugin.mjs, human-check-plugin.mjs). With `<tokentags-config human-check>`
// each SOL tip lands with a fresh token the check gave; without it the relay's HUMAN_CHECK_REQUIRED is shown; a
// check that fails is HUMAN_CHECK_FAILED and nothing is sent.
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing'
import { installSolanaDevWallet, type SolanaDevWallet } from '@tokentags/testkit/solana-dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenErrorEvent, TokenSuccessEvent } from '../src/events.js'
import { resetPageConfig } from '../src/internal/config.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

interface SolanaSetup {
  rpcUrl: string
  relayUrl: string
  humanSiteKey: string
  humanCheckScriptUrl: string
  visitor: string
  creator: string
}
interface StubCheck {
  sitekey: string
  appearance: string
  token?: string
  removed?: boolean
}

let ledger: SolanaSetup
let wallet: SolanaDevWallet

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
/** Waits for `status`; an error state on the way ends the wait, with what it says. */
async function until(el: TokenTip, status: string, timeout = 30_000): Promise<void> {
  const settled = () => el.state.status === status || el.state.status === 'error'
  await waitUntil(settled, `expected ${status}`, { timeout, interval: 50 })
  expect(el.state.status, JSON.stringify(el.state, big)).to.equal(status)
}
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const status = (el: Element) => text(root(el).querySelector('[role="status"]'))
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))
const balance = async (owner: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner })) as string)
const stubChecks = () => ((window as unknown as { __humanChecks?: StubCheck[] }).__humanChecks ?? []).slice()
const verified = async () => (await executeServerCommand('tokentags-solana-human-verified')) as string[]
/** Bigints compared as text: a failed comparison of bigints would not reach the report (not serializable). */
const same = (actual: bigint | undefined, expected: bigint, what?: string) =>
  expect(String(actual), what).to.equal(String(expected))

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
  wallet = await installSolanaDevWallet({ seeds: ['visitor'] })
})

afterEach(() => {
  fixtureCleanup()
  for (const config of document.querySelectorAll('tokentags-config')) config.remove()
  resetPageConfig()
})

/** The page's `<tokentags-config>` for the human-check site, with `human-check` when given. */
async function configElement(humanCheck?: string): Promise<void> {
  const config = document.createElement('tokentags-config')
  config.setAttribute('relay', ledger.relayUrl)
  config.setAttribute('site-key', ledger.humanSiteKey)
  config.setAttribute('solana-rpc', ledger.rpcUrl)
  if (humanCheck) {
    config.setAttribute('human-check', humanCheck)
    config.setAttribute('human-check-script', ledger.humanCheckScriptUrl)
  }
  document.body.append(config)
  await config.updateComplete
}

/** A SOL tip widget, connected and ready, with its preset picked. */
async function readyTip(): Promise<TokenTip> {
  const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.25"></token-tip>`)
  await waitUntil(() => el.state.status !== 'loading', `still loading: ${text(root(el))}`, { timeout: 30_000 })
  await el.updateComplete
  if (el.state.status === 'choose-wallet') button(el, /TokenTags Dev Solana Wallet/)?.click()
  await until(el, 'ready')
  await el.updateComplete
  button(el, /^0\.25 SOL$/)?.click()
  await el.updateComplete
  return el
}

describe('<token-tip> to a Solana recipient, on a site that requires a human check', function () {
  this.timeout(120_000)

  it('human-check set: each SOL tip lands through the relay with a fresh token from the check', async () => {
    await configElement('turnstile:0x4AAAAAAtest')
    const el = await readyTip()
    for (const round of [1, 2]) {
      const before = {
        checks: stubChecks().length,
        verified: (await verified()).length,
        creator: await balance(ledger.creator),
        visitor: await balance(ledger.visitor),
      }
      const success = new Promise<TokenSuccessEvent>((resolve) =>
        el.addEventListener('token-success', resolve, { once: true }),
      )
      button(el, /^Tip 0\.25 SOL$/)?.click()
      await until(el, 'success', 40_000)
      const event = await success
      expect(event.detail.via, `tip ${round}: through the relay`).to.equal('relay')
      const checks = stubChecks().slice(before.checks)
      expect(checks.length, `tip ${round}: one check per tip`).to.equal(1)
      const check = checks[0] as StubCheck
      expect(check.sitekey).to.equal('0x4AAAAAAtest')
      expect(check.appearance).to.equal('interaction-only')
      expect(check.removed, 'the check is removed once it answered').to.equal(true)
      expect(check.token).to.match(/^pass-/)
      expect((await verified()).slice(before.verified), 'the relay verified the token the check gave').to.deep.equal([
        check.token,
      ])
      same((await balance(ledger.creator)) - before.creator, 250_000_000n)
      same(await balance(ledger.visitor), before.visitor - 250_000_000n, 'the visitor pays the tip, no fee')
      // "Send another tip".
      await el.updateComplete
      button(el, /^Send another tip$/)?.click()
      await until(el, 'ready')
      await el.updateComplete
      button(el, /^0\.25 SOL$/)?.click()
      await el.updateComplete
    }
    const tokens = stubChecks().map((c) => c.token)
    expect(new Set(tokens).size, 'a token is used once').to.equal(tokens.length)
  })

  it('no human-check attribute: the relay answers HUMAN_CHECK_REQUIRED and the widget says so', async () => {
    await configElement()
    const el = await readyTip()
    const before = { checks: stubChecks().length, creator: await balance(ledger.creator) }
    const failed = new Promise<TokenErrorEvent>((resolve) =>
      el.addEventListener('token-error', resolve, { once: true }),
    )
    button(el, /^Tip 0\.25 SOL$/)?.click()
    expect((await failed).detail.code).to.equal('HUMAN_CHECK_REQUIRED')
    await until(el, 'error')
    await el.updateComplete
    expect(status(el)).to.equal('A human check is required.')
    expect(stubChecks().length, 'no check rendered').to.equal(before.checks)
    same(await balance(ledger.creator), before.creator, 'nothing landed')
  })

  it('the check fails: HUMAN_CHECK_FAILED, readable, and the signed tip is never sent', async () => {
    await configElement('turnstile:refuse')
    const el = await readyTip()
    const before = {
      verified: (await verified()).length,
      creator: await balance(ledger.creator),
      visitor: await balance(ledger.visitor),
      signed: wallet.dev.signedCount,
    }
    const failed = new Promise<TokenErrorEvent>((resolve) =>
      el.addEventListener('token-error', resolve, { once: true }),
    )
    button(el, /^Tip 0\.25 SOL$/)?.click()
    expect((await failed).detail.code).to.equal('HUMAN_CHECK_FAILED')
    await until(el, 'error')
    await el.updateComplete
    expect(status(el)).to.equal('The human check failed.')
    expect(!!button(el, /^Try again$/), 'the visitor may retry').to.equal(true)
    // The wallet signed (the check is asked for after the signature), but the transaction never left the page.
    expect(wallet.dev.signedCount).to.equal(before.signed + 1)
    expect((await verified()).length, 'no request reached the relay').to.equal(before.verified)
    same(await balance(ledger.creator), before.creator)
    same(await balance(ledger.visitor), before.visitor)
    expect(document.querySelector('[data-tokentags-human-check]')).to.equal(null)
  })
})

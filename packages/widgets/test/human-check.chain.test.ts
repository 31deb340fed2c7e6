// The widgets obtain a human-check token when the page asks for one (issue 13, the widget side). On anvil with a
// relay whose site requires a human check and a local verifier, and a local stand-in for Turnstile's script
// (human-check-plugin.mjs): with `<tokentags-config human-check>` the claim lands through the relay with the token
// the check gave, a fresh one per claim; without it the relay's HUMAN_CHECK_REQUIRED is shown; a script that does not
// load or a check that fails gives HUMAN_CHECK_FAILED before the relay is asked. Never a wallet transaction.
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing'
import { installDevWallet } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/define.js'
import type { TokenClaim, TokenErrorEvent, TokenTip } from '../src/index.js'
import { resetPageConfig } from '../src/internal/config.js'

type Hex = `0x${string}`
interface Setup {
  relayUrl: string
  siteKey: string
  scriptUrl: string
  missingScriptUrl: string
  vestingVault: Hex
  token: Hex
  accounts: { address: Hex; privateKey: Hex }[]
}
interface StubCheck {
  sitekey: string
  appearance: string
  inDocument: boolean
  token?: string
  removed?: boolean
}

let chain: { rpcUrl: string; chainId: number }
let setup: Setup
let wallet: ReturnType<typeof installDevWallet>
const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const until = (el: TokenClaim, status: string, timeout = 30_000) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${JSON.stringify(el.state, big)}`, {
    timeout,
    interval: 50,
  })
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const status = (el: Element) => text(root(el).querySelector('[role="status"]'))
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))
const account = (i: number) => (setup.accounts[i] as { address: Hex }).address
const stubChecks = () => ((window as unknown as { __humanChecks?: StubCheck[] }).__humanChecks ?? []).slice()
const verified = async () => (await executeServerCommand('tokentags-human-check-verified')) as string[]

async function nonce(address: Hex): Promise<bigint> {
  const response = await fetch(chain.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getTransactionCount', params: [address, 'latest'] }),
  })
  return BigInt(((await response.json()) as { result: Hex }).result)
}

/** The page's `<tokentags-config>`, with `human-check` (and its script) when given. */
async function configElement(humanCheck?: string, script?: string): Promise<void> {
  const config = document.createElement('tokentags-config')
  config.setAttribute('relay', setup.relayUrl)
  config.setAttribute('site-key', setup.siteKey)
  config.setAttribute('rpc', `${chain.chainId}=${chain.rpcUrl}`)
  if (humanCheck) config.setAttribute('human-check', humanCheck)
  if (script) config.setAttribute('human-check-script', script)
  document.body.append(config)
  await config.updateComplete
}

async function claimWidget(address: Hex): Promise<TokenClaim> {
  wallet.provider.selectAccount(address)
  const el = await fixture<TokenClaim>(
    html`<token-claim vault=${setup.vestingVault} chain=${String(chain.chainId)}></token-claim>`,
  )
  await waitUntil(() => el.state.status !== 'loading', `still loading: ${text(root(el))}`, { timeout: 30_000 })
  await el.updateComplete
  if (el.state.status === 'choose-wallet') button(el, /^TokenTags Dev Wallet \(dev only\)$/)?.click()
  await until(el, 'claimable')
  await el.updateComplete
  return el
}

/** Presses Claim and waits for the error state and its `token-error`. */
async function claimFails(el: TokenClaim): Promise<TokenErrorEvent> {
  const failed = new Promise<TokenErrorEvent>((resolve) => el.addEventListener('token-error', resolve, { once: true }))
  button(el, /^Claim /)?.click()
  const event = await failed
  await until(el, 'error')
  await el.updateComplete
  return event
}

before(async function () {
  this.timeout(180_000)
  chain = (await executeServerCommand('tokentags-chain')) as { rpcUrl: string; chainId: number }
  setup = (await executeServerCommand('tokentags-human-check', chain)) as Setup
  wallet = installDevWallet({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKeys: setup.accounts.map((a) => a.privateKey),
  })
})

afterEach(() => {
  fixtureCleanup()
  for (const config of document.querySelectorAll('tokentags-config')) config.remove()
  resetPageConfig()
})

after(() => wallet?.uninstall())

describe('human check (issue 13)', function () {
  this.timeout(90_000)

  it('human-check set: each claim lands through the relay with a fresh token from the check', async () => {
    await configElement('turnstile:0x4AAAAAAtest', setup.scriptUrl)
    for (const i of [0, 1]) {
      const el = await claimWidget(account(i))
      const before = {
        checks: stubChecks().length,
        verified: (await verified()).length,
        nonce: await nonce(account(i)),
      }
      button(el, /^Claim /)?.click()
      await until(el, 'success')
      const state = el.state as { via?: string }
      expect(state.via, 'gasless, through the relay').to.equal('relay')
      const checks = stubChecks().slice(before.checks)
      expect(checks.length, 'one check per claim').to.equal(1)
      const check = checks[0] as StubCheck
      expect(check.sitekey).to.equal('0x4AAAAAAtest')
      expect(check.appearance, 'no extra click when the check passes invisibly').to.equal('interaction-only')
      expect(check.inDocument, 'rendered into the page').to.equal(true)
      expect(check.removed, 'the check is removed once it answered').to.equal(true)
      expect((await verified()).slice(before.verified), 'the relay verified the token the check gave').to.deep.equal([
        check.token,
      ])
      expect(document.querySelector('[data-tokentags-human-check]'), 'its box is gone').to.equal(null)
      expect(await nonce(account(i)), 'the wallet sent nothing').to.equal(before.nonce)
    }
    const tokens = stubChecks().map((c) => c.token)
    expect(new Set(tokens).size, 'a token is used once').to.equal(tokens.length)
  })

  it('human-check set: a tip lands through the relay with the token the check gave', async () => {
    await configElement('turnstile:0x4AAAAAAtest', setup.scriptUrl)
    wallet.provider.selectAccount(account(1))
    const el = await fixture<TokenTip>(
      html`<token-tip to=${CREATOR} token=${setup.token} amounts="1" chain=${String(chain.chainId)}></token-tip>`,
    )
    await waitUntil(() => el.state.status !== 'loading', `still loading: ${text(root(el))}`, { timeout: 30_000 })
    await el.updateComplete
    if (el.state.status === 'choose-wallet') button(el, /^TokenTags Dev Wallet \(dev only\)$/)?.click()
    await waitUntil(() => el.state.status === 'ready', `not ready: ${JSON.stringify(el.state, big)}`, {
      timeout: 30_000,
    })
    await el.updateComplete
    const before = { checks: stubChecks().length, verified: (await verified()).length, nonce: await nonce(account(1)) }
    button(el, /^1 TAG$/)?.click()
    await el.updateComplete
    button(el, /^Tip 1 TAG$/)?.click()
    await waitUntil(() => el.state.status === 'success', `no success: ${JSON.stringify(el.state, big)}`, {
      timeout: 30_000,
    })
    expect((el.state as { via?: string }).via).to.equal('relay')
    const checks = stubChecks().slice(before.checks)
    expect(checks.length).to.equal(1)
    expect((await verified()).slice(before.verified)).to.deep.equal([(checks[0] as StubCheck).token])
    expect(await nonce(account(1)), 'the wallet sent nothing').to.equal(before.nonce)
  })

  it('no human-check attribute: the relay answers HUMAN_CHECK_REQUIRED and the widget says so', async () => {
    await configElement()
    const el = await claimWidget(account(2))
    const before = { checks: stubChecks().length, nonce: await nonce(account(2)) }
    const error = await claimFails(el)
    expect(error.detail.code).to.equal('HUMAN_CHECK_REQUIRED')
    expect(status(el)).to.equal('A human check is required.')
    expect(root(el).querySelector('[part~="pay-gas"]'), 'no wallet choice: the page must be fixed').to.equal(null)
    expect(stubChecks().length, 'no check rendered').to.equal(before.checks)
    expect(await nonce(account(2)), 'no silent wallet send').to.equal(before.nonce)
  })

  it('the script does not load, or the check fails: HUMAN_CHECK_FAILED, the relay is not asked', async () => {
    for (const [attribute, script] of [
      ['turnstile:0x4AAAAAAtest', setup.missingScriptUrl],
      ['turnstile:refuse', setup.scriptUrl],
    ] as const) {
      // A page whose script never loaded has no turnstile: drop the stand-in an earlier test loaded.
      if (script === setup.missingScriptUrl) delete (window as { turnstile?: unknown }).turnstile
      await configElement(attribute, script)
      const el = await claimWidget(account(3))
      const before = { verified: (await verified()).length, nonce: await nonce(account(3)) }
      const error = await claimFails(el)
      expect(error.detail.code, script).to.equal('HUMAN_CHECK_FAILED')
      expect(status(el)).to.equal('The human check failed.')
      expect(!!button(el, /^Try again$/), 'the visitor may retry').to.equal(true)
      expect(root(el).querySelector('[part~="pay-gas"]')).to.equal(null)
      expect((await verified()).length, 'no request reached the relay').to.equal(before.verified)
      expect(await nonce(account(3)), 'no silent wallet send').to.equal(before.nonce)
      expect(document.querySelector('[data-tokentags-human-check]')).to.equal(null)
      fixtureCleanup()
      for (const config of document.querySelectorAll('tokentags-config')) config.remove()
      resetPageConfig()
    }
  })
})

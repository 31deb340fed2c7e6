// One core per page: 1 and 50 <token-claim> widgets against a real anvil, counting the page's HTTP
// requests to the RPC URL (and the JSON-RPC calls inside them). 50 widgets share one client, one
// wallet connection and batched (and deduplicated) reads, so they must not cost 50 times one.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installDevWallet } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/define.js'
import { configureTokenTags, type TokenClaim } from '../src/index.js'
import { refreshAll } from '../src/internal/refresh.js'

interface ChainSetup {
  rpcUrl: string
  chainId: number
  vestingVault: `0x${string}`
  accounts: { kind: string; address: `0x${string}`; privateKey: `0x${string}` }[]
}

let chain: ChainSetup
let wallet: ReturnType<typeof installDevWallet>
const counts = { http: 0, calls: 0, inflight: 0 }

function countRpcFetches(rpcUrl: string): void {
  const original = window.fetch.bind(window)
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const counted = url.replace(/\/+$/, '') === rpcUrl.replace(/\/+$/, '')
    if (counted) {
      counts.http++
      counts.inflight++
      try {
        const body = JSON.parse(typeof init?.body === 'string' ? init.body : 'null')
        counts.calls += Array.isArray(body) ? body.length : 1
      } catch {
        counts.calls++
      }
    }
    try {
      return await original(input, init)
    } finally {
      if (counted) counts.inflight--
    }
  }
}

const settled = async () => {
  // Quiet for 300 ms: no request in flight and none started.
  for (let quiet = 0; quiet < 3; ) {
    const before = counts.http
    await new Promise((resolve) => setTimeout(resolve, 100))
    quiet = counts.inflight === 0 && counts.http === before ? quiet + 1 : 0
  }
}

async function measure(n: number): Promise<{ load: typeof counts; refresh: typeof counts }> {
  configureTokenTags({ chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }] })
  Object.assign(counts, { http: 0, calls: 0 })
  const container = await fixture<HTMLDivElement>(
    html`<div>${Array.from({ length: n }, () => html`<token-claim vault=${chain.vestingVault} chain=${String(chain.chainId)}></token-claim>`)}</div>`,
  )
  const widgets = [...container.querySelectorAll('token-claim')] as TokenClaim[]
  await waitUntil(() => widgets.every((w) => w.state.status === 'choose-wallet'), 'wallets listed', { timeout: 10_000 })
  await widgets[0]?.updateComplete
  const button = widgets[0]?.shadowRoot?.querySelector('[part~="wallet-list"] [part~="action"]') as HTMLButtonElement
  button.click()
  await waitUntil(() => widgets.every((w) => w.state.status === 'claimable'), 'every widget claimable', {
    timeout: 30_000,
    interval: 50,
  })
  await settled()
  const load = { ...counts }
  Object.assign(counts, { http: 0, calls: 0 })
  refreshAll()
  await settled()
  const refresh = { ...counts }
  container.remove()
  return { load, refresh }
}

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  countRpcFetches(chain.rpcUrl)
  wallet = installDevWallet({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKeys: chain.accounts.map((a) => a.privateKey),
  })
  const vested = chain.accounts.find((a) => a.kind === 'partlyVested') ?? chain.accounts[0]
  wallet.provider.selectAccount(vested?.address as `0x${string}`)
})

after(() => wallet?.uninstall())

describe('RPC requests of one page', function () {
  this.timeout(90_000)

  it('50 widgets cost about what 1 costs (one client, batched and shared reads)', async () => {
    const one = await measure(1)
    const fifty = await measure(50)
    const row = (n: number, m: typeof one) =>
      `${n} widget(s): load ${m.load.http} HTTP requests (${m.load.calls} JSON-RPC calls), refresh ${m.refresh.http} HTTP (${m.refresh.calls} calls)`
    console.log(`[rpc-count] ${row(1, one)}`)
    console.log(`[rpc-count] ${row(50, fifty)}`)
    expect(one.load.http).to.be.greaterThan(0)
    expect(one.refresh.http).to.be.greaterThan(0)
    // Not 50x: at most one extra request per round trip of the reads, whatever the number of widgets.
    expect(fifty.load.http).to.be.at.most(one.load.http + 2)
    expect(fifty.refresh.http).to.be.at.most(one.refresh.http)
  })
})

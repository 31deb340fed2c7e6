import { tagTokenAbi, vestingVaultAbi } from '@tokentags/contracts'
import { deployFoundation, seedDemoSchedules } from '@tokentags/contracts/deploy'
import { ANVIL_DEV_ACCOUNTS, type AnvilInstance, type StartAnvilOptions, startAnvil } from '@tokentags/testkit'
import { pino } from 'pino'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
  parseEventLogs,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { type RelayConfig, type RunningRelay, startRelay } from '../src/index.js'

export const SITE_KEY = 'pk_test'
export const ORIGIN = 'http://shop.test'
export const CHAIN_ID = 31337

function devKey(index: number): Hex {
  const account = ANVIL_DEV_ACCOUNTS[index]
  if (!account) throw new Error(`no anvil dev account ${index}`)
  return account.privateKey
}

export const deployer = privateKeyToAccount(devKey(0))
export const relayerKey = devKey(1)
export const relayer = privateKeyToAccount(relayerKey)
/** User `i` (0..7) is anvil account `i + 2`; users never send transactions themselves. */
export function user(i: number): LocalAccount {
  return privateKeyToAccount(devKey(i + 2))
}

// Written out here rather than imported from the server, so the test checks the server against OZ's type.
const forwardRequestTypes = {
  ForwardRequest: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'gas', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint48' },
    { name: 'data', type: 'bytes' },
  ],
} as const

export interface TestChain {
  anvil: AnvilInstance
  publicClient: PublicClient
  forwarder: Address
  token: Address
  vestingVault: Address
  /** Creates a fully vested schedule of `total` for `beneficiary`; returns its id. */
  createVestedSchedule(beneficiary: Address, total: bigint): Promise<bigint>
}

export async function setupChain(options: StartAnvilOptions = {}): Promise<TestChain> {
  const anvil = await startAnvil(options)
  const transport = http(anvil.rpcUrl)
  // A second chain in one test needs its own id: viem refuses to send to a node of another chain.
  const chain = options.chainId === undefined ? foundry : defineChain({ ...foundry, id: options.chainId })
  const publicClient = createPublicClient({ chain, transport }) as PublicClient
  const walletClient = createWalletClient({ account: deployer, chain, transport })
  const { forwarder, token, vestingVault } = await deployFoundation({ walletClient, publicClient })
  await publicClient.waitForTransactionReceipt({
    hash: await walletClient.writeContract({
      address: token,
      abi: tagTokenAbi,
      functionName: 'approve',
      args: [vestingVault, 2n ** 255n],
    }),
  })
  return {
    anvil,
    publicClient,
    forwarder,
    token,
    vestingVault,
    async createVestedSchedule(beneficiary, total) {
      const { timestamp } = await publicClient.getBlock()
      const hash = await walletClient.writeContract({
        address: vestingVault,
        abi: vestingVaultAbi,
        functionName: 'createSchedule',
        args: [beneficiary, total, timestamp - 30n * 86_400n, 0n, 10n * 86_400n, false],
      })
      const receipt = await publicClient.waitForTransactionReceipt({ hash })
      const [event] = parseEventLogs({ abi: vestingVaultAbi, eventName: 'ScheduleCreated', logs: receipt.logs })
      if (!event) throw new Error('no ScheduleCreated event')
      return event.args.id
    },
  }
}

export { seedDemoSchedules }

export function relayConfig(chain: TestChain, overrides: Partial<RelayConfig> = {}): RelayConfig {
  return {
    chains: [
      { chainId: CHAIN_ID, rpcUrl: chain.anvil.rpcUrl, forwarder: chain.forwarder, relayerPrivateKeys: [relayerKey] },
    ],
    sites: {
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.vestingVault, selectors: [selectorOf('claim'), selectorOf('claimMany')] }],
        dailyBudgetWei: 'unlimited',
      },
      pk_server: {
        origins: [],
        allowNoOrigin: true,
        targets: [{ address: chain.vestingVault, selectors: [selectorOf('claim')] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    batch: { maxSize: 10, maxWaitMs: 300, pollIntervalMs: 200 },
    logger: pino({ level: process.env.RELAY_TEST_LOG ?? 'silent' }),
    ...overrides,
  }
}

export async function startTestRelay(chain: TestChain, overrides: Partial<RelayConfig> = {}): Promise<RunningRelay> {
  return startRelay({ ...relayConfig(chain, overrides), port: 0 })
}

function selectorOf(name: 'claim' | 'claimMany'): Hex {
  const data =
    name === 'claim'
      ? encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claim', args: [0n] })
      : encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claimMany', args: [[]] })
  return data.slice(0, 10) as Hex
}

export function claimData(id: bigint): Hex {
  return encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claim', args: [id] })
}

export interface SignParams {
  account: LocalAccount
  forwarder: Address
  to: Address
  data: Hex
  nonce: bigint
  gas?: bigint
  value?: bigint
  deadline?: bigint
  chainId?: number
}

/** A signed body for `POST /v1/evm/:chainId/requests`, integers as decimal strings. */
export async function signedBody(params: SignParams) {
  const gas = params.gas ?? 200_000n
  const value = params.value ?? 0n
  const deadline = params.deadline ?? BigInt(Math.floor(Date.now() / 1000) + 600)
  const signature = await params.account.signTypedData({
    domain: {
      name: 'TokenTags Forwarder',
      version: '1',
      chainId: params.chainId ?? CHAIN_ID,
      verifyingContract: params.forwarder,
    },
    types: forwardRequestTypes,
    primaryType: 'ForwardRequest',
    message: {
      from: params.account.address,
      to: params.to,
      value,
      gas,
      nonce: params.nonce,
      deadline: Number(deadline),
      data: params.data,
    },
  })
  return {
    request: {
      from: params.account.address,
      to: params.to,
      value: value.toString(),
      gas: gas.toString(),
      nonce: params.nonce.toString(),
      deadline: deadline.toString(),
      data: params.data,
    },
    signature,
  }
}

/** Loose view of the relay's JSON answers, for assertions. */
export interface RelayJson {
  id: string
  status: string
  txHash: Hex
  blockNumber: string
  error: { code: string; message: string; reason?: string }
}

export interface PostOptions {
  site?: string | null
  origin?: string | null
  chainId?: number | string
  rawBody?: string
}

export async function postRequest(relay: RunningRelay, body: unknown, options: PostOptions = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const site = options.site === undefined ? SITE_KEY : options.site
  const origin = options.origin === undefined ? ORIGIN : options.origin
  if (site !== null) headers['x-tokentags-site'] = site
  if (origin !== null) headers.origin = origin
  const response = await fetch(`${relay.url}/v1/evm/${options.chainId ?? CHAIN_ID}/requests`, {
    method: 'POST',
    headers,
    body: options.rawBody ?? JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, json: (await response.json()) as RelayJson }
}

export async function getStatus(relay: RunningRelay, id: string) {
  const response = await fetch(`${relay.url}/v1/requests/${id}`)
  return (await response.json()) as RelayJson
}

const FINAL = new Set(['confirmed', 'failed', 'rejected'])

/** Polls `GET /v1/requests/:id` until a final status. */
export async function waitForFinal(relay: RunningRelay, id: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const status = await getStatus(relay, id)
    if (FINAL.has(status.status)) return status
    if (Date.now() > until) throw new Error(`request ${id} still ${status.status} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Reads `GET /v1/requests/:id/events` until the server closes it; returns each event's data. */
export async function readEvents(relay: RunningRelay, id: string): Promise<{ event: string; data: RelayJson }[]> {
  const response = await fetch(`${relay.url}/v1/requests/${id}/events`, { headers: { origin: ORIGIN } })
  if (!response.ok || !response.body) throw new Error(`SSE answered ${response.status}`)
  const events: { event: string; data: RelayJson }[] = []
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true })
    let index = buffer.indexOf('\n\n')
    while (index >= 0) {
      const block = buffer.slice(0, index)
      buffer = buffer.slice(index + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (event && data) events.push({ event, data: JSON.parse(data) })
      index = buffer.indexOf('\n\n')
    }
  }
  return events
}

/** A JSON-RPC call to anvil (its `anvil_*` / `evm_*` test methods). */
export async function anvilRpc(chain: TestChain, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(chain.anvil.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const json = (await response.json()) as { result?: unknown; error?: { message: string } }
  if (json.error) throw new Error(`${method}: ${json.error.message}`)
  return json.result
}

/** Polls `check` until it returns a value other than undefined/false. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

// A bounded sybil run against one site (issue: "Sane defaults"): 200 fresh keys, spread over four
// loopback addresses (127.0.0.1–4), attack a site with a daily budget and the dev site's rules and
// limits (scripts/dev-stack.ts: functions by signature, amounts of at least 1, 600/min per address,
// 60/min per signer, 1200/min per site). Each attack class runs alone, every accepted request is
// followed to its final status, and the table gives the wei the site spent on it: the relayer's
// balance on chain (gas actually paid) and what the site's budget was charged. Target: 0 for
// padding and zero-value calls; only what the rules allow otherwise.
//
// Build first (the relay runs from its dist): npm run build -w packages/testkit -w packages/relay-server
// Then: npm run bench -- sybil
import { spawn } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { tagTokenAbi } from '@tokentags/contracts'
import { deployFoundation } from '@tokentags/contracts/deploy'
import { createRedisStore, type RelayStore, type RunningRelay, startRelay } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS, freePort, startAnvil, waitForPort } from '@tokentags/testkit'
import { pino } from 'pino'
import {
  type Address,
  concat,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'

class BenchError extends Error {
  override name = 'BenchError'
}

const SITE = 'pk_sybil'
const ORIGIN = 'http://shop.test'
const CREATOR: Address = '0x000000000000000000000000000000000000bEEF'
const ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']
const KEYS_PER_CLASS = 40
const REPEATS = 5
/** The dev site's ceiling (scripts/dev-stack.ts): reservations are bounded by it. */
const MAX_FEE_PER_GAS = 100_000_000_000n
const DAILY_BUDGET = 10n ** 18n
/** The dev site's token rule: transfers by signature, an amount of at least one token-wei. */
const TRANSFER = 'transfer(address to, uint256 amount)'

// anvil's public dev accounts: #0 deploys and funds the attackers' tokens, #1 is the relayer.
const deployer = privateKeyToAccount((ANVIL_DEV_ACCOUNTS[0] as { privateKey: Hex }).privateKey)
const relayerKey = (ANVIL_DEV_ACCOUNTS[1] as { privateKey: Hex }).privateKey
const relayer = privateKeyToAccount(relayerKey)

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

interface Answer {
  status: number
  json: { id?: string; status?: string; error?: { code: string; message: string } }
}

/** POSTs a body from one loopback address: the relay sees each as its own client. */
function post(port: number, localAddress: string, body: unknown): Promise<Answer> {
  const data = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        path: `/v1/evm/${foundry.id}/requests`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          'x-tokentags-site': SITE,
          origin: ORIGIN,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }),
        )
      },
    )
    req.on('error', reject)
    req.end(data)
  })
}

interface Attack {
  name: string
  /** Token-wei each key holds before it attacks. */
  tokens: bigint
  /** The bodies one key sends, in order. */
  bodies(account: LocalAccount, sign: Signer): Promise<unknown[]>
}

type Signer = (account: LocalAccount, nonce: bigint, data: Hex, gas?: bigint) => Promise<unknown>

const transfer = (amount: bigint) =>
  encodeFunctionData({ abi: tagTokenAbi, functionName: 'transfer', args: [CREATOR, amount] })

const attacks: Attack[] = [
  {
    // Calldata after the arguments: free to the signer, paid by the site per byte (and L1 data fee).
    name: 'padded transfers (1 token-wei + 4 KiB of calldata)',
    tokens: 1n,
    bodies: async (a, sign) => [await sign(a, 0n, concat([transfer(1n), `0x${'00'.repeat(4096)}`]))],
  },
  {
    name: 'zero-value transfers',
    tokens: 1n,
    bodies: async (a, sign) => [await sign(a, 0n, transfer(0n))],
  },
  {
    name: 'transfers from empty accounts',
    tokens: 0n,
    bodies: async (a, sign) => [await sign(a, 0n, transfer(1n))],
  },
  {
    // Finding 7: each alone succeeds; in a row only the first can.
    name: `${REPEATS} transfers in a row of an account's only token-wei`,
    tokens: 1n,
    bodies: async (a, sign) => Promise.all(Array.from({ length: REPEATS }, (_, i) => sign(a, BigInt(i), transfer(1n)))),
  },
  {
    name: 'valid small tips (1 token-wei each)',
    tokens: 1n,
    bodies: async (a, sign) => [await sign(a, 0n, transfer(1n))],
  },
]

interface Row {
  name: string
  keys: number
  sent: number
  accepted: number
  refusals: Map<string, number>
  confirmed: number
  failed: number
  spentOnChain: bigint
  charged: bigint
}

async function waitFinal(relayUrl: string, ids: string[]): Promise<{ confirmed: number; failed: number }> {
  let confirmed = 0
  let failed = 0
  for (const id of ids) {
    for (let tries = 0; ; tries++) {
      const view = (await (await fetch(`${relayUrl}/v1/requests/${id}`)).json()) as { status: string }
      if (view.status === 'confirmed') confirmed++
      else if (view.status === 'failed' || view.status === 'rejected') failed++
      else if (tries < 600) {
        await new Promise((r) => setTimeout(r, 100))
        continue
      } else throw new BenchError(`request ${id} still ${view.status} after 60 s`)
      break
    }
  }
  return { confirmed, failed }
}

async function run(
  attack: Attack,
  ctx: { relay: RunningRelay; port: number; store: RelayStore; publicClient: PublicClient; fund: Fund; sign: Signer },
): Promise<Row> {
  const keys = Array.from({ length: KEYS_PER_CLASS }, () => privateKeyToAccount(generatePrivateKey()))
  if (attack.tokens > 0n) await ctx.fund(keys, attack.tokens)
  const perKey = await Promise.all(keys.map((k) => attack.bodies(k, ctx.sign)))
  const day = new Date().toISOString().slice(0, 10)
  const balanceBefore = await ctx.publicClient.getBalance({ address: relayer.address })
  const usedBefore = (await ctx.store.siteState(SITE, day)).usedWei
  const answers: Answer[] = []
  // Keys attack at once; one key's requests go one after another, as a script would send them.
  await Promise.all(
    perKey.map(async (bodies, i) => {
      for (const body of bodies) answers.push(await post(ctx.port, ADDRESSES[i % ADDRESSES.length] as string, body))
    }),
  )
  const ids = answers.filter((a) => a.status === 202 && a.json.id).map((a) => a.json.id as string)
  const { confirmed, failed } = await waitFinal(ctx.relay.url, ids)
  const refusals = new Map<string, number>()
  for (const a of answers) {
    if (a.status === 202) continue
    const code = `${a.status} ${a.json.error?.code ?? '?'}`
    refusals.set(code, (refusals.get(code) ?? 0) + 1)
  }
  return {
    name: attack.name,
    keys: keys.length,
    sent: answers.length,
    accepted: ids.length,
    refusals,
    confirmed,
    failed,
    spentOnChain: balanceBefore - (await ctx.publicClient.getBalance({ address: relayer.address })),
    charged: (await ctx.store.siteState(SITE, day)).usedWei - usedBefore,
  }
}

type Fund = (keys: LocalAccount[], tokens: bigint) => Promise<void>

const anvil = await startAnvil()
const redisPort = await freePort()
const redis = spawn(
  'redis-server',
  ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no'],
  { stdio: 'ignore' },
)
let relay: RunningRelay | undefined
let store: RelayStore | undefined
try {
  await waitForPort(redisPort)
  const transport = http(anvil.rpcUrl)
  const publicClient = createPublicClient({ chain: foundry, transport }) as PublicClient
  const walletClient = createWalletClient({ account: deployer, chain: foundry, transport })
  const { forwarder, token, vestingVault } = await deployFoundation({ walletClient, publicClient })
  store = await createRedisStore({ url: `redis://127.0.0.1:${redisPort}` })
  relay = await startRelay({
    port: 0,
    chains: [
      {
        chainId: foundry.id,
        rpcUrl: anvil.rpcUrl,
        forwarder,
        relayerPrivateKeys: [relayerKey],
        maxFeePerGas: MAX_FEE_PER_GAS,
      },
    ],
    sites: {
      [SITE]: {
        origins: [ORIGIN],
        targets: [
          { address: vestingVault, functions: ['claim(uint256 id)', 'claimMany(uint256[] ids)'] },
          { address: token, functions: [{ signature: TRANSFER, args: { amount: { min: 1 } } }] },
        ],
        dailyBudgetWei: DAILY_BUDGET,
      },
    },
    store,
    batch: { maxSize: 50, maxWaitMs: 250 },
    limits: {
      perIp: { points: 600, durationSeconds: 60 },
      perSender: { points: 60, durationSeconds: 60 },
      perSite: { points: 1200, durationSeconds: 60 },
    },
    logger: pino({ level: 'silent' }),
  })
  const port = Number(new URL(relay.url).port)

  const fund: Fund = async (keys, tokens) => {
    let hash: Hex | undefined
    for (const k of keys) {
      hash = await walletClient.writeContract({
        address: token,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [k.address, tokens],
      })
    }
    if (hash) await publicClient.waitForTransactionReceipt({ hash })
  }
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600)
  const sign: Signer = async (account, nonce, data, gas = 80_000n) => {
    const message = { from: account.address, to: token, value: 0n, gas, nonce, deadline: Number(deadline), data }
    const signature = await account.signTypedData({
      domain: { name: 'TokenTags Forwarder', version: '1', chainId: foundry.id, verifyingContract: forwarder },
      types: forwardRequestTypes,
      primaryType: 'ForwardRequest',
      message,
    })
    return {
      request: { ...message, value: '0', gas: String(gas), nonce: String(nonce), deadline: String(deadline) },
      signature,
    }
  }

  const rows: Row[] = []
  for (const attack of attacks) {
    process.stderr.write(`${attack.name}…\n`)
    rows.push(await run(attack, { relay, port, store, publicClient, fund, sign }))
  }

  const eth = (wei: bigint) => `${wei.toLocaleString('en-US')} (${(Number(wei) / 1e18).toFixed(6)} ETH)`
  console.log(
    `\nSybil run: ${rows.reduce((n, r) => n + r.keys, 0)} fresh keys over ${ADDRESSES.length} loopback addresses, one site (budget ${eth(DAILY_BUDGET)} a day, fee ceiling ${MAX_FEE_PER_GAS / 10n ** 9n} gwei, the dev site's rules and limits), Redis store, anvil automine\n`,
  )
  console.log(
    '| attack class | keys | requests | accepted | refused (status code: count) | confirmed | failed on chain | wei spent (relayer, on chain) | wei charged to the budget |',
  )
  console.log('|---|---:|---:|---:|---|---:|---:|---:|---:|')
  for (const r of rows) {
    const refused = [...r.refusals].map(([code, n]) => `${code}: ${n}`).join(', ') || '–'
    console.log(
      `| ${r.name} | ${r.keys} | ${r.sent} | ${r.accepted} | ${refused} | ${r.confirmed} | ${r.failed} | ${eth(r.spentOnChain)} | ${eth(r.charged)} |`,
    )
  }
  const tips = rows[rows.length - 1] as Row
  if (tips.confirmed > 0) {
    console.log(
      `\nOne valid tip cost the site ${eth(tips.spentOnChain / BigInt(tips.confirmed))} on average (batched, up to 50 per transaction).\n`,
    )
  }
} finally {
  await relay?.close()
  await store?.close().catch(() => {})
  redis.kill('SIGTERM')
  await anvil.stop()
}

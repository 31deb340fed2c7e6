// Relay throughput. Run from the repo root after `npm run build`: npx tsx bench/relay.ts
//
// 1. Accepted requests/s and latency of `POST /v1/evm/:chainId/requests` (schema, site policy,
//    EIP-712 signature recovery, nonce check and simulation against anvil, durable enqueue), on the
//    memory store and on Redis, against a plain express JSON endpoint measured in the same run.
//    The relay runs in its own process without relayer keys, so only the API path is measured.
// 2. Confirmed requests/s on anvil, batched vs one transaction per request, and gas per request.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { tagTokenAbi } from '@tokentags/contracts'
import { deployFoundation } from '@tokentags/contracts/deploy'
import { forwardRequestDigest } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS, freePort, startAnvil, waitForPort } from '@tokentags/testkit'
import autocannon from 'autocannon'
import secp256k1 from 'secp256k1'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  getAddress,
  type Hex,
  http,
  keccak256,
  type PublicClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'

class BenchError extends Error {
  override name = 'BenchError'
}

const DURATION_S = Number(process.env.BENCH_DURATION ?? 6)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
const CONFIRM_REQUESTS = Number(process.env.BENCH_CONFIRM_REQUESTS ?? 300)
const SITE = 'pk_bench'
const ORIGIN = 'http://bench.test'
const SPENDER: Address = '0x000000000000000000000000000000000000bEEF'
const root = new URL('..', import.meta.url).pathname
const relayEntry = new URL('../packages/relay-server/dist/index.js', import.meta.url).href

const key = (i: number) => (ANVIL_DEV_ACCOUNTS[i] as { privateKey: Hex }).privateKey
const deployer = privateKeyToAccount(key(0))
const approveData = encodeFunctionData({ abi: tagTokenAbi, functionName: 'approve', args: [SPENDER, 1n] })

/**
 * `count` bodies, each from a fresh signer at nonce 0: every one is acceptable exactly once.
 * Signed with libsecp256k1 over the relay's own digest (checked against viem by the relay's tests):
 * viem's JS signer would take minutes for this many.
 */
async function signedBodies(count: number, forwarder: Address, token: Address): Promise<string[]> {
  const deadline = Math.floor(Date.now() / 1000) + 3600
  const domain = { name: 'TokenTags Forwarder', version: '1', chainId: foundry.id, verifyingContract: forwarder }
  const bodies: string[] = []
  while (bodies.length < count) {
    const privateKey = randomBytes(32)
    if (!secp256k1.privateKeyVerify(privateKey)) continue
    const from = getAddress(`0x${keccak256(secp256k1.publicKeyCreate(privateKey, false).subarray(1)).slice(-40)}`)
    const message = {
      from,
      to: token,
      value: 0n,
      gas: 60_000n,
      nonce: 0n,
      deadline: BigInt(deadline),
      data: approveData,
    }
    const { signature: rs, recid } = secp256k1.ecdsaSign(forwardRequestDigest(domain, message), privateKey)
    const signature = `0x${Buffer.from(rs).toString('hex')}${(27 + recid).toString(16)}`
    bodies.push(
      JSON.stringify({
        request: { ...message, value: '0', gas: '60000', nonce: '0', deadline: String(deadline) },
        signature,
      }),
    )
  }
  return bodies
}

interface Child {
  url: string
  stop(): Promise<void>
}

async function spawnNode(source: string, env: Record<string, string>): Promise<Child> {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', source], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  await waitForPort(port, 20_000)
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}

const expressSource = `
import express from 'express'
import { randomUUID } from 'node:crypto'
const app = express()
app.use(express.json({ limit: 32768 }))
app.post('/v1/evm/:chainId/requests', (req, res) => res.status(202).json({ id: randomUUID(), status: 'queued' }))
app.listen(Number(process.env.PORT), '127.0.0.1')
`

const relaySource = `
import { pino } from 'pino'
import { createRedisStore, startRelay } from '${relayEntry}'
const config = JSON.parse(process.env.RELAY_CONFIG)
const store = process.env.REDIS_URL ? await createRedisStore({ url: process.env.REDIS_URL }) : undefined
const relay = await startRelay({ ...config, ...(store ? { store } : {}), logger: pino({ level: 'warn' }), port: Number(process.env.PORT) })
process.on('SIGTERM', () => relay.close().then(() => process.exit(0)))
`

interface LoadResult {
  accepted: number
  other: number
  rps: number
  p50: number
  p99: number
}

async function load(url: string, bodies: string[]): Promise<LoadResult> {
  let next = 0
  const run = async (duration: number, pool: string[]) =>
    autocannon({
      url: `${url}/v1/evm/31337/requests`,
      method: 'POST',
      connections: CONNECTIONS,
      duration,
      headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
      requests: [
        {
          setupRequest: (request) => ({ ...request, body: pool[next++ % pool.length] }),
        },
      ],
    })
  await run(1, bodies.splice(0, Math.min(2000, Math.floor(bodies.length / 4)))) // warm-up (JIT, connections)
  next = 0
  const result = await run(DURATION_S, bodies)
  if (next > bodies.length) throw new BenchError(`ran out of signed bodies (${bodies.length}); lower BENCH_DURATION`)
  return {
    accepted: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
    rps: result['2xx'] / DURATION_S,
    p50: result.latency.p50,
    p99: result.latency.p99,
  }
}

async function waitConfirmed(url: string, ids: string[]): Promise<Hex[]> {
  const hashes: Hex[] = []
  for (const id of ids) {
    for (;;) {
      const view = (await (await fetch(`${url}/v1/requests/${id}`)).json()) as { status: string; txHash?: Hex }
      if (view.status === 'confirmed' && view.txHash) {
        hashes.push(view.txHash)
        break
      }
      if (view.status === 'failed' || view.status === 'rejected') throw new BenchError(`request ${id} ${view.status}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return hashes
}

async function confirmed(
  publicClient: PublicClient,
  base: Record<string, unknown>,
  bodies: string[],
  maxSize: number,
): Promise<{ seconds: number; rps: number; txs: number; gasPerRequest: bigint }> {
  const config = {
    ...base,
    chains: (base.chains as Record<string, unknown>[]).map((c) => ({ ...c, relayerPrivateKeys: [key(1), key(2)] })),
    batch: { maxSize, maxWaitMs: 100, pollIntervalMs: 50, maxInFlight: 8 },
  }
  const relay = await spawnNode(relaySource, { RELAY_CONFIG: JSON.stringify(config) })
  try {
    const started = performance.now()
    const ids: string[] = []
    let next = 0
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++] as string
          const response = await fetch(`${relay.url}/v1/evm/31337/requests`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
            body,
          })
          const json = (await response.json()) as { id: string }
          if (response.status !== 202)
            throw new BenchError(`submit answered ${response.status} ${JSON.stringify(json)}`)
          ids.push(json.id)
        }
      }),
    )
    const hashes = [...new Set(await waitConfirmed(relay.url, ids))]
    const seconds = (performance.now() - started) / 1000
    let gas = 0n
    for (const hash of hashes) gas += (await publicClient.getTransactionReceipt({ hash })).gasUsed
    return { seconds, rps: ids.length / seconds, txs: hashes.length, gasPerRequest: gas / BigInt(ids.length) }
  } finally {
    await relay.stop()
  }
}

const anvil = await startAnvil()
const redisPort = await freePort()
const redis = spawn(
  'redis-server',
  ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
)
try {
  await waitForPort(redisPort)
  const transport = http(anvil.rpcUrl)
  const publicClient = createPublicClient({ chain: foundry, transport }) as PublicClient
  const walletClient = createWalletClient({ account: deployer, chain: foundry, transport })
  const { forwarder, token } = await deployFoundation({ walletClient, publicClient })
  const base = {
    chains: [{ chainId: 31337, rpcUrl: anvil.rpcUrl, forwarder, relayerPrivateKeys: [] }],
    sites: { [SITE]: { origins: [ORIGIN], targets: [{ address: token, selectors: [approveData.slice(0, 10)] }] } },
    limits: { perIp: false, perSender: false },
  }

  // Enough distinct signed requests for the warm-up and a run at up to ~3,000 accepted/s.
  const perRun = Math.ceil(DURATION_S * 3000 + 2000)
  process.stderr.write(`signing ${perRun * 2 + CONFIRM_REQUESTS * 2} requests…\n`)
  const memoryBodies = await signedBodies(perRun, forwarder, token)
  const redisBodies = await signedBodies(perRun, forwarder, token)

  const rows: [string, LoadResult][] = []
  const baseline = await spawnNode(expressSource, {})
  try {
    rows.push(['plain express JSON endpoint (202, no work)', await load(baseline.url, [...memoryBodies])])
  } finally {
    await baseline.stop()
  }
  for (const [name, bodies, env] of [
    ['relay, memory store', memoryBodies, {}],
    ['relay, Redis store (TCP, same host)', redisBodies, { REDIS_URL: `redis://127.0.0.1:${redisPort}` }],
  ] as const) {
    const relay = await spawnNode(relaySource, { ...env, RELAY_CONFIG: JSON.stringify(base) })
    try {
      rows.push([name, await load(relay.url, [...bodies])])
    } finally {
      await relay.stop()
    }
  }

  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits })
  const express = rows[0]?.[1].rps ?? 1
  console.log(
    `\nAccepted submissions (${CONNECTIONS} connections, ${DURATION_S} s, autocannon; each body a fresh signer, so every accepted request is signature-checked, policy-checked, simulated on anvil and durably enqueued)\n`,
  )
  console.log('| endpoint | accepted/s | p50 ms | p99 ms | other answers | vs plain express |')
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const [name, r] of rows) {
    console.log(
      `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.other)} | ${fmt((r.rps / express) * 100, 1)}% |`,
    )
  }

  const batched = await confirmed(publicClient, base, await signedBodies(CONFIRM_REQUESTS, forwarder, token), 50)
  const single = await confirmed(publicClient, base, await signedBodies(CONFIRM_REQUESTS, forwarder, token), 1)
  console.log(`\nConfirmed on anvil (${CONFIRM_REQUESTS} requests, 2 relayer keys, memory store, automine)\n`)
  console.log('| mode | confirmed/s | transactions | gas per request | wall time s |')
  console.log('|---|---:|---:|---:|---:|')
  for (const [name, r] of [
    ['batched (maxSize 50)', batched],
    ['one transaction per request (maxSize 1)', single],
  ] as const) {
    console.log(`| ${name} | ${fmt(r.rps, 1)} | ${r.txs} | ${fmt(Number(r.gasPerRequest))} | ${fmt(r.seconds, 1)} |`)
  }
  console.log(
    `\nBatching: ${fmt(batched.rps / single.rps, 2)}× the confirmed throughput, ${fmt((Number(batched.gasPerRequest) / Number(single.gasPerRequest)) * 100, 1)}% of the gas per request.\n`,
  )
} finally {
  redis.kill('SIGTERM')
  await anvil.stop()
}

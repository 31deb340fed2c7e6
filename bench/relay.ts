// Relay throughput. Run from the repo root after `npm run build`: npx tsx bench/relay.ts
//
// 1. Accepted requests/s and latency of `POST /v1/evm/:chainId/requests` (schema, site policy,
//    EIP-712 signature recovery, nonce check and simulation against anvil, durable enqueue), on the
//    memory store and on Redis, against a plain express JSON endpoint measured in the same run.
//    The relay runs in its own process without relayer keys, so only the API path is measured.
//    Between the two, a floor: express doing only the steps no relay can skip (a signature
//    recovery, a durable write, an eth_call), to show what this machine allows at all; and a table
//    of the CPU each process used, since autocannon, anvil and Redis share the same cores.
// 2. Confirmed requests/s on anvil, batched vs one transaction per request, and gas per request.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve as resolvePath } from 'node:path'
import { pathToFileURL } from 'node:url'
import { freePort, startAnvil, waitForPort } from '@tokentags/testkit'
import autocannon from 'autocannon'
import type { Hex, PublicClient } from 'viem'
import {
  BenchError,
  type Child,
  CONNECTIONS,
  DURATION_S,
  deployBenchRelay,
  devKey as key,
  ORIGIN,
  relayEntry,
  SITE,
  signedBodies,
  spawnScript,
} from './relay-submissions.js'

const CONFIRM_REQUESTS = Number(process.env.BENCH_CONFIRM_REQUESTS ?? 300)
// BENCH_ROWS=express,memory,redis runs only those rows (and no confirmed table unless `confirmed` is
// named): short focused runs for profiling. Names: express, floor1, floor2, floor3, memory, redis,
// two, one, confirmed. The express row always runs: every ratio is to it.
const ROWS = process.env.BENCH_ROWS ? new Set(['express', ...process.env.BENCH_ROWS.split(',')]) : undefined
const wantRow = (name: string) => ROWS === undefined || ROWS.has(name)

/** CPU seconds (user + system) a process and its live children have used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let fields: string[]
    try {
      fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    } catch {
      continue // exited meanwhile
    }
    // fields[1] is the parent pid; utime, stime are in clock ticks (USER_HZ 100)
    if (Number(entry) === pid || Number(fields[1]) === pid) total += (Number(fields[11]) + Number(fields[12])) / 100
  }
  return total
}

function spawnNode(source: string, env: Record<string, string>): Promise<Child> {
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  return spawnScript(source, env, { name: 'server', timeoutMs: 20_000, nodeArgs })
}

const expressSource = `
import express from 'express'
import { randomUUID } from 'node:crypto'
const app = express()
app.use(express.json({ limit: 32768 }))
app.post('/v1/evm/:chainId/requests', (req, res) => res.status(202).json({ id: randomUUID(), status: 'queued' }))
app.listen(Number(process.env.PORT), '127.0.0.1')
// An orderly exit on SIGTERM: --cpu-prof writes its profile only then.
process.on('SIGTERM', () => process.exit(0))
`

// The floor: what any relay on express must at least do per accepted request, one step added per
// row (FLOOR_STEPS): 1 a native secp256k1 recovery over a keccak digest of the body, 2 one Redis
// Lua write (the durable enqueue), 3 one eth_call on anvil (the simulation). No policy, no checks.
const floorSource = `
import express from 'express'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { Redis } from 'ioredis'
const require = createRequire(import.meta.url)
const secp256k1 = require('secp256k1')
const { keccak256 } = require('js-sha3')
const steps = Number(process.env.FLOOR_STEPS)
const redis = steps >= 2 ? new Redis(process.env.REDIS_URL) : undefined
const script = "redis.call('HSET', KEYS[1], 'body', ARGV[1]) redis.call('ZADD', KEYS[2], 1, KEYS[1]) return 1"
const sha = redis ? await redis.script('LOAD', script) : ''
// eth_calls made in the same tick share one HTTP request (a JSON-RPC batch), as the relay's do.
let pending = []
function ethCall(call) {
  return new Promise((resolve, reject) => {
    if (pending.length === 0) setImmediate(flush)
    pending.push({ call, resolve, reject })
  })
}
async function flush() {
  const batch = pending
  pending = []
  try {
    const body = JSON.stringify(batch.map((p, id) => ({ jsonrpc: '2.0', id, method: 'eth_call', params: [p.call, 'latest'] })))
    const answers = await (await fetch(process.env.RPC_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()
    for (const answer of answers) batch[answer.id].resolve(answer.result)
  } catch (error) {
    for (const p of batch) p.reject(error)
  }
}
const app = express()
app.use(express.json({ limit: 32768 }))
app.post('/v1/evm/:chainId/requests', async (req, res) => {
  const id = randomUUID()
  const { request, signature } = req.body
  const digest = Buffer.from(keccak256.arrayBuffer(JSON.stringify(request)))
  const sig = Buffer.from(signature.slice(2), 'hex')
  try { secp256k1.ecdsaRecover(sig.subarray(0, 64), sig[64] - 27, digest, false) } catch {}
  if (redis) await redis.evalsha(sha, 2, 'floor:' + id, 'floor:ready', JSON.stringify(req.body))
  if (steps >= 3) {
    const call = { to: process.env.FORWARDER, data: '0x7ecebe00' + request.from.slice(2).padStart(64, '0') }
    await ethCall(call)
  }
  res.status(202).json({ id, status: 'queued' })
})
app.listen(Number(process.env.PORT), '127.0.0.1')
// An orderly exit on SIGTERM: --cpu-prof writes its profile only then.
process.on('SIGTERM', () => process.exit(0))
`

// BENCH_RELAY_BASE=<path of another build's dist/index.js>: each relay row runs that build too, right
// before this one, in the same run (a before/after comparison on a machine whose speed drifts).
const RELAY_BASE = process.env.BENCH_RELAY_BASE
  ? pathToFileURL(resolvePath(process.env.BENCH_RELAY_BASE)).href
  : undefined

// RELAY_WORKERS > 1: that many relay processes on one port (node:cluster) and one Redis.
const relaySource = (entry: string) => `
import cluster from 'node:cluster'
import { pino } from 'pino'
import { createRedisStore, startRelay } from '${entry}'
const workers = Number(process.env.RELAY_WORKERS ?? 1)
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork()
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM')
    cluster.on('exit', () => { if (Object.keys(cluster.workers).length === 0) process.exit(0) })
  })
} else {
  const config = JSON.parse(process.env.RELAY_CONFIG)
  const store = process.env.REDIS_URL ? await createRedisStore({ url: process.env.REDIS_URL }) : undefined
  const relay = await startRelay({ ...config, ...(store ? { store } : {}), logger: pino({ level: 'warn' }), port: Number(process.env.PORT) })
  process.on('SIGTERM', () => relay.close().then(() => process.exit(0)))
}
`

interface LoadResult {
  accepted: number
  other: number
  rps: number
  p50: number
  p99: number
  /** Share of one core each process used during the measured run (2.0 = both cores). */
  cores: Record<string, number>
}

async function load(
  url: string,
  bodies: string[],
  pids: Record<string, number>,
  options: { connections?: number; unique?: boolean } = {},
): Promise<LoadResult> {
  const { connections = CONNECTIONS, unique = true } = options
  let next = 0
  const run = async (duration: number, pool: string[]) =>
    autocannon({
      url: `${url}/v1/evm/31337/requests`,
      method: 'POST',
      connections,
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
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]))
  const self = process.cpuUsage()
  const started = performance.now()
  const result = await run(DURATION_S, bodies)
  const wall = (performance.now() - started) / 1000
  const used = process.cpuUsage(self)
  const cores: Record<string, number> = { autocannon: (used.user + used.system) / 1e6 / wall }
  for (const [name, pid] of Object.entries(pids)) cores[name] = (cpuSeconds(pid) - (before[name] ?? 0)) / wall
  if (unique && next > bodies.length)
    throw new BenchError(`ran out of signed bodies (${bodies.length}); lower BENCH_DURATION`)
  return {
    accepted: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
    rps: result['2xx'] / DURATION_S,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cores,
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
  const relay = await spawnNode(relaySource(relayEntry), { RELAY_CONFIG: JSON.stringify(config) })
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
  const { publicClient, forwarder, token, config: base } = await deployBenchRelay(anvil.rpcUrl)

  // Enough distinct signed requests for the warm-up and a run at up to ~3,000 accepted/s.
  const perRun = Math.ceil(DURATION_S * 3000 + 2000)
  process.stderr.write(`signing ${perRun * 3 + CONFIRM_REQUESTS * 2} requests…\n`)
  const memoryBodies = signedBodies(perRun, forwarder, token)
  const redisBodies = signedBodies(perRun, forwarder, token)
  const twoBodies = signedBodies(perRun, forwarder, token)

  const rows: [string, LoadResult][] = []
  const baseline = await spawnNode(expressSource, {})
  try {
    rows.push([
      'plain express JSON endpoint (202, no work)',
      await load(baseline.url, [...memoryBodies], { server: baseline.pid }, { unique: false }),
    ])
  } finally {
    await baseline.stop()
  }
  const redisUrl = `redis://127.0.0.1:${redisPort}`
  for (const [steps, name] of [
    [1, 'floor: express + one native signature recovery'],
    [2, 'floor: … + one Redis Lua write'],
    [3, 'floor: … + one eth_call on anvil (a read, JSON-RPC batched per tick)'],
  ] as const) {
    if (!wantRow(`floor${steps}`)) continue
    const env = { FLOOR_STEPS: String(steps), REDIS_URL: redisUrl, RPC_URL: anvil.rpcUrl, FORWARDER: forwarder }
    const floor = await spawnNode(floorSource, env)
    try {
      const pids: Record<string, number> = { server: floor.pid }
      if (steps >= 2) pids.redis = redis.pid as number
      if (steps >= 3) pids.anvil = anvil.process.pid as number
      rows.push([name, await load(floor.url, [...memoryBodies], pids, { unique: false })])
    } finally {
      await floor.stop()
    }
  }
  // The last row is one client sending one request after another: the latency of a submission
  // itself, without queueing behind 15 others. Its bodies were never stored in this Redis (the
  // memory-store run used them).
  for (const [row, name, bodies, env, connections] of [
    ['memory', 'relay, memory store', memoryBodies, {}, undefined],
    ['redis', 'relay, Redis store (TCP, same host)', redisBodies, { REDIS_URL: redisUrl }, undefined],
    ['two', 'relay ×2 processes, one Redis', twoBodies, { REDIS_URL: redisUrl, RELAY_WORKERS: '2' }, undefined],
    ['one', 'relay, Redis store, 1 connection (one request at a time)', memoryBodies, { REDIS_URL: redisUrl }, 1],
  ] as const) {
    if (!wantRow(row)) continue
    for (const [entry, label] of RELAY_BASE
      ? [
          [RELAY_BASE, `${name}, base build`],
          [relayEntry, name],
        ]
      : [[relayEntry, name]]) {
      const relay = await spawnNode(relaySource(entry as string), { ...env, RELAY_CONFIG: JSON.stringify(base) })
      try {
        const pids: Record<string, number> = { server: relay.pid, anvil: anvil.process.pid as number }
        if ('REDIS_URL' in env) pids.redis = redis.pid as number
        // A base build's run takes fresh bodies: each signer is accepted once per store.
        const pool = entry === relayEntry ? bodies : signedBodies(bodies.length, forwarder, token)
        rows.push([label as string, await load(relay.url, [...pool], pids, connections ? { connections } : {})])
      } finally {
        await relay.stop()
      }
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
  // Where the 2 cores went: the load generator shares the machine with what it measures.
  const names = ['server', 'autocannon', 'anvil', 'redis']
  console.log(`\nCPU used during each run, in cores (this machine has ${availableParallelism()})\n`)
  console.log(`| endpoint | ${names.join(' | ')} |`)
  console.log(`|---|${names.map(() => '---:').join('|')}|`)
  for (const [name, r] of rows) {
    console.log(`| ${name} | ${names.map((n) => (r.cores[n] === undefined ? '–' : fmt(r.cores[n], 2))).join(' | ')} |`)
  }

  if (wantRow('confirmed')) {
    const batched = await confirmed(publicClient, base, signedBodies(CONFIRM_REQUESTS, forwarder, token), 50)
    const single = await confirmed(publicClient, base, signedBodies(CONFIRM_REQUESTS, forwarder, token), 1)
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
  }
} finally {
  redis.kill('SIGTERM')
  await anvil.stop()
}

// The ledger's cost to the relay (issue 16: "the ledger must not lower the relay's accepted requests
// per second by more than 10%, same run, with and without it"). Run from the repo root after
// `npm run build`: npm run bench -- ledger
//
// Accepted requests/s of `POST /v1/evm/:chainId/requests` (memory store, no relayer keys: only the
// API path), each relay in its own process, in four runs per ledger: without, with, with, without
// (means compared), on PGlite (in the relay's process) and, when Debian's PostgreSQL is installed, on
// a PostgreSQL server. With a ledger every accepted request writes received, simulated and admitted
// to the memory outbox and a drainer writes them to the database meanwhile. Prints both rates, the
// ratio, and the outbox at the end and 3 s later (what the drainer had not written yet).
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { startAnvil } from '@tokentags/testkit'
import { type PostgresServer, postgresBinDir, startPostgres } from '@tokentags/testkit/postgres'
import autocannon from 'autocannon'
import {
  BenchError,
  type Child,
  CONNECTIONS,
  DURATION_S,
  deployBenchRelay,
  ORIGIN,
  relayEntry,
  SITE,
  signedBodies,
  spawnScript,
} from './relay-submissions.js'

const ledgerEntry = new URL('../packages/ledger/dist/index.js', import.meta.url).href

// LEDGER: '' (none), 'pglite' (in this process, in memory) or 'postgres' (DATABASE_URL).
const relaySource = `
import { pino } from 'pino'
import { startRelay } from '${relayEntry}'
import { createPgliteLedger, createPostgresLedger } from '${ledgerEntry}'
const config = JSON.parse(process.env.RELAY_CONFIG)
const kind = process.env.LEDGER
const ledger = kind === 'pglite' ? await createPgliteLedger()
  : kind === 'postgres' ? await createPostgresLedger({ url: process.env.DATABASE_URL })
  : undefined
const relay = await startRelay({ ...config, ...(ledger ? { ledger: { ledger } } : {}), logger: pino({ level: 'warn' }), port: Number(process.env.PORT) })
process.on('SIGTERM', () => relay.close().then(() => process.exit(0)))
`

const spawnRelay = (env: Record<string, string>): Promise<Child> =>
  spawnScript(relaySource, env, { name: 'ledger', timeoutMs: 60_000 })

/** CPU seconds (user + system) of one process, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

interface Run {
  rps: number
  other: number
  p50: number
  p99: number
  /** Cores the relay process used during the measured run. */
  relayCores: number
  /** Stage events still in the outbox when the run ended; undefined without a ledger. */
  outboxLeft: number | undefined
  /** And 3 s later, with no load: how fast the drainer catches up. */
  outboxLater: number | undefined
  dropped: number
}

async function measure(relay: Child, bodies: string[]): Promise<Run> {
  let next = 0
  const run = (duration: number, pool: string[]) =>
    autocannon({
      url: `${relay.url}/v1/evm/31337/requests`,
      method: 'POST',
      connections: CONNECTIONS,
      duration,
      headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
      requests: [{ setupRequest: (request) => ({ ...request, body: pool[next++ % pool.length] }) }],
    })
  // Warm-up (JIT, connections) with bodies the measured run does not reuse.
  await run(1, bodies.slice(0, 2000))
  next = 0
  const measured = bodies.slice(2000)
  const cpuBefore = cpuSeconds(relay.pid)
  const started = performance.now()
  const result = await run(DURATION_S, measured)
  const wall = (performance.now() - started) / 1000
  if (next > measured.length)
    throw new BenchError(`ran out of signed bodies (${measured.length}); lower BENCH_DURATION`)
  const metrics = await (await fetch(`${relay.url}/metrics`)).text()
  const outbox = /^tokentags_relay_ledger_outbox_events (\d+)/m.exec(metrics)?.[1]
  await new Promise((r) => setTimeout(r, 3000))
  const later = /^tokentags_relay_ledger_outbox_events (\d+)/m.exec(
    await (await fetch(`${relay.url}/metrics`)).text(),
  )?.[1]
  let dropped = 0
  for (const m of metrics.matchAll(/^tokentags_relay_ledger_events_dropped_total\{[^}]*\} (\d+)/gm))
    dropped += Number(m[1])
  return {
    rps: result['2xx'] / DURATION_S,
    other: result.non2xx + result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    relayCores: (cpuSeconds(relay.pid) - cpuBefore) / wall,
    outboxLeft: outbox === undefined ? undefined : Number(outbox),
    outboxLater: later === undefined ? undefined : Number(later),
    dropped,
  }
}

async function relayRun(config: string, bodies: string[], env: Record<string, string>): Promise<Run> {
  const relay = await spawnRelay({ RELAY_CONFIG: config, ...env })
  try {
    return await measure(relay, bodies)
  } finally {
    await relay.stop()
  }
}

const load = loadavg()
const anvil = await startAnvil()
let postgres: PostgresServer | undefined
try {
  const { forwarder, token, config: relayConfig } = await deployBenchRelay(anvil.rpcUrl)
  const config = JSON.stringify(relayConfig)
  // Each relay process has its own memory store and nothing is ever sent (no relayer keys): one set
  // of signed bodies serves every run.
  const count = Math.ceil(DURATION_S * 3000 + 2000)
  process.stderr.write(`signing ${count} requests…\n`)
  const bodies = signedBodies(count, forwarder, token)

  const ledgers: [string, Record<string, string>][] = [['PGlite (in the relay process)', { LEDGER: 'pglite' }]]
  if (postgresBinDir()) {
    postgres = await startPostgres()
    ledgers.push(['PostgreSQL (Debian server, same host)', { LEDGER: 'postgres', DATABASE_URL: postgres.url }])
  } else {
    process.stderr.write('no PostgreSQL server installed: the postgres pair is skipped\n')
  }

  // Without, with, with, without: a machine getting busier or quieter during the four runs weighs
  // on both sides alike (other engineers' jobs share these cores).
  const mean = (a: Run, b: Run): Run => ({
    rps: (a.rps + b.rps) / 2,
    other: a.other + b.other,
    p50: (a.p50 + b.p50) / 2,
    p99: Math.max(a.p99, b.p99),
    relayCores: (a.relayCores + b.relayCores) / 2,
    outboxLeft:
      a.outboxLeft === undefined || b.outboxLeft === undefined ? undefined : Math.max(a.outboxLeft, b.outboxLeft),
    outboxLater:
      a.outboxLater === undefined || b.outboxLater === undefined ? undefined : Math.max(a.outboxLater, b.outboxLater),
    dropped: a.dropped + b.dropped,
  })
  const rows: { ledger: string; without: Run; with: Run; runs: number[] }[] = []
  for (const [name, env] of ledgers) {
    const without1 = await relayRun(config, bodies, {})
    const with1 = await relayRun(config, bodies, env)
    const with2 = await relayRun(config, bodies, env)
    const without2 = await relayRun(config, bodies, {})
    rows.push({
      ledger: name,
      without: mean(without1, without2),
      with: mean(with1, with2),
      runs: [without1.rps, with1.rps, with2.rps, without2.rps],
    })
  }

  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits })
  console.log(
    `\nAccepted submissions with and without the ledger (${CONNECTIONS} connections, ${DURATION_S} s each, autocannon, memory store; runs without, with, with, without, means shown; load average before: ${load.map((l) => l.toFixed(2)).join(' ')}, after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})\n`,
  )
  console.log(
    '| ledger | accepted/s without | accepted/s with | with / without | p50 ms without / with | p99 ms without / with | relay cores without / with | outbox at the end / 3 s later | dropped |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) {
    console.log(
      `| ${r.ledger} | ${fmt(r.without.rps)} | ${fmt(r.with.rps)} | ${fmt((r.with.rps / r.without.rps) * 100, 1)}% | ${fmt(r.without.p50, 1)} / ${fmt(r.with.p50, 1)} | ${fmt(r.without.p99, 1)} / ${fmt(r.with.p99, 1)} | ${fmt(r.without.relayCores, 2)} / ${fmt(r.with.relayCores, 2)} | ${r.with.outboxLeft ?? '–'} / ${r.with.outboxLater ?? '–'} | ${r.with.dropped} |`,
    )
    if (r.without.other + r.with.other > 0) {
      console.log(`|   answers other than 202 | ${r.without.other} | ${r.with.other} | | | | | | |`)
    }
  }
  for (const r of rows)
    console.log(`\n${r.ledger}: accepted/s of the four runs in order: ${r.runs.map((n) => fmt(n)).join(', ')}`)
  console.log('\nTarget (issue 16): with / without ≥ 90%. Timings vary with what else runs on the machine.\n')
} finally {
  await postgres?.destroy()
  await anvil.stop()
}

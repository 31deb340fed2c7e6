// Low-balance alerts to the operator webhook, with two tokentags-relay processes on one Redis: a relayer
// key drained on anvil below its threshold by a request's gas gives exactly one signed alert, a refill
// exactly one recovery notice; the same for the Solana fee payer on a LiteSVM-backed RPC. The admin
// API flags the same balances with the same thresholds.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Address, lamports } from '@solana/kit'
import { freePort } from '@tokentags/testkit'
import { type SolanaRpcInstance, seedSolanaDevLedger, startSolanaRpc } from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { createWalletClient, http, parseEther } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperatorAlertPayload } from '../../src/alerts/balances.js'
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../src/webhooks/signature.js'
import {
  anvilRpc,
  CHAIN_ID,
  deployer,
  eventually,
  ORIGIN,
  relayer,
  SITE_KEY,
  setupChain,
  type TestChain,
} from '../helpers.js'
import { fundedUsers, getJson, post, relayerKeys, transferBody, transferSelector } from '../support/load.js'
import { type RelayProcess, relayProcess } from '../support/relayProcess.js'
import { type StoreBackend, startStoreBackend } from '../support/storeBackend.js'

const SECRET = 'operator_alerts_test_secret_0123'
const ADMIN = 'alerts-admin-token'
const THRESHOLD_WEI = parseEther('1')
const THRESHOLD_LAMPORTS = 1_000_000_000n
const CHECK_MS = 150

interface Received {
  payload: OperatorAlertPayload
  signed: boolean
  delivery: string | undefined
}

describe('operator alerts from two relay processes on one Redis', () => {
  let chain: TestChain
  let backend: StoreBackend
  let node: SolanaRpcInstance
  let feePayer: Address
  let receiver: Server
  let relays: RelayProcess[] = []
  let config: Record<string, unknown>
  const received: Received[] = []

  const record = (headers: IncomingHttpHeaders, body: string) => {
    const header = headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined
    received.push({
      payload: JSON.parse(body) as OperatorAlertPayload,
      signed: verifyWebhookSignature({ header, body, secret: SECRET }).ok,
      delivery: headers['x-tokentags-delivery'] as string | undefined,
    })
  }
  const of = (account: string, type: OperatorAlertPayload['type']) =>
    received.filter((r) => r.payload.account.toLowerCase() === account.toLowerCase() && r.payload.type === type)
  /** Both relays read every balance many times over (no instance-specific count to wait on). */
  const severalChecks = () => new Promise((r) => setTimeout(r, CHECK_MS * 12))
  const overview = async (relay: RelayProcess) => {
    const response = await fetch(`${relay.url}/admin/api/overview`, { headers: { authorization: `Bearer ${ADMIN}` } })
    expect(response.status).toBe(200)
    return (await response.json()) as {
      lowBalanceWei: string
      chains: { chainId: number; lowBalanceWei: string; relayers: { address: string; low: boolean }[] }[]
      solana: { feePayer: string; low: boolean; lowBalanceLamports: string }
    }
  }
  const setLamports = (amount: bigint) => {
    const account = node.svm.getAccount(feePayer)
    if (!account.exists) throw new TypeError('the fee payer has no account')
    node.svm.setAccount({ ...account, lamports: lamports(amount) })
  }

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => {
        body += c
      })
      req.on('end', () => {
        record(req.headers, body)
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    ;[chain, backend, node] = await Promise.all([setupChain(), startStoreBackend('redis'), startSolanaRpc()])
    const dev = await seedSolanaDevLedger(node.svm)
    feePayer = dev.feePayer
    setLamports(5n * THRESHOLD_LAMPORTS)
    // 1 wei above its threshold: any gas paid takes the relayer below it, however low the base fee has fallen.
    await anvilRpc(chain, 'anvil_setBalance', [relayer.address, `0x${(THRESHOLD_WEI + 1n).toString(16)}`])
    config = {
      chains: [
        {
          chainId: CHAIN_ID,
          rpcUrl: chain.anvil.rpcUrl,
          forwarder: chain.forwarder,
          relayerPrivateKeys: relayerKeys(1),
        },
      ],
      sites: {
        [SITE_KEY]: {
          origins: [ORIGIN],
          targets: [{ address: chain.token, selectors: [transferSelector] }],
          dailyBudgetWei: 'unlimited',
        },
      },
      solana: {
        rpcUrl: node.rpcUrl,
        feePayerSecretKey: Array.from((await solanaDevKeyPair('feePayer')).secretKey),
        chain: 'solana:localnet',
      },
      batch: { maxSize: 5, maxWaitMs: 50, pollIntervalMs: 50 },
      limits: { perIp: false, perSender: false },
      alerts: {
        lowBalanceWei: { [CHAIN_ID]: THRESHOLD_WEI.toString() },
        lowBalanceLamports: THRESHOLD_LAMPORTS.toString(),
        checkIntervalMs: CHECK_MS,
      },
    }
    const env = {
      ...backend.env,
      TOKENTAGS_ADMIN_TOKEN: ADMIN,
      TOKENTAGS_OPERATOR_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`,
      TOKENTAGS_OPERATOR_WEBHOOK_SECRET: SECRET,
    }
    relays = [
      relayProcess({ port: await freePort(), env, name: 'alerts-a', config }),
      relayProcess({ port: await freePort(), env, name: 'alerts-b', config }),
    ]
    await Promise.all(relays.map((r) => r.start()))
  }, 120_000)

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()))
    await new Promise((r) => receiver?.close(r))
    await node?.stop()
    await backend?.stop()
    await chain?.anvil.stop()
  })

  it('sends one signed alert when a relayer key is drained below its threshold, and one recovery after a refill', async () => {
    const [relayA, relayB] = relays as [RelayProcess, RelayProcess]
    await severalChecks()
    // Above its threshold from the start: nothing to say.
    expect(of(relayer.address, 'balance.low')).toEqual([])
    expect((await overview(relayB)).chains[0]?.relayers[0]?.low).toBe(false)

    // A request's gas drains it below.
    const [user] = await fundedUsers(chain, 1, 10n)
    if (!user) throw new TypeError('no funded user')
    const { status, json } = await post(relayA.url, await transferBody(chain, user, 0n), SITE_KEY, ORIGIN)
    expect(status).toBe(202)
    await eventually(
      async () => (await getJson(`${relayA.url}/v1/requests/${json.id}`))?.status === 'confirmed',
      30_000,
      'the request confirmed',
    )
    await eventually(async () => of(relayer.address, 'balance.low').length > 0, 20_000, 'a low-balance alert')
    await severalChecks()
    const low = of(relayer.address, 'balance.low')
    expect(low).toHaveLength(1)
    const [alert] = low
    expect(alert?.signed).toBe(true)
    expect(alert?.delivery).toBe(alert?.payload.id)
    expect(alert?.payload).toMatchObject({
      kind: 'evm',
      chain: String(CHAIN_ID),
      role: 'relayer',
      unit: 'wei',
      threshold: THRESHOLD_WEI.toString(),
    })
    expect(BigInt(alert?.payload.balance ?? THRESHOLD_WEI)).toBeLessThan(THRESHOLD_WEI)
    // The dashboard's admin API flags it, on either relay, under the same threshold.
    for (const relay of relays) {
      const view = await overview(relay)
      expect(view.chains[0]?.lowBalanceWei).toBe(THRESHOLD_WEI.toString())
      expect(view.chains[0]?.relayers.find((r) => r.address === relayer.address)?.low).toBe(true)
    }

    // A refill by a transfer: one recovery notice.
    const wallet = createWalletClient({ account: deployer, chain: foundry, transport: http(chain.anvil.rpcUrl) })
    await chain.publicClient.waitForTransactionReceipt({
      hash: await wallet.sendTransaction({ to: relayer.address, value: parseEther('2') }),
    })
    await eventually(async () => of(relayer.address, 'balance.recovered').length > 0, 20_000, 'a recovery notice')
    await severalChecks()
    const recovered = of(relayer.address, 'balance.recovered')
    expect(recovered).toHaveLength(1)
    expect(recovered[0]?.signed).toBe(true)
    expect(BigInt(recovered[0]?.payload.balance ?? 0n)).toBeGreaterThanOrEqual(THRESHOLD_WEI)
    expect(of(relayer.address, 'balance.low')).toHaveLength(1)
    expect((await overview(relayA)).chains[0]?.relayers[0]?.low).toBe(false)
  }, 120_000)

  it('sends one signed alert and one recovery for the Solana fee payer', async () => {
    await severalChecks()
    expect(of(feePayer, 'balance.low')).toEqual([])
    setLamports(THRESHOLD_LAMPORTS / 2n)
    await eventually(async () => of(feePayer, 'balance.low').length > 0, 20_000, 'a fee-payer alert')
    await severalChecks()
    const low = of(feePayer, 'balance.low')
    expect(low).toHaveLength(1)
    expect(low[0]?.signed).toBe(true)
    expect(low[0]?.payload).toMatchObject({
      kind: 'solana',
      chain: 'solana:localnet',
      role: 'fee-payer',
      unit: 'lamports',
      balance: (THRESHOLD_LAMPORTS / 2n).toString(),
      threshold: THRESHOLD_LAMPORTS.toString(),
    })
    for (const relay of relays) {
      const { solana } = await overview(relay)
      expect(solana).toMatchObject({ feePayer, low: true, lowBalanceLamports: THRESHOLD_LAMPORTS.toString() })
    }

    setLamports(3n * THRESHOLD_LAMPORTS)
    await eventually(async () => of(feePayer, 'balance.recovered').length > 0, 20_000, 'a fee-payer recovery')
    await severalChecks()
    expect(of(feePayer, 'balance.recovered')).toHaveLength(1)
    expect(of(feePayer, 'balance.low')).toHaveLength(1)
    expect(received.every((r) => r.signed)).toBe(true)
  }, 120_000)

  it('stops the bin at start on a half-set operator webhook, a short secret or a bad URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-alerts-bin-'))
    try {
      const path = join(dir, 'relay.json')
      writeFileSync(path, JSON.stringify(config))
      const run = (extra: Record<string, string>) => {
        const result = spawnSync(
          process.execPath,
          [resolve(import.meta.dirname, '../../dist/bin.js'), '--config', path, '--port', '0'],
          {
            env: { PATH: process.env.PATH, TOKENTAGS_RELAY_LOG_LEVEL: 'silent', ...backend.env, ...extra },
            encoding: 'utf8',
            timeout: 30_000,
          },
        )
        return { status: result.status, out: `${result.stderr}${result.stdout}` }
      }
      const half = run({ TOKENTAGS_OPERATOR_WEBHOOK_URL: 'https://ops.example/alerts' })
      expect(half.status).toBe(1)
      expect(half.out).toContain('set both TOKENTAGS_OPERATOR_WEBHOOK_URL and TOKENTAGS_OPERATOR_WEBHOOK_SECRET')
      const short = run({
        TOKENTAGS_OPERATOR_WEBHOOK_URL: 'https://ops.example/alerts',
        TOKENTAGS_OPERATOR_WEBHOOK_SECRET: 'short',
      })
      expect(short.status).toBe(1)
      expect(short.out).toContain('TOKENTAGS_OPERATOR_WEBHOOK_SECRET is shorter than 16 characters')
      const badUrl = run({
        TOKENTAGS_OPERATOR_WEBHOOK_URL: 'ftp://ops.example/',
        TOKENTAGS_OPERATOR_WEBHOOK_SECRET: SECRET,
      })
      expect(badUrl.status).toBe(1)
      expect(badUrl.out).toContain('TOKENTAGS_OPERATOR_WEBHOOK_URL is not an http(s) URL')
      writeFileSync(path, JSON.stringify({ ...config, alerts: { lowBalanceWei: { [CHAIN_ID]: '0.5 ether' } } }))
      const badThreshold = run({})
      expect(badThreshold.status).toBe(1)
      expect(badThreshold.out).toContain(`invalid relay config at alerts.lowBalanceWei`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

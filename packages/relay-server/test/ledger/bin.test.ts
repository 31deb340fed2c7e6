// The tokentags-relay bin with TOKENTAGS_DATABASE_URL: a relay process on Redis writes a request's
// stages to Debian's PostgreSQL through its Redis outbox, and a bad database URL stops it at start.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createPostgresLedger, type Ledger } from '@tokentags/ledger'
import { freePort } from '@tokentags/testkit'
import { type PostgresServer, startPostgres } from '@tokentags/testkit/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../src/webhooks/signature.js'
import { CHAIN_ID, ORIGIN, SITE_KEY, setupChain, type TestChain } from '../helpers.js'
import { fundedUsers, getJson, post, relayerKeys, transferBody, transferSelector } from '../support/load.js'
import { type RelayProcess, relayProcess } from '../support/relayProcess.js'
import { type StoreBackend, startStoreBackend } from '../support/storeBackend.js'

const BIN = resolve(import.meta.dirname, '../../dist/bin.js')
const WEBHOOK_SECRET = 'whsec_bin_test_only_0123'

describe('tokentags-relay bin with TOKENTAGS_DATABASE_URL', () => {
  let chain: TestChain
  let backend: StoreBackend
  let pg: PostgresServer
  let relay: RelayProcess
  let ledger: Ledger
  let config: Record<string, unknown>
  let receiver: Server
  const hooks: { body: string; ok: boolean }[] = []
  const hooksDir = mkdtempSync(join(tmpdir(), 'tt-ledger-bin-hooks-'))

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => {
        body += c
      })
      req.on('end', () => {
        const header = req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined
        hooks.push({ body, ok: verifyWebhookSignature({ header, body, secret: WEBHOOK_SECRET }).ok })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    const hooksFile = join(hooksDir, 'webhooks.json')
    writeFileSync(
      hooksFile,
      JSON.stringify({
        [SITE_KEY]: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, secret: WEBHOOK_SECRET },
      }),
    )
    ;[chain, backend, pg] = await Promise.all([setupChain(), startStoreBackend('redis'), startPostgres()])
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
      batch: { maxSize: 5, maxWaitMs: 50, pollIntervalMs: 50 },
      limits: { perIp: false, perSender: false },
    }
    relay = relayProcess({
      port: await freePort(),
      env: { ...backend.env, TOKENTAGS_DATABASE_URL: pg.url, TOKENTAGS_WEBHOOKS_FILE: hooksFile },
      name: 'ledger-bin',
      config,
    })
    await relay.start()
    ledger = await createPostgresLedger({ url: pg.url })
  }, 120_000)

  afterAll(async () => {
    await relay?.stop()
    await new Promise((r) => receiver?.close(r))
    rmSync(hooksDir, { recursive: true, force: true })
    await ledger?.close()
    await pg?.destroy()
    await backend?.stop()
    await chain?.anvil.stop()
  })

  it("writes a confirmed request's stages to PostgreSQL, and a refusal with its code", async () => {
    const [user] = await fundedUsers(chain, 1, 10n)
    if (!user) throw new TypeError('no funded user')
    const { status, json } = await post(relay.url, await transferBody(chain, user, 0n), SITE_KEY, ORIGIN)
    expect(status).toBe(202)
    const id = json.id as string
    // A refusal: an unknown site key is answered 4xx and recorded as refused.
    const refused = await post(relay.url, await transferBody(chain, user, 1n), 'pk_nobody', ORIGIN)
    expect(refused.status).toBeGreaterThanOrEqual(400)

    const until = Date.now() + 60_000
    let stages: string[] = []
    for (;;) {
      const view = await getJson(`${relay.url}/v1/requests/${id}`)
      const timeline = await ledger.timeline(id)
      stages = timeline?.stages.map((s) => s.stage) ?? []
      if (view?.status === 'confirmed' && timeline?.request.status === 'confirmed' && stages.includes('settled')) break
      if (Date.now() > until) break
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(stages).toEqual(expect.arrayContaining(['received', 'admitted', 'submitted', 'confirmed', 'settled']))
    const timeline = await ledger.timeline(id)
    expect(timeline?.request).toMatchObject({ site: SITE_KEY, kind: 'evm', chain: String(CHAIN_ID) })
    expect(timeline?.request.txHash).toMatch(/^0x[0-9a-f]{64}$/)
    const refusals = await ledger.refusals({ site: 'pk_nobody' })
    expect(refusals.reduce((n, r) => n + r.count, 0)).toBe(1)
    // TOKENTAGS_WEBHOOKS_FILE: the site's receiver gets the final status, signed, from the Redis queue.
    const until2 = Date.now() + 20_000
    while (!hooks.some((h) => h.body.includes(id)) && Date.now() < until2) await new Promise((r) => setTimeout(r, 100))
    const hook = hooks.find((h) => h.body.includes(id))
    expect(hook?.ok).toBe(true)
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({
      type: 'request.final',
      site: SITE_KEY,
      request: { id, status: 'confirmed' },
    })
  }, 90_000)

  it('exits at start with a clear message on a bad or unreachable TOKENTAGS_DATABASE_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-ledger-bin-'))
    try {
      const path = join(dir, 'relay.json')
      writeFileSync(path, JSON.stringify(config))
      const run = (url: string, extra: Record<string, string> = {}) => {
        const result = spawnSync(process.execPath, [BIN, '--config', path, '--port', '0'], {
          env: { PATH: process.env.PATH, TOKENTAGS_RELAY_LOG_LEVEL: 'silent', TOKENTAGS_DATABASE_URL: url, ...extra },
          encoding: 'utf8',
          timeout: 30_000,
        })
        return { status: result.status, out: `${result.stderr}${result.stdout}` }
      }
      const notPg = run('mysql://root:hunter2@127.0.0.1:3306/db')
      expect(notPg.status).toBe(1)
      expect(notPg.out).toContain('TOKENTAGS_DATABASE_URL is not a PostgreSQL URL')
      // The password never reaches the terminal.
      expect(notPg.out).not.toContain('hunter2')
      const garbage = run('not a url')
      expect(garbage.status).toBe(1)
      expect(garbage.out).toContain('TOKENTAGS_DATABASE_URL is not a PostgreSQL URL')
      const closed = await freePort()
      const unreachable = run(`postgres://postgres:hunter2@127.0.0.1:${closed}/postgres`)
      expect(unreachable.status).toBe(1)
      expect(unreachable.out).toContain(
        `tokentags-relay: ledger: cannot migrate postgres://postgres:***@127.0.0.1:${closed}`,
      )
      expect(unreachable.out).not.toContain('hunter2')
      // Webhooks: a site the config lacks, a short secret, or no ledger at all stop the bin too.
      const hooksFile = join(dir, 'hooks.json')
      writeFileSync(hooksFile, JSON.stringify({ pk_unknown: { url: 'https://example.test/', secret: 'x'.repeat(20) } }))
      const unknownSite = run(pg.url, { TOKENTAGS_WEBHOOKS_FILE: hooksFile })
      expect(unknownSite.status).toBe(1)
      expect(unknownSite.out).toContain('TOKENTAGS_WEBHOOKS_FILE names site pk_unknown, not in the config')
      writeFileSync(hooksFile, JSON.stringify({ [SITE_KEY]: { url: 'https://example.test/', secret: 'short' } }))
      const shortSecret = run(pg.url, { TOKENTAGS_WEBHOOKS_FILE: hooksFile })
      expect(shortSecret.status).toBe(1)
      expect(shortSecret.out).toContain(`TOKENTAGS_WEBHOOKS_FILE ${SITE_KEY}.secret`)
      const noLedger = run('', { TOKENTAGS_WEBHOOKS_FILE: hooksFile })
      expect(noLedger.status).toBe(1)
      expect(noLedger.out).toContain('TOKENTAGS_WEBHOOKS_FILE needs the ledger')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

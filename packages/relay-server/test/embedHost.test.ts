// Issue 13, finding 8: embed and oEmbed URLs followed the Host header and were cached publicly, so
// one forged Host could poison what a shared cache hands everyone. With embed.publicUrl they never
// follow Host; without it (development only) they are not cacheable; production refuses to start
// without it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, createRelay, type RelayConfig, type RunningRelay, startRelay } from '../src/index.js'

const VAULT = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'
const EVIL = 'evil.example'
const PUBLIC = 'https://relay.example'
const BIN = resolve(import.meta.dirname, '../dist/bin.js')

let widgets: string
let feePayerSecretKey: number[]
const relays: RunningRelay[] = []

beforeAll(async () => {
  const feePayer = await solanaDevKeyPair('tokentags public test seed: embed host fee payer (dev only, not a secret)')
  feePayerSecretKey = Array.from(feePayer.secretKey)
  widgets = mkdtempSync(join(tmpdir(), 'tt-embed-host-'))
  writeFileSync(join(widgets, 'token-claim.js'), 'export {}\n')
})

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()))
  rmSync(widgets, { recursive: true, force: true })
})

function config(embed: NonNullable<RelayConfig['embed']>): RelayConfig {
  return {
    // A Solana-only relay: embeds need no chain to render; its RPC is never called here.
    chains: [],
    sites: { pk_shop: { origins: ['https://shop.example'], targets: [] } },
    solana: { rpcUrl: 'http://127.0.0.1:9', feePayerSecretKey },
    embed: { rpcUrls: { '8453': 'https://mainnet.base.example/rpc' }, widgetsDir: widgets, ...embed },
    logger: pino({ level: 'silent' }),
  }
}

async function relayWith(embed: NonNullable<RelayConfig['embed']>) {
  const relay = await startRelay({ ...config(embed), port: 0 })
  relays.push(relay)
  return relay
}

/** GET with a forged Host header (fetch will not send one of our choosing). */
function getWithHost(url: string, host: string): Promise<{ status: number; cache: string | undefined; body: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, cache: res.headers['cache-control'] as string | undefined, body }),
      )
    })
    req.on('error', fail)
    req.end()
  })
}

const embedPath = `/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}`
const oembedPath = (base: string) => `/oembed?${new URLSearchParams({ url: `${base}${embedPath}`, format: 'json' })}`

describe('with embed.publicUrl', () => {
  it('a forged Host changes no URL in the embed page or the oEmbed answer, which stay cacheable', async () => {
    const relay = await relayWith({ publicUrl: `${PUBLIC}/` })
    const page = await getWithHost(`${relay.url}${embedPath}`, EVIL)
    expect(page.status).toBe(200)
    expect(page.body).toContain(`relay="${PUBLIC}"`)
    expect(page.body).not.toContain(EVIL)
    const oembed = await getWithHost(`${relay.url}${oembedPath(PUBLIC)}`, EVIL)
    expect(oembed.status).toBe(200)
    expect(oembed.body).toContain(`${PUBLIC}/embed/claim?`)
    expect(oembed.body).not.toContain(EVIL)
    expect(oembed.cache).toBe('public, max-age=300')
    // The forged host's own URL is not one of this relay's embeds.
    expect((await getWithHost(`${relay.url}${oembedPath(`http://${EVIL}`)}`, EVIL)).status).toBe(404)
  })
})

describe('without embed.publicUrl (development)', () => {
  it('URLs follow the Host header, so no cache may keep them: private, no-store', async () => {
    const relay = await relayWith({})
    const page = await getWithHost(`${relay.url}${embedPath}`, EVIL)
    expect(page.status).toBe(200)
    expect(page.body).toContain(`relay="http://${EVIL}"`)
    expect(page.cache).toBe('private, no-store')
    const oembed = await getWithHost(`${relay.url}${oembedPath(`http://${EVIL}`)}`, EVIL)
    expect(oembed.status).toBe(200)
    expect(oembed.cache).toBe('private, no-store')
  })

  it('a production relay refuses to start without it (in process and the tokentags-relay bin)', async () => {
    expect(() => createRelay({ ...config({}), production: true })).toThrow(ConfigError)
    expect(() => createRelay({ ...config({}), production: true })).toThrow(/embed\.publicUrl is required/)
    const ok = createRelay({ ...config({ publicUrl: PUBLIC }), production: true })
    await ok.close()

    const dir = mkdtempSync(join(tmpdir(), 'tt-embed-prod-'))
    try {
      const file = join(dir, 'relay.json')
      const { logger: _logger, ...fileConfig } = config({})
      writeFileSync(file, JSON.stringify(fileConfig))
      const run = (nodeEnv: string) =>
        spawnSync(process.execPath, [BIN, '--config', file, '--port', '0'], {
          env: { PATH: process.env.PATH, NODE_ENV: nodeEnv, TOKENTAGS_RELAY_LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          timeout: 20_000,
        })
      const refused = run('production')
      expect(refused.status).not.toBe(0)
      expect(`${refused.stderr}${refused.stdout}`).toContain('embed.publicUrl is required in production')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

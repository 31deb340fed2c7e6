import { createServer, type Server } from 'node:http'
import { test as base } from '@playwright/test'
import { type DeployPlatformReturnType, deployPlatform, seedDemoSchedules } from '@tokentags/contracts/deploy'
import { createPostgresLedger, type Ledger } from '@tokentags/ledger'
import { type RunningRelay, startRelay } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS, type AnvilInstance, freePort, startAnvil } from '@tokentags/testkit'
import { startPostgres } from '@tokentags/testkit/postgres'
import {
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { type Address, createPublicClient, createWalletClient, type Hex, http, toFunctionSelector } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'

export const SITE_KEY = 'pk_embed_e2e'
export const ADMIN_TOKEN = 'e2e-operator-token-0123456789'
/** The site of Solana tips in a stack with `solana` (no EVM targets). */
export const SOLANA_SITE_KEY = 'pk_sol_e2e'
export const SOLANA_CHAIN = 'solana:localnet'

export interface Stack {
  anvil: AnvilInstance
  relay: RunningRelay
  relayUrl: string
  /** A page origin the site allows: it may frame the embeds. */
  allowedHost: string
  /** Another origin, unknown to the site: it may not. */
  foreignHost: string
  contracts: Omit<DeployPlatformReturnType, 'implementations'>
  accounts: { role: string; address: Address; privateKey: Hex }[]
  relayer: Address
  /** With `startStack({ ledger: true })`: the relay's ledger on Debian's PostgreSQL. */
  ledger?: Ledger
  /** With `startStack({ solana: true })`: LiteSVM behind JSON-RPC, seeded with the dev accounts. */
  solana?: { node: SolanaRpcInstance; dev: SolanaDevLedger }
}

const key = (i: number): Hex => {
  const account = ANVIL_DEV_ACCOUNTS[i]
  if (!account) throw new Error(`no anvil dev account ${i}`)
  return account.privateKey
}

const escapeAttr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A page that frames `?src=` in an iframe: a social site or blog that embeds a TokenTags link. */
function startHost(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host')
    const src = url.searchParams.get('src') ?? ''
    const width = url.searchParams.get('width') ?? '420'
    const height = url.searchParams.get('height') ?? '420'
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post with an embed</title></head>
<body><h1>A post</h1><iframe id="embed" title="TokenTags embed" src="${escapeAttr(src)}" width="${escapeAttr(width)}" height="${escapeAttr(height)}"></iframe></body></html>`)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

/** anvil with the platform and demo schedules, a relay with embeds, the dashboard and a dev wallet, two host pages. */
export async function startStack(
  options: { ledger?: boolean; solana?: boolean } = {},
): Promise<Stack & { stop(): Promise<void> }> {
  const stoppers: (() => Promise<unknown>)[] = []
  const stop = async () => {
    for (const fn of stoppers.reverse()) await fn().catch(() => {})
  }
  try {
    const anvil = await startAnvil({ port: await freePort() })
    stoppers.push(() => anvil.stop())
    const chain = { ...foundry, id: anvil.chainId, rpcUrls: { default: { http: [anvil.rpcUrl] } } }
    const publicClient = createPublicClient({ chain, transport: http(anvil.rpcUrl) })
    const walletClient = createWalletClient({
      chain,
      transport: http(anvil.rpcUrl),
      account: privateKeyToAccount(key(0)),
    })
    const { implementations: _implementations, ...contracts } = await deployPlatform({ walletClient, publicClient })
    const accounts = [
      { role: 'vested', privateKey: key(2) },
      { role: 'partly-vested', privateKey: key(3) },
      { role: 'before-cliff', privateKey: key(4) },
    ].map((a) => ({ ...a, address: privateKeyToAccount(a.privateKey).address }))
    await seedDemoSchedules({
      walletClient,
      publicClient,
      vestingVault: contracts.vestingVault,
      token: contracts.token,
      beneficiaries: accounts.map((a) => a.address),
    })

    let ledger: Ledger | undefined
    if (options.ledger) {
      const pg = await startPostgres()
      stoppers.push(() => pg.destroy())
      // The relay closes the ledger with itself.
      ledger = await createPostgresLedger({ url: pg.url })
    }
    let solana: Stack['solana']
    let feePayerSecretKey: number[] | undefined
    if (options.solana) {
      const node = await startSolanaRpc()
      stoppers.push(() => node.stop())
      solana = { node, dev: await seedSolanaDevLedger(node.svm) }
      feePayerSecretKey = Array.from((await solanaDevKeyPair('feePayer')).secretKey)
    }

    const [relayPort, allowedPort, foreignPort] = [await freePort(), await freePort(), await freePort()]
    const relayUrl = `http://127.0.0.1:${relayPort}`
    const allowedHost = `http://127.0.0.1:${allowedPort}`
    const foreignHost = `http://127.0.0.1:${foreignPort}`
    const relay = await startRelay({
      port: relayPort,
      chains: [
        {
          chainId: anvil.chainId,
          rpcUrl: anvil.rpcUrl,
          forwarder: contracts.forwarder,
          relayerPrivateKeys: [key(1)],
          maxFeePerGas: 100_000_000_000n,
        },
      ],
      sites: {
        [SITE_KEY]: {
          // The embed page submits from the relay's own origin: the site opts in by listing it.
          origins: [allowedHost, relayUrl],
          targets: [
            {
              address: contracts.vestingVault,
              selectors: [toFunctionSelector('claim(uint256)'), toFunctionSelector('claimMany(uint256[])')],
            },
            // TAG trusts the forwarder: a TAG tip is a relayed transfer (gasless tip embed).
            { address: contracts.token, selectors: [toFunctionSelector('transfer(address,uint256)')] },
          ],
          dailyBudgetWei: 5n * 10n ** 18n,
        },
        ...(solana ? { [SOLANA_SITE_KEY]: { origins: [allowedHost], targets: [] } } : {}),
      },
      ...(solana && feePayerSecretKey
        ? {
            solana: {
              rpcUrl: solana.node.rpcUrl,
              feePayerSecretKey,
              chain: SOLANA_CHAIN,
              confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
            },
          }
        : {}),
      ...(ledger ? { ledger: { ledger, drain: { idleMs: 50 } } } : {}),
      batch: { maxSize: 20, maxWaitMs: 200, pollIntervalMs: 250 },
      logger: pino({ level: 'warn' }),
      admin: { token: ADMIN_TOKEN },
      // Above anvil's 10,000 ETH per account: the relayer shows a low-balance warning.
      dashboard: { lowBalanceWei: 10_001n * 10n ** 18n },
      embed: {
        rpcUrls: { [String(anvil.chainId)]: anvil.rpcUrl },
        devWallet: { rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, accounts },
      },
    })
    stoppers.push(() => relay.close())
    const hosts = [await startHost(allowedPort), await startHost(foreignPort)]
    for (const host of hosts) stoppers.push(() => new Promise((r) => host.close(r)))
    return {
      anvil,
      relay,
      relayUrl,
      allowedHost,
      foreignHost,
      contracts,
      accounts,
      relayer: privateKeyToAccount(key(1)).address,
      ...(ledger ? { ledger } : {}),
      ...(solana ? { solana } : {}),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

export const test = base.extend<object, { stack: Stack }>({
  stack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const stack = await startStack()
      await use(stack)
      await stack.stop()
    },
    { scope: 'worker', timeout: 120_000 },
  ],
})

export { expect } from '@playwright/test'

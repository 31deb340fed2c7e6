// The local dev stack: anvil, the contracts with demo data, a LiteSVM-backed Solana ledger, the relay
// on the memory store and the demo page with dev-only wallets. `npm start` runs it; the end-to-end
// tests start their own copy on free ports through `startDevStack`.
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { dirname, join, resolve } from 'node:path'
import {
  authorizationTokenAbi,
  authorizationTokenBytecode,
  tagTokenAbi,
  tipRouterAbi,
  tokenSaleAbi,
  tokenSaleBytecode,
} from '@tokentags/contracts'
import { deployPlatform, seedDemoSchedules } from '@tokentags/contracts/deploy'
import { openLedger } from '@tokentags/ledger'
import { createStoresFromEnv, ledgerOutboxFromEnv, startRelay } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS, startAnvil } from '@tokentags/testkit'
import { seedSolanaDevLedger, startSolanaRpc } from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  getAbiItem,
  type Hex,
  http,
  parseUnits,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { formatAbiItem } from 'viem/utils'
import { startPageServer } from './page-server.js'

export const repoRoot = resolve(import.meta.dirname, '..')

export interface DevStackOptions {
  pagePort?: number
  relayPort?: number
  chainPort?: number
  solanaPort?: number
  /** Where to write the deployment JSON; `.tokentags/local.json` by default, `null` to skip. */
  outFile?: string | null
  log?: (line: string) => void
  /** The relay's pino log level (default `info`; the e2e tests use `warn`). */
  relayLogLevel?: string
  /** More page origins the dev site allows (e.g. a test's `chrome-extension://<id>`). */
  extraOrigins?: string[]
  /**
   * PGlite directory of the operators' ledger (without `TOKENTAGS_DATABASE_URL`); `null` keeps it in
   * memory. Default: `.tokentags/ledger` for the stack that writes `.tokentags/local.json` (`npm start`),
   * memory for a test's stack (its own `outFile`), so concurrent stacks never share one directory.
   */
  ledgerDir?: string | null
}

export interface DevAccountEntry {
  role: string
  address: Address
  /** One of anvil's well-known dev keys: public, for local chains only. */
  privateKey: Hex
}

export interface LocalDeployment {
  chainId: number
  rpcUrl: string
  relayUrl: string
  pageUrl: string
  siteKey: string
  contracts: {
    forwarder: Address
    token: Address
    vestingVault: Address
    tipRouter: Address
    tokenSale: Address
    factory: Address
    governor: Address
    timelock: Address
    /** A USDC-style test token (6 decimals, EIP-2612 and EIP-3009). */
    usdc: Address
    /** A second sale of the token, paid in `usdc` (gasless with a permit). */
    usdcSale: Address
  }
  accounts: DevAccountEntry[]
  /** Bearer token of the relay's operator dashboard (`/admin`) and `/admin/api/*`, for this run only. */
  adminToken: string
  solana: {
    rpcUrl: string
    feePayer: string
    /** The dev SPL token mint (6 decimals). */
    mint: string
    /** The demo creator who receives Solana tips. */
    creator: string
    /** Dev wallet accounts (derived from public test seeds). */
    visitors: string[]
  }
}

export interface DevStack {
  deployment: LocalDeployment
  stop(): Promise<void>
}

/** The public site key of the demo page; site keys are identifiers, not secrets. */
export const DEV_SITE_KEY = 'pk_dev_local'

/** Ports of the framework examples' Vite servers (examples/react-vite, examples/vue-vite): the demo site allows them. */
export const EXAMPLE_APP_PORTS = [5174, 5175] as const

const [deployerKey, relayerKey, vestedKey, partlyKey, cliffKey] = ANVIL_DEV_ACCOUNTS.map((a) => a.privateKey)

/** A function's signature with its argument names, from the ABI, for the site's `functions`. */
const signature = (abi: Abi, name: string) => formatAbiItem(getAbiItem({ abi, name }) as never, { includeName: true })
/** Sponsored calls must move something: a zero-amount call costs the budget and does nothing. */
const AT_LEAST_ONE = { min: 1 }

export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const log = options.log ?? (() => {})
  const stoppers: (() => Promise<unknown>)[] = []
  const stop = async () => {
    for (const fn of stoppers.reverse()) await fn().catch(() => {})
  }
  try {
    const anvil = await startAnvil({ port: options.chainPort ?? 8545 })
    stoppers.push(() => anvil.stop())
    log(`chain   ${anvil.rpcUrl} (anvil, chain id ${anvil.chainId})`)

    const chain = { ...foundry, id: anvil.chainId, rpcUrls: { default: { http: [anvil.rpcUrl] } } }
    const transport = http(anvil.rpcUrl)
    const publicClient = createPublicClient({ chain, transport })
    const deployer = privateKeyToAccount(need(deployerKey))
    const walletClient = createWalletClient({ chain, transport, account: deployer })
    const confirm = async (hash: Hex) => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash })
      if (receipt.status !== 'success') throw new Error(`dev stack set-up transaction ${hash} reverted`)
      return receipt
    }

    const { implementations: _implementations, ...platform } = await deployPlatform({ walletClient, publicClient })
    const beneficiaries = [vestedKey, partlyKey, cliffKey].map((k) => privateKeyToAccount(need(k)).address)
    await seedDemoSchedules({
      walletClient,
      publicClient,
      vestingVault: platform.vestingVault,
      token: platform.token,
      beneficiaries,
    })

    // Visitors hold some TAG to tip with and test USDC to tip and buy with.
    const usdcReceipt = await confirm(
      await walletClient.deployContract({
        abi: authorizationTokenAbi,
        bytecode: authorizationTokenBytecode,
        args: ['USD Coin (test)', 'USDC'],
      }),
    )
    const usdc = need(usdcReceipt.contractAddress ?? undefined)
    const visitors = ANVIL_DEV_ACCOUNTS.slice(2, 5).map((a) => a.address)
    for (const visitor of visitors) {
      await confirm(
        await walletClient.writeContract({
          address: platform.token,
          abi: tagTokenAbi,
          functionName: 'transfer',
          args: [visitor, parseUnits('100', 18)],
        }),
      )
      await confirm(
        await walletClient.writeContract({
          address: usdc,
          abi: authorizationTokenAbi,
          functionName: 'mint',
          args: [visitor, parseUnits('1000', 6)],
        }),
      )
    }
    const { timestamp: now } = await publicClient.getBlock({ blockTag: 'latest' })
    const usdcSaleReceipt = await confirm(
      await walletClient.deployContract({
        abi: tokenSaleAbi,
        bytecode: tokenSaleBytecode,
        args: [
          platform.forwarder,
          {
            saleToken: platform.token,
            paymentToken: usdc,
            price: parseUnits('0.5', 6),
            start: now - 60n,
            end: now + 30n * 86_400n,
            totalCap: parseUnits('100000', 18),
            perBuyerCap: parseUnits('1000', 18),
            admin: deployer.address,
            proceedsRecipient: deployer.address,
          },
        ],
      }),
    )
    const usdcSale = need(usdcSaleReceipt.contractAddress ?? undefined)
    await confirm(
      await walletClient.writeContract({
        address: platform.token,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [usdcSale, parseUnits('100000', 18)],
      }),
    )
    const contracts = { ...platform, usdc, usdcSale }
    log(
      `contracts deployed: vault ${contracts.vestingVault}, token ${contracts.token}, tip router ${contracts.tipRouter}`,
    )

    const solanaNode = await startSolanaRpc({ port: options.solanaPort ?? 8899 })
    stoppers.push(() => solanaNode.stop())
    const ledger = await seedSolanaDevLedger(solanaNode.svm)
    const feePayer = await solanaDevKeyPair('feePayer')
    log(`solana  ${solanaNode.rpcUrl} (LiteSVM ledger)`)

    const relayPort = options.relayPort ?? 8787
    const pagePort = options.pagePort ?? 5173
    const relayUrl = `http://127.0.0.1:${relayPort}`
    // Embeds submit from the relay's own origin: the demo site opts in by listing it.
    const pageOrigins = [
      `http://127.0.0.1:${pagePort}`,
      `http://localhost:${pagePort}`,
      relayUrl,
      ...EXAMPLE_APP_PORTS.flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]),
      ...(options.extraOrigins ?? []),
    ]
    // The operator dashboard's bearer token: from the environment, else a fresh one per run (printed).
    const adminToken = process.env.TOKENTAGS_ADMIN_TOKEN || randomBytes(18).toString('base64url')
    const devAccounts: DevAccountEntry[] = [
      { role: 'deployer', ...entry(deployerKey) },
      { role: 'relayer', ...entry(relayerKey) },
      { role: 'vested', ...entry(vestedKey) },
      { role: 'partly-vested', ...entry(partlyKey) },
      { role: 'before-cliff', ...entry(cliffKey) },
    ]
    // TOKENTAGS_STORE picks the relay's store: memory (default), redis (REDIS_URL), redis-cluster
    // (REDIS_CLUSTER_NODES=host:port,…) or upstash (UPSTASH_REDIS_REST_URL and _TOKEN).
    const storeKind = process.env.TOKENTAGS_STORE ?? 'memory'
    const stores = await createStoresFromEnv(process.env)
    // The operators' ledger: TOKENTAGS_DATABASE_URL names a PostgreSQL server; without it, embedded
    // PGlite under .tokentags/ledger, so the history survives a restart of the stack.
    const databaseUrl = process.env.TOKENTAGS_DATABASE_URL
    const ledgerDir =
      options.ledgerDir !== undefined
        ? options.ledgerDir
        : options.outFile === undefined
          ? join(repoRoot, '.tokentags', 'ledger')
          : null
    const operatorsLedger = await openLedger(databaseUrl ? { url: databaseUrl } : ledgerDir ? { dir: ledgerDir } : {})
    const relay = await startRelay({
      stores,
      ledger: { ledger: operatorsLedger, outbox: await ledgerOutboxFromEnv(process.env) },
      port: relayPort,
      host: '127.0.0.1',
      chains: [
        {
          chainId: anvil.chainId,
          rpcUrl: anvil.rpcUrl,
          forwarder: contracts.forwarder,
          relayerPrivateKeys: [need(relayerKey)],
          // The fee ceiling the site budget is reserved against: the relay waits rather than pay more.
          maxFeePerGas: 100_000_000_000n,
        },
      ],
      sites: {
        [DEV_SITE_KEY]: {
          origins: pageOrigins,
          targets: [
            // By signature: the relay refuses calldata that is not exactly their encoding (issue 13).
            { address: contracts.vestingVault, functions: ['claim(uint256 id)', 'claimMany(uint256[] ids)'] },
            // TagToken accepts the forwarder: a tip is one signed, forwarded transfer.
            {
              address: contracts.token,
              functions: [{ signature: 'transfer(address to, uint256 amount)', args: { amount: AT_LEAST_ONE } }],
            },
            {
              address: contracts.tipRouter,
              functions: [
                { signature: signature(tipRouterAbi, 'tipWithPermit'), args: { amount: AT_LEAST_ONE } },
                { signature: signature(tipRouterAbi, 'tipWithAuthorization'), args: { amount: AT_LEAST_ONE } },
              ],
            },
            {
              address: contracts.usdcSale,
              functions: [{ signature: signature(tokenSaleAbi, 'buyWithPermit'), args: { amountIn: AT_LEAST_ONE } }],
            },
          ],
          // A day's gas at the chain's fee ceiling, reserved per request at acceptance.
          dailyBudgetWei: 10n ** 18n,
          solana: {
            // The fee payer creates token accounts only for the demo creator and the dev token, and only
            // for a tip of at least 1 token (the page's smallest): never for an owner a visitor controls.
            fundTokenAccounts: {
              recipients: [ledger.creator],
              mints: { [ledger.mint]: { minimumTransfer: 1_000_000 } },
            },
          },
        },
      },
      admin: { token: adminToken },
      dashboard: {},
      embed: {
        // URLs in embeds and oEmbed answers come from here, never from the Host header (issue 13).
        publicUrl: relayUrl,
        rpcUrls: { [String(anvil.chainId)]: anvil.rpcUrl },
        devWallet: {
          rpcUrl: anvil.rpcUrl,
          chainId: anvil.chainId,
          accounts: devAccounts.filter((a) => a.role !== 'relayer' && a.role !== 'deployer'),
        },
      },
      solana: {
        rpcUrl: solanaNode.rpcUrl,
        feePayerSecretKey: Array.from(feePayer.secretKey),
        chain: 'solana:localnet',
      },
      batch: { maxSize: 50, maxWaitMs: 250 },
      // As in public (relay README, "Running in public"): per address (IPv6 by /64), per signer, per site.
      limits: {
        perIp: { points: 600, durationSeconds: 60 },
        perSender: { points: 60, durationSeconds: 60 },
        perSite: { points: 1200, durationSeconds: 60 },
      },
      logger: pino({ name: 'tokentags-relay', level: options.relayLogLevel ?? 'info' }),
    })
    stoppers.push(() => relay.close())
    log(
      `relay   ${relayUrl} (${storeKind} store, ledger on ${databaseUrl ? 'PostgreSQL' : `PGlite ${ledgerDir ?? 'in memory'}`})`,
    )

    const pageUrl = `http://127.0.0.1:${pagePort}/`
    const deployment: LocalDeployment = {
      chainId: anvil.chainId,
      rpcUrl: anvil.rpcUrl,
      relayUrl,
      pageUrl,
      siteKey: DEV_SITE_KEY,
      contracts,
      accounts: devAccounts,
      adminToken,
      solana: {
        rpcUrl: solanaNode.rpcUrl,
        feePayer: ledger.feePayer,
        mint: ledger.mint,
        creator: ledger.creator,
        visitors: [ledger.visitor, ledger.visitor2],
      },
    }

    const page: Server = await startPageServer({
      root: join(repoRoot, 'examples/plain-html/dist'),
      port: pagePort,
      variables: {
        relayUrl,
        // The local chain's explorer: the tiny tx.html beside the demo page (<tokentags-config explorer>).
        pageUrl,
        siteKey: DEV_SITE_KEY,
        chainId: String(anvil.chainId),
        rpcUrl: anvil.rpcUrl,
        vestingVault: contracts.vestingVault,
        token: contracts.token,
        usdc: contracts.usdc,
        tipRouter: contracts.tipRouter,
        tokenSale: contracts.tokenSale,
        usdcSale: contracts.usdcSale,
        creator: deployer.address,
        solanaRpcUrl: solanaNode.rpcUrl,
        solanaCreator: ledger.creator,
        solanaMint: ledger.mint,
      },
      jsonVariables: {
        devWalletConfig: {
          rpcUrl: anvil.rpcUrl,
          chainId: anvil.chainId,
          accounts: devAccounts.filter((a) => a.role !== 'relayer' && a.role !== 'deployer'),
        },
      },
      connectSources: [relayUrl, anvil.rpcUrl, solanaNode.rpcUrl],
    })
    stoppers.push(() => new Promise((r) => page.close(r)))
    log(`page    ${pageUrl}`)

    const outFile = options.outFile === undefined ? join(repoRoot, '.tokentags/local.json') : options.outFile
    if (outFile) {
      mkdirSync(dirname(outFile), { recursive: true })
      writeFileSync(outFile, `${JSON.stringify(deployment, null, 2)}\n`)
      log(`wrote   ${outFile}`)
    }
    return { deployment, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

function need<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('dev stack set-up: a value is missing')
  return value
}

function entry(key: Hex | undefined) {
  const privateKey = need(key)
  return { address: privateKeyToAccount(privateKey).address, privateKey }
}

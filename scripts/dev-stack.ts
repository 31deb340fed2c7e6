// The local dev stack: anvil, the contracts with demo data, the relay on the memory store and the
// demo page with a dev-only wallet. `npm start` runs it; the end-to-end tests start their own copy
// on free ports through `startDevStack`.
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { dirname, join, resolve } from 'node:path'
import { deployPlatform, seedDemoSchedules } from '@tokentags/contracts/deploy'
import { startRelay } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS, startAnvil } from '@tokentags/testkit'
import { pino } from 'pino'
import { type Address, createPublicClient, createWalletClient, type Hex, http, toFunctionSelector } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { startPageServer } from './page-server.js'

export const repoRoot = resolve(import.meta.dirname, '..')

export interface DevStackOptions {
  pagePort?: number
  relayPort?: number
  chainPort?: number
  /** Where to write the deployment JSON; `.tokentags/local.json` by default, `null` to skip. */
  outFile?: string | null
  log?: (line: string) => void
  /** The relay's pino log level (default `info`; the e2e tests use `warn`). */
  relayLogLevel?: string
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
  }
  accounts: DevAccountEntry[]
}

export interface DevStack {
  deployment: LocalDeployment
  stop(): Promise<void>
}

/** The public site key of the demo page; site keys are identifiers, not secrets. */
export const DEV_SITE_KEY = 'pk_dev_local'

const [deployerKey, relayerKey, vestedKey, partlyKey, cliffKey] = ANVIL_DEV_ACCOUNTS.map((a) => a.privateKey)

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
    const walletClient = createWalletClient({ chain, transport, account: privateKeyToAccount(need(deployerKey)) })

    const { implementations: _implementations, ...contracts } = await deployPlatform({ walletClient, publicClient })
    const beneficiaries = [vestedKey, partlyKey, cliffKey].map((k) => privateKeyToAccount(need(k)).address)
    await seedDemoSchedules({
      walletClient,
      publicClient,
      vestingVault: contracts.vestingVault,
      token: contracts.token,
      beneficiaries,
    })
    log(
      `contracts deployed: vault ${contracts.vestingVault}, token ${contracts.token}, forwarder ${contracts.forwarder}`,
    )

    const relayPort = options.relayPort ?? 8787
    const pagePort = options.pagePort ?? 5173
    const pageOrigins = [`http://127.0.0.1:${pagePort}`, `http://localhost:${pagePort}`]
    const relay = await startRelay({
      port: relayPort,
      host: '127.0.0.1',
      chains: [
        {
          chainId: anvil.chainId,
          rpcUrl: anvil.rpcUrl,
          forwarder: contracts.forwarder,
          relayerPrivateKeys: [need(relayerKey)],
        },
      ],
      sites: {
        [DEV_SITE_KEY]: {
          origins: pageOrigins,
          targets: [
            {
              address: contracts.vestingVault,
              selectors: [toFunctionSelector('claim(uint256)'), toFunctionSelector('claimMany(uint256[])')],
            },
          ],
        },
      },
      batch: { maxSize: 50, maxWaitMs: 250 },
      logger: pino({ name: 'tokentags-relay', level: options.relayLogLevel ?? 'info' }),
    })
    stoppers.push(() => relay.close())
    const relayUrl = `http://127.0.0.1:${relayPort}`
    log(`relay   ${relayUrl} (memory store)`)

    const accounts: DevAccountEntry[] = [
      { role: 'deployer', ...entry(deployerKey) },
      { role: 'relayer', ...entry(relayerKey) },
      { role: 'vested', ...entry(vestedKey) },
      { role: 'partly-vested', ...entry(partlyKey) },
      { role: 'before-cliff', ...entry(cliffKey) },
    ]
    const pageUrl = `http://127.0.0.1:${pagePort}/`
    const deployment: LocalDeployment = {
      chainId: anvil.chainId,
      rpcUrl: anvil.rpcUrl,
      relayUrl,
      pageUrl,
      siteKey: DEV_SITE_KEY,
      contracts,
      accounts,
    }

    const page: Server = await startPageServer({
      root: join(repoRoot, 'examples/plain-html/dist'),
      port: pagePort,
      variables: {
        relayUrl,
        siteKey: DEV_SITE_KEY,
        chainId: String(anvil.chainId),
        rpcUrl: anvil.rpcUrl,
        vestingVault: contracts.vestingVault,
      },
      jsonVariables: {
        devWalletConfig: {
          rpcUrl: anvil.rpcUrl,
          chainId: anvil.chainId,
          accounts: accounts.filter((a) => a.role !== 'relayer'),
        },
      },
      connectSources: [relayUrl, anvil.rpcUrl],
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

function need(key: Hex | undefined): Hex {
  if (!key) throw new Error('missing anvil dev key')
  return key
}

function entry(key: Hex | undefined) {
  const privateKey = need(key)
  return { address: privateKeyToAccount(privateKey).address, privateKey }
}

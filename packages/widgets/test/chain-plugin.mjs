// A @web/test-runner server plugin: the first browser test that runs
// `executeServerCommand('tokentags-chain')` gets a local anvil with the TokenTags
// contracts deployed, demo schedules seeded and a relay (site key `pk_test`, any
// origin, the vault's claim functions); all of it stops with the server.
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const SITE_KEY = 'pk_test'
// VestingVault.claim(uint256) and claimMany(uint256[]).
const CLAIM_SELECTORS = ['0x379607f5', '0x925489a8']
// Imports are lazy so that the other browser tests run even while contracts/dist is being rebuilt.

export function chainPlugin() {
  let anvil
  let relay
  let setup
  async function start() {
    const { deployFoundation, seedDemoSchedules } = await import('@tokentags/contracts/deploy')
    const { ANVIL_DEV_ACCOUNTS, startAnvil } = await import('@tokentags/testkit')
    const { createPublicClient, createWalletClient, http } = await import('viem')
    const { privateKeyToAccount } = await import('viem/accounts')
    anvil = await startAnvil()
    const chain = {
      id: anvil.chainId,
      name: 'anvil',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [anvil.rpcUrl] } },
    }
    const transport = http(anvil.rpcUrl)
    const deployer = ANVIL_DEV_ACCOUNTS[0]
    const walletClient = createWalletClient({ account: privateKeyToAccount(deployer.privateKey), chain, transport })
    const publicClient = createPublicClient({ chain, transport })
    const { forwarder, token, vestingVault } = await deployFoundation({ walletClient, publicClient })
    // One demo schedule each: fully vested, partly vested, before its cliff.
    const beneficiaries = ANVIL_DEV_ACCOUNTS.slice(1, 4)
    const schedules = await seedDemoSchedules({
      walletClient,
      publicClient,
      vestingVault,
      token,
      beneficiaries: beneficiaries.map((a) => a.address),
    })
    const { startRelay } = await import('@tokentags/relay-server')
    // The relay's own pino, silenced: test output stays readable.
    const relayRequire = createRequire(fileURLToPath(import.meta.resolve('@tokentags/relay-server')))
    const { default: pino } = await import(pathToFileURL(relayRequire.resolve('pino')).href)
    relay = await startRelay({
      port: 0,
      chains: [
        {
          chainId: anvil.chainId,
          rpcUrl: anvil.rpcUrl,
          forwarder,
          // anvil's public dev account #9: pays the relayed batches.
          relayerPrivateKeys: [ANVIL_DEV_ACCOUNTS[9].privateKey],
        },
      ],
      sites: { [SITE_KEY]: { origins: ['*'], targets: [{ address: vestingVault, selectors: CLAIM_SELECTORS }] } },
      batch: { maxSize: 10, maxWaitMs: 100 },
      logger: pino({ level: 'silent' }),
    })
    return {
      rpcUrl: anvil.rpcUrl,
      relayUrl: relay.url,
      siteKey: SITE_KEY,
      chainId: anvil.chainId,
      forwarder,
      token,
      vestingVault,
      accounts: schedules.map((s) => ({
        kind: s.kind,
        address: s.beneficiary,
        privateKey: beneficiaries.find((a) => a.address.toLowerCase() === s.beneficiary.toLowerCase())?.privateKey,
        total: String(s.total),
      })),
    }
  }
  return {
    name: 'tokentags-chain',
    async executeCommand({ command }) {
      if (command !== 'tokentags-chain') return undefined
      setup ??= start()
      return setup
    },
    async serverStop() {
      await relay?.close()
      await anvil?.stop()
    },
  }
}

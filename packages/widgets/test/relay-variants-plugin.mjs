// A @web/test-runner server plugin for the "gasless is a promise" tests (test/gasless-promise.chain.test.ts, issue 15):
// on the chain plugin's anvil (its setup is the payload), its own contracts and fresh accounts (no other test
// touches them), and a relay that cannot take this page's requests: site `pk_elsewhere` lists another origin only
// (the browser sees a CORS refusal), site `pk_spent` has a daily budget of 0 wei (BUDGET_EXCEEDED). Also a URL
// where no relay listens (a relay that is down). Everything stops with the server.
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

// VestingVault.claim(uint256) and claimMany(uint256[]).
const CLAIM_SELECTORS = ['0x379607f5', '0x925489a8']
const ACCOUNTS = 6

export function relayVariantsPlugin() {
  let relay
  let setup
  async function start(chain) {
    const { deployFoundation, seedDemoSchedules, tagTokenAbi } = {
      ...(await import('@tokentags/contracts/deploy')),
      ...(await import('@tokentags/contracts')),
    }
    const { freePort } = await import('@tokentags/testkit')
    const { createPublicClient, createWalletClient, http, parseEther, toFunctionSelector } = await import('viem')
    const { generatePrivateKey, privateKeyToAccount } = await import('viem/accounts')
    const viemChain = {
      id: chain.chainId,
      name: 'anvil',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [chain.rpcUrl] } },
    }
    const transport = http(chain.rpcUrl)
    const publicClient = createPublicClient({ chain: viemChain, transport })
    // Fresh keys, funded here: no nonce or balance shared with the other browser tests.
    const fund = (address) =>
      publicClient.request({ method: 'anvil_setBalance', params: [address, `0x${parseEther('100').toString(16)}`] })
    const deployerKey = generatePrivateKey()
    const deployer = privateKeyToAccount(deployerKey)
    await fund(deployer.address)
    const walletClient = createWalletClient({ account: deployer, chain: viemChain, transport })
    const { forwarder, token, vestingVault } = await deployFoundation({ walletClient, publicClient })
    const accounts = []
    for (let i = 0; i < ACCOUNTS; i++) {
      const privateKey = generatePrivateKey()
      const { address } = privateKeyToAccount(privateKey)
      await fund(address)
      // The three demo schedules (one fully vested) for this account alone.
      await seedDemoSchedules({ walletClient, publicClient, vestingVault, token, beneficiaries: [address] })
      const hash = await walletClient.writeContract({
        address: token,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [address, parseEther('100')],
      })
      await publicClient.waitForTransactionReceipt({ hash })
      accounts.push({ address, privateKey })
    }
    const relayerKey = generatePrivateKey()
    await fund(privateKeyToAccount(relayerKey).address)
    const { startRelay } = await import('@tokentags/relay-server')
    const relayRequire = createRequire(fileURLToPath(import.meta.resolve('@tokentags/relay-server')))
    const { default: pino } = await import(pathToFileURL(relayRequire.resolve('pino')).href)
    const targets = [
      { address: vestingVault, selectors: CLAIM_SELECTORS },
      { address: token, selectors: [toFunctionSelector('transfer(address,uint256)')] },
    ]
    relay = await startRelay({
      port: 0,
      chains: [
        {
          chainId: chain.chainId,
          rpcUrl: chain.rpcUrl,
          forwarder,
          relayerPrivateKeys: [relayerKey],
          maxFeePerGas: parseEther('0.000001'),
        },
      ],
      sites: {
        pk_elsewhere: { origins: ['https://elsewhere.example'], targets, dailyBudgetWei: 'unlimited' },
        pk_spent: { origins: ['*'], targets, dailyBudgetWei: '0' },
      },
      batch: { maxSize: 10, maxWaitMs: 100 },
      logger: pino({ level: 'silent' }),
    })
    return {
      relayUrl: relay.url,
      closedRelayUrl: `http://127.0.0.1:${await freePort()}`,
      originSite: 'pk_elsewhere',
      spentSite: 'pk_spent',
      token,
      vestingVault,
      accounts,
    }
  }
  return {
    name: 'tokentags-relay-variants',
    async executeCommand({ command, payload }) {
      if (command !== 'tokentags-relay-variants') return undefined
      setup ??= start(payload)
      return setup
    },
    async serverStop() {
      await relay?.close()
    },
  }
}

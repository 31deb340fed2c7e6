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
    // <token-tip> and <token-buy> (test/token-tip.chain.test.ts, token-buy.chain.test.ts): a TipRouter, a
    // TokenSale of TAG for native coin, and 100 TAG for each demo account to tip with.
    const platform = await deployTipAndSale({ walletClient, publicClient, forwarder, token, beneficiaries })
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
      sites: {
        [SITE_KEY]: {
          origins: ['*'],
          targets: [{ address: vestingVault, selectors: CLAIM_SELECTORS }, ...platform.targets],
          dailyBudgetWei: 'unlimited',
        },
      },
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
      tipRouter: platform.tipRouter,
      tokenSale: platform.tokenSale,
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

/** Deploys a TipRouter and a native-coin TokenSale of `token`, and gives each account 100 TAG. */
async function deployTipAndSale({ walletClient, publicClient, forwarder, token, beneficiaries }) {
  const { tagTokenAbi, tipRouterAbi, tipRouterBytecode, tokenSaleAbi, tokenSaleBytecode } = await import(
    '@tokentags/contracts'
  )
  const { parseEther, toFunctionSelector } = await import('viem')
  const deployer = walletClient.account.address
  const deploy = async (abi, bytecode, args) => {
    const hash = await walletClient.deployContract({ abi, bytecode, args })
    return (await publicClient.waitForTransactionReceipt({ hash })).contractAddress
  }
  const send = async (request) =>
    publicClient.waitForTransactionReceipt({ hash: await walletClient.writeContract(request) })
  const tipRouter = await deploy(tipRouterAbi, tipRouterBytecode, [deployer, deployer, 0, forwarder])
  const { timestamp } = await publicClient.getBlock()
  const tokenSale = await deploy(tokenSaleAbi, tokenSaleBytecode, [
    forwarder,
    {
      saleToken: token,
      paymentToken: '0x0000000000000000000000000000000000000000',
      price: parseEther('0.001'),
      start: timestamp - 60n,
      end: timestamp + 30n * 86_400n,
      totalCap: parseEther('100000'),
      perBuyerCap: parseEther('1000'),
      admin: deployer,
      proceedsRecipient: deployer,
    },
  ])
  await send({ address: token, abi: tagTokenAbi, functionName: 'transfer', args: [tokenSale, parseEther('100000')] })
  for (const account of beneficiaries)
    await send({
      address: token,
      abi: tagTokenAbi,
      functionName: 'transfer',
      args: [account.address, parseEther('100')],
    })
  return {
    tipRouter,
    tokenSale,
    targets: [
      { address: token, selectors: [toFunctionSelector('transfer(address,uint256)')] },
      {
        address: tipRouter,
        selectors: [toFunctionSelector('tipWithPermit(address,address,uint256,string,uint256,uint8,bytes32,bytes32)')],
      },
    ],
  }
}

// A chain with the tip and sale contracts for tip.test.ts and buy.test.ts: the foundation (forwarder, TagToken,
// vault), a TipRouter, a plain permit token (a TagToken that trusts no forwarder), the USDC-style EIP-3009 test token,
// a native-coin sale and an ERC-20 sale (paid in the USDC-style token), plus an in-process relay allowing them.
import { readFileSync } from 'node:fs'
import {
  tagTokenAbi,
  tagTokenBytecode,
  tipRouterAbi,
  tipRouterBytecode,
  tokenSaleAbi,
  tokenSaleBytecode,
} from '@tokentags/contracts'
import { type RunningRelay, startRelay } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import {
  type Abi,
  type Address,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  parseEther,
  parseUnits,
  toFunctionSelector,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { type Chain, deployer, startChain } from './utils.js'

const artifact = JSON.parse(
  readFileSync(
    new URL('../../../contracts/out/AuthorizationToken.sol/AuthorizationToken.json', import.meta.url),
    'utf8',
  ),
) as { abi: Abi; bytecode: { object: Hex } }
/** The EIP-3009 test token (contracts/src/test/AuthorizationToken.sol). */
export const authorizationTokenAbi = artifact.abi
export const SITE_KEY = 'pk_core_platform'
const relayer = ANVIL_DEV_ACCOUNTS[9] as (typeof ANVIL_DEV_ACCOUNTS)[number]
const ZERO = '0x0000000000000000000000000000000000000000' as const
// The relay's logs would drown the test output.
const silentLogger: object = new Proxy({}, { get: (_, key) => (key === 'child' ? () => silentLogger : () => {}) })

export interface Platform {
  chain: Chain
  relay: RunningRelay
  tipRouter: Address
  permitToken: Address
  usdc: Address
  nativeSale: Address
  usdcSale: Address
  /** Whether TipRouter has `tipWithAuthorization` (proposed; see core's tokenAbis.ts). */
  routerTakesAuthorizations: boolean
  deployerWallet: ReturnType<typeof createWalletClient>
  send(request: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] }): Promise<void>
  stop(): Promise<void>
}

export async function startPlatform(): Promise<Platform> {
  const chain = await startChain()
  const { publicClient } = chain
  const account = privateKeyToAccount(deployer.privateKey)
  const wallet = createWalletClient({ account, chain: chain.chain, transport: http(chain.anvil.rpcUrl) })
  const deploy = async (abi: Abi, bytecode: Hex, args: readonly unknown[]) => {
    const hash = await wallet.deployContract({ abi, bytecode, args } as never)
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (!receipt.contractAddress) throw new Error('no contract address')
    return getAddress(receipt.contractAddress)
  }
  const send: Platform['send'] = async (request) => {
    const hash = await wallet.writeContract(request as never)
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`${request.functionName} reverted`)
  }
  const { forwarder, token } = chain.contracts
  const tipRouter = await deploy(tipRouterAbi, tipRouterBytecode, [account.address, account.address, 0, forwarder])
  const permitToken = await deploy(tagTokenAbi, tagTokenBytecode, [
    'Permit Only',
    'PRM',
    account.address,
    parseEther('1000000'),
    ZERO,
  ])
  const usdc = await deploy(artifact.abi, artifact.bytecode.object, ['USD Coin (test)', 'USDC'])
  const { timestamp: now } = await publicClient.getBlock()
  const saleConfig = (paymentToken: Address, price: bigint) => ({
    saleToken: token,
    paymentToken,
    price,
    start: now - 60n,
    end: now + 30n * 86_400n,
    totalCap: parseEther('100000'),
    perBuyerCap: parseEther('1000'),
    admin: account.address,
    proceedsRecipient: account.address,
  })
  // 0.001 ETH per TAG; 0.5 USDC (6 decimals) per TAG.
  const nativeSale = await deploy(tokenSaleAbi, tokenSaleBytecode, [forwarder, saleConfig(ZERO, parseEther('0.001'))])
  const usdcSale = await deploy(tokenSaleAbi, tokenSaleBytecode, [forwarder, saleConfig(usdc, parseUnits('0.5', 6))])
  for (const sale of [nativeSale, usdcSale])
    await send({ address: token, abi: tagTokenAbi, functionName: 'transfer', args: [sale, parseEther('100000')] })

  const routerTakesAuthorizations = (tipRouterAbi as readonly { type: string; name?: string }[]).some(
    (item) => item.type === 'function' && item.name === 'tipWithAuthorization',
  )
  const relay = await startRelay({
    port: 0,
    chains: [
      {
        chainId: chain.anvil.chainId,
        rpcUrl: chain.anvil.rpcUrl,
        forwarder,
        relayerPrivateKeys: [relayer.privateKey],
      },
    ],
    sites: {
      [SITE_KEY]: {
        origins: [],
        allowNoOrigin: true,
        targets: [
          { address: token, selectors: [toFunctionSelector('transfer(address,uint256)')] },
          {
            address: tipRouter,
            selectors: [
              toFunctionSelector('tipWithPermit(address,address,uint256,string,uint256,uint8,bytes32,bytes32)'),
              toFunctionSelector(
                'tipWithAuthorization(address,address,address,uint256,string,uint256,uint256,bytes32,uint8,bytes32,bytes32)',
              ),
            ],
          },
          {
            address: usdcSale,
            selectors: [toFunctionSelector('buyWithPermit(uint256,uint256,uint256,uint8,bytes32,bytes32)')],
          },
        ],
        dailyBudgetWei: 'unlimited',
      },
    },
    batch: { maxWaitMs: 50, pollIntervalMs: 100 },
    logger: silentLogger as never,
  })
  return {
    chain,
    relay,
    tipRouter,
    permitToken,
    usdc,
    nativeSale,
    usdcSale,
    routerTakesAuthorizations,
    deployerWallet: wallet,
    send,
    async stop() {
      await relay.close()
      await chain.stop()
    },
  }
}

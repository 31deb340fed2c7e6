import { tagTokenAbi, vestingVaultAbi } from '@tokentags/contracts'
import { deployFoundation } from '@tokentags/contracts/deploy'
import { ANVIL_DEV_ACCOUNTS, type AnvilInstance, startAnvil } from '@tokentags/testkit'
import { createDevWalletProvider, DEV_WALLET_INFO, type DevWalletProvider } from '@tokentags/testkit/dev-wallet'
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PublicClient,
  parseEther,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

export const deployer = ANVIL_DEV_ACCOUNTS[0] as (typeof ANVIL_DEV_ACCOUNTS)[number]

export interface Chain {
  anvil: AnvilInstance
  chain: ReturnType<typeof defineChain>
  publicClient: PublicClient
  testClient: ReturnType<typeof createTestClient>
  contracts: { forwarder: Address; token: Address; vestingVault: Address }
  /** Creates a schedule relative to `start` (seconds), funded by the deployer. */
  createSchedule(args: {
    beneficiary: Address
    total: bigint
    start: bigint
    cliff: bigint
    duration: bigint
  }): Promise<bigint>
  /** Mines one block at exactly `timestamp`. */
  mineAt(timestamp: bigint): Promise<void>
  now(): Promise<bigint>
  stop(): Promise<void>
}

export async function startChain(options: { chainId?: number } = {}): Promise<Chain> {
  const anvil = await startAnvil({ chainId: options.chainId })
  const chain = defineChain({
    id: anvil.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  })
  const transport = http(anvil.rpcUrl)
  const publicClient = createPublicClient({ chain, transport }) as PublicClient
  const testClient = createTestClient({ chain, transport, mode: 'anvil' })
  const walletClient = createWalletClient({ account: privateKeyToAccount(deployer.privateKey), chain, transport })
  const contracts = await deployFoundation({ walletClient, publicClient })
  await walletClient
    .writeContract({
      address: contracts.token,
      abi: tagTokenAbi,
      functionName: 'approve',
      args: [contracts.vestingVault, parseEther('1000000')],
    })
    .then((hash) => publicClient.waitForTransactionReceipt({ hash }))

  return {
    anvil,
    chain,
    publicClient,
    testClient,
    contracts,
    async createSchedule({ beneficiary, total, start, cliff, duration }) {
      const { result, request } = await publicClient.simulateContract({
        account: walletClient.account,
        address: contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'createSchedule',
        args: [beneficiary, total, start, cliff, duration, false],
      })
      const hash = await walletClient.writeContract(request)
      await publicClient.waitForTransactionReceipt({ hash })
      return result
    },
    async mineAt(timestamp) {
      await testClient.setNextBlockTimestamp({ timestamp })
      await testClient.mine({ blocks: 1 })
    },
    async now() {
      return (await publicClient.getBlock()).timestamp
    },
    stop: () => anvil.stop(),
  }
}

/** A fresh dev wallet over one anvil key, plus the EIP-6963 detail core's `providers` takes. */
export function devWallet(rpcUrl: string, chainId: number, privateKeys: Hex[]) {
  const provider: DevWalletProvider = createDevWalletProvider({ rpcUrl, chainId, privateKeys })
  return { provider, detail: { info: DEV_WALLET_INFO, provider } }
}

export async function tokenBalance(chain: Chain, owner: Address): Promise<bigint> {
  return chain.publicClient.readContract({
    address: chain.contracts.token,
    abi: tagTokenAbi,
    functionName: 'balanceOf',
    args: [owner],
  })
}

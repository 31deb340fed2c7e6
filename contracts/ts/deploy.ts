import {
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hash,
  isAddressEqual,
  type PublicClient,
  parseEventLogs,
  parseUnits,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem'
import { forwarderAbi, forwarderBytecode } from './generated/forwarder.js'
import { tagTokenAbi, tagTokenBytecode } from './generated/tagToken.js'
import { vestingVaultAbi, vestingVaultBytecode } from './generated/vestingVault.js'

/** A wallet client with an account: it signs and pays for every transaction sent here. */
export type DeployerClient = WalletClient<Transport, Chain | undefined, Account>

export interface DeployFoundationParameters {
  walletClient: DeployerClient
  publicClient: PublicClient
  /** Default `TokenTags Demo`. */
  tokenName?: string
  /** Default `TAG`. */
  tokenSymbol?: string
  /** In base units (18 decimals), minted to the deployer. Default 1,000,000 tokens. */
  initialSupply?: bigint
}

export interface DeployFoundationReturnType {
  forwarder: Address
  token: Address
  vestingVault: Address
}

/** Thrown when a deployment or seeding transaction does not succeed. */
export class DeployError extends Error {
  override name = 'DeployError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

async function confirm(publicClient: PublicClient, hash: Hash, what: string) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new DeployError(`${what} reverted (transaction ${hash})`)
  return receipt
}

async function deployed(publicClient: PublicClient, hash: Hash, what: string): Promise<Address> {
  const receipt = await confirm(publicClient, hash, what)
  if (!receipt.contractAddress) throw new DeployError(`${what}: no contract address in receipt ${hash}`)
  return getAddress(receipt.contractAddress)
}

/**
 * Deploys the forwarder, a {@link tagTokenAbi TagToken} trusting it (whole supply to the deployer) and a
 * VestingVault for that token, administered by the deployer and trusting the same forwarder.
 *
 * @example
 * const { forwarder, token, vestingVault } = await deployFoundation({ walletClient, publicClient })
 */
export async function deployFoundation(params: DeployFoundationParameters): Promise<DeployFoundationReturnType> {
  const { walletClient, publicClient } = params
  const deployer = walletClient.account.address
  const chain = walletClient.chain ?? null

  const forwarder = await deployed(
    publicClient,
    await walletClient.deployContract({ abi: forwarderAbi, bytecode: forwarderBytecode, chain }),
    'TokenTagsForwarder deployment',
  )
  const token = await deployed(
    publicClient,
    await walletClient.deployContract({
      abi: tagTokenAbi,
      bytecode: tagTokenBytecode,
      chain,
      args: [
        params.tokenName ?? 'TokenTags Demo',
        params.tokenSymbol ?? 'TAG',
        deployer,
        params.initialSupply ?? parseUnits('1000000', 18),
        forwarder,
      ],
    }),
    'TagToken deployment',
  )
  const vestingVault = await deployed(
    publicClient,
    await walletClient.deployContract({
      abi: vestingVaultAbi,
      bytecode: vestingVaultBytecode,
      chain,
      args: [token, deployer, forwarder],
    }),
    'VestingVault deployment',
  )
  return { forwarder, token, vestingVault }
}

export type DemoScheduleKind = 'fullyVested' | 'partlyVested' | 'beforeCliff'

export interface DemoSchedule {
  id: bigint
  kind: DemoScheduleKind
  beneficiary: Address
  total: bigint
  start: bigint
  cliff: bigint
  duration: bigint
}

export interface SeedDemoSchedulesParameters {
  walletClient: DeployerClient
  publicClient: PublicClient
  vestingVault: Address
  token: Address
  /** Schedule `i` of {@link DEMO_SCHEDULES} goes to `beneficiaries[i % beneficiaries.length]`. */
  beneficiaries: readonly Address[]
}

const DAY = 86_400n

/**
 * The three demo schedules, relative to the latest block's timestamp `now` (18-decimal amounts):
 *
 * | kind | total | start | cliff | duration | state at `now` |
 * |---|---|---|---|---|---|
 * | fullyVested | 1,000 | now − 30 days | 0 | 10 days | all 1,000 claimable |
 * | partlyVested | 2,000 | now − 1 day | 1 hour | 4 days | 500 claimable, +500 a day |
 * | beforeCliff | 3,000 | now − 1 day | 7 days | 30 days | nothing until now + 6 days, then 700 at once |
 */
export const DEMO_SCHEDULES: readonly {
  kind: DemoScheduleKind
  total: bigint
  startOffset: bigint
  cliff: bigint
  duration: bigint
}[] = [
  { kind: 'fullyVested', total: parseUnits('1000', 18), startOffset: -30n * DAY, cliff: 0n, duration: 10n * DAY },
  { kind: 'partlyVested', total: parseUnits('2000', 18), startOffset: -DAY, cliff: 3_600n, duration: 4n * DAY },
  { kind: 'beforeCliff', total: parseUnits('3000', 18), startOffset: -DAY, cliff: 7n * DAY, duration: 30n * DAY },
]

/**
 * Creates the {@link DEMO_SCHEDULES} (fully vested, partly vested, before its cliff) in `vestingVault`, funded by
 * the wallet's account, which must hold {@link DEMO_SCHEDULES}' 6,000 tokens and the vault's `ADMIN_ROLE`
 * (as after {@link deployFoundation}). With three beneficiaries each gets one schedule; with one it gets all three.
 *
 * @example
 * const schedules = await seedDemoSchedules({ walletClient, publicClient, vestingVault, token, beneficiaries })
 */
export async function seedDemoSchedules(params: SeedDemoSchedulesParameters): Promise<DemoSchedule[]> {
  const { walletClient, publicClient, vestingVault, token, beneficiaries } = params
  if (beneficiaries.length === 0) throw new DeployError('seedDemoSchedules needs at least one beneficiary')
  const chain = walletClient.chain ?? null
  const { timestamp: now } = await publicClient.getBlock({ blockTag: 'latest' })

  const total = DEMO_SCHEDULES.reduce((sum, s) => sum + s.total, 0n)
  await confirm(
    publicClient,
    await walletClient.writeContract({
      address: token,
      abi: tagTokenAbi,
      functionName: 'approve',
      args: [vestingVault, total],
      chain,
    }),
    'TagToken approve',
  )

  const schedules: DemoSchedule[] = []
  for (const [i, demo] of DEMO_SCHEDULES.entries()) {
    const beneficiary = beneficiaries[i % beneficiaries.length] as Address
    const start = now + demo.startOffset
    const receipt = await confirm(
      publicClient,
      await walletClient.writeContract({
        address: vestingVault,
        abi: vestingVaultAbi,
        functionName: 'createSchedule',
        args: [beneficiary, demo.total, start, demo.cliff, demo.duration, false],
        chain,
      }),
      `VestingVault createSchedule (${demo.kind})`,
    )
    const id = scheduleIdFrom(receipt, vestingVault)
    schedules.push({
      id,
      kind: demo.kind,
      beneficiary,
      total: demo.total,
      start,
      cliff: demo.cliff,
      duration: demo.duration,
    })
  }
  return schedules
}

function scheduleIdFrom(receipt: TransactionReceipt, vault: Address): bigint {
  const [event] = parseEventLogs({ abi: vestingVaultAbi, eventName: 'ScheduleCreated', logs: receipt.logs }).filter(
    (log) => isAddressEqual(log.address, vault),
  )
  if (!event)
    throw new DeployError(`VestingVault createSchedule: no ScheduleCreated event in ${receipt.transactionHash}`)
  return event.args.id
}

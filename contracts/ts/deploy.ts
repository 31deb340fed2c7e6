import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hash,
  type Hex,
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
import { timelockAbi, timelockBytecode } from './generated/timelock.js'
import { tipRouterAbi, tipRouterBytecode } from './generated/tipRouter.js'
import { tokenFactoryAbi, tokenFactoryBytecode } from './generated/tokenFactory.js'
import { tokenGovernorAbi, tokenGovernorBytecode } from './generated/tokenGovernor.js'
import { tokenSaleAbi, tokenSaleBytecode } from './generated/tokenSale.js'
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

/** The factory's hard bound on the creation fee (`TokenFactory.MAX_CREATION_FEE`), in wei: 1 ether. */
export const MAX_CREATION_FEE = 10n ** 18n

export interface DeployPlatformParameters extends DeployFoundationParameters {
  /** Native-coin fee to create a token through the factory, in wei, at most {@link MAX_CREATION_FEE}. Default 0.01 ether. */
  creationFee?: bigint
  /** Receives factory creation fees and tip fees. Default the deployer. */
  feeRecipient?: Address
  /** Tip router fee in basis points (at most 500). Default 0. */
  tipFeeBps?: number
  /** The demo sale of `token` for native coin. */
  sale?: {
    /** Wei per whole token (1e18 base units). Default 0.001 ether. */
    price?: bigint
    /** Tokens for sale (base units), moved from the deployer to the sale. Default 100,000 tokens. */
    totalCap?: bigint
    /** Default 10,000 tokens. */
    perBuyerCap?: bigint
    /** Seconds from the latest block's timestamp until the sale ends. Default 30 days. */
    duration?: bigint
  }
  /** Governance timing in seconds (the token's clock is the timestamp). */
  governance?: {
    votingDelay?: number
    votingPeriod?: number
    timelockDelay?: bigint
    /** Percent of the supply that must vote for or abstain. Default 4. */
    quorumPercent?: bigint
    /** Votes (base units) an account needs to propose; never zero. Default 1% of `initialSupply`. */
    proposalThreshold?: bigint
  }
}

export interface DeployPlatformReturnType extends DeployFoundationReturnType {
  tipRouter: Address
  tokenSale: Address
  factory: Address
  governor: Address
  timelock: Address
  /** The clone implementations registered in the factory as version 1. */
  implementations: { token: Address; vestingVault: Address; tokenSale: Address }
}

/**
 * Deploys everything {@link deployFoundation} does, then a TokenSale selling `token` for native coin (open from now
 * for `sale.duration`, funded by the deployer), the clone implementations, a TimelockController + TokenGovernor over
 * `token`'s votes (a non-zero proposal threshold), a TokenFactory and a TipRouter whose every role is the timelock's.
 * Last, the token's roles (admin, minter, pauser) go to the timelock and the deployer renounces its own: the deployer
 * keeps no right over the token, the timelock, the governor, the factory or the tip router. It keeps the demo
 * VestingVault's admin (to seed schedules) and the demo TokenSale's (it is the seller).
 *
 * @example
 * const { factory, governor, tipRouter, tokenSale } = await deployPlatform({ walletClient, publicClient })
 */
export async function deployPlatform(params: DeployPlatformParameters): Promise<DeployPlatformReturnType> {
  const { walletClient, publicClient } = params
  const deployer = walletClient.account.address
  const chain = walletClient.chain ?? null
  const creationFee = params.creationFee ?? parseUnits('0.01', 18)
  if (creationFee > MAX_CREATION_FEE) {
    throw new DeployError(
      `creationFee ${creationFee} is above the factory's bound MAX_CREATION_FEE (${MAX_CREATION_FEE} wei)`,
    )
  }
  const gov = params.governance ?? {}
  // Proposing must cost votes: with a zero threshold anyone could flood the governor with proposals.
  const proposalThreshold = gov.proposalThreshold ?? (params.initialSupply ?? parseUnits('1000000', 18)) / 100n
  if (proposalThreshold <= 0n) throw new DeployError('governance.proposalThreshold must be above zero')
  const foundation = await deployFoundation(params)
  const { forwarder, token } = foundation
  const feeRecipient = params.feeRecipient ?? deployer
  const zero = '0x0000000000000000000000000000000000000000' as const

  const deploy = async (what: string, abi: Abi, bytecode: Hex, args: readonly unknown[]) =>
    deployed(publicClient, await walletClient.deployContract({ abi, bytecode, args, chain }), `${what} deployment`)
  const send = async (
    what: string,
    request: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] },
  ) => confirm(publicClient, await walletClient.writeContract({ ...request, chain } as never), what)

  const { timestamp: now } = await publicClient.getBlock({ blockTag: 'latest' })
  const sale = params.sale ?? {}
  const totalCap = sale.totalCap ?? parseUnits('100000', 18)
  const tokenSale = await deploy('TokenSale', tokenSaleAbi, tokenSaleBytecode, [
    forwarder,
    {
      saleToken: token,
      paymentToken: zero,
      price: sale.price ?? parseUnits('0.001', 18),
      start: now - 60n,
      end: now + (sale.duration ?? 30n * DAY),
      totalCap,
      perBuyerCap: sale.perBuyerCap ?? parseUnits('10000', 18),
      admin: deployer,
      proceedsRecipient: deployer,
    },
  ])
  await send('TagToken transfer to the sale', {
    address: token,
    abi: tagTokenAbi,
    functionName: 'transfer',
    args: [tokenSale, totalCap],
  })

  const tokenImpl = await deploy('TagToken implementation', tagTokenAbi, tagTokenBytecode, [
    'TagToken implementation',
    'IMPL',
    zero,
    0n,
    forwarder,
  ])
  const vaultImpl = await deploy('VestingVault implementation', vestingVaultAbi, vestingVaultBytecode, [
    zero,
    zero,
    forwarder,
  ])
  const saleImpl = await deploy('TokenSale implementation', tokenSaleAbi, tokenSaleBytecode, [
    forwarder,
    {
      saleToken: zero,
      paymentToken: zero,
      price: 0n,
      start: 0n,
      end: 0n,
      totalCap: 0n,
      perBuyerCap: 0n,
      admin: zero,
      proceedsRecipient: zero,
    },
  ])

  const timelock = await deploy('TokenTimelock', timelockAbi, timelockBytecode, [
    gov.timelockDelay ?? 2n * DAY,
    [],
    [zero],
    deployer,
  ])
  const governor = await deploy('TokenGovernor', tokenGovernorAbi, tokenGovernorBytecode, [
    token,
    timelock,
    gov.votingDelay ?? Number(DAY),
    gov.votingPeriod ?? Number(7n * DAY),
    proposalThreshold,
    gov.quorumPercent ?? 4n,
  ])
  for (const role of ['PROPOSER_ROLE', 'CANCELLER_ROLE'] as const) {
    const id = await publicClient.readContract({ address: timelock, abi: timelockAbi, functionName: role })
    await send(`TokenTimelock grant ${role}`, {
      address: timelock,
      abi: timelockAbi,
      functionName: 'grantRole',
      args: [id, governor],
    })
  }
  const adminRole = await publicClient.readContract({
    address: timelock,
    abi: timelockAbi,
    functionName: 'DEFAULT_ADMIN_ROLE',
  })
  await send('TokenTimelock renounce admin', {
    address: timelock,
    abi: timelockAbi,
    functionName: 'renounceRole',
    args: [adminRole, deployer],
  })

  const factory = await deploy('TokenFactory', tokenFactoryAbi, tokenFactoryBytecode, [
    timelock,
    feeRecipient,
    creationFee,
    { token: tokenImpl, vault: vaultImpl, sale: saleImpl },
    forwarder,
  ])
  const tipRouter = await deploy('TipRouter', tipRouterAbi, tipRouterBytecode, [
    timelock,
    feeRecipient,
    params.tipFeeBps ?? 0,
    forwarder,
  ])

  // The token's roles to the timelock, then the deployer renounces them (admin last: it grants the others).
  const tokenRoles = await Promise.all(
    (['DEFAULT_ADMIN_ROLE', 'MINTER_ROLE', 'PAUSER_ROLE'] as const).map((functionName) =>
      publicClient.readContract({ address: token, abi: tagTokenAbi, functionName }),
    ),
  )
  for (const role of tokenRoles) {
    await send('TagToken grant a role to the timelock', {
      address: token,
      abi: tagTokenAbi,
      functionName: 'grantRole',
      args: [role, timelock],
    })
  }
  for (const role of [...tokenRoles].reverse()) {
    await send('TagToken renounce a role of the deployer', {
      address: token,
      abi: tagTokenAbi,
      functionName: 'renounceRole',
      args: [role, deployer],
    })
  }

  return {
    ...foundation,
    tipRouter,
    tokenSale,
    factory,
    governor,
    timelock,
    implementations: { token: tokenImpl, vestingVault: vaultImpl, tokenSale: saleImpl },
  }
}

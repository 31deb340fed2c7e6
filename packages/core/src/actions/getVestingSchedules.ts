import { type Address, isAddress } from 'viem'
import type { ChainClient, TokenTagsClient } from '../client.js'
import { InvalidParameterError, ReadFailedError, TokenTagsError } from '../errors.js'
import { erc20MetadataAbi, vestingVaultAbi } from '../internal/abis.js'
import { getLatestBlock, readContract } from '../internal/rpc.js'
import { nextVestingStep, schedulesOfAbi, vestedAt } from '../internal/vesting.js'

export interface GetVestingSchedulesParameters {
  chainId: number
  vault: Address
  beneficiary: Address
}

/** When more becomes claimable next, and how much more (summed over the schedules that grow by then). */
export interface NextUnlock {
  /** Unix seconds (chain time). */
  timestamp: number
  amount: bigint
}

export interface VestingSchedule {
  id: bigint
  beneficiary: Address
  /** Unix seconds. */
  start: number
  /** Seconds after `start`. */
  cliff: number
  /** Seconds after `start`. */
  duration: number
  /** `start + cliff`, unix seconds. */
  cliffEnd: number
  /** `start + duration`, unix seconds. */
  end: number
  revocable: boolean
  revoked: boolean
  total: bigint
  released: bigint
  /** `released + claimable`, as the contract reports at the read block. */
  vested: bigint
  /** The contract's `claimable(id)` at the read block. */
  claimable: bigint
  nextUnlock: NextUnlock | undefined
}

export interface VestingToken {
  address: Address
  /** Empty when the token has no readable string `symbol()`. */
  symbol: string
  decimals: number
}

export interface VestingSummary {
  chainId: number
  vault: Address
  beneficiary: Address
  token: VestingToken
  schedules: VestingSchedule[]
  total: bigint
  vested: bigint
  released: bigint
  claimable: bigint
  /**
   * The earliest chain time after `timestamp` at which the claimable amount grows: a cliff's end, or during
   * linear vesting the next whole second the vested amount steps up (typically `timestamp + 1`). `amount`
   * is how much more is claimable then over all schedules. Undefined when nothing more will ever vest
   * (everything vested, or revoked).
   */
  nextUnlock: NextUnlock | undefined
  /** The block the summary was read at, and its timestamp ("now" above). */
  blockNumber: bigint
  timestamp: number
}

export type GetVestingSchedulesReturnType = VestingSummary
export type GetVestingSchedulesErrorType = InvalidParameterError | ReadFailedError

/** A schedule as read from the vault, with the contract's claimable amount at the read block. */
interface ScheduleRead {
  id: bigint
  beneficiary: Address
  start: bigint
  cliff: bigint
  duration: bigint
  revocable: boolean
  revoked: boolean
  total: bigint
  released: bigint
  claimable: bigint
}

// A vault's token is set once, when the vault is created, and an ERC-20's symbol and decimals never change: each
// chain client reads them once per vault, so that every later read of the vault is a single round trip.
const vaultTokens = new WeakMap<ChainClient, Map<string, Promise<VestingToken>>>()

/**
 * Reads a beneficiary's schedules in a vault, with the token's symbol and decimals, all at one block: one JSON-RPC
 * round trip (`schedulesOf`, batched with other reads of the same tick), plus one the first time a client reads the
 * vault (its token's metadata). Vaults without `schedulesOf` are read id by id (two round trips more).
 */
export async function getVestingSchedules(
  client: TokenTagsClient,
  parameters: GetVestingSchedulesParameters,
): Promise<GetVestingSchedulesReturnType> {
  const { chainId, vault, beneficiary } = parameters
  if (!isAddress(vault, { strict: false }))
    throw new InvalidParameterError(`vault "${String(vault)}" is not an address.`)
  if (!isAddress(beneficiary, { strict: false }))
    throw new InvalidParameterError(`beneficiary "${String(beneficiary)}" is not an address.`)
  const chain = client.getChainClient(chainId)
  const tokens = vaultTokens.get(chain) ?? new Map<string, Promise<VestingToken>>()
  vaultTokens.set(chain, tokens)
  const tokenKey = vault.toLowerCase()
  const knownToken = tokens.get(tokenKey)
  try {
    const [block, views, tokenAddress] = await Promise.all([
      getLatestBlock(chain),
      // A vault deployed before `schedulesOf` reverts: it is read id by id below.
      readContract(chain, {
        address: vault,
        abi: schedulesOfAbi,
        functionName: 'schedulesOf',
        args: [beneficiary],
      }).catch(() => undefined),
      knownToken ? undefined : readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'token' }),
    ])
    const blockNumber = block.number
    const now = block.timestamp
    const at = { blockNumber }
    let tokenRead = knownToken
    if (!tokenRead) {
      const address = tokenAddress as Address
      tokenRead = Promise.all([
        readContract(chain, { address, abi: erc20MetadataAbi, functionName: 'symbol', ...at }).catch(() => ''),
        readContract(chain, { address, abi: erc20MetadataAbi, functionName: 'decimals', ...at }),
      ]).then(([symbol, decimals]) => ({ address, symbol, decimals }))
      tokens.set(tokenKey, tokenRead)
      tokenRead.catch(() => tokens.delete(tokenKey))
    }
    let reads: readonly ScheduleRead[]
    if (!views) reads = await readIdById(chain, vault, beneficiary, blockNumber)
    else if (views.every((v) => v.revoked || v.vested === vestedAt(v, now))) reads = views
    // A block landed between the block read and the call: read again at the block, so that the amounts and
    // `timestamp` agree.
    else
      reads = await readContract(chain, {
        address: vault,
        abi: schedulesOfAbi,
        functionName: 'schedulesOf',
        args: [beneficiary],
        ...at,
      })
    const token = await tokenRead

    const steps: { timestamp: bigint; curve: ScheduleRead; vestedNow: bigint }[] = []
    const result: VestingSchedule[] = reads.map((s) => {
      const claimable = s.claimable
      const vested = s.released + claimable
      const step = s.revoked ? undefined : nextVestingStep(s, now)
      let nextUnlock: NextUnlock | undefined
      if (step !== undefined) {
        steps.push({ timestamp: step, curve: s, vestedNow: vestedAt(s, now) })
        nextUnlock = { timestamp: Number(step), amount: vestedAt(s, step) - vestedAt(s, now) }
      }
      return {
        id: s.id,
        beneficiary: s.beneficiary,
        start: Number(s.start),
        cliff: Number(s.cliff),
        duration: Number(s.duration),
        cliffEnd: Number(s.start + s.cliff),
        end: Number(s.start + s.duration),
        revocable: s.revocable,
        revoked: s.revoked,
        total: s.total,
        released: s.released,
        vested,
        claimable,
        nextUnlock,
      }
    })

    let nextUnlock: NextUnlock | undefined
    if (steps.length > 0) {
      let first = steps[0]?.timestamp as bigint
      for (const x of steps) if (x.timestamp < first) first = x.timestamp
      let amount = 0n
      for (const x of steps) amount += vestedAt(x.curve, first) - x.vestedNow
      nextUnlock = { timestamp: Number(first), amount }
    }

    const sum = (pick: (s: VestingSchedule) => bigint) => result.reduce((acc, s) => acc + pick(s), 0n)
    return {
      chainId,
      vault,
      beneficiary,
      token,
      schedules: result,
      total: sum((s) => s.total),
      vested: sum((s) => s.vested),
      released: sum((s) => s.released),
      claimable: sum((s) => s.claimable),
      nextUnlock,
      blockNumber,
      timestamp: Number(now),
    }
  } catch (error) {
    if (error instanceof TokenTagsError) throw error
    throw new ReadFailedError('Could not read the vesting schedules.', {
      details: (error as { shortMessage?: string }).shortMessage,
      cause: error,
    })
  }
}

/** The read before `schedulesOf`: the ids, then each schedule and its claimable amount, all at `blockNumber`. */
async function readIdById(
  chain: ChainClient,
  vault: Address,
  beneficiary: Address,
  blockNumber: bigint,
): Promise<ScheduleRead[]> {
  const at = { blockNumber }
  const ids = await readContract(chain, {
    address: vault,
    abi: vestingVaultAbi,
    functionName: 'scheduleIdsOf',
    args: [beneficiary],
    ...at,
  })
  return Promise.all(
    ids.map(async (id) => {
      const [schedule, claimable] = await Promise.all([
        readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'getSchedule', args: [id], ...at }),
        readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'claimable', args: [id], ...at }),
      ])
      return { ...schedule, id, claimable }
    }),
  )
}

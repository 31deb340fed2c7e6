import { type Address, isAddress } from 'viem'
import type { TokenTagsClient } from '../client.js'
import { InvalidParameterError, ReadFailedError, TokenTagsError } from '../errors.js'
import { erc20MetadataAbi, vestingVaultAbi } from '../internal/abis.js'
import { getLatestBlock, readContract } from '../internal/rpc.js'
import { nextVestingStep, vestedAt } from '../internal/vesting.js'

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

/**
 * Reads a beneficiary's schedules in a vault, with the token's symbol and decimals, in two JSON-RPC
 * round trips (batched with other reads of the same tick), all pinned to one block.
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
  try {
    const [block, ids, tokenAddress] = await Promise.all([
      getLatestBlock(chain),
      readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'scheduleIdsOf', args: [beneficiary] }),
      readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'token' }),
    ])
    const blockNumber = block.number
    const now = block.timestamp
    const at = { blockNumber }
    const [symbol, decimals, schedules, claimables] = await Promise.all([
      readContract(chain, { address: tokenAddress, abi: erc20MetadataAbi, functionName: 'symbol', ...at }).catch(
        () => '',
      ),
      readContract(chain, { address: tokenAddress, abi: erc20MetadataAbi, functionName: 'decimals', ...at }),
      Promise.all(
        ids.map((id) =>
          readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'getSchedule', args: [id], ...at }),
        ),
      ),
      Promise.all(
        ids.map((id) =>
          readContract(chain, { address: vault, abi: vestingVaultAbi, functionName: 'claimable', args: [id], ...at }),
        ),
      ),
    ])

    const steps: { timestamp: bigint; curve: (typeof schedules)[number]; vestedNow: bigint }[] = []
    const result: VestingSchedule[] = schedules.map((s, i) => {
      const claimable = claimables[i] ?? 0n
      const vested = s.released + claimable
      const step = s.revoked ? undefined : nextVestingStep(s, now)
      let nextUnlock: NextUnlock | undefined
      if (step !== undefined) {
        steps.push({ timestamp: step, curve: s, vestedNow: vestedAt(s, now) })
        nextUnlock = { timestamp: Number(step), amount: vestedAt(s, step) - vestedAt(s, now) }
      }
      return {
        id: ids[i] as bigint,
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
      token: { address: tokenAddress, symbol, decimals },
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

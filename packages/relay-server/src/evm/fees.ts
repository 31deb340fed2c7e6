import type { FeePolicy } from './chain.js'

export interface Fees {
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
}

export type FeeDecision = ({ hold: false } & Fees) | { hold: true; baseFee: bigint }

interface FeeHistoryClient {
  getFeeHistory(args: {
    blockCount: number
    rewardPercentiles: number[]
  }): Promise<{ baseFeePerGas: bigint[]; reward?: bigint[][] }>
}

const median = (values: bigint[]) => {
  if (values.length === 0) return 0n
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return sorted[Math.floor(sorted.length / 2)] ?? 0n
}

/**
 * EIP-1559 fees from `eth_feeHistory`: the next block's base fee (doubled, for headroom over a
 * few full blocks) plus the median tip of the last blocks. Above the ceiling the answer is to
 * wait: the relay never overpays to get a batch in.
 */
export async function suggestFees(client: FeeHistoryClient, policy: FeePolicy): Promise<FeeDecision> {
  const history = await client.getFeeHistory({ blockCount: 5, rewardPercentiles: [50] })
  const baseFee = history.baseFeePerGas.at(-1) ?? 0n
  let tip = tipOf(history, policy)
  const ceiling = policy.maxFeePerGas
  if (ceiling !== undefined && baseFee > ceiling) return { hold: true, baseFee }
  let maxFeePerGas = baseFee * 2n + tip
  if (ceiling !== undefined && maxFeePerGas > ceiling) maxFeePerGas = ceiling
  if (tip > maxFeePerGas) tip = maxFeePerGas
  return { hold: false, maxFeePerGas, maxPriorityFeePerGas: tip }
}

/** The median tip of the history's blocks, within the policy's floor and cap. */
function tipOf(history: { reward?: bigint[][] }, policy: FeePolicy): bigint {
  let tip = median((history.reward ?? []).map((r) => r[0] ?? 0n))
  if (tip < policy.minPriorityFeePerGas) tip = policy.minPriorityFeePerGas
  if (policy.maxPriorityFeePerGas !== undefined && tip > policy.maxPriorityFeePerGas) tip = policy.maxPriorityFeePerGas
  return tip
}

/**
 * The price a budget reservation takes per gas: the next base fee times `multiplier` plus the tip,
 * capped by the ceiling. A bounded margin over today's cost, never the ceiling by default: a
 * batch pays the base fee of its block, which this covers unless it more than doubles meanwhile
 * (then settlement charges at most the reservation, and the relay carries the rest).
 */
export function reservationPrice(
  history: { baseFeePerGas: bigint[]; reward?: bigint[][] },
  policy: FeePolicy,
  multiplier: bigint,
): bigint {
  const baseFee = history.baseFeePerGas.at(-1) ?? 0n
  const price = baseFee * multiplier + tipOf(history, policy)
  const ceiling = policy.maxFeePerGas
  return ceiling !== undefined && price > ceiling ? ceiling : price
}

/** `value` raised by `percent` (rounded up), and by at least 1 wei. */
export function bump(value: bigint, percent: number): bigint {
  const scaled = BigInt(Math.round(percent * 100))
  const raise = (value * scaled + 9_999n) / 10_000n
  return value + (raise > 0n ? raise : 1n)
}

/**
 * Fees of a replacement: at least the previous ones bumped by `feeBumpPercent` (nodes want +10%
 * on both), and at least the market. `undefined` when the ceiling leaves no valid bump: wait.
 */
export function replacementFees(previous: Fees, market: FeeDecision, policy: FeePolicy): Fees | undefined {
  let maxFeePerGas = bump(previous.maxFeePerGas, policy.feeBumpPercent)
  let maxPriorityFeePerGas = bump(previous.maxPriorityFeePerGas, policy.feeBumpPercent)
  if (!market.hold) {
    if (market.maxFeePerGas > maxFeePerGas) maxFeePerGas = market.maxFeePerGas
    if (market.maxPriorityFeePerGas > maxPriorityFeePerGas) maxPriorityFeePerGas = market.maxPriorityFeePerGas
  }
  const ceiling = policy.maxFeePerGas
  if (ceiling !== undefined && maxFeePerGas > ceiling) {
    maxFeePerGas = ceiling
    if (maxFeePerGas < bump(previous.maxFeePerGas, 10)) return undefined
  }
  if (maxPriorityFeePerGas > maxFeePerGas) maxPriorityFeePerGas = maxFeePerGas
  if (maxPriorityFeePerGas < bump(previous.maxPriorityFeePerGas, 10)) return undefined
  return { maxFeePerGas, maxPriorityFeePerGas }
}

// What a request reserves from its site's daily budget: the gas it was measured to need plus a
// batch's fixed part, at today's fee with a bounded margin, plus (OP-stack) the L1 data fee the
// chain's oracle quotes, with the same margin. Never the declared gas at the fee ceiling: that
// locked about 0.17 ETH per request declaring 1,000,000 gas (issue 13, finding 3).
import { forwarderAbi } from '@tokentags/contracts'
import { type Address, encodeFunctionData, type Hex, serializeTransaction } from 'viem'
import type { ForwardRequest } from '../store/types.js'
import type { ChainRuntime } from './chain.js'
import { ChainUnavailableError } from './errors.js'
import { reservationPrice } from './fees.js'
import { BATCH_FIXED_GAS, requestGas } from './gas.js'
import { toForwardRequestData } from './simulate.js'

/** The OP-stack GasPriceOracle predeploy (Base, Optimism, every OP-stack chain). */
export const GAS_PRICE_ORACLE: Address = '0x420000000000000000000000000000000000000F'

const gasPriceOracleAbi = [
  {
    type: 'function',
    name: 'getL1Fee',
    stateMutability: 'view',
    inputs: [{ name: '_data', type: 'bytes' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
] as const

/** How long one fee reading serves admissions: a block or so, so a burst costs one `eth_feeHistory`. */
const FEE_CACHE_MS = 1000

const feeCache = new WeakMap<ChainRuntime, { at: number; fee: Promise<bigint> }>()

/** The reservation's price per gas (`reservationPrice`), one reading per chain per second. */
export function reservationFeePerGas(chain: ChainRuntime, now = Date.now()): Promise<bigint> {
  const cached = feeCache.get(chain)
  if (cached && now - cached.at < FEE_CACHE_MS) return cached.fee
  const fee = chain.publicClient
    .getFeeHistory({ blockCount: 5, rewardPercentiles: [50] })
    .then((history) => reservationPrice(history, chain.fees, chain.reservation.feeMultiplier))
    .catch((error: unknown) => {
      feeCache.delete(chain)
      throw new ChainUnavailableError(chain.chainId, { cause: error })
    })
  feeCache.set(chain, { at: now, fee })
  return fee
}

/**
 * The L1 data fee of a batch holding this request alone, as the GasPriceOracle quotes it for the
 * unsigned transaction (the oracle adds the signature's bytes itself).
 */
export async function quoteL1Fee(
  chain: ChainRuntime,
  request: ForwardRequest,
  signature: Hex,
  feePerGas: bigint,
): Promise<bigint> {
  const relayer = chain.relayers[0]?.account.address ?? chain.forwarder
  const data = encodeFunctionData({
    abi: forwarderAbi,
    functionName: 'executeBatch',
    args: [[toForwardRequestData(request, signature)], relayer],
  })
  const unsigned = serializeTransaction({
    chainId: chain.chainId,
    type: 'eip1559',
    to: chain.forwarder,
    data,
    gas: requestGas(request) + BATCH_FIXED_GAS,
    nonce: 0,
    maxFeePerGas: feePerGas,
    maxPriorityFeePerGas: feePerGas,
  })
  try {
    return await chain.publicClient.readContract({
      address: GAS_PRICE_ORACLE,
      abi: gasPriceOracleAbi,
      functionName: 'getL1Fee',
      args: [unsigned],
    })
  } catch (error) {
    // An OP-stack chain without its oracle answering cannot price what it is about to spend.
    throw new ChainUnavailableError(chain.chainId, { cause: error })
  }
}

/**
 * Wei to reserve for a request measured at `measuredGas`: `(measuredGas + BATCH_FIXED_GAS) ×
 * reservationFeePerGas`, plus on an OP-stack chain the L1 fee quote × `reserveFeeMultiplier`.
 */
export async function reservationWei(
  chain: ChainRuntime,
  request: ForwardRequest,
  signature: Hex,
  measuredGas: bigint,
): Promise<bigint> {
  const feePerGas = await reservationFeePerGas(chain)
  const l2 = (measuredGas + BATCH_FIXED_GAS) * feePerGas
  if (!chain.reservation.opStack) return l2
  const l1 = await quoteL1Fee(chain, request, signature, feePerGas)
  return l2 + l1 * chain.reservation.feeMultiplier
}

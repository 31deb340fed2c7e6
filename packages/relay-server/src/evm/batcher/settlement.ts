// Each request's final state: its share of a receipt's gas, its outcome read from the forwarder's
// events, or where it ran when its nonce turns out used.
import { forwarderAbi } from '@tokentags/contracts'
import { type Hex, isAddressEqual, parseEventLogs, type TransactionReceipt, zeroAddress } from 'viem'
import type { ForwardRequest, StatusUpdate, StoredRequest, Stores } from '../../store/types.js'
import { requestGas } from '../gas.js'
import { innerRevert } from '../simulate.js'
import { calledRequests, executedAt, isStoredRequest } from './executionMatch.js'
import type { KeyState } from './keyState.js'

/** How far back to look for a request's `ExecutedForwardRequest` when its nonce turns out used. */
const EXECUTION_LOOKBACK_BLOCKS = 10_000n

/**
 * What an OP-stack receipt adds to the gas: its L1 data fee (`l1Fee`, hex from the node, bigint
 * when a chain formatter parsed it); 0 elsewhere.
 */
export function receiptL1Fee(receipt: object): bigint {
  const fee = (receipt as { l1Fee?: unknown }).l1Fee
  if (typeof fee === 'bigint') return fee
  if (typeof fee === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(fee)) return BigInt(fee)
  return 0n
}

/**
 * Each request's share of what a batch cost (`gasUsed × effectiveGasPrice`, plus the L1 data fee
 * on OP-stack chains): split by the gas each request was measured to need at admission
 * (`measuredGas`; its declared worst case when absent), never by declared gas, so two identical
 * calls pay the same whatever gas they declared, and no site pays for another's padding. Largest
 * remainder: the shares add up to the total exactly, and equal weights differ by at most 1 wei.
 */
export function receiptShares(
  receipt: Pick<TransactionReceipt, 'gasUsed' | 'effectiveGasPrice'>,
  requests: readonly { request: Pick<ForwardRequest, 'gas' | 'data'>; measuredGas?: bigint }[],
): bigint[] {
  const weights = requests.map((r) => r.measuredGas ?? requestGas(r.request))
  const totalWeight = weights.reduce((a, b) => a + b, 0n)
  const total = receipt.gasUsed * (receipt.effectiveGasPrice ?? 0n) + receiptL1Fee(receipt)
  if (totalWeight === 0n) return weights.map(() => 0n)
  const shares = weights.map((w) => (total * w) / totalWeight)
  const remainders = weights.map((w, i) => ({ i, rest: (total * w) % totalWeight }))
  let left = total - shares.reduce((a, b) => a + b, 0n)
  remainders.sort((a, b) => (a.rest > b.rest ? -1 : a.rest < b.rest ? 1 : a.i - b.i))
  for (const { i } of remainders) {
    if (left === 0n) break
    shares[i] = (shares[i] ?? 0n) + 1n
    left--
  }
  return shares
}

/** Records a request's final state; counted once, a request already final elsewhere is left alone. */
export async function settle(
  k: KeyState<Pick<Stores, 'requests'>>,
  request: StoredRequest,
  update: StatusUpdate,
): Promise<void> {
  const { stores, metrics, chain } = k.deps
  const before = request.status
  const after = await stores.requests.update(request.id, update)
  // Counted once: a request already final (settled by another instance) is left alone.
  if (after.status === update.status && before !== after.status) {
    metrics.status(chain.chainId, update.status)
    if (update.spentWei !== undefined && after.spentWei !== undefined) {
      metrics.gasSpent(after.siteKey, chain.chainId, after.spentWei)
    }
  }
}

export async function reject(
  k: KeyState<Pick<Stores, 'requests'>>,
  request: StoredRequest,
  code: string,
  message: string,
): Promise<void> {
  k.log.info({ requestId: request.id, code }, 'request rejected before sending')
  await settle(k, request, { status: 'rejected', error: { code, message }, spentWei: 0n })
}

/** A request whose forwarder nonce is already used: find where it ran and record that outcome. */
export async function settleExecuted(k: KeyState<Pick<Stores, 'requests'>>, request: StoredRequest): Promise<void> {
  const found = await findExecution(k, request)
  if (!found) {
    await reject(k, request, 'BAD_NONCE', `nonce ${request.request.nonce} was already used`)
    return
  }
  if (!found.ours) {
    await settle(k, request, notOurs(request, found.txHash))
    return
  }
  await settle(k, request, {
    status: found.success ? 'confirmed' : 'failed',
    txHash: found.txHash,
    blockNumber: found.blockNumber,
    ...(found.success
      ? {}
      : { error: { code: 'EXECUTION_REVERTED', message: 'the call reverted (found on chain after a restart)' } }),
  })
}

function notOurs(request: StoredRequest, txHash: Hex): StatusUpdate {
  return {
    status: 'failed',
    error: {
      code: 'NOT_EXECUTED',
      message: `nonce ${request.request.nonce} was used by another request of the signer (transaction ${txHash})`,
    },
  }
}

async function findExecution(
  k: KeyState<unknown>,
  request: StoredRequest,
): Promise<{ txHash: Hex; blockNumber: bigint; success: boolean; ours: boolean } | undefined> {
  const client = k.deps.chain.publicClient
  const head = await client.getBlockNumber({ cacheTime: 0 })
  const fromBlock = head > EXECUTION_LOOKBACK_BLOCKS ? head - EXECUTION_LOOKBACK_BLOCKS : 0n
  const logs = await client.getContractEvents({
    address: k.deps.chain.forwarder,
    abi: forwarderAbi,
    eventName: 'ExecutedForwardRequest',
    args: { signer: request.request.from },
    fromBlock,
    toBlock: head,
  })
  const log = logs.find((l) => l.args.nonce === request.request.nonce)
  if (!log?.transactionHash || log.blockNumber === null) return undefined
  const [transaction, block] = await Promise.all([
    client.getTransaction({ hash: log.transactionHash }),
    client.getBlock({ blockNumber: log.blockNumber }),
  ])
  const called = isAddressEqual(transaction.to ?? zeroAddress, k.deps.chain.forwarder)
    ? calledRequests(transaction.input)
    : undefined
  let ours: boolean
  if (called) {
    const ran = await executedAt(
      called,
      request.request.from,
      request.request.nonce,
      block.timestamp,
      k.deps.chain.domain,
    )
    ours = ran !== undefined && isStoredRequest(ran, request)
  } else {
    // Through another contract the request cannot be decoded: the stored signature in the input
    // is the best evidence (a signature binds the whole request, nonce included).
    ours = transaction.input.toLowerCase().includes(request.signature.slice(2).toLowerCase())
  }
  return { txHash: log.transactionHash, blockNumber: log.blockNumber, success: log.args.success === true, ours }
}

/** Settles a mined batch's requests from its receipt: confirmed, reverted, or skipped by the forwarder. */
export async function settleFromReceipt(
  k: KeyState<Pick<Stores, 'requests'>>,
  requests: StoredRequest[],
  receipt: TransactionReceipt,
): Promise<void> {
  const { chain, errorAbis } = k.deps
  const txHash = receipt.transactionHash
  const blockNumber = receipt.blockNumber
  const shares = receiptShares(receipt, requests)
  const shareOf = (i: number) => shares[i] ?? 0n
  if (receipt.status !== 'success') {
    k.log.error({ txHash }, 'batch transaction reverted')
    await Promise.all(
      requests.map((r, i) =>
        settle(k, r, {
          status: 'failed',
          txHash,
          blockNumber,
          spentWei: shareOf(i),
          error: { code: 'BATCH_REVERTED', message: 'the batch transaction reverted' },
        }),
      ),
    )
    return
  }
  const executed = new Map<string, boolean>()
  const events = parseEventLogs({
    abi: forwarderAbi,
    eventName: 'ExecutedForwardRequest',
    logs: receipt.logs.filter((l) => isAddressEqual(l.address, chain.forwarder)),
  })
  for (const event of events) {
    const signer = event.args.signer.toLowerCase()
    executed.set(`${signer}:${event.args.nonce}`, event.args.success)
    if (event.args.nonce + 1n > (k.seenNonces.get(signer) ?? 0n)) {
      if (k.seenNonces.size >= 10_000) k.seenNonces.clear()
      k.seenNonces.set(signer, event.args.nonce + 1n)
    }
  }
  await Promise.all(
    requests.map(async (r, i) => {
      const spentWei = shareOf(i)
      const success = executed.get(`${r.request.from.toLowerCase()}:${r.request.nonce}`)
      if (success === true) return settle(k, r, { status: 'confirmed', txHash, blockNumber, spentWei })
      if (success === false) {
        // The event carries no reason; replaying the call on the batch's block usually names it.
        const reason = await innerRevert(chain, r.request, errorAbis, blockNumber)
        return settle(k, r, {
          status: 'failed',
          txHash,
          blockNumber,
          spentWei,
          error: { code: 'EXECUTION_REVERTED', message: `the call reverted${reason ? `: ${reason.message}` : ''}` },
        })
      }
      // Skipped by the forwarder: maybe it already ran in an earlier transaction (a takeover race).
      const onChain = await chain.readNonce(r.request.from)
      if (onChain > r.request.nonce) {
        const found = await findExecution(k, r)
        if (found && !found.ours) return settle(k, r, { ...notOurs(r, found.txHash), txHash, blockNumber, spentWei })
        if (found && found.txHash !== txHash) {
          return settle(k, r, {
            status: found.success ? 'confirmed' : 'failed',
            txHash: found.txHash,
            blockNumber: found.blockNumber,
            spentWei,
            ...(found.success ? {} : { error: { code: 'EXECUTION_REVERTED', message: 'the call reverted' } }),
          })
        }
      }
      return settle(k, r, {
        status: 'failed',
        txHash,
        blockNumber,
        spentWei,
        error: {
          code: 'NOT_EXECUTED',
          message: 'the forwarder skipped the request (deadline passed, nonce used or signature mismatch)',
        },
      })
    }),
  )
  k.log.info(
    { txHash, blockNumber, size: requests.length, executed: events.length, requestIds: requests.map((r) => r.id) },
    'batch settled',
  )
}

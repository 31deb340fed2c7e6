import { forwarderAbi } from '@tokentags/contracts'
import { FORWARDER_DOMAIN_NAME, FORWARDER_DOMAIN_VERSION } from '@tokentags/contracts/forwarder'
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeAbiParameters,
  getAddress,
  type Hex,
  http,
  keccak256,
  type LocalAccount,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEFAULT_MAX_GAS_PER_REQUEST, type RelayChainConfig } from '../config.js'
import { redactUrl } from '../errors.js'
import { createHotRpc, type HotRpc } from './hotPath/hotRpc.js'

export interface Relayer {
  account: LocalAccount
  wallet: WalletClient<Transport, Chain, LocalAccount>
}

/** Everything the relay holds for one served chain. */
export interface ChainRuntime {
  chainId: number
  forwarder: Address
  domain: { name: string; version: string; chainId: number; verifyingContract: Address }
  publicClient: PublicClient<Transport, Chain>
  /** The submit path's per-request calls, batched per event-loop turn (`./hotPath/hotRpc.ts`). */
  hotRpc: HotRpc
  relayers: Relayer[]
  maxGasPerRequest: bigint
  fees: FeePolicy
  /** How budget reservations are priced (`RelayChainConfig.reserveFeeMultiplier`, `opStack`). */
  reservation: { feeMultiplier: bigint; opStack: boolean }
  /** RPC URL without credentials, for logs and health output. */
  rpcLabel: string
  /** Storage slot of `nonces(account)`'s mapping in the forwarder, found once by probing (`null`: not found). */
  nonceSlot(): Promise<bigint | null>
  readNonce(from: Address): Promise<bigint>
}

/** Fee and confirmation settings of one chain (see `RelayChainConfig`). */
export interface FeePolicy {
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  minPriorityFeePerGas: bigint
  confirmations: number
  replaceAfterMs: number
  feeBumpPercent: number
}

const RPC_TIMEOUT_MS = 15_000
const RPC_BATCH_SIZE = 64
/**
 * The submit path's calls of one turn go as one batch (as viem's, up to 64 calls). Tried on
 * bench/relay.ts: splitting a turn into 4 requests, or one per submission, lets the node serve them
 * on several threads, which on two shared cores takes the relay's own core: the Redis row accepted
 * about a third less.
 */
const HOT_RPC_BATCH_SIZE = 64

const optionalBigint = (value: bigint | number | string | undefined) =>
  value === undefined ? undefined : BigInt(value)

export function createChainRuntime(config: RelayChainConfig): ChainRuntime {
  const chain = defineChain({
    id: config.chainId,
    name: `chain-${config.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  })
  // JSON-RPC batching: concurrent submissions' calls share one HTTP round trip.
  const transport = http(config.rpcUrl, {
    retryCount: 1,
    timeout: RPC_TIMEOUT_MS,
    batch: { batchSize: RPC_BATCH_SIZE, wait: 0 },
  })
  const publicClient = createPublicClient({ chain, transport })
  const forwarder = getAddress(config.forwarder.toLowerCase())
  const relayers = config.relayerPrivateKeys.map((key) => {
    const account = privateKeyToAccount(key)
    return { account, wallet: createWalletClient({ account, chain, transport }) }
  })
  let slot: Promise<bigint | null> | undefined

  const runtime: ChainRuntime = {
    chainId: config.chainId,
    forwarder,
    domain: {
      name: config.domainName ?? FORWARDER_DOMAIN_NAME,
      version: FORWARDER_DOMAIN_VERSION,
      chainId: config.chainId,
      verifyingContract: forwarder,
    },
    publicClient,
    hotRpc: createHotRpc(config.rpcUrl, { timeoutMs: RPC_TIMEOUT_MS, batchSize: HOT_RPC_BATCH_SIZE }),
    relayers,
    maxGasPerRequest: BigInt(config.maxGasPerRequest ?? DEFAULT_MAX_GAS_PER_REQUEST),
    fees: {
      ...(config.maxFeePerGas === undefined ? {} : { maxFeePerGas: BigInt(config.maxFeePerGas) }),
      ...(config.maxPriorityFeePerGas === undefined
        ? {}
        : { maxPriorityFeePerGas: optionalBigint(config.maxPriorityFeePerGas) as bigint }),
      minPriorityFeePerGas: optionalBigint(config.minPriorityFeePerGas) ?? 0n,
      confirmations: config.confirmations ?? 1,
      replaceAfterMs: config.replaceAfterMs ?? 30_000,
      feeBumpPercent: Math.max(10, config.feeBumpPercent ?? 12.5),
    },
    reservation: {
      feeMultiplier: BigInt(Math.max(1, Math.floor(config.reserveFeeMultiplier ?? 2))),
      opStack: config.opStack ?? false,
    },
    rpcLabel: redactUrl(config.rpcUrl),
    nonceSlot() {
      slot ??= probeNonceSlot(publicClient, forwarder).catch((error: unknown) => {
        slot = undefined
        throw error
      })
      return slot
    },
    readNonce(from) {
      return publicClient.readContract({ address: forwarder, abi: forwarderAbi, functionName: 'nonces', args: [from] })
    },
  }
  return runtime
}

export function nonceStorageKey(slot: bigint, account: Address): Hex {
  return keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [account, slot]))
}

const PROBE_ACCOUNT: Address = '0x000000000000000000000000000000000000dEaD'
const PROBE_VALUE = 0x7e57n

/**
 * OpenZeppelin's `Nonces` keeps `mapping(address => uint256)` in a plain slot (2 for the
 * forwarder: after EIP712's two fallback strings). Probing instead of hard-coding keeps the
 * simulation honest if the layout ever moves.
 */
async function probeNonceSlot(client: PublicClient<Transport, Chain>, forwarder: Address): Promise<bigint | null> {
  for (const slot of [2n, 0n, 1n, 3n, 4n, 5n]) {
    const value = await client.readContract({
      address: forwarder,
      abi: forwarderAbi,
      functionName: 'nonces',
      args: [PROBE_ACCOUNT],
      stateOverride: [
        {
          address: forwarder,
          stateDiff: [{ slot: nonceStorageKey(slot, PROBE_ACCOUNT), value: toWord(PROBE_VALUE) }],
        },
      ],
    })
    if (value === PROBE_VALUE) return slot
  }
  return null
}

export function toWord(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, '0')}`
}

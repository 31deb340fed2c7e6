/**
 * A development-only EIP-1193 wallet over anvil's public dev keys: it signs locally and forwards every
 * other call to the chain's RPC. Browser- and Node-safe (imports only viem). Never use it with real keys.
 */
import {
  type Address,
  type Chain,
  createClient,
  type EIP1193Provider,
  getAddress,
  type Hex,
  http,
  numberToHex,
  type TypedDataDefinition,
} from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { sendTransaction, signTransaction } from 'viem/actions'

export interface DevWalletOptions {
  rpcUrl: string
  chainId: number
  /** 0x-prefixed private keys; the first is the selected account. */
  privateKeys: readonly Hex[]
  /** Answer `eth_accounts` before any `eth_requestAccounts` (default false, like a real wallet). */
  autoConnect?: boolean
}

export interface DevWalletProvider extends EIP1193Provider {
  readonly isTokenTagsDevWallet: true
  readonly chainId: number
  /** Every account the wallet holds, in key order. */
  readonly accounts: readonly Address[]
  /** The account `eth_accounts` lists first and that signs. */
  readonly selectedAccount: Address
  readonly connected: boolean
  /** Makes another held account the active one (emits `accountsChanged` when connected). */
  selectAccount(address: Address): void
  /** Forgets the site's permission (emits `accountsChanged` with `[]`). */
  disconnect(): void
}

export interface DevWalletInfo {
  uuid: string
  name: string
  icon: `data:image/${string}`
  rdns: string
}

const ICON_SVG =
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='6' fill='#f59e0b'/>" +
  "<path d='M7 9h11l7 7-7 7H7z' fill='#fff'/><circle cx='12' cy='16' r='2' fill='#f59e0b'/>" +
  "<text x='16' y='30' font-size='7' font-family='sans-serif' text-anchor='middle' fill='#7c2d12'>DEV</text></svg>"

/** EIP-6963 info of the dev wallet; the name says it is for development only. */
export const DEV_WALLET_INFO: DevWalletInfo = Object.freeze({
  uuid: '5c3f1b0e-7d2a-4c1e-9b8a-2f6d4e8a1c3b',
  name: 'TokenTags Dev Wallet (dev only)',
  icon: `data:image/svg+xml,${encodeURIComponent(ICON_SVG)}` as const,
  rdns: 'dev.tokentags.wallet',
})

/** An EIP-1193 error object (`code`, `message`), as wallets throw them. */
export class DevWalletRpcError extends Error {
  override name = 'DevWalletRpcError'
  readonly code: number
  readonly data: unknown
  constructor(code: number, message: string, data?: unknown) {
    super(message)
    this.code = code
    this.data = data
  }
}

type Listener = (...args: unknown[]) => void

/** Creates the provider. Each call is an independent wallet (own selection and permission). */
export function createDevWalletProvider(options: DevWalletOptions): DevWalletProvider {
  const { rpcUrl, chainId } = options
  if (!options.privateKeys.length) throw new TypeError('createDevWalletProvider needs at least one private key')
  const signers: PrivateKeyAccount[] = options.privateKeys.map((key) => privateKeyToAccount(key))
  const chain: Chain = {
    id: chainId,
    name: `Dev chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  }
  const transport = http(rpcUrl, { retryCount: 0 })
  const rpc = transport({ chain, retryCount: 0 })
  const clients = new Map<Address, ReturnType<typeof makeClient>>()
  function makeClient(account: PrivateKeyAccount) {
    return createClient({ account, chain, transport, pollingInterval: 250 })
  }
  const clientFor = (account: PrivateKeyAccount) => {
    let client = clients.get(account.address)
    if (!client) {
      client = makeClient(account)
      clients.set(account.address, client)
    }
    return client
  }

  let selected = signers[0] as PrivateKeyAccount
  let connected = options.autoConnect ?? false
  const listeners = new Map<string, Set<Listener>>()
  const emit = (event: string, ...args: unknown[]) => {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(...args)
      } catch {}
    }
  }
  const orderedAccounts = (): Address[] => [
    selected.address,
    ...signers.filter((s) => s !== selected).map((s) => s.address),
  ]
  const signerOf = (address: unknown): PrivateKeyAccount => {
    if (!connected) throw new DevWalletRpcError(4100, 'The dev wallet is not connected: call eth_requestAccounts.')
    const found =
      typeof address === 'string' ? signers.find((s) => s.address.toLowerCase() === address.toLowerCase()) : undefined
    if (!found) throw new DevWalletRpcError(4100, `The dev wallet holds no key for ${String(address)}.`)
    return found
  }
  const permissions = () => [
    {
      parentCapability: 'eth_accounts',
      invoker: 'tokentags-dev',
      caveats: [{ type: 'restrictReturnedAccounts', value: orderedAccounts() }],
    },
  ]

  async function request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
    const args = (Array.isArray(params) ? params : []) as unknown[]
    switch (method) {
      case 'eth_requestAccounts': {
        const was = connected
        connected = true
        if (!was) emit('accountsChanged', orderedAccounts())
        return orderedAccounts()
      }
      case 'eth_accounts':
        return connected ? orderedAccounts() : []
      case 'eth_coinbase':
        return connected ? selected.address : null
      case 'eth_chainId':
        return numberToHex(chainId)
      case 'wallet_requestPermissions':
        connected = true
        return permissions()
      case 'wallet_getPermissions':
        return connected ? permissions() : []
      case 'wallet_revokePermissions':
        provider.disconnect()
        return null
      case 'wallet_switchEthereumChain': {
        const wanted = (args[0] as { chainId?: string } | undefined)?.chainId
        if (wanted !== undefined && Number(wanted) === chainId) return null
        throw new DevWalletRpcError(4902, `The dev wallet only serves chain ${chainId}, not ${String(wanted)}.`)
      }
      case 'wallet_addEthereumChain': {
        const wanted = (args[0] as { chainId?: string } | undefined)?.chainId
        if (wanted !== undefined && Number(wanted) === chainId) return null
        throw new DevWalletRpcError(4200, `The dev wallet cannot add chains (only ${chainId}).`)
      }
      case 'eth_signTypedData_v4': {
        const signer = signerOf(args[0])
        const raw = typeof args[1] === 'string' ? JSON.parse(args[1]) : args[1]
        return signer.signTypedData(normalizeTypedData(raw))
      }
      case 'personal_sign': {
        const signer = signerOf(args[1])
        return signer.signMessage({ message: { raw: args[0] as Hex } })
      }
      case 'eth_sendTransaction':
      case 'eth_signTransaction': {
        const tx = (args[0] ?? {}) as Record<string, unknown>
        const signer = signerOf(tx.from ?? selected.address)
        const parameters = toTransactionRequest(tx, chainId)
        const client = clientFor(signer)
        return method === 'eth_sendTransaction'
          ? sendTransaction(client, { ...parameters, account: signer, chain })
          : signTransaction(client, { ...parameters, account: signer, chain } as never)
      }
      case 'eth_sign':
      case 'eth_signTypedData':
      case 'eth_signTypedData_v3':
        throw new DevWalletRpcError(4200, `The dev wallet does not support ${method}.`)
      default:
        return rpc.request({ method, params } as never)
    }
  }

  const provider: DevWalletProvider = {
    isTokenTagsDevWallet: true,
    chainId,
    accounts: Object.freeze(signers.map((s) => s.address)),
    get selectedAccount() {
      return selected.address
    },
    get connected() {
      return connected
    },
    selectAccount(address) {
      const found = signers.find((s) => s.address.toLowerCase() === address.toLowerCase())
      if (!found) throw new DevWalletRpcError(4100, `The dev wallet holds no key for ${address}.`)
      if (found === selected) return
      selected = found
      if (connected) emit('accountsChanged', orderedAccounts())
    },
    disconnect() {
      if (!connected) return
      connected = false
      emit('accountsChanged', [])
    },
    request: request as EIP1193Provider['request'],
    on(event: string, listener: Listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
    },
    removeListener(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener)
    },
  } as DevWalletProvider
  return provider
}

/** Turns an `eth_sendTransaction` object (hex quantities) into viem's transaction parameters. */
function toTransactionRequest(tx: Record<string, unknown>, chainId: number) {
  const quantity = (v: unknown) => (v === undefined || v === null ? undefined : BigInt(v as string))
  if (tx.chainId !== undefined && Number(tx.chainId) !== chainId)
    throw new DevWalletRpcError(
      4901,
      `The transaction is for chain ${Number(tx.chainId)}, the dev wallet is on ${chainId}.`,
    )
  const fees =
    tx.maxFeePerGas !== undefined || tx.maxPriorityFeePerGas !== undefined
      ? { maxFeePerGas: quantity(tx.maxFeePerGas), maxPriorityFeePerGas: quantity(tx.maxPriorityFeePerGas) }
      : tx.gasPrice !== undefined
        ? { gasPrice: quantity(tx.gasPrice) }
        : {}
  return {
    to: tx.to ? getAddress(tx.to as string) : undefined,
    data: (tx.data ?? tx.input) as Hex | undefined,
    value: quantity(tx.value),
    gas: quantity(tx.gas),
    nonce: tx.nonce === undefined ? undefined : Number(tx.nonce),
    ...fees,
  } as const
}

/** eth_signTypedData_v4 JSON carries integers as strings or numbers; viem wants bigints. */
function normalizeTypedData(raw: {
  domain?: Record<string, unknown>
  types: Record<string, { name: string; type: string }[]>
  primaryType: string
  message: Record<string, unknown>
}): TypedDataDefinition {
  const { EIP712Domain: _domainType, ...types } = raw.types
  const convert = (type: string, value: unknown): unknown => {
    const array = /^(.*)\[(\d*)\]$/.exec(type)
    if (array) return (value as unknown[]).map((item) => convert(array[1] as string, item))
    if (/^u?int\d*$/.test(type)) return BigInt(value as string)
    const fields = types[type]
    if (fields) {
      const object = value as Record<string, unknown>
      return Object.fromEntries(fields.map((field) => [field.name, convert(field.type, object[field.name])]))
    }
    return value
  }
  const domain = { ...(raw.domain ?? {}) }
  if (domain.chainId !== undefined) domain.chainId = Number(domain.chainId)
  return {
    domain,
    types,
    primaryType: raw.primaryType,
    message: convert(raw.primaryType, raw.message),
  } as unknown as TypedDataDefinition
}

interface EIP6963AnnounceDetail {
  info: DevWalletInfo
  provider: EIP1193Provider
}

/**
 * Announces the provider over EIP-6963 and re-announces on every `eip6963:requestProvider`.
 * Returns a function that stops answering requests. Does nothing outside a browser.
 */
export function announceDevWallet(provider: EIP1193Provider, info: DevWalletInfo = DEV_WALLET_INFO): () => void {
  if (typeof window === 'undefined' || typeof window.dispatchEvent !== 'function') return () => {}
  const detail: EIP6963AnnounceDetail = Object.freeze({ info: Object.freeze({ ...info }), provider })
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }))
  window.addEventListener('eip6963:requestProvider', announce)
  announce()
  return () => window.removeEventListener('eip6963:requestProvider', announce)
}

export interface InstalledDevWallet {
  provider: DevWalletProvider
  /** The EIP-6963 detail, also usable as core's `providers` entry. */
  detail: EIP6963AnnounceDetail
  /** Stops announcing. */
  uninstall(): void
}

/** `createDevWalletProvider` + `announceDevWallet` in one call, for dev pages and browser tests. */
export function installDevWallet(options: DevWalletOptions & { info?: DevWalletInfo }): InstalledDevWallet {
  const provider = createDevWalletProvider(options)
  const info = options.info ?? DEV_WALLET_INFO
  const uninstall = announceDevWallet(provider, info)
  return { provider, detail: { info, provider }, uninstall }
}

import type { Wallet, WalletAccount } from '@wallet-standard/base'
import { addressBytes, base58Decode, fromBase64, toBase64 } from '../solana/wire.js'
import { ProviderRpcError, type SessionController, sessionAccounts } from './session.js'

/** WalletConnect names Solana clusters by genesis hash (CAIP-2); Wallet Standard by name. */
export const SOLANA_CAIP2 = {
  'solana:mainnet': 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
  'solana:devnet': 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
  'solana:testnet': 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z',
} as const

/** The WalletConnect chain id of a Wallet Standard Solana chain (CAIP-2 ids pass through). */
export function toCaip2(chain: string): string {
  return (SOLANA_CAIP2 as Record<string, string>)[chain] ?? chain
}

function toStandardChain(caip2: string): `${string}:${string}` {
  const found = Object.entries(SOLANA_CAIP2).find(([, id]) => id === caip2)
  return (found?.[0] ?? caip2) as `${string}:${string}`
}

type ChangeListener = (properties: { accounts?: readonly WalletAccount[] }) => void
type SignInput = { account: WalletAccount; transaction: Uint8Array; chain?: string }

/** The name the Solana wallet of a WalletConnect session has in Wallet Standard lists. */
export const WALLETCONNECT_SOLANA_NAME = 'WalletConnect'

/**
 * A Wallet Standard wallet over the session's `solana` namespace (`standard:connect`, `standard:disconnect`,
 * `standard:events`, `solana:signTransaction`), so core's Solana path (`connectSolana`, `tipSolana`) uses a
 * phone wallet as it uses a browser extension. Give it to `createSolanaClient({ wallets: [...] })`.
 */
export function createWalletConnectSolanaWallet(
  controller: SessionController,
  icon: `data:${string}`,
  wantedChains: readonly string[],
): Wallet {
  const listeners = new Set<ChangeListener>()
  const toAccounts = (): WalletAccount[] => {
    const byAddress = new Map<string, string[]>()
    for (const [chain, address] of sessionAccounts(controller.session, 'solana'))
      byAddress.set(address, [...(byAddress.get(address) ?? []), chain])
    return [...byAddress].map(([address, chains]) =>
      Object.freeze({
        address,
        publicKey: addressBytes(address),
        chains: chains.map(toStandardChain),
        features: ['solana:signTransaction'] as const,
      }),
    )
  }
  let accounts = toAccounts()
  controller.onSessionChange(() => {
    accounts = toAccounts()
    for (const listener of [...listeners]) listener({ accounts })
  })

  const signOne = async ({ account, transaction, chain }: SignInput): Promise<{ signedTransaction: Uint8Array }> => {
    const pairs = sessionAccounts(controller.session, 'solana').filter(([, address]) => address === account.address)
    const wanted = chain ? toCaip2(chain) : undefined
    const target = pairs.find(([c]) => c === wanted)?.[0] ?? pairs[0]?.[0]
    if (!target) throw new ProviderRpcError(4100, `The WalletConnect session has no Solana account ${account.address}.`)
    const result = await controller.request<{ signature?: unknown; transaction?: unknown }>(
      target,
      'solana_signTransaction',
      { transaction: toBase64(transaction) },
    )
    // WalletConnect's Solana spec answers the signature; newer wallets also send the whole signed transaction.
    if (typeof result?.transaction === 'string') {
      const signed = fromBase64(result.transaction)
      if (!sameMessage(signed, transaction))
        throw new ProviderRpcError(
          -32603,
          'The wallet returned a different transaction than the one it was asked to sign.',
        )
      return { signedTransaction: signed }
    }
    const signature = typeof result?.signature === 'string' ? base58Decode(result.signature) : undefined
    if (signature?.length !== 64) throw new ProviderRpcError(-32603, 'The wallet returned no signature.')
    return { signedTransaction: placeSignature(transaction, account.address, signature) }
  }

  const wallet = {
    version: '1.0.0' as const,
    name: WALLETCONNECT_SOLANA_NAME,
    icon,
    // Before a pairing, the clusters the page will ask for: apps may filter wallets by chain.
    get chains() {
      const chains = accounts.length ? accounts.flatMap((a) => a.chains) : wantedChains.map(toStandardChain)
      return [...new Set(chains)]
    },
    get accounts() {
      return accounts
    },
    features: {
      'standard:connect': {
        version: '1.0.0',
        async connect(input?: { silent?: boolean }) {
          // A silent connect (page load) must not open a pairing: it answers what the session already has.
          if (!input?.silent) await controller.connect()
          return { accounts }
        },
      },
      'standard:disconnect': {
        version: '1.0.0',
        disconnect: () => controller.disconnect(),
      },
      'standard:events': {
        version: '1.0.0',
        on(_event: 'change', listener: ChangeListener) {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
      },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        async signTransaction(...inputs: SignInput[]) {
          const outputs: { signedTransaction: Uint8Array }[] = []
          for (const input of inputs) outputs.push(await signOne(input))
          return outputs
        },
      },
    },
  }
  return wallet as unknown as Wallet
}

function readShortVec(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0
  for (let shift = 0, i = at; i < bytes.length && shift < 21; shift += 7, i++) {
    const byte = bytes[i] as number
    value |= (byte & 0x7f) << shift
    if ((byte & 0x80) === 0) return [value, i + 1]
  }
  throw new RangeError('malformed Solana transaction (signature count)')
}

/** The message part of a wire transaction (after the signatures). */
function messageOf(transaction: Uint8Array): Uint8Array {
  const [count, at] = readShortVec(transaction, 0)
  return transaction.subarray(at + 64 * count)
}

function sameMessage(a: Uint8Array, b: Uint8Array): boolean {
  const x = messageOf(a)
  const y = messageOf(b)
  return x.length === y.length && x.every((byte, i) => byte === y[i])
}

/** Puts `signature` into the slot of `address` (a required signer of the message). */
export function placeSignature(transaction: Uint8Array, address: string, signature: Uint8Array): Uint8Array {
  const [count, sigStart] = readShortVec(transaction, 0)
  const message = transaction.subarray(sigStart + 64 * count)
  // A versioned message starts with 0x80 | version before the header.
  const header = (message[0] as number) & 0x80 ? 1 : 0
  const required = message[header] as number
  const [keys, keysStart] = readShortVec(message, header + 3)
  const wanted = addressBytes(address)
  for (let i = 0; i < Math.min(keys, required, count); i++) {
    const key = message.subarray(keysStart + 32 * i, keysStart + 32 * (i + 1))
    if (!key.every((byte, j) => byte === wanted[j])) continue
    const signed = transaction.slice()
    signed.set(signature, sigStart + 64 * i)
    return signed
  }
  throw new ProviderRpcError(-32602, `${address} is not a signer of this transaction.`)
}

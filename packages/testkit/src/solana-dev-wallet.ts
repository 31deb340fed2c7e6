/**
 * A development-only Wallet Standard wallet for Solana over the public dev keypairs of
 * `SOLANA_DEV_SEEDS`: `standard:connect`, `standard:disconnect`, `standard:events` and
 * `solana:signTransaction` (raw wire bytes in and out). It signs without asking. Browser- and
 * Node-safe (WebCrypto and @solana/kit codecs only). Never use it with real keys.
 */
import {
  type Address,
  getAddressEncoder,
  getTransactionDecoder,
  getTransactionEncoder,
  type KeyPairSigner,
  type SignatureBytes,
  signBytes,
} from '@solana/kit'
import { type SolanaDevRole, solanaDevKeyPair } from './solana-accounts.js'

/** Wallet Standard chain ids the dev wallet answers for. */
export const SOLANA_DEV_WALLET_CHAINS = ['solana:localnet', 'solana:devnet', 'solana:testnet'] as const

type IdentifierString = `${string}:${string}`

/** A Wallet Standard `WalletAccount`. */
export interface DevWalletAccount {
  readonly address: string
  readonly publicKey: Uint8Array
  readonly chains: readonly IdentifierString[]
  readonly features: readonly IdentifierString[]
  readonly label?: string
}

interface SignTransactionInput {
  readonly account: DevWalletAccount
  readonly transaction: Uint8Array
  readonly chain?: IdentifierString
}

/** The Wallet Standard `Wallet` shape this module builds (structurally a `@wallet-standard/base` Wallet). */
export interface SolanaDevWallet {
  readonly version: '1.0.0'
  readonly name: string
  readonly icon: `data:image/svg+xml;base64,${string}`
  readonly chains: readonly IdentifierString[]
  readonly accounts: readonly DevWalletAccount[]
  readonly features: {
    readonly 'standard:connect': {
      readonly version: '1.0.0'
      connect(input?: { silent?: boolean }): Promise<{ accounts: readonly DevWalletAccount[] }>
    }
    readonly 'standard:disconnect': { readonly version: '1.0.0'; disconnect(): Promise<void> }
    readonly 'standard:events': {
      readonly version: '1.0.0'
      on(event: 'change', listener: (properties: { accounts?: readonly DevWalletAccount[] }) => void): () => void
    }
    readonly 'solana:signTransaction': {
      readonly version: '1.0.0'
      readonly supportedTransactionVersions: readonly ('legacy' | 0)[]
      signTransaction(...inputs: readonly SignTransactionInput[]): Promise<readonly { signedTransaction: Uint8Array }[]>
    }
  }
  /** Dev-only controls (not part of the standard). */
  readonly dev: {
    readonly isTokenTagsDevWallet: true
    /** Every address the wallet holds, in order. */
    readonly addresses: readonly Address[]
    /** When set, `signTransaction` asks it first; returning false rejects like a user would (code 4001). */
    approve: ((input: { account: string; transaction: Uint8Array }) => boolean | Promise<boolean>) | undefined
    /** Number of transactions signed so far. */
    readonly signedCount: number
    /**
     * Makes `address` the first connected account and tells listeners (`change`), as when the user
     * picks another account inside a real wallet. Throws when the wallet does not hold it.
     */
    selectAccount(address: string): void
  }
}

export interface SolanaDevWalletOptions {
  /** Roles or text seeds of the held keypairs (default `['visitor', 'visitor2']`). */
  seeds?: readonly (SolanaDevRole | (string & {}))[]
  /** Extra kit keypair signers to hold (tests). */
  signers?: readonly KeyPairSigner[]
  /** Connect without a `connect` call (default false, like a real wallet). */
  autoConnect?: boolean
}

const ICON_SVG =
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='6' fill='#7c3aed'/>" +
  "<path d='M8 10h14l-3 3H8zm0 6h14l-3 3H8zm3 6h14l-3 3H8z' fill='#fff'/>" +
  "<text x='16' y='9' font-size='6' font-family='sans-serif' text-anchor='middle' fill='#fde68a'>DEV</text></svg>"

/** The dev wallet's name: it says it is for development only. */
export const SOLANA_DEV_WALLET_NAME = 'TokenTags Dev Solana Wallet (dev only)'

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

class UserRejectedRequestError extends Error {
  override name = 'WalletSignTransactionError'
  readonly code = 4001
  constructor() {
    super('User rejected the request.')
  }
}

/** Builds the dev wallet (not yet registered: see `registerSolanaDevWallet`). */
export async function createSolanaDevWallet(options: SolanaDevWalletOptions = {}): Promise<SolanaDevWallet> {
  const derived = await Promise.all((options.seeds ?? ['visitor', 'visitor2']).map((s) => solanaDevKeyPair(s)))
  const signers: KeyPairSigner[] = [...derived.map((d) => d.signer), ...(options.signers ?? [])]
  if (signers.length === 0) throw new Error('the dev wallet needs at least one keypair')
  const addressEncoder = getAddressEncoder()
  const held: DevWalletAccount[] = signers.map((signer, i) =>
    Object.freeze({
      address: signer.address,
      publicKey: new Uint8Array(addressEncoder.encode(signer.address)),
      chains: SOLANA_DEV_WALLET_CHAINS,
      features: ['solana:signTransaction'] as const,
      label: `Dev account ${i + 1}`,
    }),
  )
  const listeners = new Set<(properties: { accounts?: readonly DevWalletAccount[] }) => void>()
  let accounts: readonly DevWalletAccount[] = options.autoConnect ? held : []
  let signedCount = 0
  const txDecoder = getTransactionDecoder()
  const txEncoder = getTransactionEncoder()
  const emit = () => {
    for (const listener of listeners) listener({ accounts })
  }

  const signOne = async ({
    account,
    transaction,
  }: SignTransactionInput): Promise<{ signedTransaction: Uint8Array }> => {
    const index = held.findIndex((a) => a.address === account.address)
    const signer = signers[index]
    if (!signer || !accounts.some((a) => a.address === account.address)) {
      throw new Error(`account ${account.address} is not connected to the dev wallet`)
    }
    if (wallet.dev.approve && !(await wallet.dev.approve({ account: account.address, transaction }))) {
      throw new UserRejectedRequestError()
    }
    const decoded = txDecoder.decode(transaction)
    if (!(signer.address in decoded.signatures)) {
      throw new Error(`account ${account.address} is not a signer of this transaction`)
    }
    const signature = (await signBytes(signer.keyPair.privateKey, decoded.messageBytes)) as SignatureBytes
    const signed = { ...decoded, signatures: { ...decoded.signatures, [signer.address]: signature } }
    signedCount++
    return { signedTransaction: new Uint8Array(txEncoder.encode(signed)) }
  }

  const wallet: SolanaDevWallet = {
    version: '1.0.0',
    name: SOLANA_DEV_WALLET_NAME,
    icon: `data:image/svg+xml;base64,${base64(ICON_SVG)}`,
    chains: SOLANA_DEV_WALLET_CHAINS,
    get accounts() {
      return accounts
    },
    features: {
      'standard:connect': {
        version: '1.0.0',
        async connect() {
          if (accounts.length === 0) {
            accounts = held
            emit()
          }
          return { accounts }
        },
      },
      'standard:disconnect': {
        version: '1.0.0',
        async disconnect() {
          if (accounts.length === 0) return
          accounts = []
          emit()
        },
      },
      'standard:events': {
        version: '1.0.0',
        on(_event, listener) {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
      },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        async signTransaction(...inputs) {
          const outputs: { signedTransaction: Uint8Array }[] = []
          for (const input of inputs) outputs.push(await signOne(input))
          return outputs
        },
      },
    },
    dev: {
      isTokenTagsDevWallet: true,
      addresses: signers.map((s) => s.address),
      approve: undefined,
      get signedCount() {
        return signedCount
      },
      selectAccount(address) {
        const chosen = held.find((a) => a.address === address)
        if (!chosen) throw new Error(`the dev wallet holds no account ${address}`)
        accounts = [chosen, ...held.filter((a) => a !== chosen)]
        emit()
      },
    },
  }
  return wallet
}

/** A Wallet Standard app's registration API (`@wallet-standard/app`'s `{ register }`). */
export interface WalletsRegisterApi {
  register(...wallets: never[]): () => void
}

/**
 * Registers a wallet with Wallet Standard apps the way `@wallet-standard/wallet`'s `registerWallet`
 * does: dispatches `wallet-standard:register-wallet` (for apps already listening) and answers
 * `wallet-standard:app-ready` (for apps that start later). `target` defaults to `window`; in Node
 * pass any `EventTarget`. Returns a function that stops answering `app-ready`.
 */
export function registerSolanaDevWallet(wallet: SolanaDevWallet, target?: EventTarget): () => void {
  const where = target ?? (globalThis as { window?: EventTarget }).window
  if (!where) return () => {}
  const callback = ({ register }: WalletsRegisterApi) => register(wallet as never)
  const event = new Event('wallet-standard:register-wallet', { bubbles: false, cancelable: false, composed: false })
  Object.defineProperty(event, 'detail', { value: callback })
  where.dispatchEvent(event)
  const onAppReady = (e: Event) => callback((e as CustomEvent<WalletsRegisterApi>).detail)
  where.addEventListener('wallet-standard:app-ready', onAppReady)
  return () => where.removeEventListener('wallet-standard:app-ready', onAppReady)
}

/** `createSolanaDevWallet` + `registerSolanaDevWallet` in one call (the dev stack's page uses this). */
export async function installSolanaDevWallet(
  options: SolanaDevWalletOptions & { target?: EventTarget } = {},
): Promise<SolanaDevWallet> {
  const wallet = await createSolanaDevWallet(options)
  registerSolanaDevWallet(wallet, options.target)
  return wallet
}

export { SOLANA_DEV_SEEDS, type SolanaDevKeyPair, type SolanaDevRole, solanaDevKeyPair } from './solana-accounts.js'

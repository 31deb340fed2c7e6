import { getWallets } from '@wallet-standard/app'
import type { Wallet, WalletAccount } from '@wallet-standard/base'
import { NoWalletError, TokenTagsError, UnknownError, UserRejectedError } from '../errors.js'
import {
  initialSolanaAccount,
  type SolanaAccount,
  type SolanaClient,
  type SolanaState,
  type SolanaWalletInfo,
} from './client.js'

const CONNECT = 'standard:connect'
const DISCONNECT = 'standard:disconnect'
const EVENTS = 'standard:events'
const SIGN_TRANSACTION = 'solana:signTransaction'

type ConnectFeature = { connect(input?: { silent?: boolean }): Promise<{ accounts: readonly WalletAccount[] }> }
type DisconnectFeature = { disconnect(): Promise<void> }
type EventsFeature = {
  on(event: 'change', listener: (properties: { accounts?: readonly WalletAccount[] }) => void): () => void
}

/** Whether a Wallet Standard wallet can connect and sign Solana transactions. */
export function isSolanaWallet(wallet: Wallet): boolean {
  return CONNECT in wallet.features && SIGN_TRANSACTION in wallet.features
}

const toInfo = (wallet: Wallet): SolanaWalletInfo => ({ id: wallet.name, name: wallet.name, icon: wallet.icon })

function allWallets(client: SolanaClient): readonly Wallet[] {
  const internal = client._internal
  if (client.discover && !internal.discovery) {
    // getWallets() listens for `wallet-standard:register-wallet` and announces app-ready (browser only).
    const registry = getWallets()
    const refresh = () => internal.store.setState((s) => ({ ...s, wallets: list().map(toInfo) }))
    const offs = [registry.on('register', refresh), registry.on('unregister', refresh)]
    internal.discovery = {
      wallets: () => registry.get(),
      off: () => {
        for (const off of offs) off()
      },
    }
  }
  const list = () => {
    const seen = new Set<string>()
    const out: Wallet[] = []
    for (const wallet of [...client.wallets, ...(internal.discovery?.wallets() ?? [])]) {
      if (!isSolanaWallet(wallet) || seen.has(wallet.name)) continue
      seen.add(wallet.name)
      out.push(wallet)
    }
    return out
  }
  return list()
}

/** Wallet Standard wallets that can sign Solana transactions (configured ones first). */
export function getSolanaWallets(client: SolanaClient): SolanaWalletInfo[] {
  const wallets = allWallets(client).map(toInfo)
  const state = client._internal.store.getState()
  if (!sameWallets(state.wallets, wallets)) client._internal.store.setState({ ...state, wallets })
  return wallets
}

/** Calls `callback` with the wallet list whenever a wallet registers or leaves; returns an unsubscribe function. */
export function watchSolanaWallets(client: SolanaClient, callback: (wallets: readonly SolanaWalletInfo[]) => void) {
  getSolanaWallets(client)
  return client._internal.store.subscribe((state, previous) => {
    if (state.wallets !== previous.wallets) callback(state.wallets)
  })
}

export interface ConnectSolanaParameters {
  /** A wallet's `id` from `getSolanaWallets` (its name); the first Solana wallet when omitted. */
  walletId?: string | undefined
  /** Ask the wallet not to prompt (reconnect on page load); resolves disconnected when it would. */
  silent?: boolean | undefined
}

/** Connects a Wallet Standard wallet; resolves to the connected account. */
export async function connectSolana(
  client: SolanaClient,
  parameters: ConnectSolanaParameters = {},
): Promise<SolanaAccount> {
  const wallets = allWallets(client)
  const wallet = parameters.walletId === undefined ? wallets[0] : wallets.find((w) => w.name === parameters.walletId)
  if (!wallet) throw new NoWalletError({ walletId: parameters.walletId })
  const internal = client._internal
  const setAccount = (account: SolanaAccount) => internal.store.setState((s) => ({ ...s, account }))
  setAccount({ status: 'connecting', address: undefined, walletId: wallet.name })
  let accounts: readonly WalletAccount[]
  try {
    const connect = wallet.features[CONNECT] as ConnectFeature
    accounts = (await connect.connect(parameters.silent ? { silent: true } : undefined)).accounts
  } catch (error) {
    setAccount(initialSolanaAccount)
    throw normalizeWalletError(error)
  }
  const account = accounts.find((a) => a.features.includes(SIGN_TRANSACTION)) ?? accounts[0]
  if (!account) {
    setAccount(initialSolanaAccount)
    if (parameters.silent) return initialSolanaAccount
    throw new NoWalletError({ walletId: wallet.name, details: 'The wallet returned no account.' })
  }
  internal.connected?.off()
  const events = wallet.features[EVENTS] as EventsFeature | undefined
  const off =
    events?.on('change', ({ accounts: changed }) => {
      if (!changed || internal.connected?.wallet !== wallet) return
      const next = changed[0]
      if (!next) {
        internal.connected.off()
        internal.connected = undefined
        setAccount(initialSolanaAccount)
        return
      }
      internal.connected = { ...internal.connected, account: next }
      setAccount({ status: 'connected', address: next.address, walletId: wallet.name })
    }) ?? (() => {})
  internal.connected = { wallet, account, off }
  const connected: SolanaAccount = { status: 'connected', address: account.address, walletId: wallet.name }
  setAccount(connected)
  return connected
}

/** Disconnects the Solana wallet (and tells it, when it supports `standard:disconnect`). */
export async function disconnectSolana(client: SolanaClient): Promise<void> {
  const internal = client._internal
  const connected = internal.connected
  internal.connected = undefined
  connected?.off()
  internal.store.setState((s) => ({ ...s, account: initialSolanaAccount }))
  const disconnect = connected?.wallet.features[DISCONNECT] as DisconnectFeature | undefined
  await disconnect?.disconnect().catch(() => {})
}

export function getSolanaAccount(client: SolanaClient): SolanaAccount {
  return client._internal.store.getState().account
}

/** Calls `callback` on every account change; returns an unsubscribe function. */
export function watchSolanaAccount(
  client: SolanaClient,
  callback: (account: SolanaAccount, previous: SolanaAccount) => void,
): () => void {
  return client._internal.store.subscribe((state: SolanaState, previous: SolanaState) => {
    if (state.account !== previous.account) callback(state.account, previous.account)
  })
}

/** Maps a wallet's rejection (code 4001, or a "rejected" message) to USER_REJECTED. */
export function normalizeWalletError(error: unknown): TokenTagsError {
  if (error instanceof TokenTagsError) return error
  const { code, message, name } = (error ?? {}) as { code?: unknown; message?: unknown; name?: unknown }
  if (code === 4001 || /reject|denied|declined|cancel/i.test(`${String(message)} ${String(name)}`)) {
    return new UserRejectedError({ cause: error })
  }
  return new UnknownError({ details: typeof message === 'string' ? message : undefined, cause: error })
}

function sameWallets(a: readonly SolanaWalletInfo[], b: readonly SolanaWalletInfo[]): boolean {
  return a.length === b.length && a.every((w, i) => w.id === b[i]?.id)
}

// WalletConnect in the widgets' wallet lists: one pairing for every widget on the page. A widget offers
// WalletConnect when the page config has `walletConnect`; on a pick, this loads the sign client and the pairing view
// (on-demand chunks), makes the page's one WalletConnect (the EVM client's, asking for the relay's Solana cluster
// too when the page has Solana tips, so EVM and Solana widgets share the pairing) and shows each pairing URI as a
// `pairing` state. This module itself stays small: it is part of the entry bundles.
import type { TemplateResult } from 'lit'
import type { TokenTagsPageConfig } from './config.js'
import { loadCore } from './core-loader.js'
import { isPhone } from './deep-links.js'
import { loadPairing } from './qr-loader.js'
import type { PairingLink, PairingView } from './qr-pairing.js'
import { loadWalletConnect, type WalletConnectApi } from './walletconnect-loader.js'

/** WalletConnect's id in core's EVM wallet list (core's `WALLETCONNECT_ID`, spelled out: no core in the entry). */
export const WALLETCONNECT_ID = 'walletConnect'
/** The name of the session's Solana wallet in Wallet Standard lists (core's `WALLETCONNECT_SOLANA_NAME`). */
export const WALLETCONNECT_NAME = 'WalletConnect'

/** A pairing open for the visitor: its URI as a QR code (desktop) or wallet-app links (phone). */
export interface PairingState {
  status: 'pairing'
  uri: string
  links: readonly PairingLink[]
  /** A phone: links first. */
  phone: boolean
  /** Draws the view (the pairing chunk's `renderPairing`). */
  render: (view: PairingView) => TemplateResult
}

export type PageWalletConnect = ReturnType<WalletConnectApi['walletConnectFor']>

/** How many connects through WalletConnect are waiting for the phone (a cancelled one waits on). */
let connecting = 0

/**
 * Whether an EVM connect through WalletConnect is waiting for the phone: core's account says `connecting` meanwhile,
 * which the page's other widgets (and a widget whose visitor cancelled) show as the wallet list, not as loading.
 */
export function walletConnectConnecting(): boolean {
  return connecting > 0
}

/** Runs an EVM connect through WalletConnect, counted for `walletConnectConnecting`. */
export async function countConnecting<R>(connect: () => Promise<R>): Promise<R> {
  connecting++
  try {
    return await connect()
  } finally {
    connecting--
  }
}

const solanaChainsByConfig = new WeakMap<TokenTagsPageConfig, Promise<string[]>>()
const registered = new WeakSet<object>()

/**
 * Loads WalletConnect and the pairing view, makes the page's WalletConnect for `config` and calls `show` with each
 * pairing URI (at once when a pairing is already open, e.g. another widget's). `off` stops showing.
 */
export async function openWalletConnect(
  config: TokenTagsPageConfig,
  show: (state: PairingState) => void,
): Promise<{ wc: PageWalletConnect; off: () => void }> {
  const settings = config.walletConnect
  if (!settings) throw new TypeError('WalletConnect is not configured on this page (walletconnect-project-id).')
  const [api, { renderPairing }, core, solanaChains] = await Promise.all([
    loadWalletConnect(),
    loadPairing(),
    config.chains.length > 0 ? loadCore() : undefined,
    solanaChainsOf(config),
  ])
  // The same core client as the page's EVM widgets (`clientFor` is one per configuration): one WalletConnect.
  const wc = api.walletConnectFor(core?.clientFor(config), settings, solanaChains)
  if (solanaChains.length > 0) registerSolanaWallet(wc.solanaWallet)
  const hold = () => holdPairing(wc)
  const render = (view: PairingView) => renderPairing({ ...view, hold })
  const off = wc.onDisplayUri((uri) =>
    show({ status: 'pairing', uri, links: api.walletConnectLinks(uri), phone: isPhone(), render }),
  )
  return { wc, off }
}

/** How many pairing views show each page WalletConnect's open pairing now. */
const shown = new WeakMap<PageWalletConnect, number>()

/**
 * Counts a pairing view on screen. Once no view shows the pairing any more (the visitor cancelled, or the widgets
 * left the page), the pairing is given up: WalletConnect would keep it open for 5 minutes, and a phone that approved
 * it later would connect a session the visitor abandoned.
 */
function holdPairing(wc: PageWalletConnect): (detached: boolean) => void {
  shown.set(wc, (shown.get(wc) ?? 0) + 1)
  let held = true
  return (detached) => {
    if (!held) return
    held = false
    const left = (shown.get(wc) ?? 1) - 1
    shown.set(wc, left)
    if (left > 0) return
    // At once on a cancel, so that a pick right after it opens a new pairing; a widget that left the page may be
    // moved by a framework and show the view again within the task: wait for that.
    if (!detached) void wc.cancelPairing()
    else
      setTimeout(() => {
        if (!shown.get(wc)) void wc.cancelPairing()
      })
  }
}

/**
 * The Solana cluster to ask the phone for: the relay's (`/v1/config`), on pages with Solana tips (`solana-rpc` and
 * `relay`); none otherwise, or when the relay does not sponsor Solana.
 */
function solanaChainsOf(config: TokenTagsPageConfig): Promise<string[]> {
  const relayUrl = config.relayUrl
  if (!config.solanaRpcUrl || !relayUrl) return Promise.resolve([])
  let chains = solanaChainsByConfig.get(config)
  if (!chains) {
    chains = fetch(`${relayUrl.replace(/\/+$/, '')}/v1/config`, {
      headers: config.siteKey ? { 'x-tokentags-site': config.siteKey } : {},
    })
      .then((response) => (response.ok ? response.json() : undefined))
      .then((body: { solana?: { feePayer?: string; chain?: string } } | undefined) =>
        body?.solana?.feePayer ? [body.solana.chain ?? 'solana:mainnet'] : [],
      )
    // A relay that cannot be read now may answer later: ask again on the next pick.
    chains.catch(() => solanaChainsByConfig.delete(config))
    solanaChainsByConfig.set(config, chains)
  }
  return chains
}

/**
 * Registers the session's Solana wallet through Wallet Standard, so the Solana tips' light discovery and core's
 * Solana client both list it (and connect to it by name); again on every later `app-ready` (apps that start later).
 */
function registerSolanaWallet(wallet: object): void {
  if (registered.has(wallet) || typeof window === 'undefined') return
  registered.add(wallet)
  const callback = (api: { register(...wallets: object[]): unknown }) => api.register(wallet)
  const event = new Event('wallet-standard:register-wallet')
  Object.defineProperty(event, 'detail', { value: callback })
  window.dispatchEvent(event)
  window.addEventListener('wallet-standard:app-ready', (e) => callback((e as CustomEvent).detail))
}

import { knownChain } from './chains.js'
import { DEV_MODE, warnOnce } from './dev.js'
import type { HumanCheckPageConfig } from './human-check-config.js'

export type GaslessMode = 'auto' | 'always' | 'never'

/** When the relay cannot take a request: offer paying the gas from the wallet (`wallet`, the default) or not. */
export type FallbackMode = 'wallet' | 'none'

/** One chain the page can use. Mirrors `ChainConfig` of `@tokentags/core`. */
export interface PageChainConfig {
  id: number
  rpcUrl: string
  name?: string
  explorerUrl?: string
}

/** What `<tokentags-config>` (or `configureTokenTags`) gives the page. */
export interface TokenTagsPageConfig {
  chains: PageChainConfig[]
  relayUrl?: string
  siteKey?: string
  gasless?: GaslessMode
  /** `fallback`: whether widgets offer paying the gas from the wallet when the relay cannot take a request. */
  fallback?: FallbackMode
  /** Solana JSON-RPC URL (`<tokentags-config solana-rpc>`): blockhash and mint reads for `sol:` tips. */
  solanaRpcUrl?: string
  /** Solana explorer: a base URL (`…/tx/<signature>` is appended) or a URL with `{signature}`. */
  solanaExplorerUrl?: string
  /** WalletConnect v2, offered only when a project id is given (`walletconnect-project-id`, `walletconnect-relay`). */
  walletConnect?: WalletConnectPageConfig
  /**
   * Remember the visitor's wallet across reloads (`remember`, off by default): only the wallet's id and network, in
   * this origin's localStorage; the next visit reconnects without a prompt if the wallet still trusts the page.
   */
  remember?: boolean
  /** Symbols of SPL tokens by mint (base58, no `sol:`), e.g. from `spl-symbols`: shown instead of on-chain metadata. */
  splSymbols?: Record<string, string>
  /** The human check the page's relay requires (`human-check`, `human-check-script`): a token goes with each gasless request. */
  humanCheck?: HumanCheckPageConfig
  /**
   * `false` (`analytics="off"`): widgets send the relay no funnel events. Otherwise, with a relay, each widget
   * reports view, connect, submit, success and error (with its code) to `POST /v1/events`: no address, no cookie.
   */
  analytics?: false
}

/** WalletConnect for the page: the sign client loads only once a visitor picks WalletConnect. */
export interface WalletConnectPageConfig {
  /** A WalletConnect Cloud project id. */
  projectId: string
  /** A `wss://` relay URL instead of WalletConnect's own (`wss://relay.walletconnect.org`). */
  relayUrl?: string
}

type Listener = (config: TokenTagsPageConfig) => void

interface Channel {
  config?: TokenTagsPageConfig
  listeners: Set<Listener>
}

// Kept on globalThis so that two TokenTags bundles on one page (e.g. token-claim.js
// and a later tokentags.js) share the page's configuration.
const KEY = Symbol.for('tokentags.config.v1')

function channel(): Channel {
  const g = globalThis as unknown as Record<symbol, Channel | undefined>
  let c = g[KEY]
  if (!c) {
    c = { listeners: new Set() }
    g[KEY] = c
  }
  return c
}

/**
 * Configures TokenTags for the page without a `<tokentags-config>` element.
 * Widgets already on the page pick the new configuration up.
 */
export function configureTokenTags(config: TokenTagsPageConfig): void {
  const c = channel()
  c.config = config
  for (const listener of [...c.listeners]) listener(config)
}

/** The page's configuration, if any has been given yet. */
export function getPageConfig(): TokenTagsPageConfig | undefined {
  return channel().config
}

/** Calls `listener` with the current configuration (if any) and every later one. */
export function watchPageConfig(listener: Listener): () => void {
  const c = channel()
  c.listeners.add(listener)
  if (c.config) listener(c.config)
  return () => c.listeners.delete(listener)
}

/** Forgets the page's configuration (tests). */
export function resetPageConfig(): void {
  const c = channel()
  c.config = undefined
}

export function isGaslessMode(value: unknown): value is GaslessMode {
  return value === 'auto' || value === 'always' || value === 'never'
}

export function isFallbackMode(value: unknown): value is FallbackMode {
  return value === 'wallet' || value === 'none'
}

/**
 * A widget's `chain` attribute as a chain id, or why it is not one (`missing`: the advice when it is not set).
 * @internal
 */
export function parseChainId(value: string | null, missing: string): number | string {
  const text = value?.trim() ?? ''
  const chainId = Number(text)
  if (/^\d+$/.test(text) && Number.isSafeInteger(chainId) && chainId > 0) return chainId
  return text ? `The chain "${text.slice(0, 30)}" is not a chain id (a positive whole number, e.g. 8453).` : missing
}

/**
 * Parses an `rpc` attribute: `31337=http://127.0.0.1:8545,8453=https://base.example`.
 * Entries that do not parse are skipped with a dev warning.
 */
export function parseRpcList(value: string | null | undefined): PageChainConfig[] {
  const chains: PageChainConfig[] = []
  for (const entry of (value ?? '').split(/[\s,]+/)) {
    if (!entry) continue
    const eq = entry.indexOf('=')
    const id = Number(entry.slice(0, eq))
    const rpcUrl = entry.slice(eq + 1)
    if (eq < 1 || !Number.isSafeInteger(id) || id <= 0 || !/^(https?|wss?):\/\//.test(rpcUrl)) {
      // DEV_MODE here, not only in warnOnce: the CDN bundles would still build the message (bytes up front).
      if (DEV_MODE)
        warnOnce(
          `rpc:${entry}`,
          `<tokentags-config rpc> entry "${entry.replace(/\/\/[^@/]*@/, '//***@')}" is not "<chainId>=<http(s) URL>"; it is ignored.`,
          'widgets/config',
        )
      continue
    }
    const known = knownChain(id)
    chains.push({
      id,
      rpcUrl,
      ...(known && { name: known.name }),
      ...(known?.explorerUrl && { explorerUrl: known.explorerUrl }),
    })
  }
  return chains
}

/**
 * Parses `walletconnect-project-id` and `walletconnect-relay`. Without a usable project id WalletConnect stays off;
 * a relay that is not `wss://` (or `ws://` on this machine) is ignored for WalletConnect's own, with a dev warning.
 * @internal
 */
export function parseWalletConnect(
  projectId: string | null | undefined,
  relay: string | null | undefined,
): WalletConnectPageConfig | undefined {
  const id = projectId?.trim() ?? ''
  const relayUrl = relay?.trim() ?? ''
  if (!id) {
    if (relayUrl)
      warnOnce(
        'config-wc-relay',
        '<tokentags-config walletconnect-relay> needs walletconnect-project-id; WalletConnect stays off.',
      )
    return undefined
  }
  // WalletConnect Cloud ids are 32 hex characters; anything URL-safe is let through for self-hosted relays.
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) {
    warnOnce(
      'config-wc-id',
      '<tokentags-config walletconnect-project-id> is not a project id; WalletConnect stays off.',
    )
    return undefined
  }
  if (!relayUrl) return { projectId: id }
  if (isRelayUrl(relayUrl)) return { projectId: id, relayUrl }
  warnOnce(
    'config-wc-relay-url',
    `<tokentags-config walletconnect-relay> must be a wss:// URL; using WalletConnect's relay.`,
  )
  return { projectId: id }
}

function isRelayUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (
      url.protocol === 'wss:' || (url.protocol === 'ws:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    )
  } catch {
    return false
  }
}

/**
 * Parses `spl-symbols`: `<mint>=<symbol>` pairs, comma- or space-separated (`sol:` before a mint is allowed). Entries
 * that do not parse are skipped with a dev warning.
 * @internal
 */
export function parseSplSymbols(value: string | null | undefined): Record<string, string> {
  const symbols: Record<string, string> = {}
  for (const entry of (value ?? '').split(/[\s,]+/)) {
    if (!entry) continue
    const [mint, symbol] = entry.replace(/^sol:/, '').split('=')
    if (!mint || !symbol || !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(mint) || !/^[\p{L}\p{N}$._-]{1,16}$/u.test(symbol)) {
      if (DEV_MODE)
        warnOnce(
          `spl-symbols:${entry}`,
          `<tokentags-config spl-symbols> entry "${entry.slice(0, 80)}" is not "<mint>=<symbol>"; it is ignored.`,
          'widgets/config',
        )
      continue
    }
    symbols[mint] = symbol
  }
  return symbols
}

/**
 * Parses an `explorer` attribute: `<chainId>=<http(s) URL>` pairs, comma- or space-separated, like `rpc`. A URL
 * with `{tx}` gets the transaction hash there (`31337=http://localhost:5173/tx/{tx}`); otherwise `/tx/<hash>` is
 * added (`8453=https://basescan.org`). Entries that do not parse are skipped with a dev warning.
 * @internal
 */
export function parseExplorerList(value: string | null | undefined): Map<number, string> {
  const explorers = new Map<number, string>()
  for (const entry of (value ?? '').split(/[\s,]+/)) {
    if (!entry) continue
    const eq = entry.indexOf('=')
    const id = Number(entry.slice(0, eq))
    const url = entry.slice(eq + 1)
    if (eq < 1 || !/^\d+$/.test(entry.slice(0, eq)) || !Number.isSafeInteger(id) || id <= 0 || !isHttpUrl(url)) {
      if (DEV_MODE)
        warnOnce(
          `explorer:${entry}`,
          `<tokentags-config explorer> entry "${entry.replace(/\/\/[^@/]*@/, '//***@').slice(0, 100)}" is not "<chainId>=<http(s) URL>"; it is ignored.`,
          'widgets/config',
        )
      continue
    }
    explorers.set(id, url)
  }
  return explorers
}

/** `chains` with the explorers of `explorers` (which win over the well-known ones); unknown chains are warned about. */
export function withExplorers(chains: PageChainConfig[], explorers: Map<number, string>): PageChainConfig[] {
  if (DEV_MODE)
    for (const id of explorers.keys())
      if (!chains.some((chain) => chain.id === id))
        warnOnce(`explorer-chain:${id}`, `<tokentags-config explorer> names chain ${id}, which rpc does not list.`)
  return chains.map((chain) => {
    const explorerUrl = explorers.get(chain.id)
    return explorerUrl ? { ...chain, explorerUrl } : chain
  })
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//.test(value)) return false
  try {
    return new URL(value.replace(/\{tx\}/g, 'x')).host !== ''
  } catch {
    return false
  }
}

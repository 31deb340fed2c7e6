import { css, LitElement, type PropertyValues } from 'lit'
import {
  configureTokenTags,
  isFallbackMode,
  isGaslessMode,
  parseExplorerList,
  parseRpcList,
  parseSplSymbols,
  parseWalletConnect,
  type TokenTagsPageConfig,
  withExplorers,
} from '../internal/config.js'
import { DEV_MODE, warnOnce } from '../internal/dev.js'
import { VERSION } from '../internal/version.js'

/**
 * Configures TokenTags for the whole page: the chains' RPC URLs, the gasless relay
 * and the site key. It draws nothing. Widgets wait for it, wherever it is in the
 * document and whenever it is added; changing an attribute reconfigures them.
 *
 * ```html
 * <tokentags-config relay="https://relay.example" site-key="pk_live_123"
 *   rpc="8453=https://mainnet.base.org,31337=http://127.0.0.1:8545"></tokentags-config>
 * ```
 *
 * Without the element, call `configureTokenTags({ chains, relayUrl, siteKey })` instead.
 *
 * @tag tokentags-config
 *
 * @attr {string} relay - Base URL of the TokenTags relay; without it, transactions are sent by the wallet.
 * @attr {string} site-key - The site's public key (`pk_…`), sent to the relay.
 * @attr {string} rpc - Comma-separated `<chainId>=<RPC URL>` pairs, e.g. `8453=https://mainnet.base.org`.
 * @attr {'auto' | 'always' | 'never'} gasless - The page's default for widgets (default `auto`).
 * @attr {'wallet' | 'none'} fallback - When the relay cannot take a request (down, refused, over budget, origin not
 *   allowed), widgets say why and offer paying the gas from the visitor's wallet, with its estimated cost (`wallet`,
 *   the default), or only say why (`none`). Never a silent switch. A widget's own `fallback` wins.
 * @attr {string} solana-rpc - Solana JSON-RPC URL for `sol:` tips (CORS-enabled), e.g. `https://api.devnet.solana.com`.
 *   Solana tips also need `relay` (its fee payer pays the fee); the relay and site key are shared with EVM.
 * @attr {string} solana-explorer - Solana explorer for the success link: a base URL (`/tx/<signature>` is added) or a
 *   URL with `{signature}`, e.g. `https://explorer.solana.com/tx/{signature}?cluster=devnet`.
 * @attr {string} walletconnect-project-id - A WalletConnect Cloud project id: offers WalletConnect v2 (QR code on a
 *   desktop, wallet apps on a phone). Its code loads only when a visitor picks it. Without it, WalletConnect is off.
 * @attr {string} walletconnect-relay - A `wss://` WalletConnect relay instead of `wss://relay.walletconnect.org`.
 * @attr {string} explorer - Transaction links per chain, like `rpc`: `<chainId>=<http(s) URL>` pairs, e.g.
 *   `31337=http://localhost:5173/tx/{tx} 8453=https://basescan.org`. `{tx}` is replaced by the hash; without it,
 *   `/tx/<hash>` is added. Wins over the explorers TokenTags knows for Ethereum, Base, OP, Arbitrum and Polygon.
 * @attr {boolean} remember - Remember the visitor's wallet across reloads (off by default): only the wallet's id and
 *   network are stored, in this origin's localStorage (never an address or a key); the next visit reconnects without
 *   a prompt when the wallet still trusts the page. Disconnecting from a widget's account menu forgets it.
 * @attr {string} spl-symbols - Symbols of SPL tokens: `<mint>=<symbol>` pairs, e.g. `EPjF…Dt1v=USDC`. Without one, a
 *   Solana tip reads the mint's on-chain metadata (Token-2022 extension, Metaplex), else shows the shortened mint.
 * @attr {string} human-check - `turnstile:<sitekey>` when the site's relay requires a human check: before each gasless
 *   request a widget loads the Turnstile script (on demand), runs the check (shown only if the visitor must interact)
 *   and sends its token. CSP: `script-src https://challenges.cloudflare.com; frame-src https://challenges.cloudflare.com`.
 * @attr {string} human-check-script - An http(s) URL of a Turnstile-compatible script instead of Cloudflare's
 *   `https://challenges.cloudflare.com/turnstile/v0/api.js`. Both are read when the element configures the page: set
 *   them before it connects (a later change of these two alone does not reconfigure).
 * @attr {string} analytics - `off`: widgets send the relay no funnel events. Otherwise, with a `relay`, each widget
 *   reports view (once in the viewport), connect, submit, success and error (its code only) to the relay's
 *   `POST /v1/events` with the site key, batched and sent with `sendBeacon`: no address, no amount, no cookie. A
 *   widget's own `analytics="off"` turns it off for that widget. Read when the element configures the page.
 */
export class TokenTagsConfig extends LitElement {
  static readonly version = VERSION
  static override styles = css`
    :host {
      display: none !important;
    }
  `

  static override properties = {
    relay: { type: String },
    siteKey: { type: String, attribute: 'site-key' },
    rpc: { type: String },
    gasless: { type: String },
    solanaRpc: { type: String, attribute: 'solana-rpc' },
    solanaExplorer: { type: String, attribute: 'solana-explorer' },
    walletconnectProjectId: { type: String, attribute: 'walletconnect-project-id' },
    walletconnectRelay: { type: String, attribute: 'walletconnect-relay' },
    fallback: { type: String },
    explorer: { type: String },
    remember: { type: Boolean },
    splSymbols: { type: String, attribute: 'spl-symbols' },
  }

  declare relay: string | null
  declare siteKey: string | null
  declare rpc: string | null
  declare gasless: 'auto' | 'always' | 'never' | null
  declare solanaRpc: string | null
  declare solanaExplorer: string | null
  declare walletconnectProjectId: string | null
  declare walletconnectRelay: string | null
  declare fallback: string | null
  declare explorer: string | null
  declare remember: boolean
  declare splSymbols: string | null

  constructor() {
    super()
    this.relay = null
    this.siteKey = null
    this.rpc = null
    this.gasless = null
    this.solanaRpc = null
    this.solanaExplorer = null
    this.walletconnectProjectId = null
    this.walletconnectRelay = null
    this.fallback = null
    this.explorer = null
    this.remember = false
    this.splSymbols = null
  }

  /** The configuration this element gives the page. */
  get config(): TokenTagsPageConfig {
    const gasless = this.gasless?.trim() || 'auto'
    if (!isGaslessMode(gasless)) {
      warnOnce('config-gasless', `<tokentags-config gasless="${gasless}"> must be auto, always or never; using auto.`)
    }
    const fallback = this.fallback?.trim()
    // DEV_MODE first: without it the CDN bundles keep the checks of warnings they no longer have (bytes up front).
    if (DEV_MODE && fallback && !isFallbackMode(fallback)) {
      warnOnce(
        'config-fallback',
        `<tokentags-config fallback="${fallback.slice(0, 30)}"> must be wallet or none; using wallet.`,
      )
    }
    const relayUrl = this.relay?.trim()
    const siteKey = this.siteKey?.trim()
    const solanaRpcUrl = this.solanaRpc?.trim()
    const solanaExplorerUrl = this.solanaExplorer?.trim()
    const walletConnect = parseWalletConnect(this.walletconnectProjectId, this.walletconnectRelay)
    const chains = withExplorers(parseRpcList(this.rpc), parseExplorerList(this.explorer))
    const splSymbols = parseSplSymbols(this.splSymbols)
    const humanCheck = this.getAttribute('human-check')
    if (DEV_MODE && solanaRpcUrl && !/^https?:\/\//.test(solanaRpcUrl)) {
      warnOnce('config-solana-rpc', `<tokentags-config solana-rpc> must be an http(s) URL; Solana tips stay off.`)
    }
    return {
      chains,
      ...(relayUrl && { relayUrl }),
      ...(siteKey && { siteKey }),
      gasless: isGaslessMode(gasless) ? gasless : 'auto',
      ...(isFallbackMode(fallback) && { fallback }),
      ...(solanaRpcUrl && /^https?:\/\//.test(solanaRpcUrl) && { solanaRpcUrl }),
      ...(solanaExplorerUrl && /^https:\/\//.test(solanaExplorerUrl) && { solanaExplorerUrl }),
      ...(walletConnect && { walletConnect }),
      ...(this.remember && { remember: true }),
      ...(Object.keys(splSymbols).length > 0 && { splSymbols }),
      // Read, not reactive properties (each costs bytes up front): set them before the element connects.
      ...(humanCheck && { humanCheck: { check: humanCheck, script: this.getAttribute('human-check-script') } }),
      ...(this.getAttribute('analytics') === 'off' && { analytics: false as const }),
    }
  }

  override connectedCallback(): void {
    super.connectedCallback()
    if (DEV_MODE && document.querySelectorAll('tokentags-config').length > 1) {
      warnOnce('config-many', 'There is more than one <tokentags-config> on the page; the last one configured wins.')
    }
  }

  protected override updated(_changed: PropertyValues<this>): void {
    // Widgets pick the configuration up; @tokentags/core loads only once a widget needs it.
    configureTokenTags(this.config)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tokentags-config': TokenTagsConfig
  }
}

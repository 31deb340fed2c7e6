import { GENERIC_DEFAULT_MATCHES } from './adapters/generic.js'
import { X_DEFAULT_MATCHES } from './adapters/x.js'

/** What the extension's user sets on the options page; kept in `chrome.storage.local` under `options`. */
export interface ExtensionOptions {
  /** The relay's base URL; empty: tips are wallet transactions (the visitor pays gas). */
  relayUrl: string
  /** The relay's site key for this extension. */
  siteKey: string
  /** Chain id of the tips. */
  chainId: number
  /** JSON-RPC URL of that chain. */
  rpcUrl: string
  /** `native`, or an ERC-20 address. */
  token: string
  /** Preset amounts in whole tokens, comma-separated. */
  amounts: string
  /** Optional TipRouter address: with it, tips carry a memo naming the post. */
  router: string
  gasless: 'auto' | 'always' | 'never'
  /** Solana JSON-RPC URL; empty: `sol:` authors get no tip button. */
  solanaRpcUrl: string
  /** What `sol:` tips send: `native` (SOL) or `sol:` + an SPL mint. */
  solanaToken: string
  /** Match patterns per adapter id: where each adapter runs (the manifest's hosts bound them). */
  sites: { x: string[]; generic: string[] }
}

/** Defaults for development: the dev stack's (`npm start`) default ports and site key. */
export const DEFAULT_OPTIONS: ExtensionOptions = Object.freeze({
  relayUrl: 'http://127.0.0.1:8787',
  siteKey: 'pk_dev_local',
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:8545',
  token: 'native',
  amounts: '0.001,0.01,0.1',
  router: '',
  gasless: 'auto',
  solanaRpcUrl: '',
  solanaToken: 'native',
  sites: Object.freeze({ x: [...X_DEFAULT_MATCHES], generic: [...GENERIC_DEFAULT_MATCHES] }),
}) as ExtensionOptions

export const OPTIONS_KEY = 'options'

/** The stored options over the defaults; a field of the wrong type falls back to its default. */
export function resolveOptions(stored: unknown): ExtensionOptions {
  const raw = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>
  const str = (key: keyof ExtensionOptions) =>
    typeof raw[key] === 'string' ? (raw[key] as string).trim() : (DEFAULT_OPTIONS[key] as string)
  const sites = (raw.sites && typeof raw.sites === 'object' ? raw.sites : {}) as Record<string, unknown>
  const patterns = (key: 'x' | 'generic') =>
    Array.isArray(sites[key]) && sites[key].every((p) => typeof p === 'string')
      ? [...(sites[key] as string[])]
      : [...DEFAULT_OPTIONS.sites[key]]
  const chainId = Number(raw.chainId)
  const gasless = raw.gasless
  return {
    relayUrl: str('relayUrl'),
    siteKey: str('siteKey'),
    chainId: Number.isSafeInteger(chainId) && chainId > 0 ? chainId : DEFAULT_OPTIONS.chainId,
    rpcUrl: str('rpcUrl'),
    token: str('token') || 'native',
    amounts: str('amounts'),
    router: str('router'),
    solanaRpcUrl: str('solanaRpcUrl'),
    solanaToken: str('solanaToken') || 'native',
    gasless: gasless === 'always' || gasless === 'never' || gasless === 'auto' ? gasless : DEFAULT_OPTIONS.gasless,
    sites: { x: patterns('x'), generic: patterns('generic') },
  }
}

export async function loadOptions(): Promise<ExtensionOptions> {
  const stored = await chrome.storage.local.get(OPTIONS_KEY)
  return resolveOptions(stored[OPTIONS_KEY])
}

export async function saveOptions(options: Partial<ExtensionOptions>): Promise<ExtensionOptions> {
  const next = resolveOptions({ ...(await loadOptions()), ...options })
  await chrome.storage.local.set({ [OPTIONS_KEY]: next })
  return next
}

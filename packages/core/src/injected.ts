// Legacy injected wallets: an EIP-1193 provider at `window.ethereum` (and the `providers` array some wallets
// put beside it) from wallets or in-app browsers that do not announce themselves over EIP-6963. No viem or wagmi
// here: the widgets list these wallets before the chain code loads.
import type { EIP1193Provider } from 'viem'

/** A wallet found at `window.ethereum` (or in its `providers`), not announced over EIP-6963. */
export interface InjectedWallet {
  /** `injected:<rdns>` for a known wallet family (e.g. `injected:io.metamask`), else `injected`; `connect` takes it. */
  id: string
  /** The family's name from the provider's flags (`isMetaMask` → MetaMask), else `Browser wallet`. */
  name: string
  /** The EIP-6963 rdns of the wallet family the flags name, if known. */
  rdns: string | undefined
  provider: EIP1193Provider
}

/** The id of a legacy provider whose flags name no known wallet. */
export const BROWSER_WALLET_ID = 'injected'

// Most specific first: many wallets also set `isMetaMask` so that old dapps talk to them.
const FAMILIES: readonly (readonly [flags: readonly string[], rdns: string, name: string])[] = [
  [['isRabby'], 'io.rabby', 'Rabby Wallet'],
  [['isBraveWallet'], 'com.brave.wallet', 'Brave Wallet'],
  [['isPhantom'], 'app.phantom', 'Phantom'],
  [['isCoinbaseWallet', 'isCoinbaseBrowser'], 'com.coinbase.wallet', 'Coinbase Wallet'],
  [['isTrust', 'isTrustWallet'], 'com.trustwallet.app', 'Trust Wallet'],
  [['isRainbow'], 'me.rainbow', 'Rainbow'],
  [['isOkxWallet', 'isOKExWallet'], 'com.okex.wallet', 'OKX Wallet'],
  [['isZerion'], 'io.zerion.wallet', 'Zerion'],
  [['isFrame'], 'sh.frame', 'Frame'],
  [['isTokenPocket'], 'pro.tokenpocket', 'TokenPocket'],
  [['isMetaMask'], 'io.metamask', 'MetaMask'],
]

function isProvider(value: unknown): value is EIP1193Provider {
  return typeof value === 'object' && value !== null && typeof (value as { request?: unknown }).request === 'function'
}

function family(provider: EIP1193Provider): { rdns: string | undefined; name: string } {
  const flags = provider as unknown as Record<string, unknown>
  for (const [names, rdns, name] of FAMILIES) if (names.some((flag) => flags[flag] === true)) return { rdns, name }
  return { rdns: undefined, name: 'Browser wallet' }
}

/**
 * The legacy wallets of `target` (default `globalThis`): `ethereum.providers` (several wallets in one browser)
 * and `ethereum` itself, one entry per provider object, named after their flags.
 */
export function getInjectedWallets(target: unknown = globalThis): InjectedWallet[] {
  let ethereum: unknown
  try {
    ethereum = (target as { ethereum?: unknown } | null | undefined)?.ethereum
  } catch {
    // A getter on window.ethereum that throws (two wallets fighting over it) leaves nothing to offer.
    return []
  }
  if (!isProvider(ethereum)) return []
  const listed = (ethereum as { providers?: unknown }).providers
  const candidates = [...(Array.isArray(listed) ? listed : []), ethereum].filter(isProvider)
  const wallets: InjectedWallet[] = []
  for (const provider of new Set(candidates)) {
    const { rdns, name } = family(provider)
    const base = rdns ? `${BROWSER_WALLET_ID}:${rdns}` : BROWSER_WALLET_ID
    const taken = wallets.filter((w) => w.id === base || w.id.startsWith(`${base}#`)).length
    wallets.push({ id: taken ? `${base}#${taken + 1}` : base, name, rdns, provider })
  }
  return wallets
}

/**
 * Whether an EIP-6963 announcement (or a given provider) already offers `wallet`: the same provider object, or
 * the same wallet family (rdns).
 */
export function isInjectedWalletAnnounced(
  wallet: Pick<InjectedWallet, 'rdns' | 'provider'>,
  announced: readonly { info: { rdns: string }; provider: unknown }[],
): boolean {
  return announced.some((detail) => detail.provider === wallet.provider || detail.info.rdns === wallet.rdns)
}

// Everything <token-tip> uses from @tokentags/core/solana, in one lazily loaded module (its own chunk): fetched
// only when a Solana tip's visitor picks a wallet. Imports nothing else of the widgets, so the classic script can
// load its stand-alone build (`dist/cdn/tokentags-solana.js`).
import {
  createSolanaClient,
  fromLegacySolanaProvider,
  getSolanaBalance,
  getTokenSymbol,
  type SolanaBalance,
  type SolanaClient,
} from '@tokentags/core/solana'

export {
  connectSolana,
  disconnectSolana,
  getRelaySolanaConfig,
  getSolanaAccount,
  getTokenSymbol,
  type SolanaClient,
  tipSolana,
  watchSolanaAccount,
} from '@tokentags/core/solana'

const TOKEN_PROGRAMS = ['TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA', 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb']
const MINT_SIZE = 82

let current: { key: string; client: SolanaClient } | undefined

/**
 * The page's one Solana client for these settings, holding the wallets the light discovery found: registered
 * ones as they are, legacy injected providers adapted to Wallet Standard.
 */
export function solanaClientFor(
  settings: { rpcUrl: string; relayUrl?: string | undefined; siteKey?: string | undefined },
  wallets: readonly object[],
  injected: readonly { name: string; provider: object }[] = [],
): SolanaClient {
  const key = `${settings.rpcUrl}|${settings.relayUrl ?? ''}|${settings.siteKey ?? ''}`
  if (current?.key === key) return current.client
  const client = createSolanaClient({
    rpcUrl: settings.rpcUrl,
    relayUrl: settings.relayUrl,
    siteKey: settings.siteKey,
    wallets: [
      ...(wallets as never[]),
      ...injected.map(({ name, provider }) => fromLegacySolanaProvider(provider as never, name)),
    ],
  })
  current = { key, client }
  return client
}

/**
 * What the connected account can tip of `token` (`native` or `sol:<mint>`): SOL less the rent-exempt minimum its
 * account keeps (the relay pays the fee), or its token account's balance. Undefined when it cannot be read: the
 * widget then shows no balance and leaves the check to the relay, rather than blocking the visitor.
 */
export function readSolanaSpendBalance(client: SolanaClient, token: string): Promise<SolanaBalance | undefined> {
  return getSolanaBalance(client, token === 'native' ? {} : { mint: token }).catch(() => undefined)
}

/**
 * The decimals and symbol of what a tip pays in: SOL, or a mint's decimals and its symbol: the page's (`spl-symbols`),
 * else the mint's on-chain metadata, else the shortened mint (also when the metadata cannot be read: the tip itself
 * does not need it).
 */
export function tipTokenInfo(
  client: SolanaClient,
  mint: string | undefined,
  listed?: Record<string, string>,
): Promise<[number, string]> | [number, string] {
  if (!mint) return [9, 'SOL']
  const short = `${mint.slice(0, 6)}…${mint.slice(-4)}`
  return Promise.all([
    getMintDecimals(client.rpcUrl, mint),
    listed?.[mint] ??
      getTokenSymbol(client, { mint }).then(
        (symbol) => symbol ?? short,
        () => short,
      ),
  ])
}

/** A Solana read or mint check failed; `code` is one of the widgets' error codes. */
export class SolanaTipReadError extends Error {
  override name = 'SolanaTipReadError'
  constructor(
    readonly code: 'READ_FAILED' | 'INVALID_PARAMETER',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * The decimals of an SPL Token or Token-2022 mint (`getAccountInfo`, byte 44 of the mint account; a Token-2022 mint
 * with extensions is longer). Which extensions a tip can go through is core's to say, when it tips (UNSUPPORTED_MINT).
 */
export async function getMintDecimals(rpcUrl: string, mint: string, signal?: AbortSignal): Promise<number> {
  let answer: { result?: { value: { owner: string; data: [string, string] } | null }; error?: unknown }
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'getAccountInfo',
        params: [mint, { encoding: 'base64', commitment: 'confirmed' }],
      }),
      ...(signal && { signal }),
    })
    answer = await response.json()
  } catch (cause) {
    throw new SolanaTipReadError('READ_FAILED', 'The Solana RPC could not be read.', { cause })
  }
  if (answer.error || !answer.result) throw new SolanaTipReadError('READ_FAILED', 'The Solana RPC returned an error.')
  const account = answer.result.value
  const bytes = account ? atob(account.data[0]) : ''
  if (!account || !TOKEN_PROGRAMS.includes(account.owner) || bytes.length < MINT_SIZE)
    throw new SolanaTipReadError('INVALID_PARAMETER', `${mint} is not an SPL Token or Token-2022 mint.`)
  return bytes.charCodeAt(44)
}

/** "This token cannot be tipped here" in each shipped language: only a refused mint needs them, so not up front. */
const UNSUPPORTED_MINT_WORDS: Record<string, string> = {
  en: 'This token cannot be tipped here.',
  de: 'Mit diesem Token kann hier kein Trinkgeld gegeben werden.',
  fr: 'Ce jeton ne peut pas servir de pourboire ici.',
  es: 'Este token no se puede usar para propinas aquí.',
  ar: 'لا يمكن إرسال إكرامية بهذا الرمز هنا.',
}

/** The `error` state of a refused mint; `words`: the sentence in each shipped language, for `errorWords`. */
export interface UnsupportedMintState {
  status: 'error'
  code: 'UNSUPPORTED_MINT'
  message: string
  retryable: false
  paid: 'nobody'
  words: Record<string, string>
}

/**
 * The `error` state of core's UNSUPPORTED_MINT (a Token-2022 mint whose extensions a tip cannot go through: a fee,
 * a hook, a permanent delegate…): not retryable, the page has to name another token. Undefined for any other error.
 */
export function unsupportedMintState(error: unknown): UnsupportedMintState | undefined {
  const refused = error as { code?: unknown; extensions?: unknown } | null
  if (refused?.code !== 'UNSUPPORTED_MINT') return undefined
  const extensions = Array.isArray(refused.extensions) ? refused.extensions.join(', ') : ''
  return {
    status: 'error',
    code: 'UNSUPPORTED_MINT',
    message: extensions
      ? `This token cannot be tipped here: its mint has ${extensions}.`
      : (UNSUPPORTED_MINT_WORDS.en as string),
    retryable: false,
    // Core refuses the mint before the wallet is asked to sign.
    paid: 'nobody',
    words: UNSUPPORTED_MINT_WORDS,
  }
}

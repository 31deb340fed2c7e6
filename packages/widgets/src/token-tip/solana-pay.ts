// Solana Pay for <token-tip>'s `sol:` tips, paid from any phone wallet (an on-demand chunk, loaded when a visitor
// without a wallet on the page asks for a code): the relay's tip link (`/v1/solana/pay/tip`, a Solana Pay transaction
// request with the relay as fee payer) in a `solana:` QR code, and the payment followed through its `reference` key.
import type { TemplateResult } from 'lit'
import { toDecimalString } from '../internal/format.js'
import type { Work } from '../internal/wallet-session.js'
import type { TipOffer, TipState, TipTarget } from './tip-state.js'

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** A Solana Pay step failed; `code` is one of the widgets' error codes, `relayCode` the relay's own. */
export class SolanaPayError extends Error {
  override name = 'SolanaPayError'
  constructor(
    readonly code: 'RELAY_UNREACHABLE' | 'RELAY_REJECTED' | 'READ_FAILED' | 'TIMEOUT',
    message: string,
    readonly relayCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Base58 of `bytes` (Solana addresses). */
export function base58(bytes: Uint8Array): string {
  const digits: number[] = []
  for (const byte of bytes) {
    let carry = byte
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] as number) << 8
      digits[i] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) {
      digits.push(carry % 58)
      carry = (carry / 58) | 0
    }
  }
  let out = ''
  for (const byte of bytes) {
    if (byte !== 0) break
    out += '1'
  }
  for (let i = digits.length - 1; i >= 0; i--) out += BASE58[digits[i] as number]
  return out
}

/**
 * A fresh `reference`: the public key of a new random Ed25519 keypair (its private half is dropped), as Solana Pay
 * asks; 32 random bytes where WebCrypto has no Ed25519 (a reference is a read-only, non-signer account: any key does).
 */
export async function newReference(): Promise<string> {
  try {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
    return base58(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)))
  } catch {
    return base58(crypto.getRandomValues(new Uint8Array(32)))
  }
}

/** One tip link: who is tipped, how much (whole units, as Solana Pay writes it), and the payment's reference. */
export interface PayLink {
  relayUrl: string
  siteKey: string
  /** The recipient's base58 address (without `sol:`). */
  to: string
  /** Whole units: `0.5` SOL, `2.25` tokens. */
  amount: string
  mint?: string | undefined
  memo?: string | undefined
  reference?: string | undefined
}

/** The relay's tip link: `https://<relay>/v1/solana/pay/tip?site&to&amount[&mint&memo&reference]`. */
export function payLinkUrl(link: PayLink): string {
  const query = new URLSearchParams({ site: link.siteKey, to: link.to, amount: link.amount })
  if (link.mint) query.set('mint', link.mint)
  if (link.memo) query.set('memo', link.memo)
  if (link.reference) query.set('reference', link.reference)
  return `${link.relayUrl.replace(/\/+$/, '')}/v1/solana/pay/tip?${query}`
}

/**
 * The relay's tip link for a `<token-tip>` target (`to="sol:…"`, `token` `native` or `sol:<mint>`, its memo) and
 * `amount` in whole units.
 */
export function tipLinkUrl(
  page: { relayUrl: string; siteKey: string },
  target: { to: string; token: string; memo?: string | undefined },
  amount: string,
  reference?: string,
): string {
  return payLinkUrl({
    ...page,
    to: target.to.slice(4),
    amount,
    mint: target.token === 'native' ? undefined : target.token.slice(4),
    memo: target.memo,
    reference,
  })
}

/** Whether the relay serves `target`'s tip link (its `GET` answers 200: the site lists the recipient and the token). */
export function servesTip(page: { relayUrl: string; siteKey: string }, target: TipTarget): Promise<boolean> {
  return checkPayLink(tipLinkUrl(page, target, target.amounts[0] ?? '1')).then(
    () => true,
    () => false,
  )
}

/** What the QR code holds: `solana:` and the link, URL-encoded (it has a query, so Solana Pay requires it). */
export function solanaPayUri(url: string): string {
  return `solana:${encodeURIComponent(url)}`
}

/** Asks the link as a wallet would (GET): resolves when the relay serves it, else rejects with its reason. */
export async function checkPayLink(url: string, signal?: AbortSignal): Promise<void> {
  let response: Response
  try {
    response = await fetch(url, signal ? { signal } : {})
  } catch (cause) {
    throw new SolanaPayError('RELAY_UNREACHABLE', 'The relay could not be reached.', undefined, { cause })
  }
  if (response.ok) return
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } }
  throw new SolanaPayError(
    'RELAY_REJECTED',
    body?.error?.message ?? `The relay answered ${response.status}.`,
    body?.error?.code ?? `HTTP_${response.status}`,
  )
}

/** Where and how to follow one payment. */
export interface FollowPayment {
  /** The page's Solana RPC (`<tokentags-config solana-rpc>`). */
  rpcUrl: string
  /** The link in the QR code: the relay's `/status` takes the same query. */
  url: string
  reference: string
  signal: AbortSignal
  /** Between looks (default 1.5 s: the relay asks for 1–2 s). */
  intervalMs?: number
}

/**
 * Resolves with the signature of the payment: a transaction that carries `reference`, confirmed without error on the
 * page's RPC (`getSignaturesForAddress`), which the relay recognises as the very tip of the link (`/status`: its own
 * transaction, same recipient, mint, amount and reference), because anyone can put the reference key into a
 * transaction of their own. Rejects with `signal`'s reason once the visitor leaves the code.
 */
export async function waitForPayment({ rpcUrl, url, reference, signal, intervalMs = 1_500 }: FollowPayment) {
  const statusUrl = url.replace('/v1/solana/pay/tip?', '/v1/solana/pay/status?')
  for (;;) {
    signal.throwIfAborted()
    const landed = await rpc<{ signature: string; err: unknown; confirmationStatus?: string }[]>(
      rpcUrl,
      'getSignaturesForAddress',
      [reference, { commitment: 'confirmed', limit: 25 }],
      signal,
    ).catch(() => {
      signal.throwIfAborted()
      // A flaky RPC: look again next time.
      return []
    })
    const candidates = new Set(
      landed.filter((s) => s.err === null && s.confirmationStatus !== 'processed').map((s) => s.signature),
    )
    if (candidates.size > 0) {
      const status = await fetch(statusUrl, { signal })
        .then((r) => (r.ok ? (r.json() as Promise<{ found?: boolean; signature?: string }>) : undefined))
        .catch(() => undefined)
      if (status?.found && status.signature && candidates.has(status.signature)) return status.signature
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, intervalMs)
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer)
          reject(signal.reason)
        },
        { once: true },
      )
    })
  }
}

async function rpc<T>(url: string, method: string, params: unknown[], signal: AbortSignal): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal,
  })
  const answer = (await response.json()) as { result?: T; error?: { message?: string } }
  if (answer.error || answer.result === undefined)
    throw new SolanaPayError('READ_FAILED', answer.error?.message ?? 'The Solana RPC returned no result.')
  return answer.result
}

/**
 * `<token-tip>`'s payment by Solana Pay of `amount` of `offer`: a tip link with a fresh reference, checked with the
 * relay, shown as a code (`qr` state) while `work` is current, then the payment found on chain: its success state.
 */
export async function payByCode(
  page: { relayUrl: string; siteKey: string; rpcUrl: string; explorerUrl?: string | undefined },
  target: TipTarget,
  offer: TipOffer,
  amount: bigint,
  renderQr: (text: string, label: string) => TemplateResult,
  signal: AbortSignal,
  work: Work<TipState>,
): Promise<TipState | undefined> {
  const reference = await newReference()
  const { decimals } = offer.token
  const url = tipLinkUrl(page, target, toDecimalString(amount, decimals, decimals), reference)
  await checkPayLink(url, signal)
  if (!work.current()) return undefined
  work.set({ status: 'qr', offer, amount, uri: solanaPayUri(url), renderQr })
  const signature = await waitForPayment({ rpcUrl: page.rpcUrl, url, reference, signal })
  return {
    status: 'success',
    amount,
    token: offer.token,
    recipient: offer.recipient,
    txHash: signature,
    signature,
    via: 'relay',
    ...(page.explorerUrl && { explorerUrl: page.explorerUrl }),
  }
}

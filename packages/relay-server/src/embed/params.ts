import type { RelayErrorCodeOf } from '@tokentags/core/protocol'
import { getAddress } from 'viem'
import type { ResolvedSite } from '../config.js'
import type { ResolvedEmbed } from './config.js'

const EMBED_KINDS = ['claim', 'tip', 'buy'] as const
export type EmbedKind = (typeof EMBED_KINDS)[number]

export const isEmbedKind = (value: string): value is EmbedKind => (EMBED_KINDS as readonly string[]).includes(value)

/** The custom element each embed holds and its drop-in bundle in `@tokentags/widgets/cdn`. */
export const EMBED_TAGS: Record<EmbedKind, string> = { claim: 'token-claim', tip: 'token-tip', buy: 'token-buy' }

/** Iframe size of each embed, in CSS pixels. */
export const EMBED_SIZES: Record<EmbedKind, { width: number; height: number }> = {
  claim: { width: 420, height: 320 },
  tip: { width: 420, height: 380 },
  buy: { width: 420, height: 460 },
}

/** The protocol's `embed` group, and an unknown site key. */
export type EmbedErrorCode = RelayErrorCodeOf<'embed'> | 'UNKNOWN_SITE'

/** An embed or oEmbed error: an HTTP status, a stable code and a sentence a person can read. */
export class EmbedError extends Error {
  override name = 'EmbedError'
  /** The embed's site when known: its error page may be framed where its embeds may. */
  site: ResolvedSite | undefined
  constructor(
    readonly status: number,
    readonly code: EmbedErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** Validated embed parameters: `attributes` go on the widget as they are (escaped when written). */
export interface EmbedParams {
  kind: EmbedKind
  site: ResolvedSite
  chainId?: number
  rpcUrl?: string
  attributes: [string, string][]
  /** Dev wallet account to select (dev mode only). */
  account?: string
  locale?: string
  /** The canonical query of this embed (validated parameters only, in a fixed order). */
  query: URLSearchParams
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const SOLANA = /^sol:[1-9A-HJ-NP-Za-km-z]{32,44}$/
const DECIMAL = /^(?:0|[1-9][0-9]{0,30})(?:\.[0-9]{1,18})?$/
const LOCALE = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}$/
const ROLE = /^[a-z][a-z-]{0,31}$/

const bad = (message: string) => new EmbedError(400, 'INVALID_PARAMETER', message)
/** Quotes a bad value for a message, shortened; the page escapes it. */
const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)

type Query = Record<string, unknown>

function one(query: Query, name: string): string | undefined {
  const value = query[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw bad(`${name} must be given once`)
  return value
}

function required(query: Query, name: string, what: string): string {
  const value = one(query, name)
  if (value === undefined || value === '') throw bad(`${name} is required: ${what}`)
  return value
}

function address(query: Query, name: string, what: string, optional = false): string | undefined {
  const value = optional ? one(query, name) : required(query, name, what)
  if (value === undefined) return undefined
  if (!ADDRESS.test(value)) throw bad(`${name} ${shown(value)} is not an address (0x and 40 hex digits)`)
  return getAddress(value.toLowerCase())
}

/**
 * Checks an embed's query string the way the widgets check their attributes, and the site key and
 * chain against the relay's config. Throws {@link EmbedError} with a readable reason.
 */
export function parseEmbedParams(
  kind: EmbedKind,
  query: Query,
  sites: ReadonlyMap<string, ResolvedSite>,
  embed: ResolvedEmbed,
): EmbedParams {
  const siteKey = required(query, 'site', "the site's public key (pk_…)")
  const site = sites.get(siteKey)
  if (!site) throw new EmbedError(404, 'UNKNOWN_SITE', `no site with the key ${shown(siteKey)} on this relay`)
  const canonical = new URLSearchParams({ site: siteKey })
  const attributes: [string, string][] = []
  const put = (name: string, value: string | undefined, attribute = name) => {
    if (value === undefined) return
    canonical.set(name, value)
    attributes.push([attribute, value])
  }

  let chainId: number | undefined
  let rpcUrl: string | undefined
  const chainFor = (isRequired: boolean) => {
    const raw = isRequired ? required(query, 'chain', 'the chain id, e.g. 8453') : one(query, 'chain')
    if (raw === undefined) return
    if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw bad(`chain ${shown(raw)} is not a chain id (a positive integer)`)
    chainId = Number(raw)
    rpcUrl = embed.rpcUrls.get(chainId)
    if (!rpcUrl) throw new EmbedError(400, 'CHAIN_NOT_AVAILABLE', `chain ${chainId} is not available for embeds here`)
    put('chain', raw)
  }

  switch (kind) {
    case 'claim':
      put('vault', address(query, 'vault', 'the VestingVault address'))
      chainFor(true)
      break
    case 'tip': {
      const to = required(query, 'to', 'the recipient address')
      if (!ADDRESS.test(to) && !SOLANA.test(to)) {
        throw bad(`to ${shown(to)} is not an address (0x and 40 hex digits, or sol: and a Solana address)`)
      }
      put('to', ADDRESS.test(to) ? getAddress(to.toLowerCase()) : to)
      const token = one(query, 'token')
      if (token !== undefined && token !== 'native' && !ADDRESS.test(token) && !SOLANA.test(token)) {
        throw bad(`token ${shown(token)} is not native, a token address or sol: and a mint`)
      }
      put('token', token !== undefined && ADDRESS.test(token) ? getAddress(token.toLowerCase()) : token)
      const amounts = one(query, 'amounts')
      if (amounts !== undefined) {
        const list = amounts.split(',').map((a) => a.trim())
        if (list.length > 6 || list.some((a) => !DECIMAL.test(a) || !/[1-9]/.test(a))) {
          throw bad(`amounts ${shown(amounts)} must be up to 6 positive numbers, comma-separated`)
        }
        put('amounts', list.join(','))
      }
      const router = address(query, 'router', 'the TipRouter address', true)
      put('router', router)
      const memo = one(query, 'memo')
      if (memo !== undefined) {
        if (!router) throw bad('memo needs router (memos are recorded by the TipRouter)')
        if (memo.length > 140) throw bad('memo is longer than 140 characters')
        put('memo', memo)
      }
      chainFor(!to.startsWith('sol:'))
      break
    }
    case 'buy': {
      put('sale', address(query, 'sale', 'the TokenSale address'))
      const slippage = one(query, 'slippage')
      if (slippage !== undefined && (!DECIMAL.test(slippage) || Number(slippage) <= 0 || Number(slippage) > 50)) {
        throw bad(`slippage ${shown(slippage)} must be a percentage above 0 and at most 50`)
      }
      put('slippage', slippage)
      chainFor(true)
      break
    }
  }

  const theme = one(query, 'theme')
  if (theme !== undefined && !['auto', 'light', 'dark'].includes(theme)) {
    throw bad(`theme ${shown(theme)} must be auto, light or dark`)
  }
  put('theme', theme)
  const locale = one(query, 'locale')
  if (locale !== undefined && !LOCALE.test(locale))
    throw bad(`locale ${shown(locale)} is not a language tag (en, fr, ar-EG)`)
  put('locale', locale)
  const gasless = one(query, 'gasless')
  if (gasless !== undefined && !['auto', 'always', 'never'].includes(gasless)) {
    throw bad(`gasless ${shown(gasless)} must be auto, always or never`)
  }
  put('gasless', gasless)

  let account: string | undefined
  const rawAccount = one(query, 'account')
  if (rawAccount !== undefined && embed.devWallet) {
    if (!ADDRESS.test(rawAccount) && !ROLE.test(rawAccount))
      throw bad(`account ${shown(rawAccount)} is not a dev account`)
    account = rawAccount
  }

  return {
    kind,
    site,
    ...(chainId === undefined ? {} : { chainId }),
    ...(rpcUrl === undefined ? {} : { rpcUrl }),
    attributes,
    ...(account === undefined ? {} : { account }),
    ...(locale === undefined ? {} : { locale }),
    query: canonical,
  }
}

import type { ResolvedSite } from '../config.js'
import type { ResolvedEmbed } from './config.js'
import { EMBED_SIZES, EMBED_TAGS, type EmbedKind, type EmbedParams } from './params.js'

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

// A CSP source must not carry `;`, `,`, spaces or quotes: anything else in config is dropped.
const CSP_SOURCE = /^(?:\*|https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::[0-9]{1,5})?|https?:\/\/\[[0-9a-f:]+\](?::[0-9]{1,5})?)$/i

/** `frame-ancestors` of a site's embeds: its origins plus its `embedAncestors`; `*` when any origin. */
export function frameAncestors(site: ResolvedSite | undefined, embed: ResolvedEmbed): string {
  if (!site) return "'none'"
  if (site.anyOrigin) return '*'
  const sources = [...site.origins, ...(embed.ancestors.get(site.key) ?? [])].filter((s) => CSP_SOURCE.test(s))
  return sources.length ? [...new Set(sources)].join(' ') : "'none'"
}

/** The embed page's own policy: scripts and styles only from the relay, nothing inline. */
export function embedCsp(ancestors: string, connect: readonly string[]): string {
  const origins = connect.flatMap((url) => {
    try {
      const origin = new URL(url).origin
      return CSP_SOURCE.test(origin) ? [origin] : []
    } catch {
      return []
    }
  })
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${origins.length ? ` ${[...new Set(origins)].join(' ')}` : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ')
}

const TITLES: Record<EmbedKind, string> = {
  claim: 'Claim your vested tokens',
  tip: 'Send a tip',
  buy: 'Buy tokens',
}

const short = (address: string) => (address.startsWith('0x') ? `${address.slice(0, 6)}…${address.slice(-4)}` : address)

export function embedTitle(params: Pick<EmbedParams, 'kind' | 'query'>): string {
  return TITLES[params.kind]
}

function embedDescription(params: Pick<EmbedParams, 'kind' | 'query' | 'chainId'>): string {
  const q = params.query
  const chain = params.chainId === undefined ? '' : ` on chain ${params.chainId}`
  switch (params.kind) {
    case 'claim':
      return `Claim vested tokens from ${short(q.get('vault') ?? '')}${chain}. One signature, no gas to pay.`
    case 'tip':
      return `Tip ${short(q.get('to') ?? '')}${chain}${q.get('amounts') ? ` (${q.get('amounts')})` : ''}.`
    case 'buy':
      return `Buy tokens from the sale ${short(q.get('sale') ?? '')}${chain}.`
  }
}

export interface EmbedPageInput {
  params: EmbedParams
  /** Origin the page is served from (`https://relay.example`). */
  base: string
  embed: ResolvedEmbed
}

const meta = (attr: 'name' | 'property', key: string, content: string | number) =>
  `<meta ${attr}="${key}" content="${escapeHtml(String(content))}">`

/** The embed page: one widget, its config, Open Graph and Twitter player-card tags. */
export function renderEmbedPage({ params, base, embed }: EmbedPageInput): string {
  const url = `${base}/embed/${params.kind}?${params.query}`
  const oembed = `${base}/oembed?${new URLSearchParams({ url, format: 'json' })}`
  const title = embedTitle(params)
  const description = embedDescription(params)
  const { width, height } = EMBED_SIZES[params.kind]
  const tag = EMBED_TAGS[params.kind]
  const image = `${base}/embed/assets/preview.png`
  const attributes = params.attributes.map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join('')
  const rpc =
    params.chainId !== undefined && params.rpcUrl ? ` rpc="${escapeHtml(`${params.chainId}=${params.rpcUrl}`)}"` : ''
  const dev = embed.devWallet
    ? [
        "<!-- Development only: a wallet with anvil's public test keys. The relay runs in dev mode. -->",
        meta('name', 'tokentags-dev-wallet', JSON.stringify({ ...embed.devWallet, account: params.account ?? null })),
        '<script type="module" src="/embed/assets/dev-wallet.js"></script>',
      ].join('\n    ')
    : ''
  return `<!doctype html>
<html lang="${escapeHtml(params.locale ?? 'en')}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="data:,">
    <link rel="canonical" href="${escapeHtml(url)}">
    <link rel="alternate" type="application/json+oembed" href="${escapeHtml(oembed)}" title="${escapeHtml(title)}">
    ${meta('property', 'og:type', 'website')}
    ${meta('property', 'og:site_name', embed.providerName)}
    ${meta('property', 'og:title', title)}
    ${meta('property', 'og:description', description)}
    ${meta('property', 'og:url', url)}
    ${meta('property', 'og:image', image)}
    ${meta('property', 'og:image:width', 600)}
    ${meta('property', 'og:image:height', 314)}
    ${meta('name', 'twitter:card', 'player')}
    ${meta('name', 'twitter:title', title)}
    ${meta('name', 'twitter:description', description)}
    ${meta('name', 'twitter:image', image)}
    ${meta('name', 'twitter:image:alt', `${embed.providerName}: ${title}`)}
    ${meta('name', 'twitter:player', url)}
    ${meta('name', 'twitter:player:width', width)}
    ${meta('name', 'twitter:player:height', height)}
    <link rel="stylesheet" href="/embed/assets/embed.css">
    ${dev}
    <script type="module" src="/embed/assets/widgets/${tag}.js"></script>
  </head>
  <body class="embed embed-${params.kind}">
    <main>
      <tokentags-config relay="${escapeHtml(base)}" site-key="${escapeHtml(params.site.key)}"${rpc}></tokentags-config>
      <${tag}${attributes}></${tag}>
    </main>
  </body>
</html>
`
}

/** A readable error page for a bad embed URL (status 4xx). */
export function renderEmbedErrorPage(status: number, code: string, message: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>This embed cannot be shown</title>
    <link rel="stylesheet" href="/embed/assets/embed.css">
  </head>
  <body class="embed embed-error">
    <main>
      <section class="embed-error-card" role="alert" data-status="${status}" data-code="${escapeHtml(code)}">
        <h1>This embed cannot be shown</h1>
        <p class="embed-error-message">${escapeHtml(message)}</p>
        <p class="embed-error-code">${escapeHtml(code)} (HTTP ${status})</p>
      </section>
    </main>
  </body>
</html>
`
}

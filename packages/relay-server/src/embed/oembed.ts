import type { ResolvedSite } from '../config.js'
import type { ResolvedEmbed } from './config.js'
import { embedTitle, escapeHtml } from './html.js'
import { EMBED_SIZES, EmbedError, type EmbedKind, isEmbedKind, parseEmbedParams } from './params.js'

/** An oEmbed 1.0 `rich` answer (https://oembed.com, 2.3.4). */
export interface OEmbedRich {
  version: '1.0'
  type: 'rich'
  title: string
  provider_name: string
  provider_url: string
  cache_age: number
  html: string
  width: number
  height: number
}

function dimension(query: Record<string, unknown>, name: string): number | undefined {
  const value = query[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,4}$/.test(value)) {
    throw new EmbedError(400, 'INVALID_PARAMETER', `${name} must be a positive number of pixels`)
  }
  return Number(value)
}

/**
 * `GET /oembed?url=…&format=json`: the iframe of an embed URL of this relay. Only JSON is offered
 * (the spec's 501 for any other format); a URL that is not one of this relay's embeds is a 404.
 */
export function oembedAnswer(
  query: Record<string, unknown>,
  base: string,
  sites: ReadonlyMap<string, ResolvedSite>,
  embed: ResolvedEmbed,
): OEmbedRich {
  const format = query.format
  if (format !== undefined && format !== 'json') {
    throw new EmbedError(501, 'FORMAT_NOT_SUPPORTED', 'only format=json is supported')
  }
  const raw = query.url
  if (typeof raw !== 'string' || raw === '')
    throw new EmbedError(400, 'INVALID_URL', 'url is required (an embed URL of this relay)')
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new EmbedError(400, 'INVALID_URL', 'url is not an absolute URL')
  }
  if (url.origin !== base) throw new EmbedError(404, 'NOT_EMBEDDABLE', `url is not on this relay (${base})`)
  const match = /^\/embed\/([a-z]+)$/.exec(url.pathname)
  const kind = match?.[1]
  if (!kind || !isEmbedKind(kind))
    throw new EmbedError(404, 'NOT_EMBEDDABLE', 'url is not an embed (/embed/claim, /embed/tip or /embed/buy)')
  const params = (() => {
    try {
      return parseEmbedParams(kind as EmbedKind, Object.fromEntries(url.searchParams), sites, embed)
    } catch (error) {
      if (error instanceof EmbedError)
        throw new EmbedError(404, 'NOT_EMBEDDABLE', `no embed for this url: ${error.message}`)
      throw error
    }
  })()
  const size = EMBED_SIZES[params.kind]
  const maxWidth = dimension(query, 'maxwidth')
  const maxHeight = dimension(query, 'maxheight')
  const width = Math.min(size.width, maxWidth ?? size.width)
  const height = Math.min(size.height, maxHeight ?? size.height)
  const src = `${base}/embed/${params.kind}?${params.query}`
  const title = embedTitle(params)
  return {
    version: '1.0',
    type: 'rich',
    title,
    provider_name: embed.providerName,
    provider_url: base,
    cache_age: 3600,
    html: `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" title="${escapeHtml(title)}" loading="lazy" frameborder="0" allow="clipboard-write"></iframe>`,
    width,
    height,
  }
}

import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { RelayErrorBody } from '@tokentags/core/protocol'
import express, { type ErrorRequestHandler, type Request, type Response, Router } from 'express'
import type { AppDeps } from '../deps.js'
import { notFound } from '../errors.js'
import { requestLog } from '../http/context.js'
import { bundleExists, EMBED_CSS, packageDir, previewPng, widgetsCdnDir } from './assets.js'
import { type ResolvedEmbed, resolveEmbed } from './config.js'
import { embedCsp, frameAncestors, renderEmbedErrorPage, renderEmbedPage } from './html.js'
import { oembedAnswer } from './oembed.js'
import { EMBED_TAGS, EmbedError, type EmbedKind, parseEmbedParams } from './params.js'

/** The origin pages see: the configured public URL, else the request's own origin. */
function publicBase(req: Request, embed: ResolvedEmbed): string {
  return embed.publicOrigin ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`
}

const ASSET_CACHE = 'public, max-age=300'

/**
 * Pages and oEmbed answers carry the base URL: shared caches may keep them only when it is the
 * configured one. Built from the Host header, a forged Host would poison the copy everyone gets.
 */
function urlBearingCache(embed: ResolvedEmbed, whenPublic: string): string {
  return embed.publicOrigin ? whenPublic : 'private, no-store'
}

/** Lets a page be framed by exactly the given ancestors (the API's own headers forbid framing). */
function frameable(res: Response, csp: string) {
  res.removeHeader('x-frame-options')
  res.setHeader('content-security-policy', csp)
}

/**
 * Social embeds: `GET /embed/claim|tip|buy?site=…` (one widget configured by the query, framable by
 * the site's origins and `embedAncestors`), their assets under `/embed/assets/`, and `GET /oembed`.
 * Everything answers 404 unless the relay has an `embed` config.
 */
function strongEtag(content: string | Buffer): string {
  return `"${createHash('sha1').update(content).digest('base64url')}"`
}

export function embedRoutes(deps: AppDeps): Router {
  const router = Router()
  if (!deps.embed) return router
  const embed = resolveEmbed(deps.embed)
  const cdnDir = embed.widgetsDir ?? widgetsCdnDir()
  const dashboardDir = packageDir('@tokentags/dashboard')
  let png: { body: Buffer; etag: string } | undefined
  const cssEtag = strongEtag(EMBED_CSS)

  // The app computes no ETags (its JSON answers are never cached): these constant assets carry their own.
  router.get('/embed/assets/embed.css', (_req, res) => {
    res.setHeader('cache-control', ASSET_CACHE)
    res.setHeader('etag', cssEtag)
    res.type('text/css').send(EMBED_CSS)
  })
  router.get('/embed/assets/preview.png', (_req, res) => {
    if (!png) {
      const body = previewPng()
      png = { body, etag: strongEtag(body) }
    }
    res.setHeader('cache-control', ASSET_CACHE)
    res.setHeader('etag', png.etag)
    res.type('image/png').send(png.body)
  })
  if (embed.devWallet && dashboardDir) {
    // Development only: served only when the relay's config has embed.devWallet.
    const script = join(dashboardDir, 'dist', 'embed-dev-wallet.js')
    router.get('/embed/assets/dev-wallet.js', (_req, res) => {
      if (!existsSync(script))
        throw notFound('the dev wallet script is not built (npm run build -w packages/dashboard)')
      res.sendFile(script, { headers: { 'cache-control': 'no-store' } })
    })
  }
  if (cdnDir) {
    router.use(
      '/embed/assets/widgets',
      express.static(cdnDir, {
        index: false,
        dotfiles: 'ignore',
        fallthrough: true,
        setHeaders: (res) => res.setHeader('cache-control', ASSET_CACHE),
      }),
    )
  }

  router.get('/embed/:kind', (req, res) => {
    const kind = req.params.kind as string
    if (!(kind in EMBED_TAGS))
      throw new EmbedError(
        404,
        'NOT_EMBEDDABLE',
        `no embed named ${JSON.stringify(kind.slice(0, 40))}: claim, tip or buy`,
      )
    const tag = EMBED_TAGS[kind as EmbedKind]
    if (!bundleExists(cdnDir, tag)) {
      // No page to show at all: a JSON answer, as the API does (readable inside the site's frame).
      const site = typeof req.query.site === 'string' ? deps.sites.get(req.query.site) : undefined
      if (site) frameable(res, embedCsp(frameAncestors(site, embed), []))
      res.status(404).json({
        error: {
          code: 'WIDGET_UNAVAILABLE',
          message: `the ${tag} embed is not available: this relay has no ${tag}.js bundle (build @tokentags/widgets)`,
        },
      } satisfies RelayErrorBody)
      return
    }
    let params: ReturnType<typeof parseEmbedParams>
    try {
      params = parseEmbedParams(kind as EmbedKind, req.query as Record<string, unknown>, deps.sites, embed)
    } catch (error) {
      // A known site's embed may explain itself inside its frame; anything else may not be framed.
      if (error instanceof EmbedError && typeof req.query.site === 'string') error.site = deps.sites.get(req.query.site)
      throw error
    }
    const connect = [params.rpcUrl, embed.devWallet?.rpcUrl].filter((u): u is string => u !== undefined)
    frameable(res, embedCsp(frameAncestors(params.site, embed), connect))
    res.setHeader('cache-control', urlBearingCache(embed, 'no-cache'))
    res.type('html').send(renderEmbedPage({ params, base: publicBase(req, embed), embed }))
  })

  router.get('/oembed', (req, res) => {
    res.setHeader('cache-control', urlBearingCache(embed, 'public, max-age=300'))
    res.json(oembedAnswer(req.query as Record<string, unknown>, publicBase(req, embed), deps.sites, embed))
  })

  const onError: ErrorRequestHandler = (error, req, res, next) => {
    if (!(error instanceof EmbedError)) {
      next(error)
      return
    }
    requestLog(res).info({ code: error.code }, error.message)
    deps.metrics.httpError(error.code)
    if (req.path.startsWith('/embed/')) {
      frameable(res, embedCsp(frameAncestors(error.site, embed), []))
      res
        .status(error.status)
        .type('html')
        .send(renderEmbedErrorPage(error.status, error.code, error.message))
      return
    }
    res.status(error.status).json({ error: { code: error.code, message: error.message } } satisfies RelayErrorBody)
  }
  router.use(onError)
  return router
}

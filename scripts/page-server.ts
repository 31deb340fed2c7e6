import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
}

export interface PageServerOptions {
  /** Folder served as the site root. */
  root: string
  port: number
  /** `{{name}}` placeholders in HTML files are replaced by these values, HTML-escaped. */
  variables: Record<string, string>
  /** `{{{name}}}` placeholders get these values as they are: JSON for `<script type="application/json">`. */
  jsonVariables?: Record<string, unknown>
  /** Origins the page may fetch from besides itself (relay, RPC), for the Content-Security-Policy. */
  connectSources: string[]
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

/**
 * Serves a static example page the way a site owner's host would, under a strict CSP:
 * no inline script or style, so the widgets are proven to work without `unsafe-inline`.
 */
export function startPageServer(options: PageServerOptions): Promise<Server> {
  const root = resolve(options.root)
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${options.connectSources.join(' ')}`,
    "frame-ancestors 'self'",
  ].join('; ')
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    let path = decodeURIComponent(url.pathname)
    if (path.endsWith('/')) path += 'index.html'
    const file = normalize(join(root, path))
    if (!file.startsWith(root)) {
      res.writeHead(403).end('forbidden')
      return
    }
    try {
      let body: Buffer | string = await readFile(file)
      const type = contentTypes[extname(file)] ?? 'application/octet-stream'
      if (extname(file) === '.html') {
        body = body
          .toString('utf8')
          // Inside <script> text, entities are not decoded: only `<` needs escaping, as \u003c.
          .replace(/\{\{\{(\w+)\}\}\}/g, (_, name: string) =>
            JSON.stringify(options.jsonVariables?.[name] ?? null).replace(/</g, '\\u003c'),
          )
          .replace(/\{\{(\w+)\}\}/g, (_, name: string) => escapeHtml(options.variables[name] ?? ''))
      }
      res.writeHead(200, {
        'content-type': type,
        'content-security-policy': csp,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      })
      res.end(body)
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    }
  })
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => resolvePromise(server))
  })
}

import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize } from 'node:path'
import { fixturesDir, testBuildDir } from './paths.js'

export interface FixtureWallet {
  rpcUrl: string
  chainId: number
  privateKey: string
}

export interface FixtureServer {
  origin: string
  port: number
  /** Pages asking for `?wallet=1` announce this dev wallet in their main world. */
  setWallet(wallet: FixtureWallet | null): void
  close(): Promise<void>
}

const TYPES: Record<string, string> = { '.css': 'text/css', '.js': 'text/javascript', '.html': 'text/html' }
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * Serves the fixture pages on 127.0.0.1 with a strict Content-Security-Policy like X's:
 * `/x/<anything>` (and `/elsewhere/x/<anything>`) is the X page, `/generic/<anything>` the microformats
 * blog; `?hostile=1` adds the hostile stylesheet, `?wallet=1` the dev wallet.
 */
export async function startFixtureServer(): Promise<FixtureServer> {
  let wallet: FixtureWallet | null = null
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    try {
      let body: string | Buffer
      let type = 'text/html'
      // `/elsewhere/x/…` is the same X page at a path no adapter pattern covers.
      const template = /^\/(elsewhere\/)?x\//.test(url.pathname)
        ? 'x.html'
        : url.pathname.startsWith('/generic/')
          ? 'generic.html'
          : null
      if (template) {
        let html = await readFile(join(fixturesDir, template), 'utf8')
        if (url.searchParams.get('hostile') === '1')
          html = html.replace('<!--hostile-->', '<link rel="stylesheet" href="/static/hostile.css" />')
        if (url.searchParams.get('wallet') === '1' && wallet)
          html = html.replace(
            '<!--wallet-->',
            `<script src="/dev-wallet.js" data-rpc-url="${escapeAttr(wallet.rpcUrl)}" data-chain-id="${wallet.chainId}" data-private-key="${escapeAttr(wallet.privateKey)}"></script>`,
          )
        body = html
      } else if (url.pathname === '/dev-wallet.js') {
        body = await readFile(join(testBuildDir, 'dev-wallet.js'))
        type = TYPES['.js'] as string
      } else if (url.pathname.startsWith('/static/')) {
        const file = normalize(url.pathname.slice('/static/'.length))
        if (file.startsWith('..')) throw new Error('outside the fixtures')
        body = await readFile(join(fixturesDir, 'static', file))
        type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream'
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
        return
      }
      const connect = ["'self'", ...(wallet ? [new URL(wallet.rpcUrl).origin] : [])].join(' ')
      res.writeHead(200, {
        'content-type': `${type}; charset=utf-8`,
        'cache-control': 'no-store',
        // Like X: scripts, styles, frames and connections only from the site itself.
        'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src ${connect}`,
      })
      res.end(body)
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    setWallet(next) {
      wallet = next
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

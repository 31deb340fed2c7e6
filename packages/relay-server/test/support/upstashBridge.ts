// Test-only: serves Upstash's REST protocol in front of a real redis-server, so the `upstash`
// adapter runs through the real `@upstash/redis` client. Shape (see shared/TOOLCHAIN.md): `POST /`
// with ["CMD", ...args] → {result} | {error}; `POST /pipeline` and `POST /multi-exec` take a list
// of commands and answer a list; `Authorization: Bearer <token>`; with `Upstash-Encoding: base64`
// every string in a result is base64, except a bare top-level "OK".
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'

export interface UpstashBridge {
  url: string
  token: string
  close(): Promise<void>
}

type Reply = null | number | Buffer | string | Reply[]

function encode(value: Reply, base64: boolean, top: boolean): unknown {
  if (value === null || typeof value === 'number') return value
  if (Array.isArray(value)) return value.map((v) => encode(v, base64, false))
  const text = Buffer.isBuffer(value) ? value : Buffer.from(String(value))
  if (top && text.toString() === 'OK') return 'OK'
  return base64 ? text.toString('base64') : text.toString('utf8')
}

export async function startUpstashBridge(redisUrl: string, token = 'test-token'): Promise<UpstashBridge> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true })
  redis.on('error', () => {})
  await redis.connect()
  const exec = async (command: unknown, base64: boolean) => {
    if (!Array.isArray(command) || command.length === 0) return { error: 'ERR malformed command' }
    const [name, ...args] = command.map((c) => (typeof c === 'string' ? c : JSON.stringify(c)))
    try {
      const result = (await redis.callBuffer(name as string, ...args)) as Reply
      return { result: encode(result, base64, true) }
    } catch (error) {
      return { error: (error as Error).message }
    }
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' })
      const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64'
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return reply(400, { error: 'ERR invalid JSON' })
      }
      const path = (req.url ?? '/').split('?')[0]
      if (path === '/pipeline' || path === '/multi-exec') {
        if (!Array.isArray(body)) return reply(400, { error: 'ERR expected a list of commands' })
        const results = []
        for (const command of body) results.push(await exec(command, base64))
        return reply(200, results)
      }
      const result = await exec(body, base64)
      return reply('error' in result ? 400 : 200, result)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      redis.disconnect()
    },
  }
}

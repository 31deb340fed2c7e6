import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Why not simply listen on port 0: the kernel hands out a port from its ephemeral range, the same range every
// outgoing connection takes its local port from. Between our close and the child process's bind, one of the
// thousands of connections a test run opens (fetches to anvil, Redis, PostgreSQL) can take that port, and the child
// fails with EADDRINUSE — or, worse, another test's server already answers there. The kernel may also hand the same
// port to two callers in a row. So ports come from below the ephemeral range, never twice to one process, and are
// claimed across the processes of a run (vitest workers, Playwright workers) by a marker file.

const CLAIM_DIR = join(tmpdir(), 'tokentags-ports')
/** A claim older than this is from an earlier run (or a crashed one): the port may be handed out again. */
const CLAIM_TTL_MS = 30 * 60_000
const handedOut = new Set<number>()

/** The ports to choose from: from 10,000 up to the kernel's ephemeral range, or a fixed band where that is unknown. */
export function portBand(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): { low: number; high: number } {
  let ephemeralLow = 32_768
  try {
    const first = Number(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0])
    if (Number.isInteger(first) && first > 0) ephemeralLow = first
  } catch {}
  // Too little room below the ephemeral range (a tuned kernel): a fixed band above the well-known services.
  if (ephemeralLow - 10_000 < 2_000) return { low: 20_000, high: 29_999 }
  return { low: 10_000, high: ephemeralLow - 1 }
}

function claim(port: number): boolean {
  const file = join(CLAIM_DIR, String(port))
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' })
    return true
  } catch {
    try {
      if (Date.now() - statSync(file).mtimeMs < CLAIM_TTL_MS) return false
      writeFileSync(file, String(process.pid))
      return true
    } catch {
      return false
    }
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * A TCP port on 127.0.0.1 that is free now and that no other caller in this run is given: outside the kernel's
 * ephemeral range, never twice to this process, claimed against the other processes of the run.
 */
export async function freePort(): Promise<number> {
  mkdirSync(CLAIM_DIR, { recursive: true })
  const { low, high } = portBand()
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1))
    if (handedOut.has(port)) continue
    handedOut.add(port)
    if (!claim(port)) continue
    if (await bindable(port)) return port
  }
  throw new Error(`no free port found between ${low} and ${high} after 500 tries`)
}

/** Resolves once a TCP connect to 127.0.0.1:port succeeds, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const { connect } = await import('node:net')
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

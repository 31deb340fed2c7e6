import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { freePort, waitForPort } from './ports.js'

export interface StartAnvilOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number
  chainId?: number
  /** Block time in seconds; omitted means a block per transaction (automine). */
  blockTime?: number
  /** Extra command-line arguments. */
  args?: readonly string[]
  /** Print anvil's output (default: silent). */
  verbose?: boolean
}

export interface AnvilInstance {
  rpcUrl: string
  port: number
  chainId: number
  process: ChildProcess
  stop(): Promise<void>
}

/** Path of the anvil binary shipped by `@foundry-rs/anvil`'s platform package. */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`
  const require = createRequire(import.meta.url)
  const manifest = require.resolve(`${pkg}/package.json`)
  return join(dirname(manifest), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil')
}

/** Starts a fresh anvil on 127.0.0.1 and resolves once it answers JSON-RPC. */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  const port = options.port ?? (await freePort())
  const chainId = options.chainId ?? 31337
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(chainId),
    '--silent',
    ...(options.blockTime === undefined ? [] : ['--block-time', String(options.blockTime)]),
    ...(options.args ?? []),
  ]
  const child = spawn(anvilBinary(), args, { stdio: options.verbose ? 'inherit' : 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const rpcUrl = `http://127.0.0.1:${port}`
  try {
    await waitForPort(port)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  return {
    rpcUrl,
    port,
    chainId,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

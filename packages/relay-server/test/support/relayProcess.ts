import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { RelayConfigFile } from '../../src/index.js'

const BIN = resolve(import.meta.dirname, '../../dist/bin.js')

export interface RelayProcess {
  url: string
  port: number
  /** Starts the process (again) and resolves once `/v1/health` answers. */
  start(): Promise<void>
  /** SIGKILL: no cleanup, no lease release, whatever was in flight stays where it was. */
  kill(): Promise<void>
  /** SIGTERM: graceful stop. */
  stop(): Promise<void>
  running(): boolean
}

/** The built `tokentags-relay` bin as a child process on a fixed port, with the given config and env. */
export function relayProcess(options: {
  config: Record<string, unknown> | RelayConfigFile
  port: number
  env: Record<string, string>
  name?: string
}): RelayProcess {
  const dir = mkdtempSync(join(tmpdir(), 'tt-relay-'))
  const file = join(dir, 'relay.json')
  writeFileSync(
    file,
    JSON.stringify(options.config, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  )
  const url = `http://127.0.0.1:${options.port}`
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  const verbose = process.env.RELAY_TEST_LOG !== undefined
  return {
    url,
    port: options.port,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      const proc = spawn(process.execPath, [BIN, '--config', file, '--port', String(options.port)], {
        env: {
          ...process.env,
          TOKENTAGS_RELAY_LOG_LEVEL: process.env.RELAY_TEST_LOG ?? 'warn',
          ...(options.name ? { TOKENTAGS_INSTANCE_ID: `${options.name}-${Date.now()}` } : {}),
          ...options.env,
        },
        stdio: ['ignore', verbose ? 'inherit' : 'ignore', 'inherit'],
      })
      child = proc
      exited = new Promise((r) => proc.once('exit', () => r()))
      const until = Date.now() + 60_000
      for (;;) {
        if (proc.exitCode !== null) throw new Error(`relay exited with ${proc.exitCode}`)
        try {
          const response = await fetch(`${url}/v1/health`)
          if (response.status === 200) return
        } catch {}
        if (Date.now() > until) throw new Error('relay did not become healthy')
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async kill() {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

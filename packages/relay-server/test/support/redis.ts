import { type ChildProcess, spawn } from 'node:child_process'
import { freePort, waitForPort } from '@tokentags/testkit'

export interface RedisInstance {
  url: string
  port: number
  process: ChildProcess
  /** Stops it by pid (SIGKILL when `hard`). */
  stop(hard?: boolean): Promise<void>
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections hang, data stays. */
  pause(): void
  resume(): void
}

/** Starts a throwaway `redis-server` on a free 127.0.0.1 port, without persistence (`extraArgs` appended). */
export async function startRedis(port?: number, extraArgs: readonly string[] = []): Promise<RedisInstance> {
  const chosen = port ?? (await freePort())
  const binary = process.env.REDIS_SERVER ?? 'redis-server'
  const child = spawn(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(chosen),
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
      ...extraArgs,
    ],
    { stdio: 'ignore' },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // A missing server fails the suite at once and says what to install: never a skip, never a port timeout.
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(
          `cannot start ${binary} (${error.message}): these tests need a real Redis; install Debian's redis-server or set REDIS_SERVER`,
          { cause: error },
        ),
      ),
    )
    child.once('exit', (code, signal) =>
      reject(new Error(`${binary} exited before listening on port ${chosen} (code ${code}, signal ${signal})`)),
    )
  })
  try {
    await Promise.race([waitForPort(chosen), failed])
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  failed.catch(() => {}) // later exits are stop()'s business
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    process: child,
    async stop(hard = false) {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.pid) process.kill(child.pid, 'SIGCONT')
        child.kill(hard ? 'SIGKILL' : 'SIGTERM')
      }
      await exited
    },
    pause() {
      if (child.pid) process.kill(child.pid, 'SIGSTOP')
    },
    resume() {
      if (child.pid) process.kill(child.pid, 'SIGCONT')
    },
  }
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './ports.js'

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  url: string
  port: number
  dataDir: string
  /** The URL of another database on this server. */
  urlOf(database: string): string
  /** Path of a client program of the same version (`pg_dump`, `pg_restore`, `psql`). */
  bin(name: string): string
  /** Stops the server (fast shutdown); its data stays. */
  stop(): Promise<void>
  /** Starts it again on the same port and data. */
  start(): Promise<void>
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>
}

/** The newest Debian PostgreSQL's `bin` directory (`TOKENTAGS_PG_BIN` overrides), or undefined. */
export function postgresBinDir(): string | undefined {
  const given = process.env.TOKENTAGS_PG_BIN
  if (given) return given
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => /^[0-9]+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

/**
 * Starts a throwaway PostgreSQL server (Debian's) on a free port of 127.0.0.1 with a temporary data
 * directory. `initdb` and `postgres` refuse to run as root: as root they run as the `postgres` user
 * (`runuser`), on a directory that user owns.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const binDir = postgresBinDir()
  if (!binDir) throw new Error('no PostgreSQL server: install Debian\'s "postgresql" (see .ci/run)')
  const root = process.getuid?.() === 0
  const dataDir = mkdtempSync(join(tmpdir(), 'tokentags-pg-'))
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dataDir, uid, gid)
  }
  const asServerUser = (program: string, args: string[]): [string, string[]] =>
    root ? ['runuser', ['-u', 'postgres', '--', join(binDir, program), ...args]] : [join(binDir, program), args]
  const [initdb, initArgs] = asServerUser('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ])
  execFileSync(initdb, initArgs, { stdio: 'pipe' })
  const port = await freePort()
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()

  const start = async () => {
    const [program, args] = asServerUser('postgres', [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      dataDir,
      '-c',
      'listen_addresses=127.0.0.1',
      // A throwaway server: durability on disk is not what the tests are about, speed is.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ])
    let log = ''
    const proc = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    proc.stdout?.on('data', (d) => {
      log = (log + d).slice(-4000)
    })
    proc.stderr?.on('data', (d) => {
      log = (log + d).slice(-4000)
    })
    child = proc
    exited = new Promise((resolve) => proc.once('exit', () => resolve()))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`postgres exited at start: ${log}`)
      try {
        execFileSync(join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], { stdio: 'ignore' })
        return
      } catch {}
      if (Date.now() > deadline) throw new Error(`postgres did not start on port ${port}: ${log}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  const stop = async () => {
    if (!child || child.exitCode !== null) return
    // The postmaster's own pid (under runuser the child is runuser): SIGINT is a fast shutdown.
    const pidFile = join(dataDir, 'postmaster.pid')
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : child.pid
    if (pid) process.kill(pid, 'SIGINT')
    await exited
    child = undefined
  }

  await start()
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  return {
    url: urlOf('postgres'),
    port,
    dataDir,
    urlOf,
    bin: (name) => join(binDir, name),
    stop,
    start,
    async destroy() {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort, waitForPort } from '@tokentags/testkit'

const run = promisify(execFile)

export interface ClusterNode {
  port: number
  process: ChildProcess
  /** `127.0.0.1:port`. */
  address: string
}

export interface RedisCluster {
  /** Every node, `host:port` (what `REDIS_CLUSTER_NODES` takes). */
  nodes: string[]
  /** The masters now, as the cluster itself reports them. */
  masters(): Promise<ClusterNode[]>
  /** The master serving `key`'s hash slot now. */
  masterOf(key: string): Promise<ClusterNode>
  /** SIGKILLs one node: no goodbye, its replica must take over. */
  kill(node: ClusterNode): Promise<void>
  /** Resolves once every live node reports `cluster_state:ok`, every slot has a live master and every replica is linked. */
  waitHealthy(timeoutMs?: number): Promise<void>
  /** Stops every node and removes the temporary directory. */
  stop(): Promise<void>
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.env.REDIS_CLI ?? 'redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])
  return stdout
}

/**
 * A real Redis Cluster from Debian's `redis-server`: three masters and three replicas on free
 * ports of 127.0.0.1, each with its own directory under one temporary directory, no persistence.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const binary = process.env.REDIS_SERVER ?? 'redis-server'
  const dir = mkdtempSync(join(tmpdir(), 'tt-cluster-'))
  const nodes: ClusterNode[] = []
  const exits = new Map<ChildProcess, Promise<void>>()
  try {
    // Twelve distinct ports: a free port is released as soon as it is read, so two reads can return the same
    // one before any node binds it (seen in CI: one node never listened).
    const ports = new Set<number>()
    while (ports.size < 12) ports.add(await freePort())
    const free = [...ports]
    for (let i = 0; i < 6; i++) {
      // The bus port is given explicitly: port + 10000 may be taken or past 65535.
      const [port, busPort] = [free[2 * i] as number, free[2 * i + 1] as number]
      const nodeDir = join(dir, String(port))
      mkdirSync(nodeDir)
      const child = spawn(
        binary,
        [
          '--bind',
          '127.0.0.1',
          '--port',
          String(port),
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout',
          '1000',
          '--dir',
          nodeDir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--loglevel',
          'warning',
          // Replicas sync at once (the default waits 5 s for more replicas to share one transfer).
          '--repl-diskless-sync-delay',
          '0',
        ],
        { stdio: 'ignore' },
      )
      exits.set(child, new Promise<void>((resolve) => child.once('exit', () => resolve())))
      child.once('error', () => {})
      nodes.push({ port, process: child, address: `127.0.0.1:${port}` })
    }
    await Promise.all(nodes.map((n) => waitForPort(n.port)))
    await run(
      process.env.REDIS_CLI ?? 'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((n) => n.address),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
        // `--cluster create` waits for the nodes to meet with no end of its own: a node that cannot reach another's bus
        // would hang the caller's hook until its timeout, with no message.
      ],
      { timeout: 60_000 },
    )
  } catch (error) {
    const exited = nodes.filter((n) => n.process.exitCode !== null).map((n) => `${n.port} exited ${n.process.exitCode}`)
    for (const n of nodes) n.process.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw new Error(
      `cannot start a Redis Cluster (needs Debian's redis-server and redis-cli): ${String(error)}${exited.length ? ` (${exited.join(', ')})` : ''}`,
      {
        cause: error,
      },
    )
  }
  const alive = (n: ClusterNode) => n.process.exitCode === null && n.process.signalCode === null

  const cluster: RedisCluster = {
    nodes: nodes.map((n) => n.address),
    async masters() {
      const from = nodes.find(alive) as ClusterNode
      const lines = (await cli(from.port, 'cluster', 'nodes')).trim().split('\n')
      const ports = lines
        .map((line) => line.split(' '))
        .filter((f) => f[2]?.split(',').includes('master') && !f[2].includes('fail'))
        .map((f) => Number(f[1]?.split('@')[0]?.split(':')[1]))
      return nodes.filter((n) => ports.includes(n.port))
    },
    async masterOf(key) {
      const from = nodes.find(alive) as ClusterNode
      const slot = Number((await cli(from.port, 'cluster', 'keyslot', key)).trim())
      for (const line of (await cli(from.port, 'cluster', 'nodes')).trim().split('\n')) {
        const f = line.split(' ')
        if (!f[2]?.split(',').includes('master') || f[2].includes('fail')) continue
        const serves = f.slice(8).some((range) => {
          const [lo, hi] = range.split('-').map(Number)
          return lo !== undefined && slot >= lo && slot <= (hi ?? lo)
        })
        const port = Number(f[1]?.split('@')[0]?.split(':')[1])
        const node = nodes.find((n) => n.port === port)
        if (serves && node) return node
      }
      throw new Error(`no live master serves slot ${slot}`)
    },
    async kill(node) {
      node.process.kill('SIGKILL')
      await exits.get(node.process)
    },
    async waitHealthy(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs
      for (;;) {
        const states = await Promise.all(nodes.filter(alive).map((n) => cli(n.port, 'cluster', 'info').catch(() => '')))
        // Every replica linked to its master too: writes are acknowledged by replicas (WAIT).
        const links = await Promise.all(
          nodes.filter(alive).map((n) => cli(n.port, 'info', 'replication').catch(() => '')),
        )
        const linked = links.every((info) => !info.includes('role:slave') || info.includes('master_link_status:up'))
        if (linked && states.every((s) => s.includes('cluster_state:ok'))) {
          const check = await cli((nodes.find(alive) as ClusterNode).port, 'cluster', 'slots').catch(() => '')
          if (check.trim() !== '') return
        }
        if (Date.now() > until) throw new Error('the Redis Cluster did not become healthy')
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    async stop() {
      for (const n of nodes) if (alive(n)) n.process.kill('SIGKILL')
      await Promise.all([...exits.values()])
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await cluster.waitHealthy()
  return cluster
}

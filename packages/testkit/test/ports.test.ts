// Ports handed to the servers tests start (anvil, Redis, PostgreSQL, relay processes): free, outside the kernel's
// ephemeral range (where outgoing connections take their local ports), never handed out twice in one run.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort, portBand } from '../src/ports.js'

describe('freePort', () => {
  it('hands out ports below the ephemeral range, so no outgoing connection can take one before its server binds', async () => {
    const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
    for (let i = 0; i < 50; i++) {
      const port = await freePort()
      expect(port).toBeGreaterThanOrEqual(10_000)
      expect(port).toBeLessThan(ephemeralLow)
    }
  })

  it('never hands one port out twice in a process, even while none of them is bound yet', async () => {
    const ports = []
    for (let i = 0; i < 300; i++) ports.push(await freePort())
    expect(new Set(ports).size).toBe(ports.length)
  })

  it('never hands one port to two processes of a run', () => {
    const script = resolve(import.meta.dirname, '../src/ports.ts')
    const take = (n: number) =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import(${JSON.stringify(script)}).then(async ({ freePort }) => { const p = []; for (let i = 0; i < ${n}; i++) p.push(await freePort()); console.log(JSON.stringify(p)) })`,
        ],
        { encoding: 'utf8' },
      )
    // Two processes, 300 ports each from a band of ~22,000: unclaimed, they would share ports in nearly every run
    // (birthday bound: ~4 shared expected).
    const [a, b] = [JSON.parse(take(300)) as number[], JSON.parse(take(300)) as number[]]
    const shared = a.filter((port) => b.includes(port))
    expect(shared).toEqual([])
  })

  it('takes its band from the kernel, with a fixed band when the ephemeral range leaves no room below it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-ports-'))
    const file = join(dir, 'range')
    writeFileSync(file, '40000\t60999\n')
    expect(portBand(file)).toEqual({ low: 10_000, high: 39_999 })
    writeFileSync(file, '1024\t65535\n')
    expect(portBand(file)).toEqual({ low: 20_000, high: 29_999 })
    expect(portBand(join(dir, 'missing'))).toEqual({ low: 10_000, high: 32_767 })
  })
})

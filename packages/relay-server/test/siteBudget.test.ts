// "Sane defaults": the relay refuses to start a site that can spend gas without a daily budget,
// unless its config says "unlimited". Checked through the config file path and createRelay alike.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { parseRelayConfigFile, resolveSites, type SiteConfig } from '../src/config.js'
import { ConfigError } from '../src/configError.js'
import { createRelay } from '../src/index.js'

const TARGET = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const BIN = resolve(import.meta.dirname, '../dist/bin.js')
const site = (extra: Partial<SiteConfig> = {}): SiteConfig => ({
  origins: ['https://shop.example'],
  targets: [{ address: TARGET, functions: ['claim(uint256)'] }],
  ...extra,
})
const file = (sites: Record<string, unknown>) => ({
  chains: [{ chainId: 31337, rpcUrl: 'http://127.0.0.1:9', forwarder: TARGET, maxFeePerGas: '1000000000' }],
  sites,
})

describe('site daily budget', () => {
  it('is required for a site with targets: the error names the site, the field and both fixes', () => {
    const error = (() => {
      try {
        resolveSites({ pk_ok: site({ dailyBudgetWei: '1' }), pk_shop: site() })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as ConfigError).message
    expect(message).toContain('site pk_shop has no daily budget')
    expect(message).toContain('sites.pk_shop.dailyBudgetWei')
    expect(message).toContain('"unlimited"')
  })

  it('refuses to create a relay from a config file whose site has none', () => {
    const config = parseRelayConfigFile(
      file({
        pk_shop: { origins: ['https://shop.example'], targets: [{ address: TARGET, functions: ['claim(uint256)'] }] },
      }),
    )
    expect(() => createRelay({ ...config, logger: pino({ level: 'silent' }) })).toThrow(
      /site pk_shop has no daily budget/,
    )
  })

  it('the tokentags-relay bin exits at start with the message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-budget-'))
    try {
      const path = join(dir, 'relay.json')
      const site = { origins: ['https://shop.example'], targets: [{ address: TARGET, functions: ['claim(uint256)'] }] }
      // anvil's public dev account #1 as the relayer key: the bin wants one before anything else.
      const chains = file({}).chains.map((c) => ({ ...c, relayerPrivateKeys: [ANVIL_DEV_ACCOUNTS[1]?.privateKey] }))
      const run = (config: object) => {
        writeFileSync(path, JSON.stringify(config))
        return spawnSync(process.execPath, [BIN, '--config', path, '--port', '0'], {
          env: { PATH: process.env.PATH, TOKENTAGS_RELAY_LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          timeout: 20_000,
        })
      }
      const refused = run({ chains, sites: { pk_shop: site } })
      expect(refused.status).not.toBe(0)
      expect(`${refused.stderr}${refused.stdout}`).toContain('site pk_shop has no daily budget')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('"unlimited" opts out in code and in a file; a number or decimal string is a cap', () => {
    const resolved = resolveSites({
      pk_free: site({ dailyBudgetWei: 'unlimited' }),
      pk_capped: site({ dailyBudgetWei: '50000000000000000' }),
      pk_zero: site({ dailyBudgetWei: 0 }),
    })
    expect(resolved.get('pk_free')?.dailyBudgetWei).toBeUndefined()
    expect(resolved.get('pk_capped')?.dailyBudgetWei).toBe(50_000_000_000_000_000n)
    expect(resolved.get('pk_zero')?.dailyBudgetWei).toBe(0n)
    const parsed = parseRelayConfigFile(
      file({
        pk_free: {
          origins: ['*'],
          targets: [{ address: TARGET, functions: ['claim(uint256)'] }],
          dailyBudgetWei: 'unlimited',
        },
      }),
    )
    expect(parsed.sites.pk_free?.dailyBudgetWei).toBe('unlimited')
    expect(resolveSites(parsed.sites).get('pk_free')?.dailyBudgetWei).toBeUndefined()
  })

  it('is not asked of a site without targets (it spends no EVM gas)', () => {
    expect(resolveSites({ pk_sol: { origins: ['*'], targets: [] } }).get('pk_sol')?.dailyBudgetWei).toBeUndefined()
  })

  it('refuses any other word, and amounts out of range', () => {
    expect(() => resolveSites({ pk: site({ dailyBudgetWei: 'infinite' }) })).toThrow(/integer of wei or "unlimited"/)
    expect(() => resolveSites({ pk: site({ dailyBudgetWei: 2n ** 63n }) })).toThrow(/between 0 and 2\^63 - 1/)
    expect(() =>
      parseRelayConfigFile(file({ pk: { origins: ['*'], targets: [], dailyBudgetWei: 'Unlimited' } })),
    ).toThrow(ConfigError)
  })
})

// Issue 13, findings 2: a site's functions by signature, decoded strictly, with argument rules, on a
// running relay over a real Redis. Each refusal has an accepted control on the same relay and site.
import { tagTokenAbi } from '@tokentags/contracts'
import { type Address, concat, encodeFunctionData, type Hex, type LocalAccount, pad, toHex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRelayConfigFile, resolveSites } from '../src/config.js'
import { ConfigError, createRedisStore, type RunningRelay } from '../src/index.js'
import {
  ORIGIN,
  postRequest,
  relayConfig,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  waitForFinal,
} from './helpers.js'
import { fundedUsers, SINK, transferSelector } from './support/load.js'
import { type RedisInstance, startRedis } from './support/redis.js'

const OTHER: Address = '0x000000000000000000000000000000000000dEaD'
const BALANCE = 1000n

let chain: TestChain
let redis: RedisInstance
let relay: RunningRelay
let users: LocalAccount[]
let next = 0

beforeAll(async () => {
  ;[chain, redis] = await Promise.all([setupChain(), startRedis()])
  users = await fundedUsers(chain, 16, BALANCE)
  const base = relayConfig(chain)
  relay = await startTestRelay(chain, {
    store: await createRedisStore({ url: redis.url }),
    sites: {
      ...base.sites,
      pk_strict: {
        origins: [ORIGIN],
        targets: [
          {
            address: chain.token,
            functions: [
              {
                signature: 'transfer(address to, uint256 amount)',
                args: { to: { allow: [SINK] }, amount: { min: 1, max: 500 } },
              },
            ],
          },
        ],
        dailyBudgetWei: 'unlimited',
      },
      pk_legacy: {
        origins: [ORIGIN],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    limits: { perIp: false, perSender: false },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await Promise.all([chain?.anvil.stop(), redis?.stop()])
})

const transfer = (to: Address, amount: bigint) =>
  encodeFunctionData({ abi: tagTokenAbi, functionName: 'transfer', args: [to, amount] })

/** A fresh funded signer's request with `data` to the token (nonce 0: each test its own signer). */
async function post(site: string, data: Hex) {
  const account = users[next++]
  if (!account) throw new Error('out of funded users')
  const body = await signedBody({ account, forwarder: chain.forwarder, to: chain.token, data, nonce: 0n, gas: 80_000n })
  const result = await postRequest(relay, body, { site })
  return {
    status: result.status,
    code: result.json.error?.code,
    message: result.json.error?.message,
    reason: result.json.error?.reason,
    id: result.json.id,
  }
}

// The finding's attack: 15 KiB of junk after the arguments, paid for by the sponsor on every call.
const JUNK = toHex(new Uint8Array(15 * 1024).fill(0xab))

describe('a function allowed by signature', () => {
  it('refuses a padded transfer (403 CALLDATA_NOT_ALLOWED) and executes the exact one', async () => {
    const padded = await post('pk_strict', concat([transfer(SINK, 1n), JUNK]))
    expect(padded).toMatchObject({ status: 403, code: 'CALLDATA_NOT_ALLOWED' })
    expect(padded.message).toContain(`${15 * 1024} bytes beyond the arguments of transfer(address,uint256)`)
    // One byte is enough: nothing after the arguments is accepted.
    expect(await post('pk_strict', concat([transfer(SINK, 1n), '0x00']))).toMatchObject({
      status: 403,
      code: 'CALLDATA_NOT_ALLOWED',
    })
    const exact = await post('pk_strict', transfer(SINK, 1n))
    expect(exact.status).toBe(202)
    expect(await waitForFinal(relay, exact.id as string)).toMatchObject({ status: 'confirmed' })
  })

  it('refuses a non-canonical encoding: an address word with dirty upper bytes, or data cut short', async () => {
    const exact = transfer(SINK, 1n)
    // Same selector, same 20 address bytes: the EVM would read SINK, but it is not the encoding.
    const dirty = concat([transferSelector, pad('0x01', { size: 12 }), SINK, `0x${exact.slice(74)}`])
    expect(dirty.length).toBe(exact.length)
    expect(await post('pk_strict', dirty)).toMatchObject({ status: 403, code: 'CALLDATA_NOT_ALLOWED' })
    expect(await post('pk_strict', exact.slice(0, -2) as Hex)).toMatchObject({
      status: 403,
      code: 'CALLDATA_NOT_ALLOWED',
    })
  })

  it('applies argument rules: amount min and max, recipient allow list (403 ARGUMENT_NOT_ALLOWED)', async () => {
    const zero = await post('pk_strict', transfer(SINK, 0n))
    expect(zero).toMatchObject({ status: 403, code: 'ARGUMENT_NOT_ALLOWED' })
    expect(zero.message).toBe('amount 0 is below the minimum of 1')
    expect(await post('pk_strict', transfer(SINK, 501n))).toMatchObject({
      status: 403,
      code: 'ARGUMENT_NOT_ALLOWED',
      message: 'amount 501 is above the maximum of 500',
    })
    expect(await post('pk_strict', transfer(OTHER, 1n))).toMatchObject({ status: 403, code: 'ARGUMENT_NOT_ALLOWED' })
    // The boundaries themselves are allowed.
    expect((await post('pk_strict', transfer(SINK, 500n))).status).toBe(202)
  })

  it('leaves "holds what it spends" to the simulation: a transfer above the balance is 422 SIMULATION_FAILED', async () => {
    const site = 'pk_legacy'
    const over = await post(site, transfer(SINK, BALANCE + 1n))
    expect(over).toMatchObject({ status: 422, code: 'SIMULATION_FAILED', reason: 'ERC20InsufficientBalance' })
    expect((await post(site, transfer(SINK, BALANCE))).status).toBe(202)
  })
})

describe('a selector-only entry (legacy)', () => {
  it('refuses data that is not whole words, or more words than maxArgumentWords; takes the exact call', async () => {
    expect(await post('pk_legacy', concat([transfer(SINK, 1n), '0x00']))).toMatchObject({
      status: 403,
      code: 'CALLDATA_NOT_ALLOWED',
    })
    // 15 KiB of junk is 480 whole words: over the default 64.
    expect(await post('pk_legacy', concat([transfer(SINK, 1n), JUNK]))).toMatchObject({
      status: 403,
      code: 'CALLDATA_NOT_ALLOWED',
    })
    expect((await post('pk_legacy', transfer(SINK, 1n))).status).toBe(202)
  })
})

describe('config', () => {
  const site = (functions: unknown[]) => ({
    pk: { origins: ['*'], targets: [{ address: SINK, functions: functions as never }], dailyBudgetWei: 'unlimited' },
  })
  it('reads signatures with or without names and keys rules by name or position', () => {
    const [target] =
      resolveSites(site(['claim(uint256)', { signature: 'transfer(address,uint256)', args: { 1: { min: 5 } } }])).get(
        'pk',
      )?.targets ?? []
    expect([...(target?.functions?.values() ?? [])].map((f) => [f.selector, f.signature])).toEqual([
      ['0x379607f5', 'claim(uint256)'],
      [transferSelector, 'transfer(address,uint256)'],
    ])
  })
  it('reads functions from a config file, and refuses a target with neither functions nor selectors', () => {
    const file = (target: object) => ({
      sites: { pk: { origins: ['*'], targets: [{ address: SINK, ...target }], dailyBudgetWei: 'unlimited' } },
    })
    const parsed = parseRelayConfigFile(
      file({
        functions: [
          'claim(uint256)',
          { signature: 'transfer(address to,uint256 amount)', args: { amount: { min: '1' } } },
        ],
      }),
    )
    const [target] = resolveSites(parsed.sites).get('pk')?.targets ?? []
    expect(target?.functions?.get(transferSelector)?.rules).toEqual([{ index: 1, name: 'amount', min: 1n }])
    expect(() => parseRelayConfigFile(file({}))).toThrow(/at least one function/)
    expect(() =>
      parseRelayConfigFile(file({ functions: [{ signature: 'claim(uint256)', args: { 0: { minimum: 1 } } }] })),
    ).toThrow(ConfigError)
  })

  it('refuses a rule that does not fit its function', () => {
    expect(() => resolveSites(site(['transfer(address,uint256']))).toThrow(ConfigError)
    expect(() =>
      resolveSites(site([{ signature: 'transfer(address to,uint256)', args: { amount: { min: 1 } } }])),
    ).toThrow(/no such argument/)
    expect(() =>
      resolveSites(site([{ signature: 'transfer(address to,uint256 a)', args: { to: { min: 1 } } }])),
    ).toThrow(/uint arguments/)
    expect(() =>
      resolveSites(site([{ signature: 'transfer(address to,uint256 a)', args: { a: { allow: [SINK] } } }])),
    ).toThrow(/address arguments/)
  })
})

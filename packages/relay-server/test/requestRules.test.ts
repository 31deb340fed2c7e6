// The submit route's rules as one pure decision (src/evm/policy.ts): each rule at its boundary, and
// the order in which a request breaking several is told about them.

import type { Address, Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { judgeRequestPolicy, type PolicyInput } from '../src/evm/policy.js'

const target = '0x1111111111111111111111111111111111111111' as Address
const other = '0x2222222222222222222222222222222222222222' as Address
const NOW = 1_700_000_000n

function input(request: Partial<PolicyInput['request']> = {}, overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    request: {
      from: other,
      to: target,
      value: 0n,
      gas: 100_000n,
      nonce: 0n,
      deadline: NOW + 60n,
      data: `0xa9059cbb${'00'.repeat(64)}` as Hex,
      ...request,
    },
    site: { targets: [{ address: target, selectors: new Set<Hex>(['0xa9059cbb']), chainId: 8453 }] },
    chainId: 8453,
    maxGasPerRequest: 100_000n,
    nowSeconds: NOW,
    maxDeadlineSeconds: 3600,
    ...overrides,
  }
}

const code = (i: PolicyInput) => judgeRequestPolicy(i)?.code

describe('judgeRequestPolicy', () => {
  it('accepts a request on every boundary', () => {
    expect(judgeRequestPolicy(input())).toBeUndefined()
    expect(code(input({ deadline: NOW + 3600n, gas: 100_000n, to: target.toUpperCase() as Address }))).toBeUndefined()
  })

  it('refuses value, and deadlines passed or too far', () => {
    expect(code(input({ value: 1n }))).toBe('VALUE_NOT_ALLOWED')
    expect(code(input({ deadline: NOW }))).toBe('EXPIRED')
    expect(code(input({ deadline: NOW + 3601n }))).toBe('DEADLINE_TOO_FAR')
  })

  it('refuses a target not listed for this chain, and a function not listed on it', () => {
    expect(code(input({ to: other }))).toBe('TARGET_NOT_ALLOWED')
    expect(code(input({}, { chainId: 1 }))).toBe('TARGET_NOT_ALLOWED')
    expect(code(input({ data: '0x095ea7b3' }))).toBe('SELECTOR_NOT_ALLOWED')
    expect(judgeRequestPolicy(input({ data: '0xa9059c' }))).toEqual({
      code: 'SELECTOR_NOT_ALLOWED',
      message: `function (none) is not allowed on ${target}`,
    })
  })

  it('refuses gas above the cap', () => {
    expect(judgeRequestPolicy(input({ gas: 100_001n }))).toEqual({
      code: 'GAS_TOO_HIGH',
      message: 'gas 100001 is above the cap of 100000',
    })
  })

  it('names the first rule broken: value, deadline, target, function, gas', () => {
    expect(code(input({ value: 1n, deadline: NOW, to: other, gas: 1n << 64n }))).toBe('VALUE_NOT_ALLOWED')
    expect(code(input({ deadline: NOW, to: other }))).toBe('EXPIRED')
    expect(code(input({ to: other, gas: 1n << 64n }))).toBe('TARGET_NOT_ALLOWED')
    expect(code(input({ data: '0x', gas: 1n << 64n }))).toBe('SELECTOR_NOT_ALLOWED')
  })
})

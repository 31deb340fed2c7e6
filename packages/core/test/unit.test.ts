import { forwarderAbi, vestingVaultAbi } from '@tokentags/contracts'
import { forwarderNoncesAbi } from '@tokentags/contracts/forwarder'
import { describe, expect, it } from 'vitest'
import {
  createTokenTagsClient,
  formatTokenAmount,
  RelayRejectedError,
  RelayUnreachableError,
  TokenTagsError,
  WrongChainError,
} from '../src/index.js'
import * as abis from '../src/internal/abis.js'
import { redactUrls } from '../src/internal/redact.js'
import { nextVestingStep, vestedAt } from '../src/internal/vesting.js'

describe('formatTokenAmount', () => {
  it('formats exactly with grouping, rounding half up at maximumFractionDigits', () => {
    expect(formatTokenAmount(1_234_567_890_000_000_000_000n, 18, { locale: 'en-US' })).toBe('1,234.5679')
    expect(formatTokenAmount(1_500_000_000_000_000_000n, 18, { locale: 'en-US' })).toBe('1.5')
    expect(formatTokenAmount(0n, 18, { locale: 'en-US' })).toBe('0')
    expect(formatTokenAmount(1n, 18, { locale: 'en-US' })).toBe('0')
    expect(formatTokenAmount(1n, 18, { locale: 'en-US', maximumFractionDigits: 18 })).toBe('0.000000000000000001')
    expect(formatTokenAmount(-2_500_000n, 6, { locale: 'en-US', minimumFractionDigits: 2 })).toBe('-2.50')
    expect(formatTokenAmount(999_999_500_000_000_000n, 18, { locale: 'en-US', maximumFractionDigits: 6 })).toBe('1')
  })

  it('keeps every digit of amounts far beyond 2^53', () => {
    const big = 123_456_789_012_345_678_901_234_567_890n * 10n ** 18n + 5n * 10n ** 17n
    expect(formatTokenAmount(big, 18, { locale: 'en-US', maximumFractionDigits: 2 })).toBe(
      '123,456,789,012,345,678,901,234,567,890.5',
    )
  })

  it('uses the locale', () => {
    expect(formatTokenAmount(1_234_500_000n, 6, { locale: 'de-DE' })).toBe('1.234,5')
    expect(formatTokenAmount(1_234_500_000n, 6, { locale: 'fr-FR' })).toMatch(/^1\s234,5$/u)
  })
})

describe('errors', () => {
  it('carry codes, short messages, docs paths and causes', () => {
    const cause = new Error('boom')
    const error = new WrongChainError({ expectedChainId: 8453, actualChainId: 1, cause })
    expect(error).toBeInstanceOf(TokenTagsError)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({
      name: 'WrongChainError',
      code: 'WRONG_CHAIN',
      expectedChainId: 8453,
      actualChainId: 1,
    })
    expect(error.shortMessage).toBe('The wallet is on chain 1, this needs chain 8453.')
    expect(error.docsPath).toBe('/core/errors#wrong-chain')
    expect(error.cause).toBe(cause)
    const rejected = new RelayRejectedError({ relayCode: 'BAD_NONCE', relayMessage: 'stale nonce', status: 400 })
    expect(rejected).toMatchObject({ code: 'RELAY_REJECTED', relayCode: 'BAD_NONCE', status: 400 })
  })

  it('strip credentials from URLs in messages', () => {
    const error = new RelayUnreachableError({ url: 'https://user:secret@relay.example.com/v1/config?apikey=abc123' })
    expect(error.message).not.toContain('secret')
    expect(error.message).not.toContain('abc123')
    expect(error.url).toBe('https://relay.example.com/v1/config?apikey=redacted')
    expect(redactUrls('see https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef now')).toBe(
      'see https://mainnet.infura.io/v3/redacted now',
    )
    expect(redactUrls('http://127.0.0.1:8787/v1/requests/0b7c-4f1e-9a2b')).toBe(
      'http://127.0.0.1:8787/v1/requests/0b7c-4f1e-9a2b',
    )
  })

  it('createTokenTagsClient validates its config with INVALID_PARAMETER', () => {
    expect(() => createTokenTagsClient({ chains: [] })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }))
    expect(() => createTokenTagsClient({ chains: [{ id: 1, rpcUrl: 'nope' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER' }),
    )
  })
})

describe('vesting curve', () => {
  const curve = { start: 1_000n, cliff: 100n, duration: 1_000n, total: 3_000n }
  it('is 0 before the cliff, linear after, total at the end', () => {
    expect(vestedAt(curve, 1_099n)).toBe(0n)
    expect(vestedAt(curve, 1_100n)).toBe(300n)
    expect(vestedAt(curve, 1_500n)).toBe(1_500n)
    expect(vestedAt(curve, 2_000n)).toBe(3_000n)
  })
  it('steps at the cliff, then every second the integer amount grows, never after the end', () => {
    expect(nextVestingStep(curve, 500n)).toBe(1_100n)
    expect(nextVestingStep(curve, 1_100n)).toBe(1_101n)
    expect(nextVestingStep({ ...curve, total: 2n }, 1_100n)).toBe(1_500n)
    expect(nextVestingStep(curve, 1_999n)).toBe(2_000n)
    expect(nextVestingStep(curve, 2_000n)).toBeUndefined()
  })
})

describe('ABI fragments', () => {
  it('are the contracts’ own entries', () => {
    const key = (x: { type: string; name?: string }) => `${x.type}:${x.name}`
    const full = new Map([...vestingVaultAbi, ...forwarderAbi].map((x) => [key(x as never), x]))
    for (const fragment of [...abis.vestingVaultAbi, ...forwarderNoncesAbi]) {
      const actual = full.get(key(fragment)) as { inputs?: unknown; outputs?: unknown } | undefined
      expect(actual, key(fragment)).toBeDefined()
      const shape = (params: unknown) =>
        JSON.stringify(params, (k, v) => (k === 'internalType' || k === 'name' ? undefined : v))
      expect(shape(actual?.inputs), key(fragment)).toBe(shape(fragment.inputs))
      if ('outputs' in fragment) expect(shape(actual?.outputs), key(fragment)).toBe(shape(fragment.outputs))
    }
  })
})

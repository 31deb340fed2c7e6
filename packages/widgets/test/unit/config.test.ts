import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  configureTokenTags,
  getPageConfig,
  isGaslessMode,
  parseChainId,
  parseRpcList,
  resetPageConfig,
  watchPageConfig,
} from '../../src/internal/config.js'

const MISSING = 'The chain attribute is missing.'

describe('parseChainId', () => {
  it.each([
    ['8453', 8453],
    [' 31337 ', 31337],
    ['1', 1],
    [String(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
  ])('reads %j as %d', (text, id) => {
    expect(parseChainId(text, MISSING)).toBe(id)
  })

  it.each([null, '', '   '])('gives the advice when the attribute is %j', (text) => {
    expect(parseChainId(text, MISSING)).toBe(MISSING)
  })

  it.each(['0', '-1', '1.5', '0x2105', 'base', '1e3', '12 34', String(2 ** 53), `9${'0'.repeat(40)}`])(
    'refuses %j with a sentence naming it',
    (text) => {
      const answer = parseChainId(text, MISSING)
      expect(answer).toBe(`The chain "${text.slice(0, 30)}" is not a chain id (a positive whole number, e.g. 8453).`)
    },
  )
})

describe('parseRpcList', () => {
  afterEach(() => vi.restoreAllMocks())

  it('reads entries separated by commas or spaces, with known names and explorers', () => {
    expect(parseRpcList('31337=http://127.0.0.1:8545, 8453=https://base.example\n 7=wss://seven.example')).toEqual([
      { id: 31337, rpcUrl: 'http://127.0.0.1:8545', name: 'Local chain' },
      { id: 8453, rpcUrl: 'https://base.example', name: 'Base', explorerUrl: 'https://basescan.org' },
      { id: 7, rpcUrl: 'wss://seven.example' },
    ])
  })

  it.each([null, undefined, '', ' , '])('gives no chain for %j', (value) => {
    expect(parseRpcList(value)).toEqual([])
  })

  it.each([
    '=https://no-id.example',
    '0=https://zero.example',
    '-5=https://negative.example',
    'x=https://nan.example',
    '1.5=https://fraction.example',
    '8453',
    '8453=',
    '8453=ftp://base.example',
    '8453=javascript:alert(1)',
    '8453= https://space.example',
    `${2 ** 53}=https://unsafe.example`,
  ])('skips %j with a warning that hides credentials', (entry) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(parseRpcList(`${entry},1=https://eth.example`)).toEqual([
      { id: 1, rpcUrl: 'https://eth.example', name: 'Ethereum', explorerUrl: 'https://etherscan.io' },
    ])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toContain('is ignored')
  })

  it('masks user:password in the warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    parseRpcList('x=https://user:secret@rpc.example')
    expect(warn).toHaveBeenCalledTimes(1)
    const text = String(warn.mock.calls[0]?.[0])
    expect(text).not.toContain('secret')
    expect(text).toContain('//***@rpc.example')
  })
})

describe('isGaslessMode', () => {
  it.each(['auto', 'always', 'never'])('accepts %j', (mode) => expect(isGaslessMode(mode)).toBe(true))
  it.each(['', 'AUTO', 'yes', undefined, null, 1])('refuses %j', (mode) => expect(isGaslessMode(mode)).toBe(false))
})

describe('the page configuration channel', () => {
  afterEach(() => resetPageConfig())

  it('gives late subscribers the current configuration, then every later one, until they unsubscribe', () => {
    expect(getPageConfig()).toBeUndefined()
    const early: unknown[] = []
    const stopEarly = watchPageConfig((c) => early.push(c))
    expect(early).toEqual([])
    const first = { chains: [], relayUrl: 'https://relay.example' }
    configureTokenTags(first)
    expect(getPageConfig()).toBe(first)
    const late: unknown[] = []
    const stopLate = watchPageConfig((c) => late.push(c))
    expect(late).toEqual([first])
    const second = { chains: [], siteKey: 'pk_x' }
    configureTokenTags(second)
    expect(early).toEqual([first, second])
    expect(late).toEqual([first, second])
    stopEarly()
    stopLate()
    configureTokenTags(first)
    expect(early).toHaveLength(2)
    expect(late).toHaveLength(2)
  })

  it('is shared through globalThis by every copy of the bundle', () => {
    const config = { chains: [] }
    configureTokenTags(config)
    const shared = (globalThis as unknown as Record<symbol, { config?: unknown }>)[Symbol.for('tokentags.config.v1')]
    expect(shared?.config).toBe(config)
    resetPageConfig()
    expect(getPageConfig()).toBeUndefined()
  })
})

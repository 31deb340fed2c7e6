// The pure parts of the page session: `spl-symbols` parsing and what `remember` stores (only wallet ids, per
// network, under one key), with an in-memory localStorage.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parseSplSymbols } from '../../src/internal/config.js'
import { REMEMBER_KEY, rememberedWallet } from '../../src/internal/page-session.js'
import { rememberWallet } from '../../src/internal/remember.js'

const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'
const BONK = 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263'

describe('parseSplSymbols', () => {
  it('reads <mint>=<symbol> pairs separated by commas or spaces, with or without sol:', () => {
    expect(parseSplSymbols(`${USDC}=USDC, sol:${BONK}=BONK`)).toEqual({ [USDC]: 'USDC', [BONK]: 'BONK' })
    expect(parseSplSymbols(`${USDC}=USDC\n${BONK}=BONK`)).toEqual({ [USDC]: 'USDC', [BONK]: 'BONK' })
  })

  it('skips entries that are not a mint and a short symbol', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(parseSplSymbols(`0xabc=USDC ${USDC}= ${USDC}=<b>x</b> ${BONK}=${'X'.repeat(17)} ${USDC}=US DC`)).toEqual({
      [USDC]: 'US',
    })
    expect(parseSplSymbols(null)).toEqual({})
    warn.mockRestore()
  })
})

describe('remember storage', () => {
  const items = new Map<string, string>()
  beforeEach(() => {
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => items.set(key, value),
      removeItem: (key: string) => items.delete(key),
    })
  })
  afterEach(() => {
    items.clear()
    vi.unstubAllGlobals()
  })

  it('keeps one wallet id per network under one key, and drops the key when both are forgotten', () => {
    rememberWallet('evm', 'io.metamask')
    rememberWallet('solana', 'Phantom')
    expect(JSON.parse(items.get(REMEMBER_KEY) ?? '')).toEqual({ evm: 'io.metamask', solana: 'Phantom' })
    expect(rememberedWallet('evm')).toBe('io.metamask')
    rememberWallet('evm', undefined)
    expect(JSON.parse(items.get(REMEMBER_KEY) ?? '')).toEqual({ solana: 'Phantom' })
    rememberWallet('solana', undefined)
    expect(items.has(REMEMBER_KEY)).toBe(false)
  })

  it('ignores what it did not write: other keys, non-strings, garbage', () => {
    items.set(REMEMBER_KEY, JSON.stringify({ evm: ['io.metamask'], solana: 'Phantom', address: '0xabc' }))
    expect(rememberedWallet('evm')).toBe(undefined)
    expect(rememberedWallet('solana')).toBe('Phantom')
    rememberWallet('evm', 'io.metamask')
    expect(JSON.parse(items.get(REMEMBER_KEY) ?? '')).toEqual({ evm: 'io.metamask', solana: 'Phantom' })
    items.set(REMEMBER_KEY, '{not json')
    expect(rememberedWallet('solana')).toBe(undefined)
  })

  it('does nothing where localStorage throws (sandboxed frames)', () => {
    vi.stubGlobal('localStorage', undefined)
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('denied', 'SecurityError')
      },
    })
    expect(() => rememberWallet('evm', 'io.metamask')).not.toThrow()
    expect(rememberedWallet('evm')).toBe(undefined)
    Reflect.deleteProperty(globalThis, 'localStorage')
  })
})

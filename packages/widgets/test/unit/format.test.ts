import { describe, expect, it } from 'vitest'
import { chainName, knownChain } from '../../src/internal/chains.js'
import {
  formatAmount,
  formatDate,
  formatPercent,
  percentOf,
  shortenHash,
  toDecimalString,
  txUrl,
} from '../../src/internal/format.js'
import { DECIMAL_AMOUNT, parseAmount } from '../../src/token-tip/amount.js'

describe('toDecimalString', () => {
  it.each([
    [0n, 18, 6, '0'],
    [1n, 0, 6, '1'],
    [1_500_000_000_000_000_000n, 18, 6, '1.5'],
    [1_234_567_890_000_000_000n, 18, 6, '1.234567'],
    [1_234_567_890_000_000_000n, 18, 2, '1.23'],
    [1n, 18, 6, '0'],
    [1n, 6, 6, '0.000001'],
    [-2_500_000n, 6, 6, '-2.5'],
    [10n, 1, 6, '1'],
    [123_456n, 2, 6, '1234.56'],
    [100n, 2, 0, '1'],
  ])('%d with %d decimals, %d shown, is %s', (value, decimals, maxFraction, text) => {
    expect(toDecimalString(value, decimals, maxFraction)).toBe(text)
  })

  it('shows six fraction digits by default', () => {
    expect(toDecimalString(1_234_567_891n, 9)).toBe('1.234567')
  })
})

describe('formatAmount', () => {
  it.each([
    [1_234_500_000_000_000_000_000n, 18, 'TAG', 'en', '1,234.5 TAG'],
    [1_234_500_000_000_000_000_000n, 18, 'TAG', 'de', '1.234,5 TAG'],
    [10n ** 14n, 18, 'ETH', 'en', '0.0001 ETH'],
    [123_456_789n, 6, 'USDC', 'en', '123.4567 USDC'],
    [0n, 18, 'TAG', 'en', '0 TAG'],
    [5n, 0, '', 'en', '5'],
  ])('%d (%d decimals) %s in %s is %s', (value, decimals, symbol, locale, text) => {
    expect(formatAmount(value, decimals, symbol, locale)).toBe(text)
  })

  it('says "< 0.0001" for an amount too small to show, never 0', () => {
    expect(formatAmount(1n, 18, 'TAG', 'en')).toBe('< 0.0001 TAG')
    expect(formatAmount(99_999_999_999_999n, 18, 'TAG', 'fr')).toBe('< 0,0001 TAG')
  })
})

describe('percentOf and formatPercent', () => {
  it.each([
    [0n, 100n, 0],
    [40n, 100n, 40],
    [1n, 3n, 33],
    [2n, 3n, 66],
    [100n, 100n, 100],
    [150n, 100n, 100],
    [-5n, 100n, 0],
    [5n, 0n, 0],
    [5n, -1n, 0],
  ])('%d of %d is %d%', (part, total, pct) => {
    expect(percentOf(part, total)).toBe(pct)
  })

  it('formats whole percentages by locale', () => {
    expect(formatPercent(40, 'en')).toBe('40%')
    // French and German put a no-break space (U+00A0 or U+202F, by ICU version) before the sign.
    expect(formatPercent(40, 'fr')).toMatch(/^40[\u00a0\u202f]%$/)
    expect(formatPercent(0, 'en')).toBe('0%')
    expect(formatPercent(100, 'de')).toMatch(/^100[\u00a0\u202f]%$/)
    expect(formatPercent(7, 'ar-EG')).not.toContain('7')
  })
})

describe('formatDate', () => {
  it('shows a unix time as a medium date and short time in the locale (UTC here)', () => {
    const text = formatDate(1_772_355_600, 'en')
    expect(text).toMatch(/^\w{3} \d{1,2}, 2026, \d{1,2}:\d{2}\s?[AP]M$/)
    expect(new Date(1_772_355_600 * 1000).getUTCFullYear()).toBe(2026)
    expect(formatDate(0, 'en')).toMatch(/1970|1969/)
  })
})

describe('shortenHash', () => {
  it('keeps six leading and four trailing characters of anything longer than 12', () => {
    expect(shortenHash(`0x${'ab'.repeat(32)}`)).toBe('0xabab…abab')
    expect(shortenHash('0x1234567890123')).toBe('0x1234…0123')
    expect(shortenHash('0x1234567890')).toBe('0x1234567890')
    expect(shortenHash('123456789012')).toBe('123456789012')
    expect(shortenHash('1234567890123')).toBe('123456…0123')
  })
})

describe('txUrl', () => {
  const hash = `0x${'9f'.repeat(32)}`
  it.each([
    ['https://basescan.org', `https://basescan.org/tx/${hash}`],
    ['https://basescan.org/', `https://basescan.org/tx/${hash}`],
    ['https://basescan.org///', `https://basescan.org/tx/${hash}`],
    ['http://127.0.0.1:4000', `http://127.0.0.1:4000/tx/${hash}`],
    ['https://explorer.example/tx/{signature}?cluster=devnet', `https://explorer.example/tx/${hash}?cluster=devnet`],
  ])('links %s', (explorer, url) => {
    expect(txUrl(explorer, hash)).toBe(url)
  })

  it('encodes a signature placed by the explorer template', () => {
    expect(txUrl('https://x.example/{signature}', 'a/b?c')).toBe('https://x.example/a%2Fb%3Fc')
  })

  it.each([
    undefined,
    '',
    'javascript:alert(1)//',
    'data:text/html,hi',
    'ftp://files.example',
    ' https://space.example',
    'HTTPS://upper.example',
    'https:/one-slash.example',
  ])('gives no link for the explorer %j', (explorer) => {
    expect(txUrl(explorer, hash)).toBeUndefined()
  })
})

describe('chains', () => {
  it('knows the names and explorers of well-known chains', () => {
    expect(knownChain(8453)).toEqual({ name: 'Base', explorerUrl: 'https://basescan.org' })
    expect(knownChain(31337)).toEqual({ name: 'Local chain' })
    expect(knownChain(999_999)).toBeUndefined()
  })

  it('names a chain by configuration, then by what it knows, then by id', () => {
    expect(chainName(8453, 'My Base')).toBe('My Base')
    expect(chainName(8453)).toBe('Base')
    expect(chainName(999_999)).toBe('chain 999999')
  })
})

describe('parseAmount', () => {
  it.each([
    ['1', 18, 10n ** 18n],
    [' 2.25 ', 2, 225n],
    ['0.5', 6, 500_000n],
    ['.5', 1, 5n],
    ['5.', 3, 5_000n],
    ['0', 18, 0n],
    ['007', 0, 7n],
    ['1.000000', 6, 1_000_000n],
  ])('reads %j with %d decimals as %d', (text, decimals, value) => {
    expect(parseAmount(text, decimals)).toBe(value)
  })

  it.each([
    ['', 18],
    ['.', 18],
    ['-1', 18],
    ['+1', 18],
    ['1e3', 18],
    ['1.2.3', 18],
    ['0x10', 18],
    ['1,5', 18],
    ['0.1234567', 6],
    ['0.5', 0],
  ])('refuses %j with %d decimals', (text, decimals) => {
    expect(parseAmount(text, decimals)).toBeUndefined()
  })

  it('describes whole-token decimal text', () => {
    for (const ok of ['1', '0.5', '.5', '5.', '10.25']) expect(DECIMAL_AMOUNT.test(ok)).toBe(true)
    for (const bad of ['', '.', '1.2.3', ' 1', '1 ', '-1', 'a', '1e2']) expect(DECIMAL_AMOUNT.test(bad)).toBe(false)
  })
})

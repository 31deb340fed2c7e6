import { describe, expect, it } from 'vitest'
import { numberSymbols, parseLocalAmount } from '../../src/internal/parse-amount.js'

const NNBSP = '\u202f'
const E18 = 10n ** 18n
const E6 = 10n ** 6n

describe('numberSymbols', () => {
  it('reads each language separators and digits from Intl', () => {
    expect(numberSymbols('en')).toMatchObject({ decimal: '.', group: ',', grouping: [3, 3] })
    expect(numberSymbols('de')).toMatchObject({ decimal: ',', group: '.' })
    expect(numberSymbols('fr')).toMatchObject({ decimal: ',', group: NNBSP })
    expect(numberSymbols('es')).toMatchObject({ decimal: ',', group: '.' })
    expect(numberSymbols('ar-EG')).toMatchObject({ decimal: '٫', group: '٬' })
    expect(numberSymbols('ar-EG').digits.join('')).toBe('٠١٢٣٤٥٦٧٨٩')
    expect(numberSymbols('en-IN').grouping).toEqual([3, 2])
  })
})

// [locale, typed, decimals, base units]
const accepted: [string, string, number, bigint][] = [
  ['en', '1.5', 18, 15n * 10n ** 17n],
  ['en', '0.05', 6, 50_000n],
  ['en', '1.000', 18, E18],
  ['en', '1,000', 18, 1000n * E18],
  ['en', '1,234,567.891', 6, 1_234_567_891_000n],
  ['en', '.5', 6, 500_000n],
  ['en', '7.', 6, 7n * E6],
  ['en', '  2  ', 0, 2n],
  ['en', '0.000000000000000001', 18, 1n],
  ['en', '123456789012345678901234567890', 0, 123456789012345678901234567890n],
  ['en-IN', '12,34,567', 0, 1234567n],
  ['de', '0,05', 6, 50_000n],
  ['de', '1.000', 18, 1000n * E18],
  ['de', '1.000.000', 0, 1_000_000n],
  ['de', '1.234,5', 6, 1_234_500_000n],
  ['de', '1,5', 6, 1_500_000n],
  ['de', '1000,25', 6, 1_000_250_000n],
  ['de-CH', "1'000.5", 6, 1_000_500_000n],
  ['de-CH', '1’000.5', 6, 1_000_500_000n],
  ['fr', '0,05', 6, 50_000n],
  ['fr', `1${NNBSP}000,5`, 6, 1_000_500_000n],
  ['fr', '1\u00a0000,5', 6, 1_000_500_000n],
  ['fr', '1 000 000', 0, 1_000_000n],
  ['fr', '1,000', 6, E6],
  ['es', '0,05', 6, 50_000n],
  ['es', '12.345,67', 6, 12_345_670_000n],
  ['es', '1234,5', 6, 1_234_500_000n],
  ['es', '1.234', 0, 1234n],
  ['ar-EG', '٠٫٠٥', 6, 50_000n],
  ['ar-EG', '١٬٢٣٤٫٥', 6, 1_234_500_000n],
  ['ar-EG', '1٫5', 6, 1_500_000n],
  ['ar-EG', '\u200f١٫٥\u200f', 6, 1_500_000n],
  ['ar', '1.5', 6, 1_500_000n],
  ['ar', '1,000', 0, 1000n],
  ['ar', '١٫٥', 6, 1_500_000n],
  ['ar', '۱٫۵', 6, 1_500_000n],
]

describe('parseLocalAmount accepts', () => {
  it.each(accepted)('%s "%s" (%d decimals) as %d', (locale, text, decimals, value) => {
    expect(parseLocalAmount(text, decimals, locale)).toEqual({ value })
  })
})

// [locale, typed, the readings offered]
const ambiguous: [string, string, string[]][] = [
  ['en', '1,5', ['1.5']],
  ['en', '0,05', ['0.05']],
  ['en', '1.000,5', ['1,000.5']],
  ['en', ',5', ['0.5']],
  ['en', '1,2,3', []],
  ['en', '1,0000', ['1']],
  ['en', '12,34,567', []],
  ['de', '0.05', ['0,05']],
  ['de', '1.5', ['1,5']],
  ['de', '1,000.5', ['1.000,5']],
  ['de', '1.000,5.5', []],
  ['fr', '1.5', ['1,5']],
  ['fr', '1.000', ['1 000', '1'].map((s) => s.replace(' ', NNBSP))],
  ['fr', '1 000.5', [`1${NNBSP}000,5`]],
  ['es', '0.05', ['0,05']],
  ['es', '2.5', ['2,5']],
  ['ar-EG', '1.5', ['١٫٥']],
  ['ar-EG', '1,000', ['١٬٠٠٠', '١']],
  ['ar-EG', '١٬٥', ['١٫٥']],
  ['ar', '1,5', ['1.5']],
]

describe('parseLocalAmount refuses ambiguous input', () => {
  it.each(ambiguous)('%s "%s" offering %j', (locale, text, readings) => {
    expect(parseLocalAmount(text, 6, locale)).toEqual({ problem: 'ambiguous', readings })
  })

  it('offers only readings the token can hold', () => {
    expect(parseLocalAmount('1,5', 0, 'en')).toEqual({ problem: 'ambiguous', readings: [] })
  })
})

describe('parseLocalAmount refuses', () => {
  it.each([
    ['en', '-1'],
    ['en', '+1'],
    ['en', '1e3'],
    ['en', 'abc'],
    ['en', '1.2.3'],
    ['en', '.'],
    ['de', ',,'],
    ['en', '١٫٥'],
    ['de', '1,2,3'],
    ['fr', '1 2'.replace(' ', '_')],
    ['en', 'Infinity'],
    ['en', '0x10'],
  ])('%s "%s" as not a number', (locale, text) => {
    expect(parseLocalAmount(text, 6, locale)).toEqual({ problem: 'invalid' })
  })

  it.each([['en'], ['de'], ['ar-EG']])('%s: empty or blank input as nothing typed', (locale) => {
    expect(parseLocalAmount('', 6, locale)).toEqual({ problem: 'none' })
    expect(parseLocalAmount('  \u200f ', 6, locale)).toEqual({ problem: 'none' })
  })

  it('more fraction digits than the token has', () => {
    expect(parseLocalAmount('0.0000001', 6, 'en')).toEqual({ problem: 'precision' })
    expect(parseLocalAmount('0,0000001', 6, 'de')).toEqual({ problem: 'precision' })
    expect(parseLocalAmount('0.000001', 6, 'en')).toEqual({ value: 1n })
    expect(parseLocalAmount('1.5', 0, 'en')).toEqual({ problem: 'precision' })
  })
})

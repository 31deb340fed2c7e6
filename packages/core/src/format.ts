export interface FormatTokenAmountOptions {
  /** Fraction digits to keep after rounding half away from zero (default 4). */
  maximumFractionDigits?: number
  /** Pad with zeros up to this many fraction digits (default 0). */
  minimumFractionDigits?: number
  /** A BCP 47 locale; the runtime's default when omitted. */
  locale?: string | string[]
}

/**
 * Formats a token amount given in base units with the locale's grouping and decimal mark, exactly
 * (bigint arithmetic, no float rounding), e.g. `formatTokenAmount(1234567890000000000000n, 18)` → "1,234.5679".
 */
export function formatTokenAmount(value: bigint, decimals: number, options: FormatTokenAmountOptions = {}): string {
  const maxDigits = Math.max(0, Math.min(options.maximumFractionDigits ?? 4, decimals))
  const minDigits = Math.max(0, Math.min(options.minimumFractionDigits ?? 0, maxDigits))
  const negative = value < 0n
  let abs = negative ? -value : value
  const drop = BigInt(decimals - maxDigits)
  if (drop > 0n) {
    const unit = 10n ** drop
    abs = (abs + unit / 2n) / unit
  }
  const scale = 10n ** BigInt(maxDigits)
  const integer = abs / scale
  let fraction = (abs % scale).toString().padStart(maxDigits, '0').replace(/0+$/, '')
  if (fraction.length < minDigits) fraction = fraction.padEnd(minDigits, '0')

  const nf = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 0 })
  const parts = new Intl.NumberFormat(options.locale, { minimumFractionDigits: 1 }).formatToParts(-1.5)
  const decimalMark = parts.find((p) => p.type === 'decimal')?.value ?? '.'
  const minusSign = parts.find((p) => p.type === 'minusSign')?.value ?? '-'
  // Fraction digits in the locale's numbering system (e.g. Arabic-Indic digits).
  const digit = (d: string) => nf.format(Number(d))
  const fractionText = fraction ? decimalMark + Array.from(fraction, digit).join('') : ''
  const isZero = integer === 0n && !/[1-9]/.test(fraction)
  return `${negative && !isZero ? minusSign : ''}${nf.format(integer)}${fractionText}`
}

/** Whole-token decimal text (`"1"`, `"0.5"`, `"2.25"`): digits with at most one `.`, no sign or exponent. */
export const DECIMAL_AMOUNT = /^(\d+(\.\d*)?|\.\d+)$/

/** `text` in base units of a token with `decimals`, or undefined when it is not a decimal or too precise. */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const trimmed = text.trim()
  if (!DECIMAL_AMOUNT.test(trimmed)) return undefined
  const [whole = '', fraction = ''] = trimmed.split('.')
  if (fraction.length > decimals) return undefined
  return BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0')
}

/** A preset of the `amounts` attribute that the token cannot carry: the page's mistake, said as such. */
export interface PresetError {
  status: 'error'
  code: 'INVALID_ATTRIBUTE'
  message: string
  retryable: false
}

/** The `amounts` in base units of a token with `decimals` (`symbol` names it), or the error of the first that does not fit. */
export function parsePresets(amounts: string[], decimals: number, symbol: string): bigint[] | PresetError {
  const presets: bigint[] = []
  for (const text of amounts) {
    const amount = parseAmount(text, decimals)
    if (amount === undefined || amount <= 0n)
      return {
        status: 'error',
        code: 'INVALID_ATTRIBUTE',
        message: `The amount "${text.slice(0, 30)}" does not fit ${symbol} (at most ${decimals} decimals).`,
        retryable: false,
      }
    presets.push(amount)
  }
  return presets
}

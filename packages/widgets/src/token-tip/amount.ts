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

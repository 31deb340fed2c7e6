// The custom amount field of <token-tip> and <token-buy>: what the visitor typed, checked against the token and
// their balance, and the sentence that tells them what to write instead.
import type { Catalog } from '../i18n/en.js'
import { fillText } from './locale.js'
import { exampleAmount, numberSymbols, parseLocalAmount } from './parse-amount.js'

export type AmountCheck =
  | { amount: bigint }
  | { problem: 'none' }
  | { problem: 'invalid' | 'precision' | 'zero' }
  | { problem: 'ambiguous'; readings: string[] }
  /** More than the visitor can spend: `max` base units. */
  | { problem: 'over'; max: bigint }

/** Reads `text` in `locale` as base units of a token with `decimals`; above `spendable` (when known) is refused. */
export function checkAmount(text: string, decimals: number, locale: string, spendable?: bigint): AmountCheck {
  const parsed = parseLocalAmount(text, decimals, locale)
  if (!('value' in parsed)) return parsed
  if (parsed.value <= 0n) return { problem: 'zero' }
  if (spendable !== undefined && parsed.value > spendable) return { problem: 'over', max: spendable }
  return { amount: parsed.value }
}

/**
 * The sentence under the field for a refused amount, in the widget's language (`invalidAmount`: the widget's
 * "at most {decimals} decimals" words; `format`: an amount with its symbol).
 */
export function amountHint(
  check: Exclude<AmountCheck, { amount: bigint } | { problem: 'none' }>,
  t: Catalog,
  locale: string,
  text: string,
  invalidAmount: string,
  decimals: number,
  format: (value: bigint) => string,
): string {
  const c = t.common
  switch (check.problem) {
    case 'over':
      return fillText(c.overBalance, { amount: format(check.max) })
    case 'precision':
    case 'zero':
      return fillText(invalidAmount, { decimals: String(decimals) })
    case 'ambiguous': {
      const [one, other] = check.readings
      if (one !== undefined && other !== undefined)
        return fillText(c.amountEither, { text: text.trim().slice(0, 40), one, other })
      if (one !== undefined) return fillText(c.amountUse, { amount: one, decimal: numberSymbols(locale).decimal })
      return fillText(c.amountForm, { example: exampleAmount(locale) })
    }
    default:
      return fillText(c.amountForm, { example: exampleAmount(locale) })
  }
}

export { writeLocalAmount } from './parse-amount.js'

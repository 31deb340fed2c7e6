/** `value` (in the smallest unit) as a decimal string with at most `maxFraction` digits, truncated. */
export function toDecimalString(value: bigint, decimals: number, maxFraction = 6): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const base = 10n ** BigInt(decimals)
  const whole = abs / base
  let fraction = decimals > 0 ? (abs % base).toString().padStart(decimals, '0').slice(0, maxFraction) : ''
  fraction = fraction.replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}

/** A token amount for people: `1,234.5 TAG` in the page's locale. */
export function formatAmount(value: bigint, decimals: number, symbol: string, locale?: string): string {
  const decimal = toDecimalString(value, decimals, 4)
  // Intl formats decimal strings exactly (no float rounding) in current browsers.
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 })
  const tiny = value > 0n && decimal === '0'
  const formatted = tiny ? `< ${format.format(0.0001)}` : format.format(decimal as unknown as number)
  return `${formatted} ${symbol}`.trim()
}

/** `vested / total` in whole percent, clamped to 0..100. */
export function percentOf(part: bigint, total: bigint): number {
  if (total <= 0n) return 0
  const pct = Number((part * 100n) / total)
  return Math.max(0, Math.min(100, pct))
}

/** A whole percentage for people: `40%`, `40 %`, `٪٤٠` by locale. */
export function formatPercent(pct: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(pct / 100)
}

/** A date for people, e.g. `Mar 1, 2026, 9:00 AM`. */
export function formatDate(unixSeconds: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(unixSeconds * 1000),
  )
}

/** `0x1234…abcd`. */
export function shortenHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 6)}…${hash.slice(-4)}` : hash
}

/** The explorer page of a transaction, when the chain has an explorer. */
export function txUrl(explorerUrl: string | undefined, txHash: string): string | undefined {
  if (!explorerUrl || !/^https?:\/\//.test(explorerUrl)) return undefined
  // An explorer may place the hash itself: `…/tx/{signature}?cluster=devnet` (Solana), `…/tx.html#{tx}` (any chain).
  if (explorerUrl.includes('{signature}')) return explorerUrl.replace('{signature}', encodeURIComponent(txHash))
  if (explorerUrl.includes('{tx}')) return explorerUrl.replace('{tx}', encodeURIComponent(txHash))
  return `${explorerUrl.replace(/\/+$/, '')}/tx/${txHash}`
}

type Amount = string | number | bigint | undefined

/** A base-unit amount (decimal string, bigint or number) in whole units with up to `digits` decimals. */
function formatUnits(amount: Amount, decimals: number, symbol: string, digits: number): string {
  if (amount === undefined) return '—'
  let value: bigint
  try {
    value = typeof amount === 'bigint' ? amount : BigInt(typeof amount === 'number' ? Math.round(amount) : amount)
  } catch {
    return String(amount)
  }
  const negative = value < 0n
  if (negative) value = -value
  const unit = 10n ** BigInt(decimals)
  const whole = value / unit
  const fraction = (value % unit).toString().padStart(decimals, '0').slice(0, digits).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole.toLocaleString('en-US')}${fraction ? `.${fraction}` : ''} ${symbol}`
}

/** Wei as ether with up to `digits` decimals: "1.2345 ETH". */
export const formatEther = (wei: Amount, digits = 6) => formatUnits(wei, 18, 'ETH', digits)

/** Lamports as SOL with up to `digits` decimals: "0.5 SOL". */
export const formatSol = (lamports: Amount, digits = 6) => formatUnits(lamports, 9, 'SOL', digits)

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US')

export const shortAddress = (a: string) => (a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a)

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19)
}

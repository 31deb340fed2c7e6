/** Wei (decimal string, bigint or number) as ether with up to `digits` decimals: "1.2345 ETH". */
export function formatEther(wei: string | number | bigint | undefined, digits = 6): string {
  if (wei === undefined) return '—'
  let value: bigint
  try {
    value = typeof wei === 'bigint' ? wei : BigInt(typeof wei === 'number' ? Math.round(wei) : wei)
  } catch {
    return String(wei)
  }
  const negative = value < 0n
  if (negative) value = -value
  const whole = value / 10n ** 18n
  const fraction = (value % 10n ** 18n).toString().padStart(18, '0').slice(0, digits).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole.toLocaleString('en-US')}${fraction ? `.${fraction}` : ''} ETH`
}

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US')

export const shortAddress = (a: string) => (a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a)

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19)
}

// Who a per-address limit counts: one key per IPv4 address, one per IPv6 /64. A single host is
// routinely given a whole /64, so counting IPv6 addresses one by one would hand it 2^64 allowances.
import { isIPv4, isIPv6 } from 'node:net'

/** The per-address limit's key for `ip` (express's `req.ip`): `a.b.c.d`, or `xxxx:xxxx:xxxx:xxxx::/64`. */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip) return 'unknown'
  if (isIPv4(ip)) return ip
  const groups = isIPv6(ip) ? ipv6Groups(ip) : undefined
  if (!groups) return ip
  // An IPv4 client on a dual-stack socket (::ffff:a.b.c.d) is the IPv4 address.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6)
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of a valid IPv6 address (zone id dropped, embedded IPv4 tail folded in). */
function ipv6Groups(ip: string): number[] | undefined {
  let text = ip.split('%')[0] ?? ''
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const headGroups = head ? head.split(':') : []
  const tailGroups = tail ? tail.split(':') : []
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups].map((g) => Number.parseInt(g, 16))
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined
}

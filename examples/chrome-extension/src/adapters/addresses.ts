import { getAddress, isAddress } from 'viem'

const EVM = /0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/
const SOL = /sol:[1-9A-HJ-NP-Za-km-z]{32,44}(?![1-9A-HJ-NP-Za-km-z])/
/** `tip: 0x…`, `tip = sol:…`, `Tips: 0x…` (case-insensitive), at a word boundary. */
const TIP_LINE = new RegExp(`(?:^|[^\\p{L}\\p{N}_])tips?\\s*[:=]\\s*(${EVM.source}|${SOL.source})`, 'iu')

/**
 * An address in a form the extension trusts as "published for tips": a `tip:` line in a bio or
 * profile field. A bare address is not enough (bios often show contract addresses to promote).
 */
export function tipAddressInText(text: string | null | undefined): string | null {
  if (!text) return null
  const match = TIP_LINE.exec(text)
  return match?.[1] ? normalizeTipAddress(match[1]) : null
}

/** `ethereum:0x…` (EIP-681) and `solana:<address>` (Solana Pay) links in a profile are published too. */
export function tipAddressInHref(href: string | null | undefined): string | null {
  if (!href) return null
  const evm = /^ethereum:(?:pay-)?(0x[0-9a-fA-F]{40})(?:@\d+)?(?:[/?#]|$)/i.exec(href)
  if (evm?.[1]) return normalizeTipAddress(evm[1])
  const sol = /^solana:([1-9A-HJ-NP-Za-km-z]{32,44})(?:[?#]|$)/.exec(href)
  if (sol?.[1]) return normalizeTipAddress(`sol:${sol[1]}`)
  return null
}

/** A checksummed EVM address or `sol:` + base58; null for anything else (a bad checksum included). */
export function normalizeTipAddress(value: string): string | null {
  if (value.startsWith('sol:')) return SOL.test(value) && value.length <= 48 ? value : null
  // Mixed case must be a valid EIP-55 checksum: a typo must not send a tip into the void.
  // All lower or all upper case carries no checksum (EIP-55) and is taken as is.
  const hex = value.slice(2)
  const uncased = hex === hex.toLowerCase() || hex === hex.toUpperCase()
  const candidate = uncased ? `0x${hex.toLowerCase()}` : value
  if (!isAddress(candidate, { strict: true })) return null
  return getAddress(candidate)
}

/** The first published tip address among `elements`' text and links. */
export function tipAddressIn(elements: Iterable<Element>): string | null {
  for (const element of elements) {
    const fromText = tipAddressInText(element.textContent)
    if (fromText) return fromText
    const links = element.matches('a[href]') ? [element] : [...element.querySelectorAll('a[href]')]
    for (const link of links) {
      const fromHref = tipAddressInHref(link.getAttribute('href'))
      if (fromHref) return fromHref
    }
  }
  return null
}

/** Names and explorers of well-known chains, used when the page gives only an RPC URL. */
const KNOWN_CHAINS: Record<number, { name: string; explorerUrl?: string }> = {
  1: { name: 'Ethereum', explorerUrl: 'https://etherscan.io' },
  10: { name: 'OP Mainnet', explorerUrl: 'https://optimistic.etherscan.io' },
  137: { name: 'Polygon', explorerUrl: 'https://polygonscan.com' },
  8453: { name: 'Base', explorerUrl: 'https://basescan.org' },
  42161: { name: 'Arbitrum One', explorerUrl: 'https://arbiscan.io' },
  84532: { name: 'Base Sepolia', explorerUrl: 'https://sepolia.basescan.org' },
  11155111: { name: 'Sepolia', explorerUrl: 'https://sepolia.etherscan.io' },
  31337: { name: 'Local chain' },
}

export function knownChain(id: number): { name: string; explorerUrl?: string } | undefined {
  return KNOWN_CHAINS[id]
}

/** A chain's display name: the configured one, a well-known one, or "chain <id>". */
export function chainName(id: number, configured?: string): string {
  return configured ?? KNOWN_CHAINS[id]?.name ?? `chain ${id}`
}

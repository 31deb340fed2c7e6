import type { NetworkView } from './types.js'

/** The networks of one relay, each request id resolved to the one that owns its shape. */
export interface NetworkRegistry {
  readonly networks: readonly NetworkView[]
  /** The network owning `id`, or undefined when no registered network has ids of its shape. */
  owner(id: string): NetworkView | undefined
}

export function networkRegistry(networks: readonly NetworkView[]): NetworkRegistry {
  return {
    networks,
    owner: (id) => networks.find((network) => network.owns(id)),
  }
}

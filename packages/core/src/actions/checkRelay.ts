import type { GaslessMode, TokenTagsClient } from '../client.js'
import { InvalidParameterError } from '../errors.js'
import { relayFor } from '../internal/evmWrite.js'

export interface CheckRelayParameters {
  chainId: number
  /** Defaults to the client's `gasless`. */
  gasless?: GaslessMode | undefined
  signal?: AbortSignal | undefined
}

/**
 * Whether actions on `chainId` go through the relay, before any is tried: true when the client's relay serves the
 * chain for this page, false when there is no relay to promise (`never`, or `auto` without a `relayUrl`). A relay
 * that cannot serve throws what an action would (RELAY_UNREACHABLE, RELAY_ORIGIN_NOT_ALLOWED, RELAY_REJECTED with
 * `CHAIN_NOT_SUPPORTED`): a page shows "no gas" only on true.
 */
export async function checkRelay(client: TokenTagsClient, parameters: CheckRelayParameters): Promise<boolean> {
  const mode = parameters.gasless ?? client.gasless
  if (!['auto', 'always', 'never'].includes(mode)) throw new InvalidParameterError(`Unknown gasless mode "${mode}".`)
  return (await relayFor(client, parameters.chainId, mode, parameters.signal)) !== undefined
}

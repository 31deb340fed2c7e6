import { SignClient } from '@walletconnect/sign-client'
import { InvalidParameterError, UnknownError } from '../errors.js'

export type WalletConnectSignClient = InstanceType<typeof SignClient>

/** WalletConnect's public relay; `walletconnect-relay` (or `relayUrl`) overrides it. */
export const DEFAULT_RELAY_URL = 'wss://relay.walletconnect.org'

/** The dapp's metadata the wallet shows when asked to connect. */
export interface WalletConnectMetadata {
  name: string
  description: string
  /** The page's origin; wallets compare it with the Verify API's answer. */
  url: string
  icons: string[]
}

export interface SignClientOptions {
  /** A WalletConnect Cloud project id. */
  projectId: string
  /** `wss://` relay URL (default `wss://relay.walletconnect.org`; `ws://` is accepted for 127.0.0.1 and localhost). */
  relayUrl?: string | undefined
  metadata?: WalletConnectMetadata | undefined
  /** Storage key prefix of the sign client's state (default `tokentags`). */
  storagePrefix?: string | undefined
}

interface Holder {
  promise: Promise<WalletConnectSignClient>
}

// One sign client per page, shared by every copy of core (two widget bundles) through a registered symbol:
// a second `SignClient.init` with the same storage prefix trips "WalletConnect Core is already initialized"
// and two clients would fight over one pairing.
const KEY = Symbol.for('@tokentags/core/walletconnect/signClient')
type Global = { [KEY]?: Holder | undefined }

/** Checks a relay URL: `wss://`, or `ws://` on a loopback host (tests, local relays). */
export function parseRelayUrl(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_RELAY_URL
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidParameterError('The WalletConnect relay must be a wss:// URL.', { details: value })
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'wss:' && !(url.protocol === 'ws:' && loopback))
    throw new InvalidParameterError('The WalletConnect relay must be a wss:// URL.', { details: value })
  return value
}

/**
 * The page's WalletConnect sign client, created on first call. Later calls get the same client whatever options
 * they pass (the first caller configures the page); a failed start is forgotten so a retry starts again.
 */
export function getSignClient(options: SignClientOptions): Promise<WalletConnectSignClient> {
  if (!options.projectId || typeof options.projectId !== 'string')
    throw new InvalidParameterError('WalletConnect needs a project id (walletconnect-project-id).')
  const relayUrl = parseRelayUrl(options.relayUrl)
  const global = globalThis as Global
  const existing = global[KEY]
  if (existing) return existing.promise
  const promise = SignClient.init({
    projectId: options.projectId,
    relayUrl,
    customStoragePrefix: options.storagePrefix ?? 'tokentags',
    // No analytics leave the page: TokenTags does not send WalletConnect telemetry.
    telemetryEnabled: false,
    logger: 'silent',
    ...(options.metadata && { metadata: options.metadata }),
  }).catch((error: unknown) => {
    if (global[KEY]?.promise === promise) global[KEY] = undefined
    throw new UnknownError({ details: 'WalletConnect did not start.', cause: error })
  })
  global[KEY] = { promise }
  return promise
}

/** Closes and forgets the page's sign client (tests; a page that turns WalletConnect off). */
export async function resetSignClient(): Promise<void> {
  const global = globalThis as Global
  const holder = global[KEY]
  global[KEY] = undefined
  const client = await holder?.promise.catch(() => undefined)
  await client?.core.relayer.transportClose().catch(() => {})
}

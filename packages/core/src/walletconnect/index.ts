// Entry point of `@tokentags/core/walletconnect`: WalletConnect v2, loaded only when a visitor picks it.
export { isPairingUri, type WalletConnectLink, walletConnectLinks } from './links.js'
export type { WalletConnectProvider } from './provider.js'
export { ProviderRpcError } from './session.js'
export {
  DEFAULT_RELAY_URL,
  getSignClient,
  parseRelayUrl,
  resetSignClient,
  type SignClientOptions,
  type WalletConnectMetadata,
  type WalletConnectSignClient,
} from './signClient.js'
export { SOLANA_CAIP2, WALLETCONNECT_SOLANA_NAME } from './solana.js'
export {
  addWalletConnect,
  createWalletConnect,
  WALLETCONNECT_ID,
  type WalletConnect,
  type WalletConnectOptions,
} from './walletConnect.js'

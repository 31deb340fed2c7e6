// Entry point of `@tokentags/core/solana`: loaded only by pages with a Solana widget.
export {
  createSolanaClient,
  type SolanaAccount,
  type SolanaAccountStatus,
  type SolanaClient,
  type SolanaClientConfig,
  type SolanaState,
  type SolanaWalletInfo,
} from './client.js'
export {
  type GetSolanaBalanceErrorType,
  type GetSolanaBalanceParameters,
  type GetSolanaBalanceReturnType,
  getSolanaBalance,
  type SolanaBalance,
} from './getSolanaBalance.js'
export { type GetTokenSymbolParameters, getTokenSymbol } from './getTokenSymbol.js'
export {
  fromLegacySolanaProvider,
  getLegacySolanaWallets,
  type LegacySolanaProvider,
  SOLANA_BROWSER_WALLET_NAME,
} from './legacy.js'
export { isSolanaTarget, parseDecimalAmount, parseSolanaAddress } from './parse.js'
export {
  getRelaySolanaConfig,
  type RelaySolanaConfig,
  type SolanaActionStatus,
  type SolanaActionStatusEvent,
  type TipSolanaErrorType,
  type TipSolanaParameters,
  type TipSolanaReturnType,
  tipSolana,
} from './tipSolana.js'
export {
  type FromWalletAdapterOptions,
  fromWalletAdapter,
  type SolanaWalletAdapter,
  type VersionedTransactionClass,
} from './walletAdapter.js'
export {
  type ConnectSolanaParameters,
  connectSolana,
  disconnectSolana,
  getSolanaAccount,
  getSolanaWallets,
  isSolanaWallet,
  watchSolanaAccount,
  watchSolanaWallets,
} from './wallets.js'

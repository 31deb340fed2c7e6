export {
  type BuyErrorType,
  type BuyMethod,
  type BuyParameters,
  type BuyReturnType,
  buy,
} from './actions/buy.js'
export { type CheckRelayParameters, checkRelay } from './actions/checkRelay.js'
export {
  type ClaimErrorType,
  type ClaimParameters,
  type ClaimReturnType,
  claim,
} from './actions/claim.js'
export { type ConnectErrorType, type ConnectParameters, type ConnectReturnType, connect } from './actions/connect.js'
export { disconnect } from './actions/disconnect.js'
export { type GetAccountReturnType, getAccount } from './actions/getAccount.js'
export {
  type Balance,
  type GetBalanceErrorType,
  type GetBalanceParameters,
  type GetBalanceReturnType,
  getBalance,
} from './actions/getBalance.js'
export {
  type BuyQuote,
  DEFAULT_SLIPPAGE_BPS,
  type GetBuyQuoteErrorType,
  type GetBuyQuoteParameters,
  type GetBuyQuoteReturnType,
  getBuyQuote,
} from './actions/getBuyQuote.js'
export { type GetConnectedWalletReturnType, getConnectedWallet } from './actions/getConnectedWallet.js'
export {
  type GetSaleErrorType,
  type GetSaleParameters,
  type GetSaleReturnType,
  getSale,
  type Sale,
  type SaleStatus,
} from './actions/getSale.js'
export {
  type GetTokenErrorType,
  type GetTokenParameters,
  type GetTokenReturnType,
  getToken,
  type TokenInfo,
} from './actions/getToken.js'
export {
  type GetVestingSchedulesErrorType,
  type GetVestingSchedulesParameters,
  type GetVestingSchedulesReturnType,
  getVestingSchedules,
  type NextUnlock,
  type VestingSchedule,
  type VestingSummary,
  type VestingToken,
} from './actions/getVestingSchedules.js'
export { type GetWalletsReturnType, getWallets } from './actions/getWallets.js'
export { type ReconnectParameters, reconnect } from './actions/reconnect.js'
export { type SwitchAccountErrorType, type SwitchAccountReturnType, switchAccount } from './actions/switchAccount.js'
export { type SwitchChainErrorType, type SwitchChainParameters, switchChain } from './actions/switchChain.js'
export {
  type ForwardSigner,
  type TipErrorType,
  type TipMethod,
  type TipParameters,
  type TipReturnType,
  tip,
} from './actions/tip.js'
export type { ActionResult, ActionStatus, ActionStatusEvent } from './actions/types.js'
export {
  type VerifyContractErrorType,
  type VerifyContractParameters,
  verifyContract,
} from './actions/verifyContract.js'
export {
  type WaitForPaymentErrorType,
  type WaitForPaymentParameters,
  type WaitForPaymentReturnType,
  waitForPayment,
} from './actions/waitForPayment.js'
export { type WatchAccountCallback, watchAccount } from './actions/watchAccount.js'
export { type WatchWalletsCallback, watchWallets } from './actions/watchWallets.js'
export {
  type Account,
  type AccountStatus,
  type ChainClient,
  type ChainConfig,
  createTokenTagsClient,
  type EIP1193ProviderDetail,
  type GaslessMode,
  getDefaultClient,
  setDefaultClient,
  type TokenTagsClient,
  type TokenTagsClientConfig,
  type TokenTagsState,
  type TokenTagsStorage,
  type WalletInfo,
  type WalletProviderInfo,
} from './client.js'
export { type PaymentRequestParameters, paymentRequestUri } from './eip681.js'
export {
  AbortedError,
  ChainSwitchError,
  type ContractKind,
  GaslessUnsupportedError,
  InvalidParameterError,
  NothingToClaimError,
  NoWalletError,
  ReadFailedError,
  type RelayFailure,
  type RelayFailureKind,
  RelayOriginNotAllowedError,
  RelayRejectedError,
  RelayUnreachableError,
  relayFailure,
  SaleCapExceededError,
  SaleNotOpenError,
  SlippageError,
  TimeoutError,
  TokenTagsError,
  type TokenTagsErrorCode,
  type TokenTagsErrorOptions,
  TransactionFailedError,
  UnknownError,
  UnsupportedMintError,
  UserRejectedError,
  type WalletFallback,
  WalletNotConnectedError,
  WrongChainError,
  WrongContractError,
} from './errors.js'
export { type FormatTokenAmountOptions, formatTokenAmount } from './format.js'
export {
  BROWSER_WALLET_ID,
  getInjectedWallets,
  type InjectedWallet,
  isInjectedWalletAnnounced,
} from './injected.js'
export type { HumanCheck } from './internal/relay.js'

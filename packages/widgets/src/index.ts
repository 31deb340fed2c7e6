// Classes and types only: importing this module registers nothing (use `@tokentags/widgets/define`).
export {
  type TokenErrorDetail,
  TokenErrorEvent,
  type TokenStatusDetail,
  TokenStatusEvent,
  type TokenSuccessDetail,
  TokenSuccessEvent,
  type Via,
} from './events.js'
export type { Catalog } from './i18n/en.js'
export { type ThemeMode, TokenTagsElement } from './internal/base-element.js'
export {
  configureTokenTags,
  type GaslessMode,
  getPageConfig,
  type PageChainConfig,
  parseRpcList,
  type TokenTagsPageConfig,
} from './internal/config.js'
export { defineElement } from './internal/define-element.js'
export { type ResolvedLocale, resolveLocale, SUPPORTED_LOCALES, type SupportedLocale } from './internal/locale.js'
export { messageFor, type WidgetErrorCode } from './internal/messages.js'
export { VERSION } from './internal/version.js'
export type { PairingState } from './internal/walletconnect-pairing.js'
export type {
  BuyController,
  BuyState,
  BuyStatus,
  BuyTarget,
  BuyTokenView,
  QuoteView,
  SaleView,
} from './token-buy/buy-state.js'
export { TokenBuy } from './token-buy/token-buy.js'
export type {
  Address,
  ClaimController,
  ClaimState,
  ClaimStatus,
  ClaimSummary,
  ClaimTarget,
  ClaimToken,
  ClaimWallet,
  Hash,
} from './token-claim/claim-state.js'
export { TokenClaim } from './token-claim/token-claim.js'
export type { TipController, TipOffer, TipState, TipStatus, TipTarget, TipToken } from './token-tip/tip-state.js'
export { TokenTip } from './token-tip/token-tip.js'
export { TokenTagsConfig } from './tokentags-config/tokentags-config.js'

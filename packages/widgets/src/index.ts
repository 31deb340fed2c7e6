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
export {
  configureTokenTags,
  type GaslessMode,
  getPageConfig,
  type PageChainConfig,
  parseRpcList,
  type TokenTagsPageConfig,
} from './internal/config.js'
export { defineElement } from './internal/define-element.js'
export { messageFor, type WidgetErrorCode } from './internal/messages.js'
export { VERSION } from './internal/version.js'
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
export { TokenTagsConfig } from './tokentags-config/tokentags-config.js'

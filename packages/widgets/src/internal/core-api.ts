// Everything the widgets use from @tokentags/core, in one lazily loaded module (chunk):
// viem and wagmi arrive only when a widget needs the chain or a wallet connection.
export {
  buy,
  checkRelay,
  claim,
  connect,
  getAccount,
  getBalance,
  getBuyQuote,
  getSale,
  getToken,
  getVestingSchedules,
  getWallets,
  paymentRequestUri,
  relayFailure,
  switchChain,
  type TokenTagsClient,
  tip,
  type VestingSummary,
  verifyContract,
  waitForPayment,
  watchAccount,
  watchWallets,
} from '@tokentags/core'
export { clientFor } from './core-client.js'

// Everything the widgets use from @tokentags/core, in one lazily loaded module (chunk):
// viem and wagmi arrive only when a widget needs the chain or a wallet connection.
import { buy as coreBuy, claim as coreClaim, tip as coreTip } from '@tokentags/core'
import { getPageConfig } from './config.js'
import { humanCheckOption } from './human-check-config.js'

export {
  checkRelay,
  connect,
  disconnect,
  getAccount,
  getBalance,
  getBuyQuote,
  getConnectedWallet,
  getSale,
  getToken,
  getVestingSchedules,
  getWallets,
  paymentRequestUri,
  reconnect,
  relayFailure,
  switchAccount,
  switchChain,
  type TokenTagsClient,
  type VestingSummary,
  verifyContract,
  waitForPayment,
  watchAccount,
  watchWallets,
} from '@tokentags/core'
export { clientFor } from './core-client.js'

// The page's human check (issue 13) goes with every claim, tip and buy: wrapped here, in the lazy chunk, rather than in
// the controllers, so the up-front bundles carry none of it.
export const claim: typeof coreClaim = (client, parameters) =>
  coreClaim(client, { ...humanCheckOption(getPageConfig()?.humanCheck), ...parameters })
export const tip: typeof coreTip = (client, parameters) =>
  coreTip(client, { ...humanCheckOption(getPageConfig()?.humanCheck), ...parameters })
export const buy: typeof coreBuy = (client, parameters) =>
  coreBuy(client, { ...humanCheckOption(getPageConfig()?.humanCheck), ...parameters })

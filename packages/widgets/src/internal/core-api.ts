// Everything the widgets use from @tokentags/core, in one lazily loaded module (chunk):
// viem and wagmi arrive only when a widget needs the chain or a wallet connection.
import { type ActionStatusEvent, buy as coreBuy, claim as coreClaim, tip as coreTip } from '@tokentags/core'
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
export { wrongContractState } from './wrong-contract-state.js'

// The page's human check (issue 13) goes with every claim, tip and buy: wrapped here, in the lazy chunk, rather than in
// the controllers, so the up-front bundles carry none of it.
export const claim: typeof coreClaim = (client, parameters) =>
  paidBy(parameters, (p) => coreClaim(client, { ...humanCheckOption(getPageConfig()?.humanCheck), ...p }))
export const tip: typeof coreTip = (client, parameters) =>
  paidBy(parameters, (p) => coreTip(client, { ...humanCheckOption(getPageConfig()?.humanCheck), ...p }))
export const buy: typeof coreBuy = (client, parameters) =>
  paidBy(parameters, (p) => coreBuy(client, { ...humanCheckOption(getPageConfig()?.humanCheck), ...p }))

/**
 * Runs a claim, tip or buy and, when it fails, puts on the error who paid (`outcome`, a `WriteOutcome`): nobody when
 * no transaction reached the chain, else the sender of the last one (its fee is spent), and whether a first step (an
 * approval: a new signature asked after a transaction was sent) went through. Honest final texts (issue 15).
 */
function paidBy<P extends { onStatus?: ((update: ActionStatusEvent) => void) | undefined }, R>(
  parameters: P,
  write: (parameters: P) => Promise<R>,
): Promise<R> {
  let via: string | undefined
  let txHash: string | undefined
  let partial = false
  const onStatus = (update: ActionStatusEvent) => {
    if (update.status === 'signing' && txHash) partial = true
    via = update.via
    if (update.txHash && update.status !== 'queued') txHash = update.txHash
    parameters.onStatus?.(update)
  }
  return write({ ...parameters, onStatus }).catch((error: unknown) => {
    // A relay that failed the transaction on chain may not have reported it submitted: its hash is on the error.
    const hash = txHash ?? (error as { txHash?: string } | null)?.txHash
    if (error && typeof error === 'object')
      Object.assign(error, {
        outcome: hash ? { paid: via ?? 'wallet', txHash: hash, ...(partial && { partial }) } : { paid: 'nobody' },
      })
    throw error
  })
}

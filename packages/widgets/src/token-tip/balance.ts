import type { CoreApi } from '../internal/core-loader.js'
import type { Address, CoreClient } from '../internal/wallet-session.js'
import type { SpendBalance } from './tip-state.js'

/**
 * Gas kept for a wallet-paid native send (a TipRouter tip with a memo, a sale's `buy`, each well under this), at
 * twice the gas price: Max must leave enough for the fee, or the wallet refuses the transaction.
 */
export const NATIVE_SEND_GAS = 200_000n

/**
 * What `account` can spend of `token`; undefined when it cannot be read (the widget then shows no balance and
 * leaves the check to the wallet, rather than blocking the visitor).
 */
export function readSpendBalance(
  core: CoreApi,
  client: CoreClient,
  chainId: number,
  token: Address | 'native',
  account: Address,
  visitorPaysGas: boolean,
): Promise<SpendBalance | undefined> {
  return core
    .getBalance(client, {
      chainId,
      token,
      account,
      ...(token === 'native' && visitorPaysGas && { reserveGas: NATIVE_SEND_GAS }),
    })
    .then(
      (balance) => balance,
      () => undefined,
    )
}

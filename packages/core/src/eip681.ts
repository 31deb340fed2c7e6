import { type Address, getAddress } from 'viem'
import { InvalidParameterError } from './errors.js'

export interface PaymentRequestParameters {
  chainId: number
  /** Who is paid. */
  to: Address
  /** `native` for the chain's coin, else the ERC-20 address. */
  token: Address | 'native'
  /** In base units (wei). */
  amount: bigint
}

/**
 * An EIP-681 payment request any phone wallet opens from a QR code:
 * `ethereum:<to>@<chainId>?value=<wei>` for the native coin,
 * `ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<amount>` for an ERC-20.
 * The payer's wallet sends it and pays the network fee; `waitForPayment` sees it land.
 */
export function paymentRequestUri(parameters: PaymentRequestParameters): string {
  const { chainId, token, amount } = parameters
  if (!Number.isSafeInteger(chainId) || chainId <= 0)
    throw new InvalidParameterError(`Chain id ${String(chainId)} is not a positive integer.`)
  if (typeof amount !== 'bigint' || amount <= 0n) throw new InvalidParameterError('amount must be a positive bigint.')
  let to: Address
  let contract: Address | undefined
  try {
    to = getAddress(parameters.to)
    contract = token === 'native' ? undefined : getAddress(token)
  } catch (cause) {
    throw new InvalidParameterError('to and token must be addresses.', { cause })
  }
  // Plain integers: EIP-681 also allows 1.5e18, which some wallets misread.
  return contract
    ? `ethereum:${contract}@${chainId}/transfer?address=${to}&uint256=${amount}`
    : `ethereum:${to}@${chainId}?value=${amount}`
}

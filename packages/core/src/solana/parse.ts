import { InvalidParameterError } from '../errors.js'
import { isAddressString } from './wire.js'

/** Whether a widget attribute names a Solana target (`sol:<base58>`). */
export function isSolanaTarget(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trim().toLowerCase().startsWith('sol:')
}

/**
 * Parses `sol:<base58>` (as in `<token-tip to="sol:…">`) or a bare base58 address into an address;
 * throws INVALID_PARAMETER for anything else.
 *
 * @example parseSolanaAddress('sol:EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v')
 */
export function parseSolanaAddress(value: string, what = 'address'): string {
  if (typeof value !== 'string') throw new InvalidParameterError(`${what} must be a string.`)
  const trimmed = value.trim()
  const bare = /^sol:/i.test(trimmed) ? trimmed.slice(4) : trimmed
  if (!isAddressString(bare))
    throw new InvalidParameterError(`${what} "${value.slice(0, 60)}" is not a Solana address.`)
  return bare
}

/** Parses a decimal amount of whole tokens ("1.5") into base units with `decimals`. */
export function parseDecimalAmount(value: string, decimals: number): bigint {
  const match = /^\s*([0-9]+)(?:\.([0-9]+))?\s*$/.exec(value)
  if (!match) throw new InvalidParameterError(`amount "${value.slice(0, 40)}" is not a decimal number.`)
  const whole = match[1] as string
  const fraction = match[2] ?? ''
  if (fraction.length > decimals)
    throw new InvalidParameterError(`amount "${value}" has more than ${decimals} decimals.`)
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0')
}

import { type Abi, BaseError, decodeErrorResult, type Hex } from 'viem'

export interface DecodedRevert {
  /** Custom error name (`VestingVaultNothingToClaim`), `Error` for a string reason, `Panic`, or undefined. */
  name?: string
  args?: readonly unknown[]
  /** Raw revert data when it could not be decoded. */
  data?: Hex
  /** One line for humans. */
  message: string
}

/** Revert data carried by a viem error, if the node returned any. */
export function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined
  const inner = error.walk() as { data?: unknown }
  const data =
    typeof inner?.data === 'object' && inner.data !== null ? (inner.data as { data?: unknown }).data : inner?.data
  return typeof data === 'string' && data.startsWith('0x') ? (data as Hex) : undefined
}

export function decodeRevert(data: Hex | undefined, abis: readonly Abi[]): DecodedRevert {
  if (data === undefined || data === '0x') return { message: 'reverted without a reason' }
  for (const abi of abis) {
    try {
      const decoded = decodeErrorResult({ abi, data })
      const args = decoded.args ?? []
      if (decoded.errorName === 'Error') return { name: 'Error', args, message: String(args[0]) }
      return { name: decoded.errorName, args, message: `${decoded.errorName}(${args.map(formatArg).join(', ')})` }
    } catch {}
  }
  return { data, message: `reverted with unknown error ${data.slice(0, 10)}` }
}

function formatArg(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : String(value)
}

// What a site may call on a target, function by function: a signature the calldata must decode to
// exactly (no trailing bytes, canonical encoding), and declarative rules on its arguments. Built
// once from the config; judged per request without I/O.
import {
  type AbiFunction,
  type AbiParameter,
  decodeFunctionData,
  encodeFunctionData,
  getAddress,
  type Hex,
  parseAbiItem,
  toFunctionSelector,
} from 'viem'
import { ConfigError } from '../configError.js'

/** A rule on one argument: bounds for an unsigned integer, an allow list for an address. */
export interface ArgumentRule {
  /** Smallest allowed value of a `uint*` argument (decimal string or number). */
  min?: bigint | number | string
  /** Largest allowed value of a `uint*` argument. */
  max?: bigint | number | string
  /** The only addresses an `address` argument may take. */
  allow?: string[]
}

/** A function a site allows, by signature (`"transfer(address to, uint256 amount)"`), with rules per argument. */
export interface SiteFunction {
  signature: string
  /** Keyed by the argument's name in `signature`, or by its position (`"0"`, `"1"`, …). */
  args?: Record<string, ArgumentRule>
}

export interface ResolvedArgumentRule {
  index: number
  name: string
  min?: bigint
  max?: bigint
  allow?: ReadonlySet<string>
}

export interface AllowedFunction {
  selector: Hex
  /** Canonical form, for messages: `transfer(address,uint256)`. */
  signature: string
  abi: AbiFunction
  rules: readonly ResolvedArgumentRule[]
}

/** Default cap of words after a selector-only entry's selector: 2 KiB, far above any function the widgets call. */
export const DEFAULT_MAX_ARGUMENT_WORDS = 64

export type CalldataCode = 'CALLDATA_NOT_ALLOWED' | 'ARGUMENT_NOT_ALLOWED'

export interface CalldataRefusal {
  code: CalldataCode
  message: string
}

/** Parses a site's function entry; throws `ConfigError` naming `where` when it is not a function or a rule does not fit it. */
export function resolveSiteFunction(entry: string | SiteFunction, where: string): AllowedFunction {
  const { signature, args = {} } = typeof entry === 'string' ? { signature: entry } : entry
  let abi: AbiFunction
  try {
    const text = signature.trim().startsWith('function ') ? signature.trim() : `function ${signature.trim()}`
    const item = parseAbiItem(text)
    if (item.type !== 'function') throw new ConfigError(`${where}: not a function`)
    abi = item
  } catch (error) {
    throw new ConfigError(`${where}: cannot read the function signature "${signature}"`, { cause: error })
  }
  const canonical = `${abi.name}(${abi.inputs.map(canonicalType).join(',')})`
  const rules: ResolvedArgumentRule[] = []
  for (const [key, rule] of Object.entries(args)) {
    const index = /^[0-9]+$/.test(key) ? Number(key) : abi.inputs.findIndex((input) => input.name === key)
    const input = abi.inputs[index]
    if (!input) throw new ConfigError(`${where}.args.${key}: ${canonical} has no such argument`)
    const isUint = /^uint[0-9]*$/.test(input.type)
    if ((rule.min !== undefined || rule.max !== undefined) && !isUint) {
      throw new ConfigError(`${where}.args.${key}: min and max apply to uint arguments, not ${input.type}`)
    }
    if (rule.allow !== undefined && input.type !== 'address') {
      throw new ConfigError(`${where}.args.${key}: allow applies to address arguments, not ${input.type}`)
    }
    const min = rule.min === undefined ? undefined : BigInt(rule.min)
    const max = rule.max === undefined ? undefined : BigInt(rule.max)
    if (min !== undefined && max !== undefined && min > max) {
      throw new ConfigError(`${where}.args.${key}: min is above max`)
    }
    rules.push({
      index,
      name: input.name || String(index),
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
      ...(rule.allow === undefined ? {} : { allow: new Set(rule.allow.map((a) => getAddress(a.toLowerCase()))) }),
    })
  }
  return { selector: toFunctionSelector(abi), signature: canonical, abi, rules }
}

function canonicalType(parameter: AbiParameter): string {
  if (!parameter.type.startsWith('tuple')) return parameter.type
  const components = (parameter as { components?: readonly AbiParameter[] }).components ?? []
  return `(${components.map(canonicalType).join(',')})${parameter.type.slice('tuple'.length)}`
}

/**
 * `data` against a function the site allows: it must be exactly the canonical ABI encoding of its
 * arguments (any trailing or non-canonical byte would be paid for and proves nothing), and each
 * argument must meet its rule.
 */
export function judgeCalldata(fn: AllowedFunction, data: Hex): CalldataRefusal | undefined {
  let args: readonly unknown[]
  try {
    args = decodeFunctionData({ abi: [fn.abi], data }).args ?? []
  } catch {
    return { code: 'CALLDATA_NOT_ALLOWED', message: `data does not decode as ${fn.signature}` }
  }
  let canonical: Hex
  try {
    canonical = encodeFunctionData({ abi: [fn.abi], functionName: fn.abi.name, args })
  } catch {
    return { code: 'CALLDATA_NOT_ALLOWED', message: `data does not decode as ${fn.signature}` }
  }
  if (canonical.toLowerCase() !== data.toLowerCase()) {
    const extra = (data.length - canonical.length) / 2
    return {
      code: 'CALLDATA_NOT_ALLOWED',
      message:
        extra > 0
          ? `data has ${extra} bytes beyond the arguments of ${fn.signature}`
          : `data is not the canonical encoding of ${fn.signature}`,
    }
  }
  for (const rule of fn.rules) {
    const value = args[rule.index]
    if (typeof value === 'bigint') {
      if (rule.min !== undefined && value < rule.min) {
        return { code: 'ARGUMENT_NOT_ALLOWED', message: `${rule.name} ${value} is below the minimum of ${rule.min}` }
      }
      if (rule.max !== undefined && value > rule.max) {
        return { code: 'ARGUMENT_NOT_ALLOWED', message: `${rule.name} ${value} is above the maximum of ${rule.max}` }
      }
    }
    if (rule.allow && (typeof value !== 'string' || !rule.allow.has(getAddress(value.toLowerCase())))) {
      return { code: 'ARGUMENT_NOT_ALLOWED', message: `${rule.name} ${String(value)} is not an allowed address` }
    }
  }
  return undefined
}

/**
 * A selector-only entry (legacy): its arguments are unknown, so all that is enforced is the ABI's
 * shape, 4 + 32·k bytes, and at most `maxWords` words after the selector.
 */
export function judgeLegacyCalldata(data: Hex, maxWords: number): CalldataRefusal | undefined {
  const argumentBytes = (data.length - 2) / 2 - 4
  if (argumentBytes % 32 !== 0) {
    return { code: 'CALLDATA_NOT_ALLOWED', message: 'data after the selector is not a whole number of 32-byte words' }
  }
  if (argumentBytes / 32 > maxWords) {
    return {
      code: 'CALLDATA_NOT_ALLOWED',
      message: `data has ${argumentBytes / 32} words after the selector; a selector-only entry allows ${maxWords}`,
    }
  }
  return undefined
}

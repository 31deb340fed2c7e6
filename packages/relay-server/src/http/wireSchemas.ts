// The submit bodies' schemas, each declared against the wire type `@tokentags/core/protocol` builds the body with:
// a field added, removed, renamed or retyped on either side fails `tsc` here.
import type { SolanaSubmitBody, SubmitRequestBody } from '@tokentags/core/protocol'
import type { Hex } from 'viem'
import { z } from 'zod'
import { checksumAddress } from '../evm/hotPath/keccak.js'

/** A wire type as its JSON parses: core's `0x${string}` is a plain string until a schema has checked it. */
type Json<T> = T extends `0x${string}`
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

/**
 * Compiles only when `A` and `B` are the same type; otherwise tsc asks for the argument, which names the problem.
 * For the drift checks between a schema's input and the wire type it parses.
 */
export function sameType<A, B>(..._: Same<A, B> extends true ? [] : ['the schema and the wire type differ']): void {}

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte address')
  .transform(checksumAddress)
const uint = (bits: number) =>
  z
    .string()
    .max(80)
    .regex(/^(0|[1-9][0-9]*)$/, 'expected an integer as a decimal string')
    .transform((v) => BigInt(v))
    .refine((v) => v < 2n ** BigInt(bits), `does not fit in uint${bits}`)
const bytes = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, 'expected 0x-prefixed hex bytes')
  .transform((v) => v.toLowerCase() as Hex)

/** Body of `POST /v1/evm/:chainId/requests`: an OpenZeppelin `ForwardRequest` and its EIP-712 signature. */
export const submitRequestBodySchema = z.object({
  request: z.object({
    from: address,
    to: address,
    value: uint(256),
    gas: uint(256),
    nonce: uint(256),
    deadline: uint(48),
    data: bytes,
  }),
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]{130}$/, 'expected a 65-byte 0x-hex signature')
    .transform((v) => v.toLowerCase() as Hex),
})
sameType<z.input<typeof submitRequestBodySchema>, Json<SubmitRequestBody>>()

/** Body of `POST /v1/solana/transactions`. */
export const submitSolanaBodySchema = z.object({
  // The size rule has its own code (TRANSACTION_TOO_LARGE); this bound only keeps junk out.
  transaction: z
    .string()
    .min(1)
    .max(64 * 1024),
})
sameType<z.input<typeof submitSolanaBodySchema>, Json<SolanaSubmitBody>>()

import { z } from 'zod'

// Kept apart from ./config.ts (and free of imports from ../config.ts) so the relay's config module
// can embed it without an import cycle.
const base58Pattern = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/
const lamportsSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/)])
  .transform((v) => BigInt(v))

/** Schema of the `solana` section of the JSON config file. */
export const solanaConfigFileSchema = z.object({
  rpcUrl: z.url(),
  // Optional in the file: `tokentags-relay` also reads TOKENTAGS_SOLANA_FEE_PAYER_KEY.
  feePayerSecretKey: z.union([z.string().min(32), z.array(z.number().int().min(0).max(255))]).optional(),
  chain: z
    .string()
    .regex(/^solana:[a-z]+$/)
    .transform((c) => c as `solana:${string}`)
    .optional(),
  programs: z.array(z.string().regex(base58Pattern)).optional(),
  maxComputeUnits: z.number().int().positive().max(1_400_000).optional(),
  maxComputeUnitPrice: lamportsSchema.optional(),
  maxTransactionBytes: z.number().int().positive().max(1232).optional(),
  maxSigners: z.number().int().min(1).max(12).optional(),
  payForTokenAccounts: z.boolean().optional(),
  fundedMints: z.array(z.string().regex(base58Pattern)).optional(),
  lamportsPerDay: lamportsSchema.optional(),
  requestsPerWalletPerDay: z.number().int().positive().optional(),
  sites: z
    .record(
      z.string().min(1),
      z.object({
        programs: z.array(z.string().regex(base58Pattern)).optional(),
        lamportsPerDay: lamportsSchema.optional(),
        requestsPerWalletPerDay: z.number().int().positive().optional(),
        payForTokenAccounts: z.boolean().optional(),
        fundedMints: z.array(z.string().regex(base58Pattern)).optional(),
        pay: z
          .object({
            recipients: z.array(z.string().regex(base58Pattern)).min(1),
            mints: z.array(z.string().regex(base58Pattern)).optional(),
            sol: z.boolean().optional(),
            label: z.string().min(1).max(64).optional(),
            title: z.string().min(1).max(128).optional(),
            description: z.string().min(1).max(500).optional(),
            icon: z.url({ protocol: /^https?$/ }).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  confirm: z
    .object({
      pollIntervalMs: z.number().int().positive().optional(),
      resendIntervalMs: z.number().int().positive().optional(),
    })
    .optional(),
})

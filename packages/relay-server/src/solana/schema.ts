import { z } from 'zod'

// Kept apart from ./config.ts (and free of imports from ../config.ts) so the relay's config module
// can embed it without an import cycle.
const base58Pattern = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/
const lamportsSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/)])
  .transform((v) => BigInt(v))

const fundTokenAccountsSchema = z.object({
  recipients: z.array(z.string().regex(base58Pattern, 'a recipient is not a base58 address')).min(1),
  mints: z
    .record(
      z.string().regex(base58Pattern),
      z.object({
        minimumTransfer: z
          .union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]{0,19}$/)], {
            error: 'minimumTransfer must be a positive whole number of base units (a number or a decimal string)',
          })
          .transform((v) => BigInt(v)),
      }),
    )
    .refine((mints) => Object.keys(mints).length > 0, 'mints is empty'),
})
// Keys the token account funding replaced: present, they fail the load (a silent drop would hide
// that the relay no longer funds what they used to allow).
const removed = (replacement: string) =>
  z.undefined({ error: `removed: use ${replacement} (issue 13: the relay funded token accounts of any owner)` })

/**
 * The error for the removed `solana.sites` map (config file and config object alike): each site's
 * Solana policy moved to `sites.<key>.solana`, beside its EVM policy, so it can name no site `sites` lacks.
 */
export function solanaSitesMoved(sites: unknown): string {
  const keys = typeof sites === 'object' && sites !== null ? Object.keys(sites) : []
  const key = keys[0] ?? '<key>'
  return `solana.sites.${key} moved to sites.${key}.solana: a site's policy for both networks lives in sites.<key>`
}

/** Schema of a site's Solana policy in the JSON config file (`sites.<key>.solana`). */
export const solanaSiteFileSchema = z.object({
  programs: z.array(z.string().regex(base58Pattern)).optional(),
  lamportsPerDay: lamportsSchema.optional(),
  requestsPerWalletPerDay: z.number().int().positive().optional(),
  fundTokenAccounts: fundTokenAccountsSchema.optional(),
  payForTokenAccounts: removed('fundTokenAccounts { recipients, mints }').optional(),
  fundedMints: removed('fundTokenAccounts.mints').optional(),
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
})

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
  // Recipients belong to a site: no relay-wide list a site would inherit without knowing.
  fundTokenAccounts: z.undefined({ error: 'set it per site: sites.<site>.solana.fundTokenAccounts' }).optional(),
  payForTokenAccounts: removed('sites.<site>.solana.fundTokenAccounts { recipients, mints }').optional(),
  fundedMints: removed('sites.<site>.solana.fundTokenAccounts.mints').optional(),
  lamportsPerDay: lamportsSchema.optional(),
  requestsPerWalletPerDay: z.number().int().positive().optional(),
  // Refused, never read: one place (`sites.<key>.solana`) holds a site's policy for both networks.
  sites: z
    .unknown()
    .superRefine((sites, ctx) => {
      if (sites !== undefined) ctx.addIssue({ code: 'custom', message: solanaSitesMoved(sites) })
    })
    .transform(() => undefined)
    .optional(),
  confirm: z
    .object({
      pollIntervalMs: z.number().int().positive().optional(),
      resendIntervalMs: z.number().int().positive().optional(),
    })
    .optional(),
})

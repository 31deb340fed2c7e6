import { z } from 'zod'

/** The operator dashboard at `/admin` (packages/dashboard/README.md, "Dashboard"). Served whenever the admin API is on. */
export interface DashboardConfig {
  /** `false` stops serving the page (the admin API stays). Default true. */
  enabled?: boolean
  /** A relayer key below this balance (wei) is flagged (default 0.05 ether). */
  lowBalanceWei?: bigint | number | string
  /** Days of sponsored gas shown per site (default 7). */
  days?: number
  /** The Solana fee payer below this balance (lamports) is flagged (default 0.1 SOL). */
  lowBalanceLamports?: bigint | number | string
}

export const dashboardConfigFileSchema = z.object({
  enabled: z.boolean().optional(),
  lowBalanceWei: z.union([z.number().int().nonnegative(), z.string().regex(/^(0|[1-9][0-9]*)$/)]).optional(),
  days: z.number().int().min(1).max(90).optional(),
  lowBalanceLamports: z.union([z.number().int().nonnegative(), z.string().regex(/^(0|[1-9][0-9]*)$/)]).optional(),
})

export interface ResolvedDashboard {
  enabled: boolean
  lowBalanceWei: bigint
  days: number
  lowBalanceLamports: bigint
}

export function resolveDashboard(config: DashboardConfig = {}): ResolvedDashboard {
  return {
    enabled: config.enabled ?? true,
    lowBalanceWei: BigInt(config.lowBalanceWei ?? 50_000_000_000_000_000n),
    days: config.days ?? 7,
    lowBalanceLamports: BigInt(config.lowBalanceLamports ?? 100_000_000n),
  }
}

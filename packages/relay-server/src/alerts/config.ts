import { z } from 'zod'
import type { DashboardConfig } from '../dashboard/config.js'
import type { SiteWebhook, WebhookQueue } from '../webhooks/dispatcher.js'

type Amount = bigint | number | string

/** Balance thresholds, shared by the operator alerts and the dashboard's low-balance flags. */
export interface BalanceThresholdsConfig {
  /**
   * A relayer key below this many wei is low: one figure for every chain, or per chain id
   * (`{ "8453": "20000000000000000" }`; chains not named fall back to `dashboard.lowBalanceWei`, 0.05 ether).
   */
  lowBalanceWei?: Amount | Record<string, Amount>
  /** The Solana fee payer below this many lamports is low (default `dashboard.lowBalanceLamports`, 0.1 SOL). */
  lowBalanceLamports?: Amount
}

/** `RelayConfig.alerts`: low relayer and fee-payer balances sent to an operator webhook (README, "Operator alerts"). */
export interface AlertsConfig extends BalanceThresholdsConfig {
  /** Where alerts go, signed like site webhooks; without it only the dashboard flags low balances. */
  operator?: SiteWebhook
  /**
   * The durable queue of alerts: `createRedisWebhookQueue` on the store's Redis with a prefix of its
   * own (its state keys deduplicate alerts across instances); default process memory, allowed only
   * on the memory store.
   */
  queue?: WebhookQueue
  /** Balances are read this often (default 60,000 ms), and again shortly after each settlement. */
  checkIntervalMs?: number
  delivery?: { minBackoffMs?: number; maxBackoffMs?: number; maxAttempts?: number; timeoutMs?: number }
}

const amount = z.union([z.number().int().nonnegative(), z.string().regex(/^(0|[1-9][0-9]*)$/)])

/** The `alerts` section of the config file (the operator URL and secret come from the environment). */
export const alertsConfigFileSchema = z.object({
  lowBalanceWei: z.union([amount, z.record(z.string().regex(/^[1-9][0-9]{0,15}$/), amount)]).optional(),
  lowBalanceLamports: amount.optional(),
  checkIntervalMs: z.number().int().min(100).max(86_400_000).optional(),
})

export const DEFAULT_LOW_BALANCE_WEI = 50_000_000_000_000_000n
export const DEFAULT_LOW_BALANCE_LAMPORTS = 100_000_000n

export interface BalanceThresholds {
  wei(chainId: number): bigint
  /** The threshold of chains not named one by one. */
  defaultWei: bigint
  lamports: bigint
}

/** One answer for the alerts and the dashboard: they must never disagree on what is low. */
export function resolveBalanceThresholds(
  alerts: BalanceThresholdsConfig | undefined,
  dashboard: Pick<DashboardConfig, 'lowBalanceWei' | 'lowBalanceLamports'> | undefined,
): BalanceThresholds {
  const fallbackWei = BigInt(dashboard?.lowBalanceWei ?? DEFAULT_LOW_BALANCE_WEI)
  const configured = alerts?.lowBalanceWei
  const perChain =
    configured !== undefined && typeof configured === 'object'
      ? new Map(Object.entries(configured).map(([chain, wei]) => [Number(chain), BigInt(wei)]))
      : undefined
  const everyChain = configured !== undefined && typeof configured !== 'object' ? BigInt(configured) : fallbackWei
  return {
    wei: (chainId) => perChain?.get(chainId) ?? everyChain,
    defaultWei: everyChain,
    lamports: BigInt(alerts?.lowBalanceLamports ?? dashboard?.lowBalanceLamports ?? DEFAULT_LOW_BALANCE_LAMPORTS),
  }
}

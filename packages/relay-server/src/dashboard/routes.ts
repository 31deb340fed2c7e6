import { existsSync } from 'node:fs'
import { join } from 'node:path'
import express, { type RequestHandler, type Router } from 'express'
import { resolveBalanceThresholds } from '../alerts/config.js'
import type { AppDeps } from '../deps.js'
import { packageDir } from '../embed/assets.js'
import { RelayError } from '../errors.js'
import { requireAdmin } from '../routes/admin.js'
import type { SolanaRuntime } from '../solana/runtime.js'
import { isFinalStatus, type RequestStatus } from '../store/status.js'
import { type Stores, utcDay } from '../store/types.js'
import { resolveDashboard } from './config.js'
import { ActivityLog } from './recorder.js'

const STATUSES: readonly RequestStatus[] = ['queued', 'submitted', 'confirmed', 'failed', 'rejected']
const DAY_MS = 86_400_000

const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

type Labelled = { labels: Record<string, string | number | undefined>; value: number }

async function metricValues(deps: Pick<AppDeps, 'metrics'>, name: string): Promise<Labelled[]> {
  const metric = deps.metrics.registry.getSingleMetric(name)
  if (!metric) return []
  const data = await metric.get()
  return data.values as Labelled[]
}

interface Sample {
  at: number
  byStatus: Record<RequestStatus, number>
}

export interface Dashboard {
  /** Notes refusals and accepted ids of `/v1/*`; mount before the API routes. */
  recorder: RequestHandler
  /** `GET /admin/api/overview` and the static page at `/admin/`. */
  routes: Router
}

/** What the dashboard reads: queue depths, sites' budgets, request records, and the store's kind. */
export type DashboardDeps = Pick<
  AppDeps,
  'metrics' | 'dashboard' | 'alerts' | 'now' | 'chains' | 'batchers' | 'sites' | 'solana' | 'adminToken'
> & { stores: Pick<Stores, 'kind' | 'queue' | 'admission' | 'requests'> }

/**
 * The operator dashboard's server side: `GET /admin/api/overview` (bearer token) gathers in one
 * answer what the page draws, from the store, the Prometheus registry and the chains; `/admin/`
 * serves the built page of `@tokentags/dashboard` (it loads without a token and asks for one).
 */
export function createDashboard(deps: DashboardDeps): Dashboard {
  const config = resolveDashboard(deps.dashboard)
  // The operator alerts' thresholds: the page flags exactly what the alerts report.
  const thresholds = resolveBalanceThresholds(deps.alerts, deps.dashboard)
  const activity = new ActivityLog()
  const history: Sample[] = []
  const now = deps.now ?? Date.now
  const router = express.Router()

  const overview: RequestHandler = async (_req, res) => {
    const at = now()
    const today = utcDay(at)

    const requestValues = await metricValues(deps, 'tokentags_relay_requests_total')
    const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<RequestStatus, number>
    const byChainStatus: Record<string, Record<string, number>> = {}
    for (const { labels, value } of requestValues) {
      const status = String(labels.status) as RequestStatus
      byStatus[status] = (byStatus[status] ?? 0) + value
      const chain = String(labels.chain_id)
      byChainStatus[chain] ??= {}
      ;(byChainStatus[chain] as Record<string, number>)[status] = value
    }
    const last = history.at(-1)
    if (!last || at - last.at >= 1000) {
      history.push({ at, byStatus: { ...byStatus } })
      if (history.length > 360) history.shift()
    } else last.byStatus = { ...byStatus }

    const errorsByCode: Record<string, number> = {}
    for (const { labels, value } of await metricValues(deps, 'tokentags_relay_http_errors_total')) {
      errorsByCode[String(labels.code)] = value
    }
    const gasBySite = (await metricValues(deps, 'tokentags_relay_gas_spent_wei_total')).map(({ labels, value }) => ({
      site: String(labels.site),
      chainId: Number(labels.chain_id),
      wei: value,
    }))
    const gauges = new Map<string, number>()
    for (const { labels, value } of await metricValues(deps, 'tokentags_relay_relayer_balance_wei')) {
      gauges.set(`${labels.chain_id}:${String(labels.relayer).toLowerCase()}`, value)
    }

    const chains = await Promise.all(
      [...deps.chains.values()].map(async (chain) => {
        const queue = await deps.stores.queue.queueStats(chain.chainId)
        const batcher = deps.batchers?.get(chain.chainId)
        const held = new Set((batcher?.heldKeys() ?? []).map((a) => String(a).toLowerCase()))
        const relayers = await Promise.all(
          chain.relayers.map(async ({ account }) => {
            const address = account.address
            let balanceWei: bigint | undefined
            let source: 'chain' | 'metric' | 'unknown' = 'unknown'
            try {
              balanceWei = await withTimeout(chain.publicClient.getBalance({ address }), 3000)
              source = 'chain'
            } catch {
              const gauge = gauges.get(`${chain.chainId}:${address.toLowerCase()}`)
              if (gauge !== undefined) {
                balanceWei = BigInt(Math.round(gauge))
                source = 'metric'
              }
            }
            return {
              address,
              held: held.has(address.toLowerCase()),
              ...(balanceWei === undefined ? {} : { balanceWei }),
              source,
              low: balanceWei !== undefined && balanceWei < thresholds.wei(chain.chainId),
            }
          }),
        )
        return {
          chainId: chain.chainId,
          queue,
          inFlight: batcher?.inFlight() ?? 0,
          lowBalanceWei: thresholds.wei(chain.chainId),
          requests: byChainStatus[String(chain.chainId)] ?? {},
          relayers,
        }
      }),
    )

    const days = Array.from({ length: config.days }, (_, i) => utcDay(at - (config.days - 1 - i) * DAY_MS))
    const sites = await Promise.all(
      [...deps.sites.values()].map(async (site) => {
        const perDay = await Promise.all(
          days.map(async (day) => ({ day, state: await deps.stores.admission.siteState(site.key, day) })),
        )
        const todayState = perDay.at(-1)?.state ?? (await deps.stores.admission.siteState(site.key, today))
        const lamportsPerDay = deps.solana?.policyFor(site.key).lamportsPerDay
        return {
          key: site.key,
          paused: todayState.paused,
          ...(site.dailyBudgetWei === undefined ? {} : { dailyBudgetWei: site.dailyBudgetWei }),
          ...(lamportsPerDay === undefined ? {} : { dailyBudgetLamports: lamportsPerDay }),
          today: {
            day: today,
            usedWei: todayState.usedWei,
            spentWei: todayState.spentWei,
            ...(site.dailyBudgetWei === undefined ? {} : { remainingWei: site.dailyBudgetWei - todayState.usedWei }),
            ...(lamportsPerDay === undefined
              ? {}
              : { usedLamports: todayState.usedLamports, remainingLamports: lamportsPerDay - todayState.usedLamports }),
          },
          gasByDay: perDay.map(({ day, state }) => ({ day, spentWei: state.spentWei })),
        }
      }),
    )

    // Final failures of requests this process accepted, with the reason the batcher recorded.
    const records = await Promise.all(
      activity.accepted.map((a) => deps.stores.requests.get(a.id).catch(() => undefined)),
    )
    for (const record of records) {
      if (!record || !isFinalStatus(record.status) || record.status === 'confirmed') continue
      activity.failure({
        at: record.updatedAt,
        source: 'request',
        code: record.error?.code ?? record.status.toUpperCase(),
        message: record.error?.message ?? record.status,
        site: record.siteKey,
        id: record.id,
        chainId: record.chainId,
        ...(record.txHash ? { path: record.txHash } : {}),
      })
    }
    const recent = records
      .filter((r) => r !== undefined)
      .slice(-20)
      .reverse()

    res.json({
      at,
      store: deps.stores.kind,
      lowBalanceWei: thresholds.defaultWei,
      requests: { byStatus, history },
      errors: { byCode: errorsByCode },
      gas: { bySite: gasBySite, days },
      chains,
      sites,
      failures: [...activity.failures].sort((a, b) => b.at - a.at).slice(0, 50),
      ...(deps.solana ? { solana: await solanaFeePayer(deps.solana, thresholds.lamports) } : {}),
      recent: recent.map((r) => ({
        id: r.id,
        site: r.siteKey,
        chainId: r.chainId,
        status: r.status,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        ...(r.txHash ? { txHash: r.txHash } : {}),
      })),
    })
  }
  router.get('/admin/api/overview', requireAdmin(deps.adminToken), overview)

  const dir = packageDir('@tokentags/dashboard')
  const dist = dir === undefined ? undefined : join(dir, 'dist')
  if (deps.adminToken && config.enabled) {
    const page: RequestHandler = (req, res, next) => {
      if (!dist || !existsSync(join(dist, 'index.html'))) {
        throw new RelayError(
          404,
          'NOT_FOUND',
          'the dashboard is not built on this relay (npm run build -w packages/dashboard)',
        )
      }
      res.setHeader('content-security-policy', DASHBOARD_CSP)
      if (req.path === '/' && !req.originalUrl.split('?')[0]?.endsWith('/')) {
        res.redirect(301, '/admin/')
        return
      }
      next()
    }
    router.use('/admin', (req, res, next) => (req.path.startsWith('/api/') ? next('router') : page(req, res, next)))
    if (dist) router.use('/admin', express.static(dist, { index: 'index.html', dotfiles: 'ignore', redirect: false }))
  }
  return { recorder: activity.recorder(), routes: router }
}

/** The Solana fee payer and its balance (omitted when the RPC does not answer within 3 s). */
async function solanaFeePayer(solana: SolanaRuntime, lowBalanceLamports: bigint) {
  const feePayer = solana.signer.address
  let balanceLamports: bigint | undefined
  try {
    const answer = await withTimeout(
      solana.rpc.call<{ value: number }>('getBalance', [feePayer, { commitment: 'confirmed' }]),
      3000,
    )
    balanceLamports = BigInt(answer.value)
  } catch {}
  return {
    chain: solana.config.chain,
    feePayer,
    ...(balanceLamports === undefined ? {} : { balanceLamports }),
    lowBalanceLamports,
    low: balanceLamports !== undefined && balanceLamports < lowBalanceLamports,
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

import { timingSafeEqual } from 'node:crypto'
import { type RequestHandler, Router } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import { notFound, RelayError } from '../errors.js'
import { parseInput } from '../http/errors.js'
import { type Stores, utcDay } from '../store/types.js'

const siteParamsSchema = z.object({ key: z.string().min(1).max(128) })

/** `Authorization: Bearer <admin token>`, compared in constant time; without a token the route does not exist. */
export function requireAdmin(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : Buffer.from(token)
  return (req, res, next) => {
    // Without a configured token the admin API does not exist.
    if (!expected) throw notFound(`no route for ${req.method} ${req.path}`)
    const header = req.get('authorization') ?? ''
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.setHeader('www-authenticate', 'Bearer')
      throw new RelayError(401, 'UNAUTHORIZED', 'a valid admin bearer token is required')
    }
    next()
  }
}

/**
 * `/admin/api/*` behind `Authorization: Bearer <TOKENTAGS_ADMIN_TOKEN>`: queue and key stats,
 * a site's policy and today's budget, pausing and resuming a site (shared by all instances).
 */
export function adminRoutes(
  deps: Pick<AppDeps, 'chains' | 'sites' | 'batchers' | 'adminToken' | 'now' | 'solana'> & {
    stores: Pick<Stores, 'kind' | 'queue' | 'admission'>
  },
): Router {
  const router = Router()
  const now = deps.now ?? Date.now
  router.use('/admin/api', requireAdmin(deps.adminToken))

  router.get('/admin/api/stats', async (_req, res) => {
    const chains = await Promise.all(
      [...deps.chains.values()].map(async (chain) => {
        const queue = await deps.stores.queue.queueStats(chain.chainId)
        const batcher = deps.batchers?.get(chain.chainId)
        return {
          chainId: chain.chainId,
          queue,
          relayers: chain.relayers.map((r) => r.account.address),
          heldKeys: batcher?.heldKeys() ?? [],
          inFlight: batcher?.inFlight() ?? 0,
        }
      }),
    )
    res.json({ store: deps.stores.kind, chains, sites: [...deps.sites.keys()] })
  })

  const siteView = async (key: string) => {
    const site = deps.sites.get(key)
    if (!site) throw notFound(`no site ${key.slice(0, 64)}`)
    const day = utcDay(now())
    const state = await deps.stores.admission.siteState(key, day)
    // Beside the wei when the relay sponsors Solana: the site's lamports budget and today's use of it.
    const lamportsPerDay = deps.solana?.policyFor(key).lamportsPerDay
    return {
      key,
      paused: state.paused,
      origins: site.anyOrigin ? ['*', ...site.origins] : [...site.origins],
      allowNoOrigin: site.allowNoOrigin,
      targets: site.targets.map((t) => ({
        address: t.address,
        functions: [...(t.functions?.values() ?? [])].map((f) => f.signature),
        selectors: [...t.selectors],
        chainId: t.chainId,
      })),
      dailyBudgetWei: site.dailyBudgetWei,
      senderDailyQuota: site.senderDailyQuota,
      ...(lamportsPerDay === undefined ? {} : { dailyBudgetLamports: lamportsPerDay }),
      today: {
        day,
        usedWei: state.usedWei,
        spentWei: state.spentWei,
        ...(site.dailyBudgetWei === undefined ? {} : { remainingWei: site.dailyBudgetWei - state.usedWei }),
        ...(lamportsPerDay === undefined
          ? {}
          : { usedLamports: state.usedLamports, remainingLamports: lamportsPerDay - state.usedLamports }),
      },
    }
  }

  router.get('/admin/api/sites/:key', async (req, res) => {
    const { key } = parseInput(siteParamsSchema, req.params, 'key')
    res.json(await siteView(key))
  })

  for (const [action, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    router.post(`/admin/api/sites/:key/${action}`, async (req, res) => {
      const { key } = parseInput(siteParamsSchema, req.params, 'key')
      if (!deps.sites.has(key)) throw notFound(`no site ${key.slice(0, 64)}`)
      await deps.stores.admission.setSitePaused(key, paused)
      res.json(await siteView(key))
    })
  }
  return router
}

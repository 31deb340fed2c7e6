import type { RelayErrorBody } from '@tokentags/core/protocol'
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, Router } from 'express'
import type { AppDeps } from '../deps.js'
import { safeError } from '../errors.js'
import { clientAddressKey } from '../http/clientAddress.js'
import { requestLog } from '../http/context.js'
import { toDomainRelayError } from '../http/errors.js'
import { consumeOrRefuse } from '../http/rateLimit.js'
import { SolanaPay } from './pay.js'
import { solanaError } from './policy.js'

/** The tip endpoint: a Solana Pay transaction request and a Solana Action at once. */
const SOLANA_PAY_TIP_PATH = '/v1/solana/pay/tip'
const ICON_PATH = '/v1/solana/pay/icon.svg'
/** Where a page finds the payment of a tip link (same query as the link). */
const SOLANA_PAY_STATUS_PATH = '/v1/solana/pay/status'
/** Solana Actions spec version these answers follow. */
const ACTION_VERSION = '2.4'

// CAIP-2 ids (genesis hash prefixes) Action clients expect in `X-Blockchain-Ids`.
const BLOCKCHAIN_IDS: Record<string, string> = {
  'solana:mainnet': 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
  'solana:devnet': 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
  'solana:testnet': 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z',
}

/** `X-Blockchain-Ids` of a configured chain: its CAIP-2 id when known, else the name as configured. */
function blockchainId(chain: string): string {
  return BLOCKCHAIN_IDS[chain] ?? chain
}

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
<rect width="64" height="64" rx="14" fill="#14151a"/>
<path d="M18 22h28l-6 6H12zm6 10h28l-6 6H18zm-6 10h28l-6 6H12z" fill="#9d7bff"/>
</svg>
`

/**
 * `GET|POST /v1/solana/pay/tip`, its icon and `GET /actions.json`, open to every origin as Solana
 * Pay and Actions require (a wallet on a phone has no page origin; blink clients run anywhere).
 * Mount before the site CORS middleware, which would refuse those origins' preflights.
 */
export function solanaPayRoutes(deps: AppDeps): Router {
  const router = Router()
  const runtime = deps.solana
  if (!runtime) {
    router.all([SOLANA_PAY_TIP_PATH, SOLANA_PAY_STATUS_PATH, ICON_PATH], () => {
      throw solanaError('SOLANA_NOT_CONFIGURED', 'this relay does not sponsor Solana transactions')
    })
    return router
  }
  const pay = new SolanaPay(runtime, deps.sites, deps.now)
  const actionHeaders: RequestHandler = (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*')
    res.setHeader('Access-Control-Allow-Methods', 'GET,POST,PUT,OPTIONS')
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Content-Type, Authorization, Content-Encoding, Accept-Encoding, X-Accept-Action-Version, X-Accept-Blockchain-Ids',
    )
    res.setHeader('Access-Control-Expose-Headers', 'X-Action-Version, X-Blockchain-Ids, x-request-id')
    res.setHeader('X-Action-Version', ACTION_VERSION)
    res.setHeader('X-Blockchain-Ids', blockchainId(runtime.config.chain))
    next()
  }
  const { perIp } = deps.limits
  const ipLimiter = perIp ? deps.store.rateLimiter({ keyPrefix: 'solpay-ip', ...perIp }) : undefined
  const paths = ['/actions.json', SOLANA_PAY_TIP_PATH, SOLANA_PAY_STATUS_PATH, ICON_PATH]
  const limit: RequestHandler = async (req, _res, next) => {
    await consumeOrRefuse(ipLimiter, clientAddressKey(req.ip), 'this address')
    next()
  }

  router.use(paths, actionHeaders)
  router.options(paths, (_req, res) => {
    res.setHeader('Access-Control-Max-Age', '600')
    res.status(204).end()
  })

  router.get('/actions.json', (_req, res) => {
    res.json({ rules: [{ pathPattern: '/v1/solana/pay/**', apiPath: '/v1/solana/pay/**' }] })
  })

  router.get(ICON_PATH, (_req, res) => {
    res.setHeader('content-type', 'image/svg+xml')
    res.setHeader('cache-control', 'public, max-age=86400')
    res.send(ICON)
  })

  router.get(SOLANA_PAY_TIP_PATH, async (req, res) => {
    const tip = await pay.tip(req.query)
    const base = baseUrl(req)
    const action = `Tip ${tip.amount} ${tip.symbol}`
    res.json({
      // Solana Pay: who asks, and its icon. Actions: the same icon, plus title, description and the button.
      label: tip.pay.label,
      icon: tip.pay.icon ?? `${base}${ICON_PATH}`,
      type: 'action',
      title: tip.pay.title,
      description:
        tip.pay.description ??
        `${action} to ${tip.to}${tip.memo === undefined ? '' : ` (${tip.memo})`}; the relay pays the network fee.`,
      links: { actions: [{ type: 'transaction', label: action, href: `${base}${req.originalUrl}` }] },
    })
  })

  router.post(
    SOLANA_PAY_TIP_PATH,
    express.json({ limit: deps.limits.maxBodyBytes, strict: true }),
    limit,
    async (req, res) => {
      const built = await pay.build(req.query, req.body)
      if (built.created) {
        deps.metrics.solanaStatus('queued')
        requestLog(res).info(
          { requestId: built.record.id, wallet: built.record.wallet, signature: built.signature },
          'solana pay tip built',
        )
      }
      res.json({ type: 'transaction', transaction: built.transaction, message: built.message })
    },
  )

  router.get(SOLANA_PAY_STATUS_PATH, limit, async (req, res) => {
    res.json(await pay.find(req.query))
  })

  router.use(paths, payErrors(deps))
  return router
}

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}`
}

type PayErrorBody = RelayErrorBody & { message: string }

/**
 * Errors as the relay renders them (`{ error: { code, message } }`) with the Actions `ActionError`
 * (`{ message }`) beside, so both kinds of client show the reason.
 */
function payErrors(deps: AppDeps): ErrorRequestHandler {
  return (thrown, _req, res: Response, next) => {
    // Unknown errors (bugs, a body that is not JSON) go to the shared handler as they are.
    const error = res.headersSent ? undefined : toDomainRelayError(thrown)
    if (!error) {
      next(thrown)
      return
    }
    if (error.status >= 500) requestLog(res).error({ error: safeError(error) }, error.message)
    else requestLog(res).info({ code: error.code }, error.message)
    deps.metrics.httpError(error.code)
    const retryAfterMs = error.details?.retryAfterMs
    if (typeof retryAfterMs === 'number') {
      res.setHeader('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
    } else if (error.status === 503) res.setHeader('retry-after', '1')
    res
      .status(error.status)
      .json({ message: error.message, error: { code: error.code, message: error.message } } satisfies PayErrorBody)
  }
}

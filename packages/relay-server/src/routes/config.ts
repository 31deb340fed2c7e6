import type { RequestHandler } from 'express'
import type { AppDeps } from '../deps.js'

/** `GET /v1/config` → `{ chains: [{ chainId, forwarder, relayers, domain: { name, version } }] }`. */
export function configRoute(deps: AppDeps): RequestHandler {
  return (req, res) => {
    res.json({
      chains: [...deps.chains.values()].map((chain) => ({
        chainId: chain.chainId,
        forwarder: chain.forwarder,
        relayers: chain.relayers.map((r) => r.account.address),
        domain: { name: chain.domain.name, version: chain.domain.version },
      })),
      ...(deps.solana ? { solana: deps.solana.publicConfig(req.get('x-tokentags-site')) } : {}),
    })
  }
}

import type { RequestHandler } from 'express'
import type { AppDeps } from '../deps.js'
import type { StoreHealth } from '../store/types.js'

const RPC_TIMEOUT_MS = 3000

/**
 * `GET /v1/health` → `{ ok, chains: [{ chainId, ok, blockNumber? }], store: { kind, ok } }`; 503 when
 * anything is down. The store is proved by `stores.ping()`: a script round trip, so a Redis that
 * answers but cannot run the relay's scripts (scripting off, a cluster it cannot route) is down.
 */
export function healthRoute(deps: Pick<AppDeps, 'chains' | 'solana'> & { stores: StoreHealth }): RequestHandler {
  return async (_req, res) => {
    const [chains, storeOk, solana] = await Promise.all([
      Promise.all(
        [...deps.chains.values()].map(async (chain) => {
          try {
            const blockNumber = await withTimeout(chain.publicClient.getBlockNumber({ cacheTime: 0 }), RPC_TIMEOUT_MS)
            return { chainId: chain.chainId, ok: true, blockNumber }
          } catch {
            return { chainId: chain.chainId, ok: false, error: `rpc ${chain.rpcLabel} unreachable` }
          }
        }),
      ),
      withTimeout(deps.stores.ping(), RPC_TIMEOUT_MS).then(
        () => true,
        () => false,
      ),
      deps.solana?.health(),
    ])
    const ok = storeOk && chains.every((c) => c.ok) && (solana?.ok ?? true)
    res
      .status(ok ? 200 : 503)
      .json({ ok, chains, store: { kind: deps.stores.kind, ok: storeOk }, ...(solana ? { solana } : {}) })
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

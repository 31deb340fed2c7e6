// Attestation on `POST /v1/solana/transactions`. The human check applies as on EVM, before the
// transaction is decoded; the sponsorship webhook is asked after the checks and the simulation,
// right before admission (`solanaSponsor.ts`), as on EVM.
import type { ResolvedSite } from '../config.js'
import { requireHuman } from './humanCheck.js'

export async function requireSolanaAttestation(
  site: ResolvedSite,
  body: unknown,
  remoteIp: string | undefined,
): Promise<void> {
  const humanCheck = site.attestation?.humanCheck
  if (humanCheck) await requireHuman({ check: humanCheck, site, body, remoteIp })
}

// Attestation on `POST /v1/solana/transactions`. The human check applies as on EVM; the sponsorship
// webhook does not yet (its payload is an EVM forward request), so a site that requires one has its
// Solana transactions refused rather than sponsored without the owner's yes.
import type { ResolvedSite } from '../config.js'
import { forbidden } from '../errors.js'
import { requireHuman } from './humanCheck.js'

export async function requireSolanaAttestation(
  site: ResolvedSite,
  body: unknown,
  remoteIp: string | undefined,
): Promise<void> {
  const attestation = site.attestation
  if (!attestation) return
  if (attestation.sponsorWebhook) {
    throw forbidden(
      'SPONSOR_DECLINED',
      'this site requires the sponsorship webhook, which covers EVM requests only: its Solana transactions are not sponsored',
    )
  }
  if (attestation.humanCheck) await requireHuman({ check: attestation.humanCheck, site, body, remoteIp })
}

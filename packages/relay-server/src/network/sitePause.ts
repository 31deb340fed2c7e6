import type { AdmissionStore } from '../store/admission/types.js'
import { SitePausedError } from '../store/admission/types.js'
import { utcDay } from '../store/records.js'

/** How long a site read as open stays open without asking again. A paused site is asked every time. */
export const OPEN_SITE_CACHE_MS = 1000

/**
 * The early pause check, before any node work: a paused site costs no simulation and its visitor is
 * told the site is paused, not why the call would fail. Admission checks the flag again atomically,
 * so this gate only decides how early a refusal comes: an "open" answer is kept for
 * {@link OPEN_SITE_CACHE_MS} (a pause is refused early within a second, at admission meanwhile); a
 * "paused" one is never kept, so a resumed site is served at once.
 */
export interface SitePauseGate {
  /** Throws `SitePausedError` when the site is paused. */
  assertOpen(siteKey: string): Promise<void>
}

export function createSitePauseGate(
  admission: Pick<AdmissionStore, 'siteState'>,
  now: () => number = Date.now,
): SitePauseGate {
  const openUntil = new Map<string, number>()
  return {
    async assertOpen(siteKey) {
      const at = now()
      if ((openUntil.get(siteKey) ?? 0) > at) return
      const { paused } = await admission.siteState(siteKey, utcDay(at))
      if (paused) {
        openUntil.delete(siteKey)
        throw new SitePausedError(`site ${siteKey} is paused`)
      }
      openUntil.set(siteKey, at + OPEN_SITE_CACHE_MS)
    },
  }
}

import { FINAL_REQUEST_STATUSES, type RequestStatus } from '@tokentags/core/protocol'

// The status names and error shape are the client's (`@tokentags/core/protocol`): one source for both ends.
export type { RequestError, RequestStatus } from '@tokentags/core/protocol'

export const FINAL_STATUSES: readonly RequestStatus[] = FINAL_REQUEST_STATUSES

export function isFinalStatus(status: RequestStatus): boolean {
  return FINAL_STATUSES.includes(status)
}

/**
 * How long a request's record stays readable once it is final (confirmed, failed, rejected):
 * 7 days. Only final records expire, so nothing accepted is ever dropped before its outcome.
 */
export const DEFAULT_FINAL_RETENTION_MS = 7 * 86_400_000

/** Lifecycle of a relayed request: `queued → submitted → confirmed`, or `failed` / `rejected`. */
export type RequestStatus = 'queued' | 'submitted' | 'confirmed' | 'failed' | 'rejected'

export const FINAL_STATUSES: readonly RequestStatus[] = ['confirmed', 'failed', 'rejected']

export function isFinalStatus(status: RequestStatus): boolean {
  return FINAL_STATUSES.includes(status)
}

export interface RequestError {
  code: string
  message: string
}

/**
 * How long a request's record stays readable once it is final (confirmed, failed, rejected):
 * 7 days. Only final records expire, so nothing accepted is ever dropped before its outcome.
 */
export const DEFAULT_FINAL_RETENTION_MS = 7 * 86_400_000

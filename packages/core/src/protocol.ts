// What the relay's HTTP API and its clients agree on beyond the forwarder (whose EIP-712 types and ABI are in
// `@tokentags/contracts/forwarder`). The relay imports it from `@tokentags/core/protocol`.

/** Lifecycle of a relayed request: `queued → submitted → confirmed`, or `failed` / `rejected`. */
export type RequestStatus = 'queued' | 'submitted' | 'confirmed' | 'failed' | 'rejected'

/** The statuses a request never leaves. */
export const FINAL_REQUEST_STATUSES: readonly RequestStatus[] = ['confirmed', 'failed', 'rejected']

/** Why a request was refused or failed, as `GET /v1/requests/:id` and 4xx answers carry it. */
export interface RequestError {
  code: string
  message: string
}

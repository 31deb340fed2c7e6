// The Solana tests' round trip with a running relay: submit a transaction as a site's page does,
// then follow its request until it is final.

/** POSTs `transaction` (base64 wire format) to `/v1/solana/transactions` as `site`'s page at `origin`. */
export async function postSolanaTransaction<T>(
  relayUrl: string,
  transaction: string,
  site: string,
  origin: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${relayUrl}/v1/solana/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tokentags-site': site, origin },
    body: JSON.stringify({ transaction }),
  })
  return { status: response.status, body: (await response.json()) as T }
}

/** Reads `/v1/requests/:id` until the request is confirmed, failed or rejected; throws after `timeoutMs`. */
export async function waitForFinal<T extends { status: string }>(
  relayUrl: string,
  id: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const body = (await (await fetch(`${relayUrl}/v1/requests/${id}`)).json()) as T
    if (['confirmed', 'failed', 'rejected'].includes(body.status)) return body
    if (Date.now() > deadline) throw new Error(`request ${id} still ${body.status}`)
    await new Promise((r) => setTimeout(r, 30))
  }
}

// What the ledger's end-to-end specs share (ledger.spec.ts, screenshots.spec.ts): a stack with a PostgreSQL ledger
// and LiteSVM behind the relay's Solana API, one per spec and worker, and a sponsored SOL tip sent to it (which
// solanaBudget.spec.ts sends too).
import { type APIRequestContext, type APIResponse, test as base } from '@playwright/test'
import {
  appendTransactionMessageInstructions,
  type Blockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import { getTransferSolInstruction } from '@solana-program/system'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { SOLANA_SITE_KEY, type Stack, startStack } from './stack.js'

/**
 * The `test` of one spec: its own stack (a fixture of its own, so claims of one spec never meet another's schedules
 * or counts).
 */
export const ledgerStackTest = () =>
  base.extend<object, { stack: Stack }>({
    stack: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
      async ({}, use) => {
        const stack = await startStack({ ledger: true, solana: true })
        await use(stack)
        await stack.stop()
      },
      { scope: 'worker', timeout: 120_000 },
    ],
  })

/** A SOL tip of 12,345,678 lamports from the dev visitor to the creator, sponsored by the relay's fee payer. */
export async function postSolTip(request: APIRequestContext, stack: Stack): Promise<APIResponse> {
  const { solana } = stack
  if (!solana) throw new TypeError('the stack has no Solana')
  const visitor = (await solanaDevKeyPair('visitor')).signer
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(solana.dev.feePayer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: solana.node.svm.latestBlockhash() as Blockhash, lastValidBlockHeight: 0n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstructions(
        [getTransferSolInstruction({ source: visitor, destination: solana.dev.creator, amount: 12_345_678n })],
        m,
      ),
  )
  return request.post(`${stack.relayUrl}/v1/solana/transactions`, {
    headers: { 'x-tokentags-site': SOLANA_SITE_KEY, origin: stack.allowedHost },
    data: { transaction: getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message)) },
  })
}

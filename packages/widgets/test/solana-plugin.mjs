// A @web/test-runner server plugin for the Solana widget tests: the first test that runs
// `executeServerCommand('tokentags-solana')` gets LiteSVM behind JSON-RPC (`@tokentags/testkit/solana`) with the dev
// ledger seeded (fee payer, visitors, creator, a 6-decimal SPL mint) and a relay whose fee payer sponsors Solana
// (site key `pk_test_sol`, any origin). `tokentags-solana-balance` reads balances straight from the ledger.
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const SITE_KEY = 'pk_test_sol'

export function solanaPlugin() {
  let node
  let relay
  let ledger
  let setup
  let testkit
  async function start() {
    testkit = await import('@tokentags/testkit/solana')
    const { solanaDevKeyPair } = await import('@tokentags/testkit/solana-dev-wallet')
    node = await testkit.startSolanaRpc()
    ledger = await testkit.seedSolanaDevLedger(node.svm)
    const feePayer = await solanaDevKeyPair('feePayer')
    const { startRelay } = await import('@tokentags/relay-server')
    const relayRequire = createRequire(fileURLToPath(import.meta.resolve('@tokentags/relay-server')))
    const { default: pino } = await import(pathToFileURL(relayRequire.resolve('pino')).href)
    relay = await startRelay({
      port: 0,
      chains: [],
      sites: { [SITE_KEY]: { origins: ['*'], targets: [] } },
      solana: {
        rpcUrl: node.rpcUrl,
        feePayerSecretKey: Array.from(feePayer.secretKey),
        chain: 'solana:localnet',
        payForTokenAccounts: true,
        confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
      },
      logger: pino({ level: 'silent' }),
    })
    return {
      rpcUrl: node.rpcUrl,
      relayUrl: relay.url,
      siteKey: SITE_KEY,
      feePayer: ledger.feePayer,
      visitor: ledger.visitor,
      creator: ledger.creator,
      mint: ledger.mint,
    }
  }
  return {
    name: 'tokentags-solana',
    async executeCommand({ command, payload }) {
      if (command === 'tokentags-solana') {
        setup ??= start()
        return setup
      }
      if (command === 'tokentags-solana-balance') {
        await setup
        const { owner, mint } = payload
        const amount = mint
          ? await testkit.getSplBalance(node.svm, { mint, owner })
          : (node.svm.getBalance(owner) ?? 0n)
        return String(amount)
      }
      return undefined
    },
    async serverStop() {
      await relay?.close()
      await node?.stop()
    },
  }
}

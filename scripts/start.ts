// `npm start`: the dev stack in the foreground until Ctrl-C, which stops everything it started.
import { startDevStack } from './dev-stack.js'

const port = (name: string, fallback: number) => {
  const value = process.env[name]
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0 || n > 65535) {
    console.error(`${name} must be a TCP port, got ${JSON.stringify(value)}`)
    process.exit(2)
  }
  return n
}

const stack = await startDevStack({
  pagePort: port('TOKENTAGS_PAGE_PORT', 5173),
  relayPort: port('TOKENTAGS_RELAY_PORT', 8787),
  chainPort: port('TOKENTAGS_CHAIN_PORT', 8545),
  solanaPort: port('TOKENTAGS_SOLANA_PORT', 8899),
  log: (line) => console.log(line),
}).catch((error: unknown) => {
  console.error(`the dev stack did not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})

const { deployment } = stack
console.log(`
TokenTags dev stack is running.
  demo page  ${deployment.pageUrl}
  relay      ${deployment.relayUrl}
  chain      ${deployment.rpcUrl} (chain id ${deployment.chainId})
  solana     ${deployment.solana.rpcUrl} (local LiteSVM ledger)
  dashboard  ${deployment.relayUrl}/admin/ (operator token for this run: ${deployment.adminToken})
  embed      ${deployment.relayUrl}/embed/claim?site=${deployment.siteKey}&chain=${deployment.chainId}&vault=${deployment.contracts.vestingVault}
Press Ctrl-C to stop.`)

let stopping = false
const shutdown = async () => {
  if (stopping) return
  stopping = true
  console.log('\nstopping…')
  await stack.stop()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)

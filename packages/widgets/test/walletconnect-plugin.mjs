// A @web/test-runner server plugin for WalletConnect browser tests: the loopback WalletConnect relay of
// @tokentags/testkit (WalletConnect's own service cannot be reached here) and wallet sign clients in Node playing
// the visitor's phone, one per `kind` (a name per test file), each holding anvil's public dev account #5 and the
// Solana dev keypair `visitor` (funded on the ledger of solana-plugin.mjs); given the chain of chain-plugin.mjs, it
// approves that chain and gives account #5 the demo vesting schedules there.
//   executeServerCommand('tokentags-walletconnect', { kind, chain? }) → { relayUrl, address, solanaAddress }
//   executeServerCommand('tokentags-walletconnect-pair', { kind, uri })  the phone scanned the QR code
//   executeServerCommand('tokentags-walletconnect-requests', { kind })  → the methods the phone was asked, in order
//   executeServerCommand('tokentags-walletconnect-hold', { kind, hold })  proposals wait for the next command
//   executeServerCommand('tokentags-walletconnect-held', { kind })  → how many proposals wait
//   executeServerCommand('tokentags-walletconnect-approve-held', { kind })  → per proposal `published` or the error
//   executeServerCommand('tokentags-walletconnect-topic', { topic })  → { subscribers, messages: [{ tag, delivered }] }
//     as the relay sees that topic now (how many connections listen, what was published there, to how many it went)
// Everything stops with the server.

export function walletConnectPlugin() {
  let relay
  const phones = new Map()
  async function start({ kind, chain }) {
    const { ANVIL_DEV_ACCOUNTS } = await import('@tokentags/testkit')
    const { startWalletConnectRelay } = await import('@tokentags/testkit/walletconnect-relay')
    const { startTestWallet } = await import('@tokentags/testkit/walletconnect-wallet')
    relay ??= startWalletConnectRelay()
    const { url } = await relay
    const visitor = ANVIL_DEV_ACCOUNTS[5]
    if (chain) await seedSchedules(chain, visitor.address)
    const wallet = await startTestWallet({
      relayUrl: url,
      chains: chain ? [{ id: chain.chainId, rpcUrl: chain.rpcUrl }] : [],
      storagePrefix: `wtr-phone-${kind}`,
      evmAccount: visitor,
    })
    return { wallet, setup: { relayUrl: url, address: visitor.address, solanaAddress: wallet.solanaAddress } }
  }
  const phone = async (kind) => {
    const started = phones.get(kind)
    if (!started) throw new TypeError(`no ${kind} phone: run tokentags-walletconnect first`)
    return (await started).wallet
  }
  return {
    name: 'tokentags-walletconnect',
    async executeCommand({ command, payload }) {
      if (command === 'tokentags-walletconnect') {
        if (!phones.has(payload.kind)) phones.set(payload.kind, start(payload))
        return (await phones.get(payload.kind)).setup
      }
      if (command === 'tokentags-walletconnect-pair') {
        await (await phone(payload.kind)).pair(payload.uri)
        return true
      }
      if (command === 'tokentags-walletconnect-requests')
        return (await phone(payload.kind)).requests.map((r) => r.method)
      if (command === 'tokentags-walletconnect-hold') {
        ;(await phone(payload.kind)).hold = payload.hold
        return true
      }
      if (command === 'tokentags-walletconnect-held') return (await phone(payload.kind)).held.length
      if (command === 'tokentags-walletconnect-approve-held') return (await phone(payload.kind)).approveHeld()
      if (command === 'tokentags-walletconnect-topic') {
        const started = await relay
        return {
          subscribers: started.subscribers(payload.topic).length,
          messages: started.published
            .filter((m) => m.topic === payload.topic)
            .map(({ tag, delivered }) => ({ tag, delivered })),
        }
      }
      return undefined
    },
    async serverStop() {
      for (const started of phones.values()) await (await started.catch(() => undefined))?.wallet.close()
      await (await relay?.catch(() => undefined))?.close()
    },
  }
}

/** The demo schedules (fully vested, partly vested, before the cliff) for `beneficiary`, from the deployer. */
async function seedSchedules(chain, beneficiary) {
  const { seedDemoSchedules } = await import('@tokentags/contracts/deploy')
  const { ANVIL_DEV_ACCOUNTS } = await import('@tokentags/testkit')
  const { createPublicClient, createWalletClient, http } = await import('viem')
  const { privateKeyToAccount } = await import('viem/accounts')
  const viemChain = {
    id: chain.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [chain.rpcUrl] } },
  }
  const transport = http(chain.rpcUrl)
  const walletClient = createWalletClient({
    account: privateKeyToAccount(ANVIL_DEV_ACCOUNTS[0].privateKey),
    chain: viemChain,
    transport,
  })
  const publicClient = createPublicClient({ chain: viemChain, transport })
  await seedDemoSchedules({
    walletClient,
    publicClient,
    vestingVault: chain.vestingVault,
    token: chain.token,
    beneficiaries: [beneficiary],
  })
}

// A @web/test-runner server plugin for WalletConnect browser tests: the loopback WalletConnect relay of
// @tokentags/testkit (WalletConnect's own service cannot be reached here) and a wallet sign client in Node playing
// the visitor's phone, holding anvil's public dev account #5 with vested schedules on the chain of chain-plugin.mjs.
//   executeServerCommand('tokentags-walletconnect', chain) → { relayUrl, address }
//   executeServerCommand('tokentags-walletconnect-pair', { uri })  the phone scanned the QR code
//   executeServerCommand('tokentags-walletconnect-requests')  → the methods the phone was asked, in order
// Everything stops with the server.

export function walletConnectPlugin() {
  let relay
  let wallet
  let setup
  async function start(chain) {
    const { ANVIL_DEV_ACCOUNTS } = await import('@tokentags/testkit')
    const { startWalletConnectRelay } = await import('@tokentags/testkit/walletconnect-relay')
    const { startTestWallet } = await import('@tokentags/testkit/walletconnect-wallet')
    const visitor = ANVIL_DEV_ACCOUNTS[5]
    await seedSchedules(chain, visitor.address)
    relay = await startWalletConnectRelay()
    wallet = await startTestWallet({
      relayUrl: relay.url,
      chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }],
      storagePrefix: 'wtr-phone',
      evmAccount: visitor,
    })
    return { relayUrl: relay.url, address: visitor.address }
  }
  return {
    name: 'tokentags-walletconnect',
    async executeCommand({ command, payload }) {
      if (command === 'tokentags-walletconnect') {
        setup ??= start(payload)
        return setup
      }
      if (command === 'tokentags-walletconnect-pair') {
        await wallet.pair(payload.uri)
        return true
      }
      if (command === 'tokentags-walletconnect-requests') return wallet.requests.map((r) => r.method)
      return undefined
    },
    async serverStop() {
      await wallet?.close()
      await relay?.close()
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

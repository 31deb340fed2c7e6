import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import * as core from '../src/index.js'

describe('public API', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
      [
        "AbortedError",
        "BROWSER_WALLET_ID",
        "ChainSwitchError",
        "DEFAULT_SLIPPAGE_BPS",
        "GaslessUnsupportedError",
        "InvalidParameterError",
        "NoWalletError",
        "NothingToClaimError",
        "ReadFailedError",
        "RelayOriginNotAllowedError",
        "RelayRejectedError",
        "RelayUnreachableError",
        "SaleCapExceededError",
        "SaleNotOpenError",
        "SlippageError",
        "TimeoutError",
        "TokenTagsError",
        "TransactionFailedError",
        "UnknownError",
        "UnsupportedMintError",
        "UserRejectedError",
        "WalletNotConnectedError",
        "WrongChainError",
        "WrongContractError",
        "buy",
        "checkRelay",
        "claim",
        "connect",
        "createTokenTagsClient",
        "disconnect",
        "formatTokenAmount",
        "getAccount",
        "getBalance",
        "getBuyQuote",
        "getConnectedWallet",
        "getDefaultClient",
        "getInjectedWallets",
        "getSale",
        "getToken",
        "getVestingSchedules",
        "getWallets",
        "isInjectedWalletAnnounced",
        "paymentRequestUri",
        "reconnect",
        "relayFailure",
        "setDefaultClient",
        "switchAccount",
        "switchChain",
        "tip",
        "verifyContract",
        "waitForPayment",
        "watchAccount",
        "watchWallets",
      ]
    `)
  })

  it('imports in plain Node without window or document', () => {
    const script = `
      if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('DOM present')
      const core = await import('@tokentags/core')
      const client = core.createTokenTagsClient({ chains: [{ id: 31337, rpcUrl: 'http://127.0.0.1:1' }] })
      core.setDefaultClient(client)
      if (core.getDefaultClient() !== client) throw new Error('default client')
      if (core.getAccount(client).status !== 'disconnected') throw new Error('account')
      if (core.getWallets(client).length !== 0) throw new Error('wallets')
      console.log('ok')
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
    })
    expect(out.trim()).toBe('ok')
  })
})

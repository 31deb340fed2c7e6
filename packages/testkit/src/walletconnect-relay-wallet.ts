// The wallet side of WalletConnect tests (test-only): a real @walletconnect/sign-client that pairs with a URI, approves
// sessions for the eip155 and solana namespaces and answers requests by signing with public dev keys (anvil's
// first account; a Solana dev keypair). It plays the phone; the code under test plays the page.
import {
  getBase58Decoder,
  getTransactionDecoder,
  getTransactionEncoder,
  type SignatureBytes,
  signBytes,
} from '@solana/kit'
import { SignClient } from '@walletconnect/sign-client'
import type { SessionTypes, SignClientTypes } from '@walletconnect/types'
import { createWalletClient, type Hex, http, type TypedDataDefinition } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ANVIL_DEV_ACCOUNTS, type DevAccount } from './accounts.js'
import { solanaDevKeyPair } from './solana-accounts.js'

/** anvil's first dev account: a public key pair, never for real funds. */
export const WALLET_EVM_ACCOUNT = ANVIL_DEV_ACCOUNTS[0] as (typeof ANVIL_DEV_ACCOUNTS)[number]
/** WalletConnect's CAIP-2 id for Solana devnet (genesis hash prefix). */
export const SOLANA_DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1'

export interface TestWalletOptions {
  relayUrl: string
  /** EVM chains to approve (CAIP-2 references), e.g. `[31337]`; RPC URLs for `eth_sendTransaction`. */
  chains: readonly { id: number; rpcUrl?: string }[]
  /** Distinct per client in one process. */
  storagePrefix: string
  /** The EVM account it holds (default anvil's first dev account). */
  evmAccount?: DevAccount
  /** How it answers `solana_signTransaction`: the spec's bare signature, or with the signed transaction too. */
  solanaAnswer?: 'signature' | 'transaction' | 'tampered'
}

export interface SeenRequest {
  topic: string
  chainId: string
  method: string
  params: unknown
}

export interface TestWallet {
  client: InstanceType<typeof SignClient>
  evmAddress: Hex
  solanaAddress: string
  /** Requests answered (or refused) so far. */
  requests: SeenRequest[]
  /** When set, the next requests are refused as a user would (4001) while it returns true. */
  refuse: ((request: SeenRequest) => boolean) | undefined
  solanaAnswer: 'signature' | 'transaction' | 'tampered'
  /**
   * When true, proposals wait for `approveHeld` instead of being approved on arrival (a visitor who looks at the
   * phone only later).
   */
  hold: boolean
  /** Proposals waiting while `hold` is set, by id. */
  readonly held: readonly number[]
  /**
   * Approves the held proposals now, each as far as the wallet gets: `published` once its answer went to the relay,
   * else the wallet's error (e.g. the page deleted the pairing and the wallet forgot the proposal).
   */
  approveHeld(): Promise<string[]>
  pair(uri: string): Promise<void>
  /** Resolves with the settled session once the wallet approved the next proposal. */
  nextSession(): Promise<SessionTypes.Struct>
  close(): Promise<void>
}

/**
 * Starts a wallet sign client on `relayUrl` (the loopback relay of ./walletconnect-relay.ts). It sets sign-client's
 * own test switch (`IS_VITEST=true`): no Verify API or telemetry calls, which would leave this machine.
 */
export async function startTestWallet(options: TestWalletOptions): Promise<TestWallet> {
  process.env.IS_VITEST = 'true'
  const evm = privateKeyToAccount((options.evmAccount ?? WALLET_EVM_ACCOUNT).privateKey)
  const solana = await solanaDevKeyPair('visitor')
  const client = await SignClient.init({
    projectId: 'tokentags-test-wallet',
    relayUrl: options.relayUrl,
    customStoragePrefix: options.storagePrefix,
    telemetryEnabled: false,
    logger: 'silent',
    metadata: { name: 'Test wallet', description: 'WalletConnect test wallet', url: 'https://wallet.test', icons: [] },
  })
  const requests: SeenRequest[] = []
  let sessionWaiters: ((session: SessionTypes.Struct) => void)[] = []
  const held: SignClientTypes.EventArguments['session_proposal'][] = []

  const wallet: TestWallet = {
    client,
    evmAddress: evm.address,
    solanaAddress: solana.address,
    requests,
    refuse: undefined,
    solanaAnswer: options.solanaAnswer ?? 'transaction',
    hold: false,
    get held() {
      return held.map((proposal) => proposal.id)
    },
    approveHeld: async () => {
      const outcomes: string[] = []
      for (const proposal of held.splice(0)) {
        try {
          const { acknowledged } = await approve(proposal)
          // The page acknowledges a session it accepted; a page that gave the pairing up never does.
          acknowledged().then(announce, () => {})
          outcomes.push('published')
        } catch (error) {
          outcomes.push((error as Error).message || String(error))
        }
      }
      return outcomes
    },
    pair: async (uri) => {
      await client.core.pairing.pair({ uri })
    },
    nextSession: () => new Promise((resolve) => sessionWaiters.push(resolve)),
    close: async () => {
      await client.core.relayer.transportClose().catch(() => {})
    },
  }

  const announce = (session: SessionTypes.Struct) => {
    const waiters = sessionWaiters
    sessionWaiters = []
    for (const resolve of waiters) resolve(session)
  }

  const approve = ({ id, params }: SignClientTypes.EventArguments['session_proposal']) => {
    const evmChains = options.chains.map((c) => `eip155:${c.id}`)
    const proposed = { ...params.optionalNamespaces, ...params.requiredNamespaces }
    const namespaces: SessionTypes.Namespaces = {}
    if (proposed.eip155)
      namespaces.eip155 = {
        chains: evmChains,
        accounts: evmChains.map((chain) => `${chain}:${evm.address}`),
        methods: proposed.eip155.methods,
        events: proposed.eip155.events,
      }
    if (proposed.solana)
      namespaces.solana = {
        chains: [SOLANA_DEVNET],
        accounts: [`${SOLANA_DEVNET}:${solana.address}`],
        methods: proposed.solana.methods,
        events: proposed.solana.events,
      }
    return client.approve({ id, namespaces })
  }

  client.on('session_proposal', async (proposal: SignClientTypes.EventArguments['session_proposal']) => {
    if (wallet.hold) {
      held.push(proposal)
      return
    }
    const { acknowledged } = await approve(proposal)
    announce(await acknowledged())
  })

  client.on('session_request', async ({ id, topic, params }: SignClientTypes.EventArguments['session_request']) => {
    const seen: SeenRequest = {
      topic,
      chainId: params.chainId,
      method: params.request.method,
      params: params.request.params,
    }
    requests.push(seen)
    const respond = (response: { result: unknown } | { error: { code: number; message: string } }) =>
      client.respond({ topic, response: { id, jsonrpc: '2.0', ...response } as never })
    if (wallet.refuse?.(seen)) {
      // WalletConnect's SDK error USER_REJECTED (what WalletKit wallets send), not EIP-1193's 4001.
      await respond({ error: { code: 5000, message: 'User rejected.' } })
      return
    }
    try {
      await respond({ result: await answer(seen) })
    } catch (error) {
      await respond({ error: { code: -32000, message: (error as Error).message } })
    }
  })

  async function answer({ chainId, method, params }: SeenRequest): Promise<unknown> {
    const list = params as unknown[]
    switch (method) {
      case 'personal_sign':
        return evm.signMessage({ message: { raw: list[0] as Hex } })
      case 'eth_signTypedData_v4':
        return evm.signTypedData(JSON.parse(list[1] as string) as TypedDataDefinition)
      case 'eth_sendTransaction': {
        const id = Number(chainId.split(':')[1])
        const rpcUrl = options.chains.find((c) => c.id === id)?.rpcUrl
        if (!rpcUrl) throw new TypeError(`no RPC for ${chainId}`)
        const tx = list[0] as { to: Hex; data?: Hex; value?: Hex; gas?: Hex }
        const walletClient = createWalletClient({ account: evm, transport: http(rpcUrl) })
        return walletClient.sendTransaction({
          chain: null,
          to: tx.to,
          data: tx.data,
          value: tx.value ? BigInt(tx.value) : undefined,
          gas: tx.gas ? BigInt(tx.gas) : undefined,
        })
      }
      case 'wallet_switchEthereumChain':
        return null
      case 'solana_signTransaction': {
        const bytes = Buffer.from((params as { transaction: string }).transaction, 'base64')
        const decoded = getTransactionDecoder().decode(bytes)
        const signature = (await signBytes(solana.signer.keyPair.privateKey, decoded.messageBytes)) as SignatureBytes
        const signed = { ...decoded, signatures: { ...decoded.signatures, [solana.address]: signature } }
        // WalletConnect's Solana spec answers the signature (base58); newer wallets add the whole transaction.
        const answer = { signature: getBase58Decoder().decode(signature) }
        if (wallet.solanaAnswer === 'signature') return answer
        const wire = new Uint8Array(getTransactionEncoder().encode(signed))
        // A wallet that changes what it was asked to sign (the last byte of the message).
        if (wallet.solanaAnswer === 'tampered') wire[wire.length - 1] = (wire.at(-1) ?? 0) ^ 1
        return { ...answer, transaction: Buffer.from(wire).toString('base64') }
      }
      default:
        throw new TypeError(`test wallet: ${method} is not supported`)
    }
  }

  return wallet
}

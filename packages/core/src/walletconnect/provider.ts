import type { SessionTypes } from '@walletconnect/types'
import { type Address, type EIP1193Provider, getAddress, numberToHex } from 'viem'
import type { TokenTagsClient } from '../client.js'
import { ProviderRpcError, type SessionController, sessionAccounts } from './session.js'

type EventName = 'accountsChanged' | 'chainChanged' | 'connect' | 'disconnect' | 'display_uri'

// What the wallet answers; everything else is a read, answered by the page's own RPC of the current chain.
const WALLET_METHODS = new Set([
  'eth_sendTransaction',
  'eth_signTransaction',
  'eth_sign',
  'personal_sign',
  'eth_signTypedData',
  'eth_signTypedData_v3',
  'eth_signTypedData_v4',
  'wallet_addEthereumChain',
  'wallet_getCapabilities',
  'wallet_sendCalls',
  'wallet_getCallsStatus',
  'wallet_watchAsset',
])

/** The EIP-1193 provider of the WalletConnect session's `eip155` namespace. */
export interface WalletConnectProvider extends EIP1193Provider {
  /** The session's chain the provider signs for now (a configured chain the wallet approved). */
  readonly chainId: number | undefined
}

/**
 * An EIP-1193 provider over the session: `eth_requestAccounts` pairs (the URI goes to `onDisplayUri` listeners and
 * as a `display_uri` event) and resolves once the wallet approves; signing methods go to the wallet; reads go to
 * the TokenTags client's RPC of the current chain, as they would from an injected wallet's node.
 */
export function createWalletConnectProvider(client: TokenTagsClient | undefined, controller: SessionController) {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  const emit = (event: EventName, ...args: unknown[]) => {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(...args)
  }
  const pageChains = client?.chains.map((c) => c.id) ?? []
  const configured = new Set(pageChains)
  let chainId: number | undefined

  /** The session's eip155 chains the page has configured, in the page's order. */
  const sessionChains = (session: SessionTypes.Struct | undefined): number[] => {
    const approved = new Set(sessionAccounts(session, 'eip155').map(([chain]) => Number(chain.split(':')[1])))
    for (const chain of session?.namespaces.eip155?.chains ?? []) approved.add(Number(chain.split(':')[1]))
    return pageChains.filter((id) => approved.has(id))
  }
  const accounts = (session = controller.session): Address[] => {
    if (chainId === undefined) return []
    const seen = new Set<string>()
    const list: Address[] = []
    for (const [chain, address] of sessionAccounts(session, 'eip155')) {
      if (chain !== `eip155:${chainId}` || seen.has(address.toLowerCase())) continue
      seen.add(address.toLowerCase())
      list.push(getAddress(address))
    }
    return list
  }

  controller.onSessionChange((session) => {
    const before = accounts()
    const previousChain = chainId
    const chains = sessionChains(session)
    chainId = chainId !== undefined && chains.includes(chainId) ? chainId : chains[0]
    if (!session) {
      chainId = undefined
      emit('accountsChanged', [])
      emit('disconnect', new ProviderRpcError(4900, 'The WalletConnect session ended.'))
      return
    }
    if (chainId !== previousChain && chainId !== undefined) emit('chainChanged', numberToHex(chainId))
    const after = accounts()
    if (before.join() !== after.join()) emit('accountsChanged', after)
  })
  controller.onSessionEvent(({ name, data, chainId: eventChain }) => {
    if (name === 'chainChanged') {
      const next = Number(typeof data === 'string' && data.startsWith('0x') ? BigInt(data) : data)
      if (configured.has(next) && next !== chainId) {
        chainId = next
        emit('chainChanged', numberToHex(next))
      }
    } else if (name === 'accountsChanged' && eventChain.startsWith('eip155:')) {
      emit('accountsChanged', accounts())
    }
  })
  controller.onDisplayUri((uri) => emit('display_uri', uri))

  const request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
    switch (method) {
      case 'eth_requestAccounts': {
        await controller.connect()
        const list = accounts()
        if (list.length === 0)
          throw new ProviderRpcError(4100, 'The wallet approved no account on a chain this page uses.')
        return list
      }
      case 'eth_accounts':
        return accounts()
      case 'eth_chainId':
        return numberToHex(chainId ?? pageChains[0] ?? 1)
      case 'net_version':
        return String(chainId ?? pageChains[0] ?? 1)
      // wagmi asks for permissions first to show an account picker; WalletConnect has none: it then uses
      // eth_requestAccounts (4200: unsupported method).
      case 'wallet_requestPermissions':
        throw new ProviderRpcError(4200, 'WalletConnect has no permissions request.')
      case 'wallet_revokePermissions':
        await controller.disconnect()
        return null
      case 'wallet_switchEthereumChain': {
        const wanted = Number(BigInt((params as [{ chainId: string }] | undefined)?.[0]?.chainId ?? '0x0'))
        if (!sessionChains(controller.session).includes(wanted))
          throw new ProviderRpcError(4902, `The wallet did not approve chain ${wanted} for this session.`)
        // The session already covers the chain: switching is the page's choice, no prompt in the wallet.
        if (wanted !== chainId) {
          chainId = wanted
          emit('chainChanged', numberToHex(wanted))
        }
        return null
      }
      default:
        if (WALLET_METHODS.has(method)) {
          if (chainId === undefined) throw new ProviderRpcError(4100, 'Connect the wallet through WalletConnect first.')
          return controller.request(`eip155:${chainId}`, method, params ?? [])
        }
        if (!client || pageChains.length === 0)
          throw new ProviderRpcError(4901, 'This page has no EVM chain for WalletConnect to read from.')
        return client.getChainClient(chainId ?? (pageChains[0] as number)).request({ method, params } as never)
    }
  }

  const provider = {
    request,
    on(event: string, listener: (...args: unknown[]) => void) {
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
      }
      set.add(listener)
      return provider
    },
    removeListener(event: string, listener: (...args: unknown[]) => void) {
      listeners.get(event)?.delete(listener)
      return provider
    },
    get chainId() {
      return chainId
    },
  }
  return provider as unknown as WalletConnectProvider
}

import { forwarderAbi, tagTokenAbi } from '@tokentags/contracts'
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import {
  type Address,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  type LocalAccount,
  parseEventLogs,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { CHAIN_ID, deployer, signedBody, type TestChain } from '../helpers.js'

export const SINK: Address = '0x000000000000000000000000000000000000bEEF'
export const UNIT = 1n
export const transferSelector = encodeFunctionData({
  abi: tagTokenAbi,
  functionName: 'transfer',
  args: [SINK, UNIT],
}).slice(0, 10) as Hex

/** Relayer keys: anvil dev accounts 1..n (funded with ETH). */
export function relayerKeys(n: number): Hex[] {
  return ANVIL_DEV_ACCOUNTS.slice(1, 1 + n).map((a) => a.privateKey)
}

/** `count` fresh signers, each given `tokens` TagToken units by the deployer. */
export async function fundedUsers(chain: TestChain, count: number, tokens: bigint): Promise<LocalAccount[]> {
  const wallet = createWalletClient({ account: deployer, chain: foundry, transport: http(chain.anvil.rpcUrl) })
  const users = Array.from({ length: count }, () => privateKeyToAccount(generatePrivateKey()))
  let hash: Hex | undefined
  for (const u of users) {
    hash = await wallet.writeContract({
      address: chain.token,
      abi: tagTokenAbi,
      functionName: 'transfer',
      args: [u.address, tokens],
    })
  }
  if (hash) await chain.publicClient.waitForTransactionReceipt({ hash })
  return users
}

export function transferBody(chain: TestChain, account: LocalAccount, nonce: bigint) {
  return signedBody({
    account,
    forwarder: chain.forwarder,
    to: chain.token,
    data: encodeFunctionData({ abi: tagTokenAbi, functionName: 'transfer', args: [SINK, UNIT] }),
    nonce,
    gas: 80_000n,
  })
}

export interface PostResult {
  status: number
  json: { id?: string; status?: string; error?: { code: string; message: string } }
}

/** POSTs a body; a network error comes back as status 0. */
export async function post(
  url: string,
  body: unknown,
  site: string,
  origin: string,
  timeoutMs = 10_000,
): Promise<PostResult> {
  try {
    const response = await fetch(`${url}/v1/evm/${CHAIN_ID}/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tokentags-site': site, origin },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    return { status: response.status, json: (await response.json()) as PostResult['json'] }
  } catch {
    return { status: 0, json: {} }
  }
}

export async function getJson(
  url: string,
): Promise<{ status: string; txHash?: Hex; error?: { code: string; message: string } } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
    if (response.status !== 200) return undefined
    return (await response.json()) as { status: string; txHash?: Hex }
  } catch {
    return undefined
  }
}

/** Every `ExecutedForwardRequest` the forwarder emitted: `signer:nonce` → count and successes. */
export async function executions(chain: TestChain): Promise<{ keys: string[]; successes: number }> {
  const logs = await chain.publicClient.getContractEvents({
    address: chain.forwarder,
    abi: forwarderAbi,
    eventName: 'ExecutedForwardRequest',
    fromBlock: 0n,
  })
  const parsed = parseEventLogs({ abi: forwarderAbi, eventName: 'ExecutedForwardRequest', logs })
  return {
    keys: parsed.map((l) => `${l.args.signer.toLowerCase()}:${l.args.nonce}`),
    successes: parsed.filter((l) => l.args.success).length,
  }
}

export const forwarderNonce = (chain: TestChain, address: Address) =>
  chain.publicClient.readContract({
    address: chain.forwarder,
    abi: forwarderAbi,
    functionName: 'nonces',
    args: [address],
  })
export const tokenBalance = (chain: TestChain, address: Address) =>
  chain.publicClient.readContract({
    address: chain.token,
    abi: tagTokenAbi,
    functionName: 'balanceOf',
    args: [address],
  })

import type { APIRequestContext } from '@playwright/test'
import { vestingVaultAbi } from '@tokentags/contracts'
import { forwardRequestTypes } from '@tokentags/relay-server'
import { type Address, createPublicClient, encodeFunctionData, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { SITE_KEY, type Stack } from './stack.js'

const noncesAbi = [
  {
    type: 'function',
    name: 'nonces',
    stateMutability: 'view',
    inputs: [{ name: 'owner', type: 'address' }],
    outputs: [{ type: 'uint256' }],
  },
] as const

/** Signs and submits gasless claims of each of `role`'s schedules; resolves to the answers. */
export async function submitClaims(request: APIRequestContext, stack: Stack, role: string, tamper = false) {
  const account = stack.accounts.find((a) => a.role === role)
  if (!account) throw new Error(`no ${role} account`)
  const signer = privateKeyToAccount(account.privateKey)
  const chain = createPublicClient({ transport: http(stack.anvil.rpcUrl) })
  const ids = await chain.readContract({
    address: stack.contracts.vestingVault,
    abi: vestingVaultAbi,
    functionName: 'scheduleIdsOf',
    args: [account.address],
  })
  let nonce = await chain.readContract({
    address: stack.contracts.forwarder,
    abi: noncesAbi,
    functionName: 'nonces',
    args: [account.address],
  })
  const answers: { status: number; body: { id?: string; error?: { code: string } } }[] = []
  for (const id of ids) {
    const message = {
      from: account.address as Address,
      to: stack.contracts.vestingVault,
      value: 0n,
      gas: 300_000n,
      nonce,
      deadline: Math.floor(Date.now() / 1000) + 3600,
      data: encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claim', args: [id] }),
    }
    let signature: Hex = await signer.signTypedData({
      domain: {
        name: 'TokenTags Forwarder',
        version: '1',
        chainId: stack.anvil.chainId,
        verifyingContract: stack.contracts.forwarder,
      },
      types: forwardRequestTypes,
      primaryType: 'ForwardRequest',
      message,
    })
    if (tamper)
      signature =
        `${signature.slice(0, -6)}${signature.slice(-6, -2) === 'aaaa' ? 'bbbb' : 'aaaa'}${signature.slice(-2)}` as Hex
    const response = await request.post(`${stack.relayUrl}/v1/evm/${stack.anvil.chainId}/requests`, {
      headers: { 'x-tokentags-site': SITE_KEY, origin: stack.allowedHost },
      data: {
        request: Object.fromEntries(
          Object.entries(message).map(([k, v]) => [k, typeof v === 'string' ? v : v.toString()]),
        ),
        signature,
      },
    })
    answers.push({ status: response.status(), body: await response.json() })
    if (response.status() === 202) nonce += 1n
  }
  return answers
}

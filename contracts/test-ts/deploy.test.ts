import { forwarderAbi, tagTokenAbi, vestingVaultAbi } from '@tokentags/contracts'
import { type DemoSchedule, deployFoundation, seedDemoSchedules } from '@tokentags/contracts/deploy'
import { FORWARDER_DOMAIN_NAME, FORWARDER_DOMAIN_VERSION } from '@tokentags/contracts/forwarder'
import { ANVIL_DEV_ACCOUNTS, type AnvilInstance, startAnvil } from '@tokentags/testkit'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  type PublicClient,
  parseUnits,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const [deployerKey, ...others] = ANVIL_DEV_ACCOUNTS
const beneficiaryKeys = others.slice(0, 3)

let anvil: AnvilInstance
let publicClient: PublicClient
let contracts: Awaited<ReturnType<typeof deployFoundation>>
let schedules: DemoSchedule[]

function walletFor(privateKey: `0x${string}`) {
  return createWalletClient({ account: privateKeyToAccount(privateKey), chain: foundry, transport: http(anvil.rpcUrl) })
}

function expectedVested(s: DemoSchedule, t: bigint): bigint {
  if (t < s.start + s.cliff) return 0n
  if (t >= s.start + s.duration) return s.total
  return (s.total * (t - s.start)) / s.duration
}

beforeAll(async () => {
  anvil = await startAnvil()
  publicClient = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) })
  const walletClient = walletFor(deployerKey?.privateKey ?? '0x')
  contracts = await deployFoundation({ walletClient, publicClient })
  schedules = await seedDemoSchedules({
    walletClient,
    publicClient,
    vestingVault: contracts.vestingVault,
    token: contracts.token,
    beneficiaries: beneficiaryKeys.map((a) => a.address),
  })
})

afterAll(async () => {
  await anvil?.stop()
})

describe('deployFoundation', () => {
  it('deploys a forwarder with the TokenTags EIP-712 domain', async () => {
    const [, name, version, chainId, verifyingContract] = await publicClient.readContract({
      address: contracts.forwarder,
      abi: forwarderAbi,
      functionName: 'eip712Domain',
    })
    expect({ name, version, chainId, verifyingContract }).toEqual({
      name: 'TokenTags Forwarder',
      version: '1',
      chainId: 31337n,
      verifyingContract: contracts.forwarder,
    })
    // Clients and the relay sign and verify with these constants.
    expect({ name, version }).toEqual({ name: FORWARDER_DOMAIN_NAME, version: FORWARDER_DOMAIN_VERSION })
  })

  it('wires the token and the vault to the forwarder', async () => {
    const read = (address: Address, abi: typeof tagTokenAbi | typeof vestingVaultAbi) =>
      publicClient.readContract({ address, abi, functionName: 'trustedForwarder' })
    expect(await read(contracts.token, tagTokenAbi)).toBe(contracts.forwarder)
    expect(await read(contracts.vestingVault, vestingVaultAbi)).toBe(contracts.forwarder)
    expect(
      await publicClient.readContract({ address: contracts.vestingVault, abi: vestingVaultAbi, functionName: 'token' }),
    ).toBe(contracts.token)
  })
})

describe('seedDemoSchedules', () => {
  it('creates one fully vested, one partly vested and one before-cliff schedule', async () => {
    expect(schedules.map((s) => s.kind)).toEqual(['fullyVested', 'partlyVested', 'beforeCliff'])
    expect(schedules.map((s) => s.beneficiary)).toEqual(beneficiaryKeys.map((a) => a.address))

    const block = await publicClient.getBlock({ blockTag: 'latest' })
    for (const s of schedules) {
      const onChain = await publicClient.readContract({
        address: contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'getSchedule',
        args: [s.id],
      })
      expect(onChain).toMatchObject({ beneficiary: s.beneficiary, total: s.total, released: 0n })
      const ids = await publicClient.readContract({
        address: contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'scheduleIdsOf',
        args: [s.beneficiary],
      })
      expect(ids).toEqual([s.id])
      const claimable = await publicClient.readContract({
        address: contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'claimable',
        args: [s.id],
        blockNumber: block.number,
      })
      expect(claimable).toBe(expectedVested(s, block.timestamp))
    }

    const [fully, partly, beforeCliff] = schedules.map((s) => expectedVested(s, block.timestamp))
    expect(fully).toBe(parseUnits('1000', 18))
    expect(partly).toBeGreaterThan(0n)
    expect(partly).toBeLessThan(parseUnits('2000', 18))
    expect(beforeCliff).toBe(0n)
  })

  it('lets a beneficiary claim directly and through the forwarder', async () => {
    const [fully, partly] = schedules as [DemoSchedule, DemoSchedule]
    const balanceOf = (account: Address) =>
      publicClient.readContract({
        address: contracts.token,
        abi: tagTokenAbi,
        functionName: 'balanceOf',
        args: [account],
      })

    // Directly: the fully vested schedule pays out its total.
    const direct = walletFor(beneficiaryKeys[0]?.privateKey ?? '0x')
    const hash = await direct.writeContract({
      address: contracts.vestingVault,
      abi: vestingVaultAbi,
      functionName: 'claim',
      args: [fully.id],
    })
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success')
    expect(await balanceOf(fully.beneficiary)).toBe(fully.total)

    // Relayed: the partly vested schedule's beneficiary signs, the deployer relays and pays the gas.
    const signer = walletFor(beneficiaryKeys[1]?.privateKey ?? '0x')
    const relayer = walletFor(deployerKey?.privateKey ?? '0x')
    const nonce = await publicClient.readContract({
      address: contracts.forwarder,
      abi: forwarderAbi,
      functionName: 'nonces',
      args: [signer.account.address],
    })
    const request = {
      from: signer.account.address,
      to: contracts.vestingVault,
      value: 0n,
      gas: 200_000n,
      nonce,
      deadline: Math.floor(Date.now() / 1000) + 3600,
      data: encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claim', args: [partly.id] }),
    }
    const signature = await signer.signTypedData({
      domain: { name: 'TokenTags Forwarder', version: '1', chainId: 31337, verifyingContract: contracts.forwarder },
      types: {
        ForwardRequest: [
          { name: 'from', type: 'address' },
          { name: 'to', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'gas', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint48' },
          { name: 'data', type: 'bytes' },
        ],
      },
      primaryType: 'ForwardRequest',
      message: request,
    })
    const { nonce: _, ...requestData } = request
    const relayed = await relayer.writeContract({
      address: contracts.forwarder,
      abi: forwarderAbi,
      functionName: 'execute',
      args: [{ ...requestData, signature }],
    })
    const receipt = await publicClient.waitForTransactionReceipt({ hash: relayed })
    expect(receipt.status).toBe('success')
    const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber })
    expect(await balanceOf(partly.beneficiary)).toBe(expectedVested(partly, block.timestamp))
    const after = await publicClient.readContract({
      address: contracts.vestingVault,
      abi: vestingVaultAbi,
      functionName: 'getSchedule',
      args: [partly.id],
      blockNumber: receipt.blockNumber,
    })
    expect(after.released).toBe(expectedVested(partly, block.timestamp))
  })
})

// A wrong contract address is not an outage (issue 15): each attribute pointed at the wrong kind of address, on anvil.
import { ANVIL_DEV_ACCOUNTS, freePort } from '@tokentags/testkit'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenTagsClient, type TokenTagsClient, verifyContract } from '../src/index.js'
import { type Platform, startPlatform } from './platform.js'

let platform: Platform
let client: TokenTagsClient
let chainId: number

beforeAll(async () => {
  platform = await startPlatform()
  chainId = platform.chain.anvil.chainId
  client = createTokenTagsClient({ chains: [{ id: chainId, rpcUrl: platform.chain.anvil.rpcUrl }] })
})

afterAll(() => platform?.stop())

const check = (address: Address, expected: 'vesting-vault' | 'token' | 'sale') =>
  verifyContract(client, { chainId, address, expected }).then(
    () => 'ok',
    (error: unknown) => error,
  )

describe('verifyContract', () => {
  it('passes each contract as what it is', async () => {
    const { vestingVault, token } = platform.chain.contracts
    expect(await check(vestingVault as Address, 'vesting-vault')).toBe('ok')
    expect(await check(token as Address, 'token')).toBe('ok')
    expect(await check(platform.nativeSale, 'sale')).toBe('ok')
  })

  it('vault → an account: WRONG_CONTRACT, nothing deployed there', async () => {
    const account = (ANVIL_DEV_ACCOUNTS[5] as { address: Address }).address
    expect(await check(account, 'vesting-vault')).toMatchObject({
      name: 'WrongContractError',
      code: 'WRONG_CONTRACT',
      found: 'no-code',
      expected: 'vesting-vault',
      address: account,
      chainId,
      shortMessage: `${account} is not a vesting vault on chain ${chainId}.`,
    })
  })

  it('token → the vault and sale → the token: WRONG_CONTRACT, another contract', async () => {
    const { vestingVault, token } = platform.chain.contracts
    expect(await check(vestingVault as Address, 'token')).toMatchObject({
      code: 'WRONG_CONTRACT',
      found: 'other-contract',
    })
    expect(await check(token as Address, 'sale')).toMatchObject({ code: 'WRONG_CONTRACT', found: 'other-contract' })
    expect(await check(token as Address, 'vesting-vault')).toMatchObject({
      code: 'WRONG_CONTRACT',
      found: 'other-contract',
    })
  })

  it('a chain that cannot be read is READ_FAILED, not a wrong contract', async () => {
    const down = createTokenTagsClient({ chains: [{ id: chainId, rpcUrl: `http://127.0.0.1:${await freePort()}` }] })
    const error = await verifyContract(down, {
      chainId,
      address: platform.chain.contracts.vestingVault as Address,
      expected: 'vesting-vault',
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'READ_FAILED' })
  })
})

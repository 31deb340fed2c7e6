// deployPlatform, the Merkle interop (a StandardMerkleTree built off-chain from a CSV, claimed on chain) and the CLI,
// against a real anvil.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import {
  tagTokenAbi,
  timelockAbi,
  tipRouterAbi,
  tokenFactoryAbi,
  tokenGovernorAbi,
  tokenSaleAbi,
  vestingVaultAbi,
} from '@tokentags/contracts'
import {
  DeployError,
  type DeployPlatformReturnType,
  deployPlatform,
  MAX_CREATION_FEE,
} from '@tokentags/contracts/deploy'
import { buildVestingProofs, parseVestingCsv, VestingCsvError } from '@tokentags/contracts/vesting'
import { ANVIL_DEV_ACCOUNTS, type AnvilInstance, startAnvil } from '@tokentags/testkit'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  parseEther,
  parseUnits,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

function devAccount(index: number): { address: Address; privateKey: Hex } {
  const account = ANVIL_DEV_ACCOUNTS[index]
  if (!account) throw new Error(`no anvil dev account ${index}`)
  return account as { address: Address; privateKey: Hex }
}
const [deployerKey, aliceKey, bobKey, carolKey] = [0, 1, 2, 3].map(devAccount) as [
  ReturnType<typeof devAccount>,
  ReturnType<typeof devAccount>,
  ReturnType<typeof devAccount>,
  ReturnType<typeof devAccount>,
]
const cli = resolve(import.meta.dirname, '..', 'dist', 'cli.js')

let anvil: AnvilInstance
let publicClient: PublicClient
let contracts: DeployPlatformReturnType
let dir: string

function walletFor(privateKey: Hex) {
  return createWalletClient({ account: privateKeyToAccount(privateKey), chain: foundry, transport: http(anvil.rpcUrl) })
}

function runCli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokentags-contracts-'))
  anvil = await startAnvil()
  publicClient = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) })
  contracts = await deployPlatform({ walletClient: walletFor(deployerKey.privateKey), publicClient })
})

afterAll(async () => {
  await anvil?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('deployPlatform', () => {
  it('deploys every contract and wires governance', async () => {
    for (const key of [
      'forwarder',
      'token',
      'vestingVault',
      'tipRouter',
      'tokenSale',
      'factory',
      'governor',
      'timelock',
    ] as const) {
      expect(await publicClient.getCode({ address: contracts[key] })).toMatch(/^0x[0-9a-f]{10,}/)
    }
    const feeManager = await publicClient.readContract({
      address: contracts.factory,
      abi: tokenFactoryAbi,
      functionName: 'FEE_MANAGER_ROLE',
    })
    expect(
      await publicClient.readContract({
        address: contracts.factory,
        abi: tokenFactoryAbi,
        functionName: 'hasRole',
        args: [feeManager, contracts.timelock],
      }),
    ).toBe(true)
    expect(
      await publicClient.readContract({ address: contracts.governor, abi: tokenGovernorAbi, functionName: 'token' }),
    ).toBe(contracts.token)
    expect(
      await publicClient.readContract({ address: contracts.tokenSale, abi: tokenSaleAbi, functionName: 'isOpen' }),
    ).toBe(true)
    expect(
      await publicClient.readContract({ address: contracts.tipRouter, abi: tipRouterAbi, functionName: 'feeBps' }),
    ).toBe(0)
  })

  it('leaves the deployer no role on the token, the timelock or the tip router, and proposing costs votes', async () => {
    const hasRole = (address: Address, abi: typeof tagTokenAbi | typeof tipRouterAbi, role: Hex, account: Address) =>
      publicClient.readContract({ address, abi, functionName: 'hasRole', args: [role, account] } as never)
    for (const functionName of ['DEFAULT_ADMIN_ROLE', 'MINTER_ROLE', 'PAUSER_ROLE'] as const) {
      const role = await publicClient.readContract({ address: contracts.token, abi: tagTokenAbi, functionName })
      expect(await hasRole(contracts.token, tagTokenAbi, role, deployerKey.address), functionName).toBe(false)
      expect(await hasRole(contracts.token, tagTokenAbi, role, contracts.timelock), functionName).toBe(true)
    }
    for (const functionName of ['DEFAULT_ADMIN_ROLE', 'FEE_MANAGER_ROLE'] as const) {
      const role = await publicClient.readContract({ address: contracts.tipRouter, abi: tipRouterAbi, functionName })
      expect(await hasRole(contracts.tipRouter, tipRouterAbi, role, deployerKey.address), functionName).toBe(false)
      expect(await hasRole(contracts.tipRouter, tipRouterAbi, role, contracts.timelock), functionName).toBe(true)
    }
    const timelockAdmin = await publicClient.readContract({
      address: contracts.timelock,
      abi: timelockAbi,
      functionName: 'DEFAULT_ADMIN_ROLE',
    })
    expect(
      await publicClient.readContract({
        address: contracts.timelock,
        abi: timelockAbi,
        functionName: 'hasRole',
        args: [timelockAdmin, deployerKey.address],
      }),
    ).toBe(false)
    // 1% of the default 1,000,000-token supply
    expect(
      await publicClient.readContract({
        address: contracts.governor,
        abi: tokenGovernorAbi,
        functionName: 'proposalThreshold',
      }),
    ).toBe(parseUnits('10000', 18))
  })

  it('bounds the creation fee on chain, and refuses a fee above it or a zero threshold before deploying', async () => {
    expect(
      await publicClient.readContract({
        address: contracts.factory,
        abi: tokenFactoryAbi,
        functionName: 'MAX_CREATION_FEE',
      }),
    ).toBe(MAX_CREATION_FEE)
    // even the fee manager (the timelock) cannot go above it
    await expect(
      publicClient.simulateContract({
        account: contracts.timelock,
        address: contracts.factory,
        abi: tokenFactoryAbi,
        functionName: 'setFee',
        args: [MAX_CREATION_FEE + 1n, deployerKey.address],
      }),
    ).rejects.toThrow(/TokenFactoryFeeTooHigh/)
    const blockBefore = await publicClient.getBlockNumber()
    const walletClient = walletFor(deployerKey.privateKey)
    await expect(deployPlatform({ walletClient, publicClient, creationFee: MAX_CREATION_FEE + 1n })).rejects.toThrow(
      DeployError,
    )
    await expect(deployPlatform({ walletClient, publicClient, governance: { proposalThreshold: 0n } })).rejects.toThrow(
      /proposalThreshold must be above zero/,
    )
    expect(await publicClient.getBlockNumber()).toBe(blockBefore)
  })

  it('sells tokens and creates a token through the factory at the predicted address', async () => {
    const alice = walletFor(aliceKey.privateKey)
    const hash = await alice.writeContract({
      address: contracts.tokenSale,
      abi: tokenSaleAbi,
      functionName: 'buy',
      args: [parseEther('1'), parseUnits('1000', 18)],
      value: parseEther('1'),
    })
    await publicClient.waitForTransactionReceipt({ hash })
    expect(
      await publicClient.readContract({
        address: contracts.token,
        abi: tagTokenAbi,
        functionName: 'balanceOf',
        args: [aliceKey.address],
      }),
    ).toBe(parseUnits('1000', 18))
    const salt = `0x${'ab'.repeat(32)}` as Hex
    const predicted = await publicClient.readContract({
      address: contracts.factory,
      abi: tokenFactoryAbi,
      functionName: 'predictTokenAddress',
      args: [salt, aliceKey.address],
    })
    const zero = '0x0000000000000000000000000000000000000000'
    const create = await alice.writeContract({
      address: contracts.factory,
      abi: tokenFactoryAbi,
      functionName: 'createToken',
      args: [
        { name: 'Alice', symbol: 'ALC', cap: 0n, creatorAmount: 5n },
        { enabled: false, merkleRoot: `0x${'00'.repeat(32)}`, merkleTotal: 0n },
        { enabled: false, paymentToken: zero, price: 0n, start: 0n, end: 0n, totalCap: 0n, perBuyerCap: 0n },
        salt,
      ],
      value: parseEther('0.01'),
    })
    expect((await publicClient.waitForTransactionReceipt({ hash: create })).status).toBe('success')
    expect(await publicClient.readContract({ address: predicted, abi: tagTokenAbi, functionName: 'symbol' })).toBe(
      'ALC',
    )
  })
})

describe('Merkle interop', () => {
  it('claims on chain a StandardMerkleTree built from a CSV', async () => {
    const { timestamp: now } = await publicClient.getBlock()
    const csv = [
      'beneficiary,amount,start,cliff,duration',
      `${aliceKey.address},1000,${now - 100n},0,50`,
      `${bobKey.address},2000,${now - 100n},10,400`,
      `${carolKey.address},3000,${now + 1000n},0,10`,
    ].join('\n')
    const entries = parseVestingCsv(csv)
    // The tree exactly as a third party builds it with @openzeppelin/merkle-tree.
    const values = entries.map((e) => [
      e.beneficiary,
      e.amount.toString(),
      e.start.toString(),
      e.cliff.toString(),
      e.duration.toString(),
    ])
    const tree = StandardMerkleTree.of(values, ['address', 'uint256', 'uint64', 'uint64', 'uint64'])
    expect(buildVestingProofs(entries).root).toBe(tree.root)

    const admin = walletFor(deployerKey.privateKey)
    const total = 6000n
    for (const request of [
      { address: contracts.token, abi: tagTokenAbi, functionName: 'approve', args: [contracts.vestingVault, total] },
      {
        address: contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'addMerkleRoot',
        args: [tree.root as Hex, total, false],
      },
    ] as const) {
      const hash = await admin.writeContract(request as never)
      expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success')
    }
    const dropId =
      (await publicClient.readContract({
        address: contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'merkleDropCount',
      })) - 1n

    const bob = walletFor(bobKey.privateKey)
    const index = 1
    const [beneficiary, amount, start, cliff, duration] = values[index] as [string, string, string, string, string]
    const hash = await bob.writeContract({
      address: contracts.vestingVault,
      abi: vestingVaultAbi,
      functionName: 'claimMerkle',
      args: [
        dropId,
        beneficiary as Address,
        BigInt(amount),
        BigInt(start),
        BigInt(cliff),
        BigInt(duration),
        tree.getProof(index) as Hex[],
      ],
    })
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success')
    const ids = await publicClient.readContract({
      address: contracts.vestingVault,
      abi: vestingVaultAbi,
      functionName: 'scheduleIdsOf',
      args: [bobKey.address],
    })
    expect(ids).toHaveLength(1)
    const schedule = await publicClient.readContract({
      address: contracts.vestingVault,
      abi: vestingVaultAbi,
      functionName: 'getSchedule',
      args: [ids[0] as bigint],
    })
    expect(schedule.total).toBe(2000n)
    expect(schedule.released).toBeGreaterThan(0n)

    // a second claim of the same leaf is refused
    await expect(
      bob.writeContract({
        address: contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'claimMerkle',
        args: [
          dropId,
          beneficiary as Address,
          BigInt(amount),
          BigInt(start),
          BigInt(cliff),
          BigInt(duration),
          tree.getProof(index) as Hex[],
        ],
      }),
    ).rejects.toThrow(/VestingVaultLeafAlreadyClaimed/)
  })

  it('reports every bad line and field of a CSV', () => {
    const bad = ['0x123,10,0,0,1', `${aliceKey.address},1.5,0,0,1`, `${bobKey.address},10,0,5,1`, 'a,b'].join('\n')
    try {
      parseVestingCsv(bad)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(VestingCsvError)
      expect((error as VestingCsvError).issues.map((i) => [i.line, i.field])).toEqual([
        [1, 'beneficiary'],
        [2, 'amount'],
        [3, 'cliff'],
        [4, 'line'],
      ])
    }
  })
})

describe('tokentags-contracts CLI', () => {
  it('deploys to any RPC URL with the key from the environment', () => {
    const out = join(dir, 'deployment.json')
    const { code, stdout, stderr } = runCli(['deploy', '--rpc-url', anvil.rpcUrl, '--out', out], {
      TOKENTAGS_DEPLOYER_KEY: carolKey.privateKey,
    })
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('deployed to chain 31337')
    const written = JSON.parse(readFileSync(out, 'utf8'))
    expect(written.chainId).toBe(31337)
    expect(written.deployer).toBe(carolKey.address)
    expect(Object.keys(written.contracts).sort()).toEqual(
      ['factory', 'forwarder', 'governor', 'timelock', 'tipRouter', 'token', 'tokenSale', 'vestingVault'].sort(),
    )
  })

  it('refuses a zero proposal threshold', () => {
    const { code, stderr } = runCli(['deploy', '--rpc-url', anvil.rpcUrl, '--proposal-threshold', '0'], {
      TOKENTAGS_DEPLOYER_KEY: carolKey.privateKey,
    })
    expect(code).toBe(2)
    expect(stderr).toContain('--proposal-threshold must be above zero')
  })

  it('refuses to deploy without a key', () => {
    const { code, stderr } = runCli(['deploy', '--rpc-url', anvil.rpcUrl], { TOKENTAGS_DEPLOYER_KEY: '' })
    expect(code).toBe(2)
    expect(stderr).toContain('TOKENTAGS_DEPLOYER_KEY')
  })

  it('builds proofs from a CSV and verifies them against the root and the CSV', () => {
    const csv = join(dir, 'schedules.csv')
    writeFileSync(
      csv,
      `beneficiary,amount,start,cliff,duration\n${aliceKey.address},1.5,1700000000,0,100\n${bobKey.address},2,1700000000,10,100\n`,
    )
    const out = join(dir, 'proofs.json')
    const built = runCli(['vesting', 'build', csv, '--out', out, '--decimals', '18'])
    expect(built.stderr).toBe('')
    expect(built.code).toBe(0)
    const proofs = JSON.parse(readFileSync(out, 'utf8'))
    expect(built.stdout).toContain(proofs.root)
    expect(proofs.total).toBe(parseUnits('3.5', 18).toString())
    expect(proofs.entries).toHaveLength(2)

    const ok = runCli(['vesting', 'verify', out, '--root', proofs.root, '--csv', csv, '--decimals', '18'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('ok: 2 entries verified')

    const wrongRoot = runCli(['vesting', 'verify', out, '--root', `0x${'11'.repeat(32)}`])
    expect(wrongRoot.code).toBe(1)
    proofs.entries[0].amount = '1'
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(proofs))
    const tampered = runCli(['vesting', 'verify', join(dir, 'tampered.json')])
    expect(tampered.code).toBe(1)
    expect(tampered.stderr).toContain('entry 0')
  })

  it('names the line and field of a broken CSV and writes nothing', () => {
    const csv = join(dir, 'broken.csv')
    writeFileSync(
      csv,
      `beneficiary,amount,start,cliff,duration\n${aliceKey.address},10,1700000000,0,100\nnot-an-address,10,1700000000,0,100\n${bobKey.address},-3,1700000000,0,100\n${carolKey.address},5,soon,0,100\n`,
    )
    const out = join(dir, 'never.json')
    const { code, stderr } = runCli(['vesting', 'build', csv, '--out', out])
    expect(code).toBe(1)
    expect(stderr).toContain('line 3, field "beneficiary"')
    expect(stderr).toContain('line 4, field "amount"')
    expect(stderr).toContain('line 5, field "start"')
    expect(stderr).toContain('nothing was written')
    expect(existsSync(out)).toBe(false)
  })
})

// Gas of a vesting claim: direct, relayed alone, relayed in batches. Run from the repo root after
// `npm run build -w contracts`: npx tsx bench/gas.ts
import {
  forwarderAbi,
  forwarderBytecode,
  tagTokenAbi,
  tagTokenBytecode,
  vestingVaultAbi,
  vestingVaultBytecode,
} from '@tokentags/contracts'
import { ANVIL_DEV_ACCOUNTS, startAnvil } from '@tokentags/testkit'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hash,
  type Hex,
  http,
  maxUint256,
  parseUnits,
} from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'

class BenchError extends Error {
  override name = 'BenchError'
}

const SAMPLES = 10
const BATCH_SIZES = [10, 50] as const
/** Gas each forwarded claim may use (the `gas` field of the signed request). */
const REQUEST_GAS = 150_000n

const accounts = ANVIL_DEV_ACCOUNTS.map((a) => privateKeyToAccount(a.privateKey))
const [deployer, ...rest] = accounts as [PrivateKeyAccount, ...PrivateKeyAccount[]]
const relayer = rest.pop() as PrivateKeyAccount
const signers = rest // 8 dev accounts sign requests

const anvil = await startAnvil()
try {
  const publicClient = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) })
  const wallet = (account: PrivateKeyAccount) =>
    createWalletClient({ account, chain: foundry, transport: http(anvil.rpcUrl) })
  const admin = wallet(deployer)

  async function gasOf(hash: Hash): Promise<bigint> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new BenchError(`transaction ${hash} reverted`)
    return receipt.gasUsed
  }

  async function deploy(abi: readonly unknown[], bytecode: Hex, args: readonly unknown[]) {
    const hash = await admin.deployContract({ abi, bytecode, args })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (!receipt.contractAddress) throw new BenchError(`deployment ${hash} failed`)
    return { address: receipt.contractAddress, gas: receipt.gasUsed, size: (bytecode.length - 2) / 2 }
  }

  const forwarderDeploy = await deploy(forwarderAbi, forwarderBytecode, [])
  const forwarder = forwarderDeploy.address
  const tokenDeploy = await deploy(tagTokenAbi, tagTokenBytecode, [
    'Bench',
    'BEN',
    deployer.address,
    parseUnits('1000000000', 18),
    forwarder,
  ])
  const token = tokenDeploy.address
  const vaultDeploy = await deploy(vestingVaultAbi, vestingVaultBytecode, [token, deployer.address, forwarder])
  const vault = vaultDeploy.address
  await gasOf(
    await admin.writeContract({ address: token, abi: tagTokenAbi, functionName: 'approve', args: [vault, maxUint256] }),
  )

  // Linear schedules (no cliff, 100 days, started a day ago): every claim is a partial release.
  const { timestamp: now } = await publicClient.getBlock()
  async function schedulesFor(beneficiary: Address, count: number): Promise<bigint[]> {
    const ids: bigint[] = []
    for (let i = 0; i < count; i++) {
      const hash = await admin.writeContract({
        address: vault,
        abi: vestingVaultAbi,
        functionName: 'createSchedule',
        args: [beneficiary, parseUnits('1000', 18), now - 86_400n, 0n, 100n * 86_400n, false],
      })
      await gasOf(hash)
      ids.push(
        (await publicClient.readContract({ address: vault, abi: vestingVaultAbi, functionName: 'scheduleCount' })) - 1n,
      )
    }
    return ids
  }

  // Schedules per signer: one warm-up, SAMPLES direct and relayed alone, and its share of the batches.
  const perSigner = 1 + Math.ceil((2 * SAMPLES + BATCH_SIZES.reduce((a, b) => a + b, 0)) / signers.length)
  const queues = new Map<Address, bigint[]>()
  for (const signer of signers) queues.set(signer.address, await schedulesFor(signer.address, perSigner))
  const nextId = (signer: PrivateKeyAccount) => {
    const id = queues.get(signer.address)?.shift()
    if (id === undefined) throw new BenchError(`no schedule left for ${signer.address}`)
    return id
  }
  const nonces = new Map<Address, bigint>()

  async function signClaim(signer: PrivateKeyAccount) {
    const nonce =
      nonces.get(signer.address) ??
      (await publicClient.readContract({
        address: forwarder,
        abi: forwarderAbi,
        functionName: 'nonces',
        args: [signer.address],
      }))
    nonces.set(signer.address, nonce + 1n)
    const request = {
      from: signer.address,
      to: vault,
      value: 0n,
      gas: REQUEST_GAS,
      deadline: Number(now) + 86_400,
      data: encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claim', args: [nextId(signer)] }),
    }
    const signature = await signer.signTypedData({
      domain: { name: 'TokenTags Forwarder', version: '1', chainId: foundry.id, verifyingContract: forwarder },
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
      message: { ...request, nonce },
    })
    return { ...request, signature }
  }

  const relay = wallet(relayer)
  const execute = async (requests: Awaited<ReturnType<typeof signClaim>>[]) =>
    requests.length === 1
      ? gasOf(
          await relay.writeContract({
            address: forwarder,
            abi: forwarderAbi,
            functionName: 'execute',
            args: [requests[0] as (typeof requests)[0]],
          }),
        )
      : gasOf(
          await relay.writeContract({
            address: forwarder,
            abi: forwarderAbi,
            functionName: 'executeBatch',
            args: [requests, relayer.address],
          }),
        )

  // Warm-up: every signer already holds tokens and has used a forwarder nonce, as a returning user has.
  await execute(await Promise.all(signers.map(signClaim)))

  let turn = 0
  const nextSigner = () => signers[turn++ % signers.length] as PrivateKeyAccount
  const rows: { path: string; requests: number; txGas: bigint }[] = []

  let direct = 0n
  for (let i = 0; i < SAMPLES; i++) {
    const signer = nextSigner()
    direct += await gasOf(
      await wallet(signer).writeContract({
        address: vault,
        abi: vestingVaultAbi,
        functionName: 'claim',
        args: [nextId(signer)],
      }),
    )
  }
  rows.push({ path: 'direct `claim` (beneficiary pays)', requests: 1, txGas: direct / BigInt(SAMPLES) })

  let alone = 0n
  for (let i = 0; i < SAMPLES; i++) alone += await execute([await signClaim(nextSigner())])
  rows.push({ path: 'relayed alone (`execute`)', requests: 1, txGas: alone / BigInt(SAMPLES) })

  for (const size of BATCH_SIZES) {
    const requests = []
    for (let i = 0; i < size; i++) requests.push(await signClaim(nextSigner()))
    rows.push({ path: `relayed batch (\`executeBatch\` × ${size})`, requests: size, txGas: await execute(requests) })
  }

  const fmt = (n: bigint | number) => n.toLocaleString('en-US')
  const baseline = rows[0]?.txGas ?? 1n
  console.log(`\nGas per vesting claim (${signers.length} signers, averages of ${SAMPLES} for single calls)\n`)
  console.log('| path | requests per tx | gas per tx | gas per claim | vs direct |')
  console.log('|---|---:|---:|---:|---:|')
  for (const row of rows) {
    const perClaim = row.txGas / BigInt(row.requests)
    const ratio = Number((perClaim * 1000n) / baseline) / 10
    console.log(`| ${row.path} | ${row.requests} | ${fmt(row.txGas)} | ${fmt(perClaim)} | ${ratio}% |`)
  }

  console.log('\nDeployment gas\n')
  console.log('| contract | deploy gas | initcode bytes |')
  console.log('|---|---:|---:|')
  for (const [name, d] of [
    ['TokenTagsForwarder', forwarderDeploy],
    ['TagToken', tokenDeploy],
    ['VestingVault', vaultDeploy],
  ] as const) {
    console.log(`| ${name} | ${fmt(d.gas)} | ${fmt(d.size)} |`)
  }
  console.log()
} finally {
  await anvil.stop()
}

// Gas of the TokenTags contracts: vesting claims (direct, relayed, batched, against OpenZeppelin's VestingWallet),
// Merkle claims, tips, distribution, buys, and token creation by the factory (clone) vs a full deployment. Run from
// the repo root after `npm run build -w contracts`: npx tsx bench/gas.ts
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import {
  authorizationTokenAbi,
  authorizationTokenBytecode,
  forwarderAbi,
  tagTokenAbi,
  tagTokenBytecode,
  tipRouterAbi,
  tokenFactoryAbi,
  tokenSaleAbi,
  tokenSaleBytecode,
  vestingVaultAbi,
  vestingVaultBytecode,
} from '@tokentags/contracts'
import { deployPlatform } from '@tokentags/contracts/deploy'
import { ANVIL_DEV_ACCOUNTS, startAnvil } from '@tokentags/testkit'
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  type Hash,
  type Hex,
  http,
  keccak256,
  maxUint256,
  parseEther,
  parseSignature,
  parseUnits,
  toHex,
  zeroAddress,
} from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'

class BenchError extends Error {
  override name = 'BenchError'
}

const SAMPLES = 10
const BATCH_SIZES = [10, 50] as const
const DISTRIBUTE_TO = 100
const MERKLE_LEAVES = 1024
/** Gas each forwarded claim may use (the `gas` field of the signed request). */
const REQUEST_GAS = 150_000n

/**
 * The floor of one sponsored action in a batch: what any design must pay for it (cancun prices: EIP-2929 cold
 * access, EIP-2200 stores, 16 gas a calldata byte, counted as if every essential byte were non-zero). The contracts'
 * own overhead is the gap between a row and its floor.
 */
type Floor = [item: string, gas: bigint][]
const ECRECOVER = 3_000n
const COLD_UPDATE = 5_000n // cold read 2,100 + rewrite of a non-zero slot 2,900
const NEW_SLOT = 22_100n // cold read 2,100 + zero to non-zero 20,000
const WARM_UPDATE = 200n // a slot already written in the same transaction (the batch's one creator): 100 + 100
const SIGNATURE_AND_SIGNER = 65 + 20 // bytes of calldata every signed action carries
const logGas = (topics: number, dataBytes: number) => BigInt(375 + 375 * topics + 8 * dataBytes)
const TRANSFER_EVENT = logGas(3, 32)
const byteLength = (n: bigint) => Math.ceil(n.toString(16).length / 2)
const calldata = (bytes: number) => BigInt(16 * bytes)
/** A Tipped-like record of the memo: indexed recipient, sender, token; amount, fee and the memo (one word). */
const TIP_EVENT = logGas(4, 5 * 32)

function claimFloor(firstTime: boolean): Floor {
  return [
    ['signature recovery', ECRECOVER],
    ['replay nonce', firstTime ? NEW_SLOT : COLD_UPDATE],
    ['calldata: signature, signer, schedule id', calldata(SIGNATURE_AND_SIGNER + 2)],
    ['schedule: one slot read and updated', COLD_UPDATE],
    ["beneficiary's balance", firstTime ? NEW_SLOT : COLD_UPDATE],
    ['Transfer event', TRANSFER_EVENT],
  ]
}
function transferTipFloor(amount: bigint): Floor {
  return [
    ['signature recovery', ECRECOVER],
    ['replay nonce', COLD_UPDATE],
    ['calldata: signature, signer, recipient, amount', calldata(SIGNATURE_AND_SIGNER + 20 + byteLength(amount))],
    ["tipper's balance", COLD_UPDATE],
    ["creator's balance", WARM_UPDATE],
    ['Transfer event', TRANSFER_EVENT],
  ]
}
function routerTipFloor(amount: bigint, memo: string): Floor {
  return [
    ...transferTipFloor(amount),
    ['calldata: token, memo', calldata(20 + memo.length)],
    ['tip event with the memo', TIP_EVENT],
  ]
}
function authorizationTipFloor(amount: bigint, memo: string): Floor {
  return [
    ['signature recovery (the authorization)', ECRECOVER],
    ['authorization nonce (EIP-3009 nonces are random: always a new slot)', NEW_SLOT],
    [
      'calldata: signature, signer, token, recipient, amount, salt, deadline, memo',
      calldata(SIGNATURE_AND_SIGNER + 20 + 20 + byteLength(amount) + 32 + 5 + memo.length),
    ],
    ["tipper's balance", COLD_UPDATE],
    ["creator's balance", WARM_UPDATE],
    ['Transfer event', TRANSFER_EVENT],
    ['tip event with the memo', TIP_EVENT],
  ]
}
const floorGas = (floor: Floor) => floor.reduce((sum, [, gas]) => sum + gas, 0n)

// OpenZeppelin's VestingWallet, compiled from contracts/test/utils/OzVestingWallet.sol for the comparison.
const contractsDir = resolve(import.meta.dirname, '..', 'contracts')
const ozArtifactPath = resolve(contractsDir, 'out', 'OzVestingWallet.sol', 'OzVestingWallet.json')
function ozVestingWallet(): { abi: Abi; bytecode: Hex } {
  const build = spawnSync('npx', ['forge', 'build', 'test/utils/OzVestingWallet.sol'], {
    cwd: contractsDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (build.status !== 0) throw new BenchError('could not compile OzVestingWallet')
  const artifact = JSON.parse(readFileSync(ozArtifactPath, 'utf8'))
  return { abi: artifact.abi, bytecode: artifact.bytecode.object }
}
const oz = ozVestingWallet()

const accounts = ANVIL_DEV_ACCOUNTS.map((a) => privateKeyToAccount(a.privateKey))
const [deployer, ...rest] = accounts as [PrivateKeyAccount, ...PrivateKeyAccount[]]
const relayer = rest.pop() as PrivateKeyAccount
const signers = rest // 8 dev accounts sign requests

// Steps tracing: the batch rows split their gas by call frame from anvil's opcode trace.
const anvil = await startAnvil({ args: ['--steps-tracing'] })
try {
  const publicClient = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) })
  const wallet = (account: PrivateKeyAccount) =>
    createWalletClient({ account, chain: foundry, transport: http(anvil.rpcUrl) })
  const admin = wallet(deployer)

  async function receiptOf(hash: Hash) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new BenchError(`transaction ${hash} reverted`)
    return receipt
  }
  const gasOf = async (hash: Hash) => (await receiptOf(hash)).gasUsed

  async function deploy(abi: Abi, bytecode: Hex, args: readonly unknown[]) {
    const receipt = await receiptOf(await admin.deployContract({ abi, bytecode, args }))
    if (!receipt.contractAddress) throw new BenchError('deployment failed')
    return { address: receipt.contractAddress, gas: receipt.gasUsed, size: (bytecode.length - 2) / 2 }
  }
  const write = (
    account: PrivateKeyAccount,
    request: { address: Address; abi: Abi; functionName: string; args: readonly unknown[]; value?: bigint },
  ) => wallet(account).writeContract(request as never)

  const platform = await deployPlatform({
    walletClient: admin,
    publicClient,
    tokenName: 'Bench',
    tokenSymbol: 'BEN',
    initialSupply: parseUnits('1000000000', 18),
    creationFee: 0n,
    sale: { perBuyerCap: parseUnits('1000000', 18), totalCap: parseUnits('10000000', 18) },
  })
  const { forwarder, token, vestingVault: vault } = platform
  await gasOf(
    await admin.writeContract({ address: token, abi: tagTokenAbi, functionName: 'approve', args: [vault, maxUint256] }),
  )

  // Linear schedules (no cliff, 100 days, started a day ago): every claim is a partial release.
  const { timestamp: now } = await publicClient.getBlock()
  const START = now - 86_400n
  const DURATION = 100n * 86_400n
  async function schedulesFor(beneficiary: Address, count: number): Promise<bigint[]> {
    const ids: bigint[] = []
    for (let i = 0; i < count; i++) {
      const receipt = await receiptOf(
        await admin.writeContract({
          address: vault,
          abi: vestingVaultAbi,
          functionName: 'createSchedule',
          args: [beneficiary, parseUnits('1000', 18), START, 0n, DURATION, false],
        }),
      )
      const log = receipt.logs.find((l) => l.address.toLowerCase() === vault.toLowerCase())
      ids.push(BigInt(log?.topics[1] ?? '0x0'))
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

  async function signRequest(signer: PrivateKeyAccount, to: Address, data: Hex, gas = REQUEST_GAS) {
    const nonce =
      nonces.get(signer.address) ??
      (await publicClient.readContract({
        address: forwarder,
        abi: forwarderAbi,
        functionName: 'nonces',
        args: [signer.address],
      }))
    nonces.set(signer.address, nonce + 1n)
    const request = { from: signer.address, to, value: 0n, gas, deadline: Number(now) + 86_400, data }
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
  const signClaim = (signer: PrivateKeyAccount) =>
    signRequest(
      signer,
      vault,
      encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claim', args: [nextId(signer)] }),
    )

  const relay = wallet(relayer)
  type Signed = Awaited<ReturnType<typeof signRequest>>
  const execute = async (requests: Signed[]) =>
    requests.length === 1
      ? gasOf(
          await relay.writeContract({
            address: forwarder,
            abi: forwarderAbi,
            functionName: 'execute',
            args: [requests[0] as Signed],
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

  // Batches of 50 distinct users (issue 17): a real batch has 50 different signers, so every request pays its
  // signer's cold forwarder nonce, schedule and balance; reusing a few signers across a batch hides that. Returning
  // users hold tokens and have used a forwarder nonce; first-time users have neither. All tip the same creator (who
  // already holds tokens), as a page's tips do.
  const BATCH = 50
  const batchUsers = (label: string) =>
    Array.from({ length: BATCH }, (_, i) => privateKeyToAccount(keccak256(toHex(`tokentags gas bench ${label} ${i}`))))
  const returning = batchUsers('returning')
  const newcomers = batchUsers('first-time')
  const batchCreator = '0x00000000000000000000000000000000000b0b0b' as Address
  const batchRows: { row: string; txGas: bigint; split: Split; floor: Floor; note: string }[] = []
  type Split = Awaited<ReturnType<typeof gasByDepth>>
  const measureBatch = async (requests: Signed[]) => {
    if (requests.length !== BATCH) throw new BenchError(`a batch of ${requests.length}, not ${BATCH}`)
    const hash = await relay.writeContract({
      address: forwarder,
      abi: forwarderAbi,
      functionName: 'executeBatch',
      args: [requests, relayer.address],
    })
    const { gasUsed } = await receiptOf(hash)
    return { txGas: gasUsed, split: await gasByDepth(hash, gasUsed) }
  }
  // Where a batch's gas goes, from anvil's opcode trace: each call frame's own opcodes (its calls' frames apart), by
  // depth: 1 the forwarder, 2 the request's target, 3 the token the target calls. The rest (21,000, calldata) is the
  // transaction's; refunds (a slot set and cleared within the batch) come off the total.
  async function gasByDepth(hash: Hash, gasUsed: bigint) {
    type Step = { gas: number; gasCost: number; depth: number; refund?: number }
    // A batch's trace runs past viem's 10 MB response cap: plain fetch.
    const response = await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'debug_traceTransaction',
        params: [hash, { disableStack: true, disableStorage: true, disableMemory: true }],
      }),
    })
    const { result } = (await response.json()) as { result?: { structLogs: Step[] } }
    const structLogs = result?.structLogs ?? []
    if (structLogs.length === 0) throw new BenchError(`no opcode trace for ${hash} (anvil without --steps-tracing?)`)
    const own = new Map<number, number>()
    const add = (depth: number, gas: number) => own.set(depth, (own.get(depth) ?? 0) + gas)
    const calls: { depth: number; gasAtCall: number; childStart: number }[] = []
    structLogs.forEach((step, i) => {
      const next = structLogs[i + 1]
      if (next === undefined) add(step.depth, step.gasCost)
      else if (next.depth === step.depth) add(step.depth, step.gas - next.gas)
      else if (next.depth > step.depth) calls.push({ depth: step.depth, gasAtCall: step.gas, childStart: next.gas })
      else {
        add(step.depth, step.gasCost)
        const call = calls.pop()
        if (call === undefined) throw new BenchError('unbalanced trace')
        const childUsed = call.childStart - step.gas + step.gasCost
        add(call.depth, call.gasAtCall - next.gas - childUsed)
      }
    })
    const inFrames = [...own.values()].reduce((a, b) => a + b, 0)
    // EIP-3529: the refund counter is paid back up to a fifth of the gas before refunds (gasUsed / 4 after them).
    const refund = Math.min(structLogs.at(-1)?.refund ?? 0, Math.floor(Number(gasUsed) / 4))
    return {
      transaction: Number(gasUsed) + refund - inFrames,
      refund,
      forwarder: own.get(1) ?? 0,
      target: own.get(2) ?? 0,
      token: [...own].reduce((sum, [depth, gas]) => (depth >= 3 ? sum + gas : sum), 0),
    }
  }
  const claimData = (id: bigint) => encodeFunctionData({ abi: vestingVaultAbi, functionName: 'claim', args: [id] })
  const nth = <T>(list: readonly T[], i: number): T => {
    const item = list[i]
    if (item === undefined) throw new BenchError(`nothing at index ${i}`)
    return item
  }

  const returningIds: bigint[][] = []
  for (const user of returning) returningIds.push(await schedulesFor(user.address, 2))
  const newcomerIds: bigint[] = []
  for (const user of newcomers) newcomerIds.push(...(await schedulesFor(user.address, 1)))
  // Warm-up: each returning user claims its first schedule, so it holds tokens and has used a forwarder nonce.
  await measureBatch(
    await Promise.all(returning.map((u, i) => signRequest(u, vault, claimData(nth(nth(returningIds, i), 0))))),
  )

  batchRows.push({
    row: `claim, batch of ${BATCH} distinct users`,
    ...(await measureBatch(
      await Promise.all(returning.map((u, i) => signRequest(u, vault, claimData(nth(nth(returningIds, i), 1))))),
    )),
    floor: claimFloor(false),
    note: 'returning users, each a schedule never claimed yet',
  })
  batchRows.push({
    row: `first-time claim, batch of ${BATCH} distinct users`,
    ...(await measureBatch(
      await Promise.all(newcomers.map((u, i) => signRequest(u, vault, claimData(nth(newcomerIds, i))))),
    )),
    floor: claimFloor(true),
    note: 'no tokens, forwarder nonce 0',
  })

  await gasOf(
    await admin.writeContract({
      address: token,
      abi: tagTokenAbi,
      functionName: 'transfer',
      args: [batchCreator, parseUnits('1', 18)],
    }),
  )
  const TIP = parseUnits('1', 18)
  batchRows.push({
    row: `transfer tip, batch of ${BATCH} distinct users`,
    ...(await measureBatch(
      await Promise.all(
        returning.map((u) =>
          signRequest(
            u,
            token,
            encodeFunctionData({ abi: tagTokenAbi, functionName: 'transfer', args: [batchCreator, TIP] }),
          ),
        ),
      ),
    )),
    floor: transferTipFloor(TIP),
    note: 'forwarded TagToken `transfer`',
  })

  const batchRouter = platform.tipRouter
  for (const user of returning) {
    await publicClient.request({
      method: 'anvil_setBalance' as never,
      params: [user.address, toHex(parseEther('1'))] as never,
    })
    await gasOf(
      await write(user, { address: token, abi: tagTokenAbi, functionName: 'approve', args: [batchRouter, maxUint256] }),
    )
  }
  const MEMO = 'gm'
  batchRows.push({
    row: `router tip, batch of ${BATCH} distinct users`,
    ...(await measureBatch(
      await Promise.all(
        returning.map((u) =>
          signRequest(
            u,
            batchRouter,
            encodeFunctionData({ abi: tipRouterAbi, functionName: 'tip', args: [token, batchCreator, TIP, MEMO] }),
          ),
        ),
      ),
    )),
    floor: routerTipFloor(TIP, MEMO),
    note: `forwarded TipRouter \`tip\` (approved) with memo "${MEMO}"`,
  })

  // EIP-3009 as core sends it: the user signs a ReceiveWithAuthorization, a one-time key signs the forward request
  // around `tipWithAuthorization` (so its forwarder nonce is always new).
  const batchUsdc = await deploy(authorizationTokenAbi, authorizationTokenBytecode, ['USD Coin (test)', 'USDC'])
  for (const who of [...returning.map((u) => u.address), batchCreator]) {
    await gasOf(
      await admin.writeContract({
        address: batchUsdc.address,
        abi: authorizationTokenAbi,
        functionName: 'mint',
        args: [who, parseUnits('1000', 6)],
      }),
    )
  }
  const USDC_TIP = parseUnits('1', 6)
  const authorizedTip = async (user: PrivateKeyAccount, i: number) => {
    const salt = keccak256(toHex(`bench authorization ${i}`))
    const validBefore = now + 86_400n
    const nonce = keccak256(
      encodeAbiParameters(
        [{ type: 'address' }, { type: 'bytes32' }, { type: 'bytes32' }],
        [batchCreator, keccak256(toHex(MEMO)), salt],
      ),
    )
    const signature = await user.signTypedData({
      domain: { name: 'USD Coin (test)', version: '1', chainId: foundry.id, verifyingContract: batchUsdc.address },
      types: {
        ReceiveWithAuthorization: [
          { name: 'from', type: 'address' },
          { name: 'to', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'validAfter', type: 'uint256' },
          { name: 'validBefore', type: 'uint256' },
          { name: 'nonce', type: 'bytes32' },
        ],
      },
      primaryType: 'ReceiveWithAuthorization',
      message: { from: user.address, to: batchRouter, value: USDC_TIP, validAfter: 0n, validBefore, nonce },
    })
    const { r, s, v } = parseSignature(signature)
    const oneTimeKey = privateKeyToAccount(keccak256(toHex(`bench one-time key ${i}`)))
    return signRequest(
      oneTimeKey,
      batchRouter,
      encodeFunctionData({
        abi: tipRouterAbi,
        functionName: 'tipWithAuthorization',
        args: [batchUsdc.address, user.address, batchCreator, USDC_TIP, MEMO, 0n, validBefore, salt, Number(v), r, s],
      }),
    )
  }
  batchRows.push({
    row: `EIP-3009 tip, batch of ${BATCH} distinct users`,
    ...(await measureBatch(await Promise.all(returning.map(authorizedTip)))),
    floor: authorizationTipFloor(USDC_TIP, MEMO),
    note: 'forwarded `tipWithAuthorization`, request signed by a one-time key',
  })

  // Warm-up: every signer already holds tokens and has used a forwarder nonce, as a returning user has.
  await execute(await Promise.all(signers.map(signClaim)))

  let turn = 0
  const nextSigner = () => signers[turn++ % signers.length] as PrivateKeyAccount
  const claimRows: { path: string; requests: number; txGas: bigint }[] = []

  let direct = 0n
  const claimedOnce: [PrivateKeyAccount, bigint][] = []
  for (let i = 0; i < SAMPLES; i++) {
    const signer = nextSigner()
    const id = nextId(signer)
    direct += await gasOf(
      await write(signer, { address: vault, abi: vestingVaultAbi, functionName: 'claim', args: [id] }),
    )
    claimedOnce.push([signer, id])
  }
  claimRows.push({
    path: 'VestingVault `claim`, direct, first claim of a schedule',
    requests: 1,
    txGas: direct / BigInt(SAMPLES),
  })

  let alone = 0n
  for (let i = 0; i < SAMPLES; i++) alone += await execute([await signClaim(nextSigner())])
  claimRows.push({
    path: 'VestingVault `claim`, relayed alone (`execute`)',
    requests: 1,
    txGas: alone / BigInt(SAMPLES),
  })

  for (const size of BATCH_SIZES) {
    const requests = []
    for (let i = 0; i < size; i++) requests.push(await signClaim(nextSigner()))
    claimRows.push({
      path: `VestingVault \`claim\`, relayed batch (\`executeBatch\` × ${size})`,
      requests: size,
      txGas: await execute(requests),
    })
  }

  // Later claims of the same schedules (released already non-zero).
  await publicClient.request({ method: 'evm_increaseTime' as never, params: [3600] as never })
  let later = 0n
  for (const [signer, id] of claimedOnce) {
    later += await gasOf(
      await write(signer, { address: vault, abi: vestingVaultAbi, functionName: 'claim', args: [id] }),
    )
  }
  claimRows.push({
    path: 'VestingVault `claim`, direct, later claim of a schedule',
    requests: 1,
    txGas: later / BigInt(SAMPLES),
  })

  // OpenZeppelin VestingWallet.release(token): same schedule shape and token, one wallet per sample.
  const ozWallets: [PrivateKeyAccount, Address][] = []
  for (let i = 0; i < SAMPLES; i++) {
    const signer = signers[i % signers.length] as PrivateKeyAccount
    const { address } = await deploy(oz.abi, oz.bytecode, [signer.address, START, DURATION])
    await gasOf(
      await admin.writeContract({
        address: token,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [address, parseUnits('1000', 18)],
      }),
    )
    ozWallets.push([signer, address])
  }
  const ozRelease = async () => {
    let sum = 0n
    for (const [signer, address] of ozWallets) {
      sum += await gasOf(await write(signer, { address, abi: oz.abi, functionName: 'release', args: [token] }))
    }
    return sum / BigInt(SAMPLES)
  }
  claimRows.push({
    path: 'OpenZeppelin `VestingWallet.release(token)`, direct, first release',
    requests: 1,
    txGas: await ozRelease(),
  })
  await publicClient.request({ method: 'evm_increaseTime' as never, params: [3600] as never })
  claimRows.push({
    path: 'OpenZeppelin `VestingWallet.release(token)`, direct, later release',
    requests: 1,
    txGas: await ozRelease(),
  })

  // Other operations: average gas of SAMPLES calls each.
  const opRows: { op: string; gas: bigint; note?: string }[] = []
  const average = async (n: number, one: (i: number) => Promise<Hash>) => {
    let sum = 0n
    for (let i = 0; i < n; i++) sum += await gasOf(await one(i))
    return sum / BigInt(n)
  }

  // Merkle claim: first claim of a leaf of a 1,024-leaf StandardMerkleTree (proof of 10 hashes).
  const leaves = Array.from({ length: MERKLE_LEAVES }, (_, i) => {
    const who =
      i < signers.length ? (signers[i] as PrivateKeyAccount).address : `0x${(i + 1).toString(16).padStart(40, '0')}`
    return [who, parseUnits('100', 18).toString(), START.toString(), '0', DURATION.toString()]
  })
  const tree = StandardMerkleTree.of(leaves, ['address', 'uint256', 'uint64', 'uint64', 'uint64'])
  const dropTotal = parseUnits('100', 18) * BigInt(MERKLE_LEAVES)
  await gasOf(
    await admin.writeContract({
      address: vault,
      abi: vestingVaultAbi,
      functionName: 'addMerkleRoot',
      args: [tree.root as Hex, dropTotal, false],
    }),
  )
  const merkleGas = await average(signers.length, (i) => {
    const [who, amount, start, cliff, duration] = leaves[i] as [string, string, string, string, string]
    return write(signers[i] as PrivateKeyAccount, {
      address: vault,
      abi: vestingVaultAbi,
      functionName: 'claimMerkle',
      args: [0n, who, BigInt(amount), BigInt(start), BigInt(cliff), BigInt(duration), tree.getProof(i)],
    })
  })
  opRows.push({ op: '`claimMerkle` (first claim: proves a leaf of 1,024, creates the schedule, pays)', gas: merkleGas })

  // Tips.
  const router = platform.tipRouter
  const creator = '0x00000000000000000000000000000000000c0ffe' as Address
  for (const signer of signers) {
    await gasOf(
      await admin.writeContract({
        address: token,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [signer.address, parseUnits('100000', 18)],
      }),
    )
    await gasOf(
      await write(signer, { address: token, abi: tagTokenAbi, functionName: 'approve', args: [router, maxUint256] }),
    )
  }
  // warm the recipient so every sample pays the same
  await gasOf(
    await write(signers[0] as PrivateKeyAccount, {
      address: router,
      abi: tipRouterAbi,
      functionName: 'tip',
      args: [token, creator, 1n, ''],
    }),
  )
  await gasOf(
    await write(signers[0] as PrivateKeyAccount, {
      address: router,
      abi: tipRouterAbi,
      functionName: 'tip',
      args: [zeroAddress, creator, 1n, ''],
      value: 1n,
    }),
  )
  opRows.push({
    op: '`tip` native coin',
    gas: await average(SAMPLES, (i) =>
      write(signers[i % signers.length] as PrivateKeyAccount, {
        address: router,
        abi: tipRouterAbi,
        functionName: 'tip',
        args: [zeroAddress, creator, parseEther('0.01'), 'gm'],
        value: parseEther('0.01'),
      }),
    ),
  })
  opRows.push({
    op: '`tip` ERC-20 (approved)',
    gas: await average(SAMPLES, (i) =>
      write(signers[i % signers.length] as PrivateKeyAccount, {
        address: router,
        abi: tipRouterAbi,
        functionName: 'tip',
        args: [token, creator, parseUnits('1', 18), 'gm'],
      }),
    ),
  })
  // EIP-3009: each signer signs a ReceiveWithAuthorization to the router (nonce bound to recipient and memo, as
  // core computes it); another account (the relayer's) submits `tipWithAuthorization` directly.
  const usdc = await deploy(authorizationTokenAbi, authorizationTokenBytecode, ['USD Coin (test)', 'USDC'])
  for (const signer of signers) {
    await gasOf(
      await admin.writeContract({
        address: usdc.address,
        abi: authorizationTokenAbi,
        functionName: 'mint',
        args: [signer.address, parseUnits('1000', 6)],
      }),
    )
  }
  await gasOf(
    await admin.writeContract({
      address: usdc.address,
      abi: authorizationTokenAbi,
      functionName: 'mint',
      args: [creator, 1n], // warm the recipient, as above
    }),
  )
  let authorizations = 0
  async function tipWithAuthorization(signer: PrivateKeyAccount) {
    const amount = parseUnits('1', 6)
    const memo = 'gm'
    const salt = toHex(++authorizations, { size: 32 })
    const validBefore = now + 86_400n
    const nonce = keccak256(
      encodeAbiParameters(
        [{ type: 'address' }, { type: 'bytes32' }, { type: 'bytes32' }],
        [creator, keccak256(toHex(memo)), salt],
      ),
    )
    const signature = await signer.signTypedData({
      domain: { name: 'USD Coin (test)', version: '1', chainId: foundry.id, verifyingContract: usdc.address },
      types: {
        ReceiveWithAuthorization: [
          { name: 'from', type: 'address' },
          { name: 'to', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'validAfter', type: 'uint256' },
          { name: 'validBefore', type: 'uint256' },
          { name: 'nonce', type: 'bytes32' },
        ],
      },
      primaryType: 'ReceiveWithAuthorization',
      message: { from: signer.address, to: router, value: amount, validAfter: 0n, validBefore, nonce },
    })
    const { r, s, v } = parseSignature(signature)
    return write(relayer, {
      address: router,
      abi: tipRouterAbi,
      functionName: 'tipWithAuthorization',
      args: [usdc.address, signer.address, creator, amount, memo, 0n, validBefore, salt, Number(v), r, s],
    })
  }
  opRows.push({
    op: '`tip`, ERC-20 with EIP-3009 authorization (`tipWithAuthorization`, submitted by another account)',
    gas: await average(SAMPLES, (i) => tipWithAuthorization(signers[i % signers.length] as PrivateKeyAccount)),
    note: 'USDC-style test token; no approval, one signature',
  })

  const recipients = Array.from(
    { length: DISTRIBUTE_TO },
    (_, i) => `0x${(0xd000 + i).toString(16).padStart(40, '0')}` as Address,
  )
  const amounts = recipients.map(() => parseUnits('1', 18))
  const distributeGas = await gasOf(
    await write(signers[1] as PrivateKeyAccount, {
      address: router,
      abi: tipRouterAbi,
      functionName: 'distribute',
      args: [token, recipients, amounts, ''],
    }),
  )
  const distributeWarm = await gasOf(
    await write(signers[2] as PrivateKeyAccount, {
      address: router,
      abi: tipRouterAbi,
      functionName: 'distribute',
      args: [token, recipients, amounts, ''],
    }),
  )
  opRows.push({
    op: `\`distribute\` ERC-20 to ${DISTRIBUTE_TO} new recipients, per recipient`,
    gas: distributeGas / BigInt(DISTRIBUTE_TO),
    note: `${distributeGas.toLocaleString('en-US')} per tx`,
  })
  opRows.push({
    op: `\`distribute\` ERC-20 to ${DISTRIBUTE_TO} funded recipients, per recipient`,
    gas: distributeWarm / BigInt(DISTRIBUTE_TO),
    note: `${distributeWarm.toLocaleString('en-US')} per tx`,
  })
  const nativeDistribute = await gasOf(
    await write(signers[3] as PrivateKeyAccount, {
      address: router,
      abi: tipRouterAbi,
      functionName: 'distribute',
      args: [zeroAddress, recipients, amounts.map(() => 1000n), ''],
      value: 1000n * BigInt(DISTRIBUTE_TO),
    }),
  )
  opRows.push({
    op: `\`distribute\` native to ${DISTRIBUTE_TO} recipients (new accounts), per recipient`,
    gas: nativeDistribute / BigInt(DISTRIBUTE_TO),
    note: `${nativeDistribute.toLocaleString('en-US')} per tx`,
  })

  // Buys: the demo native sale, and a sale paid in an ERC-20 (approved, then with permit).
  const sale = platform.tokenSale
  opRows.push({
    op: '`buy` with native coin',
    gas: await average(SAMPLES, (i) =>
      write(signers[i % signers.length] as PrivateKeyAccount, {
        address: sale,
        abi: tokenSaleAbi,
        functionName: 'buy',
        args: [parseEther('0.01'), 0n],
        value: parseEther('0.01'),
      }),
    ),
  })
  const usd = await deploy(tagTokenAbi, tagTokenBytecode, [
    'USD',
    'USD',
    deployer.address,
    parseUnits('1000000000', 18),
    forwarder,
  ])
  const usdSale = await deploy(tokenSaleAbi, tokenSaleBytecode, [
    forwarder,
    {
      saleToken: token,
      paymentToken: usd.address,
      price: parseUnits('1', 18),
      start: now - 60n,
      end: now + 30n * 86_400n,
      totalCap: parseUnits('1000000', 18),
      perBuyerCap: parseUnits('1000000', 18),
      admin: deployer.address,
      proceedsRecipient: deployer.address,
    },
  ])
  await gasOf(
    await admin.writeContract({
      address: token,
      abi: tagTokenAbi,
      functionName: 'transfer',
      args: [usdSale.address, parseUnits('1000000', 18)],
    }),
  )
  for (const signer of signers) {
    await gasOf(
      await admin.writeContract({
        address: usd.address,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [signer.address, parseUnits('1000', 18)],
      }),
    )
    await gasOf(
      await write(signer, {
        address: usd.address,
        abi: tagTokenAbi,
        functionName: 'approve',
        args: [usdSale.address, parseUnits('10', 18)],
      }),
    )
  }
  opRows.push({
    op: '`buy` with an ERC-20 (approved)',
    gas: await average(signers.length, (i) =>
      write(signers[i] as PrivateKeyAccount, {
        address: usdSale.address,
        abi: tokenSaleAbi,
        functionName: 'buy',
        args: [parseUnits('1', 18), 0n],
      }),
    ),
  })

  // Token creation: factory clone vs full deployments.
  const factory = platform.factory
  const emptyVesting = { enabled: false, merkleRoot: `0x${'00'.repeat(32)}` as Hex, merkleTotal: 0n }
  const emptySale = {
    enabled: false,
    paymentToken: zeroAddress,
    price: 0n,
    start: 0n,
    end: 0n,
    totalCap: 0n,
    perBuyerCap: 0n,
  }
  const tokenParams = { name: 'Created', symbol: 'CRT', cap: 0n, creatorAmount: parseUnits('1000', 18) }
  const salt = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex
  const cloneToken = await gasOf(
    await admin.writeContract({
      address: factory,
      abi: tokenFactoryAbi,
      functionName: 'createToken',
      args: [tokenParams, emptyVesting, emptySale, salt(1)],
    }),
  )
  const cloneAll = await gasOf(
    await admin.writeContract({
      address: factory,
      abi: tokenFactoryAbi,
      functionName: 'createToken',
      args: [
        tokenParams,
        { enabled: true, merkleRoot: tree.root as Hex, merkleTotal: dropTotal },
        {
          enabled: true,
          paymentToken: zeroAddress,
          price: parseUnits('0.001', 18),
          start: now,
          end: now + 86_400n,
          totalCap: parseUnits('1000', 18),
          perBuyerCap: parseUnits('10', 18),
        },
        salt(2),
      ],
    }),
  )
  const fullToken = await deploy(tagTokenAbi, tagTokenBytecode, [
    'Created',
    'CRT',
    deployer.address,
    parseUnits('1000', 18),
    forwarder,
  ])
  const fullVault = await deploy(vestingVaultAbi, vestingVaultBytecode, [
    fullToken.address,
    deployer.address,
    forwarder,
  ])
  const fullSale = await deploy(tokenSaleAbi, tokenSaleBytecode, [
    forwarder,
    {
      saleToken: fullToken.address,
      paymentToken: zeroAddress,
      price: 1n,
      start: now,
      end: now + 1n,
      totalCap: 1n,
      perBuyerCap: 1n,
      admin: deployer.address,
      proceedsRecipient: deployer.address,
    },
  ])

  const fmt = (n: bigint | number) => n.toLocaleString('en-US')
  const baseline = claimRows[0]?.txGas ?? 1n
  console.log(
    `\nSponsored actions in batches of ${BATCH} distinct users (one \`executeBatch\` each; per request = batch gas / ${BATCH})\n`,
  )
  console.log('| action | gas per batch | gas per request | floor per request | vs floor | note |')
  console.log('|---|---:|---:|---:|---:|---|')
  for (const { row, txGas, floor, note } of batchRows) {
    const perRequest = txGas / BigInt(BATCH)
    const floorTotal = floorGas(floor)
    const ratio = (Number(perRequest) / Number(floorTotal)).toFixed(2)
    console.log(`| ${row} | ${fmt(txGas)} | ${fmt(perRequest)} | ${fmt(floorTotal)} | ${ratio}× | ${note} |`)
  }
  console.log(`\nWhere a request's gas goes (opcode trace of each batch, per request)\n`)
  console.log(
    '| action | transaction (21,000, calldata) | forwarder | target contract | token, called by the target | refunds |',
  )
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const { row, split } of batchRows) {
    const per = (gas: number) => fmt(Math.round(gas / BATCH))
    console.log(
      `| ${row} | ${per(split.transaction)} | ${per(split.forwarder)} | ${per(split.target)} | ${per(split.token)} | −${per(split.refund)} |`,
    )
  }
  console.log('\nFloors, item by item\n')
  for (const { row, floor } of batchRows) {
    console.log(`- ${row}: ${floor.map(([item, gas]) => `${item} ${fmt(gas)}`).join(' + ')}`)
  }
  console.log(
    `\nGas per vesting claim (${signers.length} signers reused across batches, averages of ${SAMPLES} for single calls)\n`,
  )
  console.log('| path | requests per tx | gas per tx | gas per claim | vs direct `claim` |')
  console.log('|---|---:|---:|---:|---:|')
  for (const row of claimRows) {
    const perClaim = row.txGas / BigInt(row.requests)
    const ratio = Number((perClaim * 1000n) / baseline) / 10
    console.log(`| ${row.path} | ${row.requests} | ${fmt(row.txGas)} | ${fmt(perClaim)} | ${ratio}% |`)
  }

  console.log('\nOther operations (gas per transaction unless noted; averages over several callers)\n')
  console.log('| operation | gas | note |')
  console.log('|---|---:|---|')
  for (const row of opRows) console.log(`| ${row.op} | ${fmt(row.gas)} | ${row.note ?? ''} |`)

  console.log('\nCreating a token\n')
  console.log('| how | gas |')
  console.log('|---|---:|')
  console.log(`| factory \`createToken\`: token clone, initialized, creator allocation minted | ${fmt(cloneToken)} |`)
  console.log(`| full deployment of a TagToken (constructor mints) | ${fmt(fullToken.gas)} |`)
  console.log(`| factory \`createToken\` with vault (Merkle drop) and sale, all funded | ${fmt(cloneAll)} |`)
  console.log(
    `| full deployments of TagToken + VestingVault + TokenSale (before funding) | ${fmt(fullToken.gas + fullVault.gas + fullSale.gas)} |`,
  )

  console.log('\nDeployment gas\n')
  console.log('| contract | deploy gas | initcode bytes |')
  console.log('|---|---:|---:|')
  for (const [name, d] of [
    ['TagToken', fullToken],
    ['VestingVault', fullVault],
    ['TokenSale', fullSale],
  ] as const) {
    console.log(`| ${name} | ${fmt(d.gas)} | ${fmt(d.size)} |`)
  }
  console.log()
} finally {
  await anvil.stop()
}

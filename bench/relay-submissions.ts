// What the relay's submission benchmarks (relay.ts, ledger.ts) share: the site and token they submit
// to, the signed bodies they send, and how they start a server script in its own process.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tagTokenAbi } from '@tokentags/contracts'
import { deployFoundation } from '@tokentags/contracts/deploy'
import { forwardRequestDigest } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS, freePort, waitForPort } from '@tokentags/testkit'
import secp256k1 from 'secp256k1'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  getAddress,
  type Hex,
  http,
  keccak256,
  type PublicClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'

export class BenchError extends Error {
  override name = 'BenchError'
}

export const DURATION_S = Number(process.env.BENCH_DURATION ?? 6)
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
export const SITE = 'pk_bench'
export const ORIGIN = 'http://bench.test'
const SPENDER: Address = '0x000000000000000000000000000000000000bEEF'
const root = new URL('..', import.meta.url).pathname
export const relayEntry = new URL('../packages/relay-server/dist/index.js', import.meta.url).href

/** Anvil's public dev key `i` (never a real key). */
export const devKey = (i: number) => (ANVIL_DEV_ACCOUNTS[i] as { privateKey: Hex }).privateKey
const approveData = encodeFunctionData({ abi: tagTokenAbi, functionName: 'approve', args: [SPENDER, 1n] })

/**
 * Deploys the forwarder and token on anvil and returns the relay config the benchmarks submit
 * through: one site allowed to call the token's `approve`, no relayer keys (only the API path).
 */
export async function deployBenchRelay(rpcUrl: string) {
  const transport = http(rpcUrl)
  const publicClient = createPublicClient({ chain: foundry, transport }) as PublicClient
  const account = privateKeyToAccount(devKey(0))
  const walletClient = createWalletClient({ account, chain: foundry, transport })
  const { forwarder, token } = await deployFoundation({ walletClient, publicClient })
  const config = {
    chains: [{ chainId: 31337, rpcUrl, forwarder, relayerPrivateKeys: [] as Hex[] }],
    sites: {
      [SITE]: {
        origins: [ORIGIN],
        targets: [{ address: token, selectors: [approveData.slice(0, 10)] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    // One loopback address accepts faster than anvil confirms: the in-flight cap per address would be the bottleneck.
    // The benchmarks measure the relay's own ceiling (thousands a second to one site), so no site limit either.
    limits: { perIp: false, perSender: false, inFlightPerIp: false, perSite: false },
  }
  return { publicClient, forwarder, token, config }
}

/**
 * `count` bodies, each from a fresh signer at nonce 0: every one is acceptable exactly once.
 * Signed with libsecp256k1 over the relay's own digest (checked against viem by the relay's tests):
 * viem's JS signer would take minutes for this many.
 */
export function signedBodies(count: number, forwarder: Address, token: Address): string[] {
  const deadline = Math.floor(Date.now() / 1000) + 3600
  const domain = { name: 'TokenTags Forwarder', version: '1', chainId: foundry.id, verifyingContract: forwarder }
  const bodies: string[] = []
  while (bodies.length < count) {
    const privateKey = randomBytes(32)
    if (!secp256k1.privateKeyVerify(privateKey)) continue
    const from = getAddress(`0x${keccak256(secp256k1.publicKeyCreate(privateKey, false).subarray(1)).slice(-40)}`)
    const message = {
      from,
      to: token,
      value: 0n,
      gas: 60_000n,
      nonce: 0n,
      deadline: BigInt(deadline),
      data: approveData,
    }
    const { signature: rs, recid } = secp256k1.ecdsaSign(forwardRequestDigest(domain, message), privateKey)
    const signature = `0x${Buffer.from(rs).toString('hex')}${(27 + recid).toString(16)}`
    bodies.push(
      JSON.stringify({
        request: { ...message, value: '0', gas: '60000', nonce: '0', deadline: String(deadline) },
        signature,
      }),
    )
  }
  return bodies
}

export interface Child {
  url: string
  pid: number
  stop(): Promise<void>
}

let scripts = 0
/** Runs `source` (an ES module that listens on `PORT`) in its own node process; resolves once it listens. */
export async function spawnScript(
  source: string,
  env: Record<string, string>,
  options: { name: string; timeoutMs: number; nodeArgs?: string[] },
): Promise<Child> {
  const port = await freePort()
  // A file in the repo, not `-e`: node:cluster forks its script, and bare imports resolve from here.
  const dir = join(root, '.tokentags', 'bench')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${options.name}-${process.pid}-${scripts++}.mjs`)
  writeFileSync(file, source)
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), file], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  await waitForPort(port, options.timeoutMs)
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    async stop() {
      child.kill('SIGTERM')
      await exited
      rmSync(file, { force: true })
    },
  }
}

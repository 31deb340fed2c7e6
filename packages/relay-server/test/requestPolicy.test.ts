// A site's policy on EVM submissions, rule by rule: each refusal is the exact status and code, and
// each has a control the same relay accepts, so the refusal is the rule's doing and nothing else's.
import { type Hex, hexToBigInt, type LocalAccount, numberToHex, slice } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningRelay } from '../src/index.js'
import {
  CHAIN_ID,
  claimData,
  postRequest,
  relayerKey,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  user,
  waitForFinal,
} from './helpers.js'

const OTHER_CHAIN_ID = 31_338
const SHOP = 'https://shop.example'
/** secp256k1's group order. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

let chainA: TestChain
let chainB: TestChain
let relay: RunningRelay

beforeAll(async () => {
  ;[chainA, chainB] = await Promise.all([setupChain(), setupChain({ chainId: OTHER_CHAIN_ID })])
  const claim = claimData(0n).slice(0, 10) as Hex
  relay = await startTestRelay(chainA, {
    chains: [
      { chainId: CHAIN_ID, rpcUrl: chainA.anvil.rpcUrl, forwarder: chainA.forwarder, relayerPrivateKeys: [relayerKey] },
      {
        chainId: OTHER_CHAIN_ID,
        rpcUrl: chainB.anvil.rpcUrl,
        forwarder: chainB.forwarder,
        relayerPrivateKeys: [relayerKey],
      },
    ],
    sites: {
      pk_chain_a: {
        origins: [SHOP],
        targets: [{ address: chainA.vestingVault, selectors: [claim], chainId: CHAIN_ID }],
        dailyBudgetWei: 'unlimited',
      },
      pk_any_chain: {
        origins: [SHOP],
        targets: [{ address: chainA.vestingVault, selectors: [claim] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    limits: { perIp: false, perSender: false },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await Promise.all([chainA?.anvil.stop(), chainB?.anvil.stop()])
})

/** A claim of a real, vested schedule on `chain`: it simulates and executes. */
async function claimBody(chain: TestChain, account: LocalAccount, nonce = 0n) {
  const schedule = await chain.createVestedSchedule(account.address, 10n ** 18n)
  return signedBody({
    account,
    forwarder: chain.forwarder,
    to: chain.vestingVault,
    data: claimData(schedule),
    nonce,
    chainId: chain.anvil.chainId,
  })
}

const refusal = (result: Awaited<ReturnType<typeof postRequest>>) => ({
  status: result.status,
  code: result.json.error?.code,
})

describe('a target limited to one chain', () => {
  it('is refused on another served chain (403 TARGET_NOT_ALLOWED), and accepted on its own', async () => {
    // The same deployer and nonces give the same contract addresses on both chains: only the chain differs.
    expect(chainB.vestingVault).toBe(chainA.vestingVault)
    expect(chainB.forwarder).toBe(chainA.forwarder)
    const onB = await claimBody(chainB, user(0))
    const refused = await postRequest(relay, onB, { site: 'pk_chain_a', origin: SHOP, chainId: OTHER_CHAIN_ID })
    expect(refusal(refused)).toEqual({ status: 403, code: 'TARGET_NOT_ALLOWED' })
    // Control: the very same signed request is fine for a site whose target is on any chain.
    const accepted = await postRequest(relay, onB, { site: 'pk_any_chain', origin: SHOP, chainId: OTHER_CHAIN_ID })
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(202)
    expect((await waitForFinal(relay, accepted.json.id)).status).toBe('confirmed')
    // And the chain-limited target works on its own chain.
    const onA = await postRequest(relay, await claimBody(chainA, user(0)), {
      site: 'pk_chain_a',
      origin: SHOP,
      chainId: CHAIN_ID,
    })
    expect(onA.status, JSON.stringify(onA.json)).toBe(202)
    expect((await waitForFinal(relay, onA.json.id)).status).toBe('confirmed')
  })
})

describe('the page origin', () => {
  it('must equal a listed origin: no prefix, other port or other scheme passes (403 ORIGIN_NOT_ALLOWED)', async () => {
    const body = await claimBody(chainA, user(1))
    for (const origin of [
      'https://shop.example.evil.test',
      'https://shop.example:8443',
      'http://shop.example',
      'https://shop.examplex',
      'https://evil.test',
      'null',
    ]) {
      const result = await postRequest(relay, body, { site: 'pk_chain_a', origin, chainId: CHAIN_ID })
      expect(refusal(result), origin).toEqual({ status: 403, code: 'ORIGIN_NOT_ALLOWED' })
      expect(result.headers.get('access-control-allow-origin'), origin).toBeNull()
    }
    // Control: the listed origin itself (a trailing slash or upper case as some clients send it).
    const accepted = await postRequest(relay, body, { site: 'pk_chain_a', origin: 'HTTPS://Shop.Example/' })
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(202)
    expect((await waitForFinal(relay, accepted.json.id)).status).toBe('confirmed')
  })
})

describe('the signature', () => {
  it('must be canonical: the high-s twin of a valid signature is refused up front (400 BAD_SIGNATURE)', async () => {
    const body = await claimBody(chainA, user(2))
    const signature = body.signature as Hex
    const s = hexToBigInt(slice(signature, 32, 64))
    const v = Number.parseInt(signature.slice(130), 16)
    // (r, n - s, v flipped) recovers the same signer: only the low-s rule tells them apart.
    const highS = `${slice(signature, 0, 32)}${numberToHex(N - s, { size: 32 }).slice(2)}${(v === 27 ? 28 : 27).toString(16)}`
    const twin = await postRequest(relay, { ...body, signature: highS }, { site: 'pk_chain_a', origin: SHOP })
    expect(refusal(twin)).toEqual({ status: 400, code: 'BAD_SIGNATURE' })
    expect(twin.json.error.message).toMatch(/low s/)
    // v as 0/1 instead of 27/28 is refused the same way.
    const rawV = `${signature.slice(0, 130)}0${v - 27}`
    const zeroV = await postRequest(relay, { ...body, signature: rawV }, { site: 'pk_chain_a', origin: SHOP })
    expect(refusal(zeroV)).toEqual({ status: 400, code: 'BAD_SIGNATURE' })
    // Control: the original signature is accepted.
    const accepted = await postRequest(relay, body, { site: 'pk_chain_a', origin: SHOP })
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(202)
    expect((await waitForFinal(relay, accepted.json.id)).status).toBe('confirmed')
  })
})

// Issue 12, item 1: one place a site's policy is configured for both networks. A site's Solana policy is
// `sites.<key>.solana`, beside its EVM policy; the old `solana.sites` map is refused where it moved,
// through the config file and the config object alike, never read as an alias.
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRelayConfigFile, type RelayConfig } from '../src/config.js'
import { ConfigError } from '../src/configError.js'
import { createRelay } from '../src/index.js'
import { DEFAULT_SOLANA_PROGRAMS, resolveSolanaConfig, SYSTEM_PROGRAM } from '../src/solana/config.js'
import { publicKeyOf } from '../src/solana/ed25519.js'

const ORIGIN = 'https://shop.example'
// Nothing listens here: nothing in these tests reaches the RPC.
const RPC_URL = 'http://127.0.0.1:9'
const RECIPIENT = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'
let feePayerSecretKey: number[]

beforeAll(async () => {
  const feePayer = await solanaDevKeyPair('tokentags public test seed: site config fee payer (dev only, not a secret)')
  feePayerSecretKey = Array.from(feePayer.secretKey)
})

const silent = pino({ level: 'silent' })
const thrown = (run: () => unknown): Error => {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('the config was accepted')
}

describe("a site's Solana policy lives in sites.<key>.solana", () => {
  it('a config file with solana.sites is refused, naming where each site moved', () => {
    const file = (solana: object) => ({ sites: { pk_shop: { origins: [ORIGIN], targets: [] } }, solana })
    const error = thrown(() =>
      parseRelayConfigFile(file({ rpcUrl: RPC_URL, sites: { pk_shop: { lamportsPerDay: 5_000 } } })),
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe(
      "invalid relay config at solana.sites: solana.sites.pk_shop moved to sites.pk_shop.solana: a site's policy for both networks lives in sites.<key>",
    )
    // Even an empty map is the old place: refused rather than silently dropped by the schema.
    expect(thrown(() => parseRelayConfigFile(file({ rpcUrl: RPC_URL, sites: {} }))).message).toMatch(
      /solana\.sites\.<key> moved to sites\.<key>\.solana/,
    )
  })

  it('a config object with solana.sites is refused by createRelay, naming where the site moved', () => {
    const error = thrown(() =>
      createRelay({
        chains: [],
        sites: { pk_shop: { origins: [ORIGIN], targets: [] } },
        // A JavaScript caller (or a cast) can still pass the old shape: it fails, it is not ignored.
        solana: { rpcUrl: RPC_URL, feePayerSecretKey, sites: { pk_shop: { lamportsPerDay: 5_000 } } } as never,
        logger: silent,
      }),
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatch(/^solana\.sites\.pk_shop moved to sites\.pk_shop\.solana/)
  })

  it('a site with a solana policy and no solana section is refused: Solana would be silently off', () => {
    const error = thrown(() =>
      createRelay({
        chains: [{ chainId: 31337, rpcUrl: RPC_URL, forwarder: `0x${'11'.repeat(20)}`, relayerPrivateKeys: [] }],
        sites: { pk_shop: { origins: [ORIGIN], targets: [], solana: { lamportsPerDay: 5_000 } } },
        logger: silent,
      }),
    )
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatch(/^sites\.pk_shop\.solana needs a solana section/)
  })

  it('the file and the object both reach the site: its policy overrides the defaults, other sites keep them', async () => {
    const parsed = parseRelayConfigFile({
      sites: {
        pk_shop: {
          origins: [ORIGIN],
          targets: [],
          solana: {
            programs: [SYSTEM_PROGRAM],
            lamportsPerDay: '5000',
            requestsPerWalletPerDay: 3,
            pay: { recipients: [RECIPIENT] },
          },
        },
        pk_plain: { origins: [ORIGIN], targets: [] },
      },
      solana: { rpcUrl: RPC_URL, lamportsPerDay: 7_000 },
    })
    const config: RelayConfig = {
      ...parsed,
      solana: { ...(parsed.solana ?? { rpcUrl: RPC_URL }), feePayerSecretKey },
      logger: silent,
    }
    const relay = createRelay(config)
    try {
      const solana = relay.solana
      if (!solana) throw new Error('no Solana runtime')
      const shop = solana.policyFor('pk_shop')
      expect([...shop.programs]).toEqual([SYSTEM_PROGRAM])
      expect([shop.lamportsPerDay, shop.requestsPerWalletPerDay]).toEqual([5_000n, 3])
      expect([...(shop.pay?.recipients ?? [])]).toEqual([RECIPIENT])
      const plain = solana.policyFor('pk_plain')
      expect([...plain.programs]).toEqual(DEFAULT_SOLANA_PROGRAMS)
      expect([plain.lamportsPerDay, plain.requestsPerWalletPerDay, plain.pay]).toEqual([7_000n, 100, undefined])
    } finally {
      await relay.close()
    }
  })

  it("errors in a site's Solana policy name its new place", () => {
    const error = thrown(() =>
      resolveSolanaConfig({ rpcUrl: RPC_URL, feePayerSecretKey }, publicKeyOf, {
        pk_shop: { solana: { pay: { recipients: [] } } },
      }),
    )
    expect(error.message).toBe('sites.pk_shop.solana.pay.recipients is empty')
  })
})

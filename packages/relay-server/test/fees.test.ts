// The replacement fee rule by its arithmetic: anvil accepts underpriced replacements, real nodes
// refuse anything under +10% on both fees, so only these checks keep a bump honest.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createChainRuntime } from '../src/evm/chain.js'
import { bump, type FeeDecision, type Fees, replacementFees, suggestFees } from '../src/evm/fees.js'

/** The default policy as the relay resolves it from a chain config without fee settings. */
const defaults = createChainRuntime({
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:9',
  forwarder: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  relayerPrivateKeys: [],
}).fees

/** `next` is at least `previous` raised by `percent` percent, exactly (no rounding in its favour). */
const raisedBy = (next: bigint, previous: bigint, percent: number) =>
  next * 10_000n >= previous * (10_000n + BigInt(Math.round(percent * 100)))

const HOLD: FeeDecision = { hold: true, baseFee: 0n }
const wei = fc.oneof(fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 0n, max: 10n ** 12n }))
/** A previous transaction's fees: the tip never above the max fee, as the relay signs them. */
const previousFees = fc
  .tuple(wei, wei)
  .map(
    ([a, b]): Fees =>
      a >= b ? { maxFeePerGas: a, maxPriorityFeePerGas: b } : { maxFeePerGas: b, maxPriorityFeePerGas: a },
  )
const market = fc.oneof(
  fc.constant(HOLD),
  fc.tuple(wei, wei).map(([a, b]): FeeDecision => ({ hold: false, maxFeePerGas: a + b, maxPriorityFeePerGas: b })),
)

describe('replacement fees', () => {
  it('default to a 12.5% bump', () => {
    expect(defaults.feeBumpPercent).toBe(12.5)
  })

  it('raise both fees by at least 10% and by the configured bump, without a ceiling', () => {
    fc.assert(
      fc.property(
        previousFees,
        market,
        fc.constantFrom(defaults.feeBumpPercent, 10, 12.5, 15, 33.3, 100),
        (previous, marketFees, feeBumpPercent) => {
          const next = replacementFees(previous, marketFees, { ...defaults, feeBumpPercent })
          expect(next).toBeDefined()
          const fees = next as Fees
          for (const field of ['maxFeePerGas', 'maxPriorityFeePerGas'] as const) {
            expect(fees[field]).toBeGreaterThan(previous[field])
            expect(raisedBy(fees[field], previous[field], 10), field).toBe(true)
            expect(raisedBy(fees[field], previous[field], feeBumpPercent), field).toBe(true)
          }
          expect(fees.maxPriorityFeePerGas).toBeLessThanOrEqual(fees.maxFeePerGas)
          if (!marketFees.hold) {
            expect(fees.maxFeePerGas).toBeGreaterThanOrEqual(marketFees.maxFeePerGas)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('under a ceiling: either a replacement still +10% on both fees, or none (wait)', () => {
    fc.assert(
      fc.property(previousFees, market, wei, (previous, marketFees, extra) => {
        const maxFeePerGas = previous.maxFeePerGas + (extra % (previous.maxFeePerGas / 4n + 2n))
        const policy = { ...defaults, maxFeePerGas }
        const next = replacementFees(previous, marketFees, policy)
        if (next === undefined) {
          // Waiting is only right when no valid bump fits under the ceiling.
          const fits =
            previous.maxFeePerGas === 0n ? maxFeePerGas >= 1n : raisedBy(maxFeePerGas, previous.maxFeePerGas, 10)
          expect(fits).toBe(false)
          return
        }
        expect(next.maxFeePerGas).toBeLessThanOrEqual(maxFeePerGas)
        for (const field of ['maxFeePerGas', 'maxPriorityFeePerGas'] as const) {
          expect(next[field]).toBeGreaterThan(previous[field])
          expect(raisedBy(next[field], previous[field], 10), field).toBe(true)
        }
        // Below the ceiling nothing held the bump back: the configured one applies in full.
        if (next.maxFeePerGas < maxFeePerGas) {
          expect(raisedBy(next.maxFeePerGas, previous.maxFeePerGas, policy.feeBumpPercent)).toBe(true)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('round up at small values', () => {
    const table: [previous: bigint, percent: number, expected: bigint][] = [
      [0n, 12.5, 1n], // at least 1 wei
      [1n, 12.5, 2n],
      [1n, 10, 2n],
      [7n, 10, 8n], // 7.7 → 8: 7 would be a replacement every node refuses
      [7n, 12.5, 8n], // 7.875 → 8
      [8n, 12.5, 9n],
      [9n, 12.5, 11n], // 10.125 → 11
      [10n, 10, 11n],
      [80n, 12.5, 90n],
      [81n, 12.5, 92n], // 91.125 → 92
      [1_000_000_000n, 12.5, 1_125_000_000n],
    ]
    for (const [previous, percent, expected] of table) {
      expect(bump(previous, percent), `${previous} +${percent}%`).toBe(expected)
      const next = replacementFees({ maxFeePerGas: previous, maxPriorityFeePerGas: previous }, HOLD, {
        ...defaults,
        feeBumpPercent: percent,
      })
      expect(next).toEqual({ maxFeePerGas: expected, maxPriorityFeePerGas: expected })
    }
    // The tip of a 1-wei tip transaction with a larger max fee rounds up on its own.
    expect(replacementFees({ maxFeePerGas: 100n, maxPriorityFeePerGas: 1n }, HOLD, defaults)).toEqual({
      maxFeePerGas: 113n,
      maxPriorityFeePerGas: 2n,
    })
  })
})

describe('suggested fees', () => {
  /** `eth_feeHistory` as a node answers it: base fees of the last blocks and the next, and the median tips. */
  const history = (baseFeePerGas: bigint[], tips?: (bigint | undefined)[]) => ({
    getFeeHistory: async (args: { blockCount: number; rewardPercentiles: number[] }) => {
      expect(args).toEqual({ blockCount: 5, rewardPercentiles: [50] })
      return { baseFeePerGas, ...(tips && { reward: tips.map((t) => (t === undefined ? [] : [t])) }) }
    },
  })
  const policy = { ...defaults, minPriorityFeePerGas: 1n }

  it('offer twice the next base fee plus the median tip of the last blocks', async () => {
    expect(await suggestFees(history([5n, 7n, 100n], [3n, 9n, 1n, 4n, 2n]), policy)).toEqual({
      hold: false,
      maxFeePerGas: 203n,
      maxPriorityFeePerGas: 3n,
    })
    // An even count takes the upper middle; a block without a reward counts as a zero tip.
    expect(await suggestFees(history([10n], [8n, 2n, undefined, 6n]), policy)).toEqual({
      hold: false,
      maxFeePerGas: 26n,
      maxPriorityFeePerGas: 6n,
    })
  })

  it('raise the tip to the minimum and cap it at the maximum', async () => {
    expect(await suggestFees(history([10n], [1n]), { ...policy, minPriorityFeePerGas: 4n })).toMatchObject({
      maxPriorityFeePerGas: 4n,
      maxFeePerGas: 24n,
    })
    expect(await suggestFees(history([10n]), { ...policy, minPriorityFeePerGas: 2n })).toMatchObject({
      maxPriorityFeePerGas: 2n,
      maxFeePerGas: 22n,
    })
    expect(await suggestFees(history([10n], [50n]), { ...policy, maxPriorityFeePerGas: 7n })).toMatchObject({
      maxPriorityFeePerGas: 7n,
      maxFeePerGas: 27n,
    })
    expect(await suggestFees(history([10n], [7n]), { ...policy, maxPriorityFeePerGas: 7n })).toMatchObject({
      maxPriorityFeePerGas: 7n,
    })
    expect(await suggestFees(history([], []), { ...policy, minPriorityFeePerGas: 0n })).toEqual({
      hold: false,
      maxFeePerGas: 0n,
      maxPriorityFeePerGas: 0n,
    })
  })

  it('hold while the base fee is above the ceiling, and never offer more than the ceiling', async () => {
    const ceiling = { ...policy, maxFeePerGas: 100n }
    expect(await suggestFees(history([101n], [5n]), ceiling)).toEqual({ hold: true, baseFee: 101n })
    expect(await suggestFees(history([100n], [5n]), ceiling)).toEqual({
      hold: false,
      maxFeePerGas: 100n,
      maxPriorityFeePerGas: 5n,
    })
    expect(await suggestFees(history([40n], [5n]), ceiling)).toEqual({
      hold: false,
      maxFeePerGas: 85n,
      maxPriorityFeePerGas: 5n,
    })
    expect(await suggestFees(history([45n], [10n]), ceiling)).toEqual({
      hold: false,
      maxFeePerGas: 100n,
      maxPriorityFeePerGas: 10n,
    })
    // A tip above what the ceiling leaves is cut to the max fee.
    expect(await suggestFees(history([0n], [500n]), ceiling)).toEqual({
      hold: false,
      maxFeePerGas: 100n,
      maxPriorityFeePerGas: 100n,
    })
  })
})

describe('bump', () => {
  it.each([
    [0n, 12.5, 1n],
    [1n, 12.5, 2n],
    [8n, 12.5, 9n],
    [9n, 12.5, 11n],
    [100n, 12.5, 113n],
    [100n, 10, 110n],
    [1000n, 0.01, 1001n],
    [10n ** 9n, 12.5, 1_125_000_000n],
  ])('raises %d by %d%% to %d', (value, percent, raised) => {
    expect(bump(value, percent)).toBe(raised)
  })
})

describe('replacement fees against the market', () => {
  const policy = { ...defaults, feeBumpPercent: 12.5 }
  const previous: Fees = { maxFeePerGas: 100n, maxPriorityFeePerGas: 10n }

  it('take the market when it is above the bump, on each fee alone', () => {
    const up = (maxFeePerGas: bigint, maxPriorityFeePerGas: bigint): FeeDecision => ({
      hold: false,
      maxFeePerGas,
      maxPriorityFeePerGas,
    })
    expect(replacementFees(previous, up(1000n, 50n), policy)).toEqual({
      maxFeePerGas: 1000n,
      maxPriorityFeePerGas: 50n,
    })
    expect(replacementFees(previous, up(1000n, 1n), policy)).toEqual({ maxFeePerGas: 1000n, maxPriorityFeePerGas: 12n })
    expect(replacementFees(previous, up(50n, 40n), policy)).toEqual({ maxFeePerGas: 113n, maxPriorityFeePerGas: 40n })
    expect(replacementFees(previous, HOLD, policy)).toEqual({ maxFeePerGas: 113n, maxPriorityFeePerGas: 12n })
  })

  it('keep the bump, not the ceiling, when the ceiling is above it', () => {
    expect(replacementFees(previous, HOLD, { ...policy, maxFeePerGas: 1000n })).toEqual({
      maxFeePerGas: 113n,
      maxPriorityFeePerGas: 12n,
    })
    expect(replacementFees(previous, HOLD, { ...policy, maxFeePerGas: 113n })).toEqual({
      maxFeePerGas: 113n,
      maxPriorityFeePerGas: 12n,
    })
    // The ceiling cuts the bump to +10% exactly: still a valid replacement.
    expect(replacementFees(previous, HOLD, { ...policy, maxFeePerGas: 110n })).toEqual({
      maxFeePerGas: 110n,
      maxPriorityFeePerGas: 12n,
    })
    expect(replacementFees(previous, HOLD, { ...policy, maxFeePerGas: 109n })).toBeUndefined()
  })
})

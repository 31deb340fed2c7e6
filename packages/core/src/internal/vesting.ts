/** The schedule fields the vesting curve depends on (seconds; `cliff` and `duration` count from `start`). */
export interface Curve {
  start: bigint
  cliff: bigint
  duration: bigint
  total: bigint
}

/** VestingVault's curve: nothing before the cliff ends, then linear from `start`, everything at `start + duration`. */
export function vestedAt(curve: Curve, timestamp: bigint): bigint {
  if (timestamp < curve.start + curve.cliff) return 0n
  if (curve.duration === 0n || timestamp >= curve.start + curve.duration) return curve.total
  return (curve.total * (timestamp - curve.start)) / curve.duration
}

/**
 * The first whole second after `now` at which the vested amount grows, or undefined when it never will.
 * Before the cliff that is the cliff's end; during linear vesting it is the next second the integer
 * `total * elapsed / duration` steps up (usually `now + 1` for 18-decimal tokens).
 */
export function nextVestingStep(curve: Curve, now: bigint): bigint | undefined {
  const end = curve.start + curve.duration
  if (now >= end || vestedAt(curve, now) >= curve.total) return undefined
  const cliffEnd = curve.start + curve.cliff
  if (now < cliffEnd) {
    // A schedule whose linear value at the cliff is still 0 steps up later; search from the cliff.
    if (vestedAt(curve, cliffEnd) > 0n) return cliffEnd
    return nextVestingStep(curve, cliffEnd)
  }
  const current = vestedAt(curve, now)
  // Smallest t with floor(total * (t - start) / duration) >= current + 1.
  const elapsed = ceilDiv((current + 1n) * curve.duration, curve.total)
  const step = curve.start + elapsed
  const t = step > now ? step : now + 1n
  return t < end ? t : end
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b
}

/**
 * `VestingVault.schedulesOf(beneficiary)`: every schedule of a beneficiary with what is vested and claimable, in one
 * call (test/getVestingSchedules.test.ts checks it against @tokentags/contracts). Vaults deployed before it existed
 * answer with a revert.
 */
export const schedulesOfAbi = [
  {
    type: 'function',
    name: 'schedulesOf',
    stateMutability: 'view',
    inputs: [{ name: 'beneficiary', type: 'address' }],
    outputs: [
      {
        name: 'views',
        type: 'tuple[]',
        components: [
          { name: 'id', type: 'uint256' },
          { name: 'beneficiary', type: 'address' },
          { name: 'start', type: 'uint64' },
          { name: 'cliff', type: 'uint64' },
          { name: 'duration', type: 'uint64' },
          { name: 'revocable', type: 'bool' },
          { name: 'revoked', type: 'bool' },
          { name: 'total', type: 'uint256' },
          { name: 'released', type: 'uint256' },
          { name: 'vested', type: 'uint256' },
          { name: 'claimable', type: 'uint256' },
        ],
      },
    ],
  },
] as const

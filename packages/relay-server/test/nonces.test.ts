// The nonce rule as a pure decision: the same verdicts admission and the batcher's screening act on.

import { describe, expect, it } from 'vitest'
import { canStillRun, judgeNonce, nextNonce } from '../src/evm/nonces.js'

describe('nonce rule', () => {
  it('takes the chain nonce, or the one right after the unbroken run of pending ones', () => {
    expect(judgeNonce(5n, { chainNonce: 5n, pending: [] })).toEqual({ kind: 'next', ahead: false })
    expect(judgeNonce(7n, { chainNonce: 5n, pending: [6n, 5n] })).toEqual({ kind: 'next', ahead: true })
    // Pending nonces the chain already passed ran: they count for nothing.
    expect(judgeNonce(5n, { chainNonce: 5n, pending: [3n, 4n] })).toEqual({ kind: 'next', ahead: false })
    // A hole left by a request that will never run is the next nonce: re-signing it unblocks the rest.
    expect(judgeNonce(6n, { chainNonce: 5n, pending: [5n, 7n] })).toEqual({ kind: 'next', ahead: true })
  })

  it('refuses used, pending and gapped nonces, naming the next one', () => {
    expect(judgeNonce(4n, { chainNonce: 5n, pending: [5n] })).toEqual({ kind: 'used', next: 6n })
    expect(judgeNonce(6n, { chainNonce: 5n, pending: [5n, 6n] })).toEqual({ kind: 'pending', next: 7n })
    expect(judgeNonce(8n, { chainNonce: 5n, pending: [5n, 6n] })).toEqual({ kind: 'gap', next: 7n })
    expect(judgeNonce(6n, { chainNonce: 5n, pending: [] })).toEqual({ kind: 'gap', next: 5n })
    expect(nextNonce({ chainNonce: 0n, pending: [0n, 1n, 2n, 4n] })).toBe(3n)
  })

  it('lets a pending request wait only while every nonce before it is pending too', () => {
    expect(canStillRun(7n, { chainNonce: 5n, pending: [5n, 6n, 7n] })).toBe(true)
    expect(canStillRun(5n, { chainNonce: 5n, pending: [5n] })).toBe(true)
    expect(canStillRun(7n, { chainNonce: 5n, pending: [5n, 7n] })).toBe(false)
    expect(canStillRun(7n, { chainNonce: 6n, pending: [5n, 7n] })).toBe(false)
  })
})

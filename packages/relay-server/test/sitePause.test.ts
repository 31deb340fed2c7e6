// The early pause gate (src/network/sitePause.ts): an open site is re-read after a second, a paused one every time.
import { describe, expect, it } from 'vitest'
import { createSitePauseGate, OPEN_SITE_CACHE_MS } from '../src/network/sitePause.js'
import { createMemoryStores } from '../src/store/memory.js'
import { SitePausedError } from '../src/store/types.js'

describe('site pause gate', () => {
  it('refuses a paused site within a second of the pause, and serves a resumed one at once', async () => {
    const { admission } = createMemoryStores()
    let now = 1_800_000_000_000
    const gate = createSitePauseGate(admission, () => now)
    await gate.assertOpen('pk_a')
    await admission.setSitePaused('pk_a', true)
    // Read as open a moment ago: admission, which checks again atomically, refuses meanwhile.
    now += OPEN_SITE_CACHE_MS - 1
    await gate.assertOpen('pk_a')
    now += 1
    await expect(gate.assertOpen('pk_a')).rejects.toBeInstanceOf(SitePausedError)
    await expect(gate.assertOpen('pk_a')).rejects.toThrow('site pk_a is paused')
    await admission.setSitePaused('pk_a', false)
    await gate.assertOpen('pk_a')
    // Other sites are their own.
    await admission.setSitePaused('pk_b', true)
    await expect(gate.assertOpen('pk_b')).rejects.toBeInstanceOf(SitePausedError)
    await gate.assertOpen('pk_a')
  })
})

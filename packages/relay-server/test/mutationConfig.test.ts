// The mutation run (`npm run mutation -- relay`) is not part of `npm test`, so a source file it names can move
// without anyone noticing until the next audit: this loads its configuration the way StrykerJS does and holds
// every file it names to the tree.

import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import mutationTests from '../vitest.mutation.config.js'

const packageDir = new URL('../', import.meta.url)

describe('stryker.config.mjs', () => {
  it('loads, and every range it mutates lies in an existing file', async () => {
    // Loading runs `range(…)`, which throws when a function it names has moved out of its file.
    const { default: config } = await import('../stryker.config.mjs')
    const mutate: string[] = config.mutate
    expect(mutate.length).toBeGreaterThan(0)
    for (const entry of mutate) {
      const [file = '', lines] = entry.split(':')
      const path = new URL(file, packageDir)
      expect(existsSync(path), `${file} (stryker.config.mjs) does not exist`).toBe(true)
      if (lines === undefined) continue
      const [from = 0, to = 0] = lines.split('-').map(Number)
      const length = readFileSync(path, 'utf8').split('\n').length
      expect(from, entry).toBeGreaterThan(0)
      expect(to, entry).toBeGreaterThanOrEqual(from)
      expect(to, entry).toBeLessThanOrEqual(length)
    }
  })

  it('runs test files that exist', () => {
    const include = mutationTests.test?.include ?? []
    expect(include.length).toBeGreaterThan(0)
    for (const file of include) expect(existsSync(new URL(file, packageDir)), `${file} does not exist`).toBe(true)
  })
})

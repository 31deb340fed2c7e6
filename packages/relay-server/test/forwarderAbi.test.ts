// The relay calls the forwarder with the ABI compiled from contracts/src, not a copy that can drift from it.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { forwarderAbi } from '@tokentags/contracts'
import { describe, expect, it } from 'vitest'

const artifactPath = fileURLToPath(
  new URL('../../../contracts/out/TokenTagsForwarder.sol/TokenTagsForwarder.json', import.meta.url),
)
const artifact = JSON.parse(readFileSync(artifactPath, 'utf8')) as { abi: { type: string; name?: string }[] }
const sourceDir = fileURLToPath(new URL('../src', import.meta.url))

describe('forwarder ABI', () => {
  it('is the compiled artifact’s', () => {
    expect(forwarderAbi).toEqual(artifact.abi)
  })

  it('is written nowhere in the relay’s sources', () => {
    const names = artifact.abi.flatMap((item) => (item.name ? [item.name] : []))
    expect(names).toContain('executeBatch')
    const copies: string[] = []
    for (const file of readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue
      const text = readFileSync(join(sourceDir, file), 'utf8')
      for (const name of names) if (text.includes(`name: '${name}'`)) copies.push(`${file}: ${name}`)
    }
    expect(copies).toEqual([])
  })
})

// The protocol primitives the relay shares with its clients come from one place: the forwarder's ABI compiled from
// contracts/src (not a copy that can drift from it), the request statuses from @tokentags/core/protocol.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { forwarderAbi } from '@tokentags/contracts'
import { FINAL_REQUEST_STATUSES } from '@tokentags/core/protocol'
import { describe, expect, it } from 'vitest'
import { FINAL_STATUSES, isFinalStatus } from '../src/store/status.js'

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

describe('request statuses', () => {
  it('are the client’s', () => {
    expect(FINAL_STATUSES).toBe(FINAL_REQUEST_STATUSES)
    expect(['queued', 'submitted', 'confirmed', 'failed', 'rejected'].filter((s) => isFinalStatus(s as never))).toEqual(
      ['confirmed', 'failed', 'rejected'],
    )
  })
})

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { forwarderAbi } from '@tokentags/contracts'
import { forwarderNoncesAbi, forwardRequestTypes } from '@tokentags/contracts/forwarder'
import { describe, expect, it } from 'vitest'

const artifact = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../out/TokenTagsForwarder.sol/TokenTagsForwarder.json', import.meta.url)),
    'utf8',
  ),
) as { abi: { type: string; name?: string }[] }

const withoutInternalType = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (key, v) => (key === 'internalType' ? undefined : v)))

describe('@tokentags/contracts/forwarder', () => {
  it('exports the compiled ABI, not a copy', () => {
    expect(forwarderAbi).toEqual(artifact.abi)
  })

  it('takes nonces(owner) from the compiled artifact', () => {
    const compiled = artifact.abi.find((item) => item.type === 'function' && item.name === 'nonces')
    expect(forwarderNoncesAbi).toEqual([withoutInternalType(compiled)])
  })

  it('spells ForwardRequest as the forwarder hashes it', () => {
    // The type string OpenZeppelin's ERC2771Forwarder hashes into FORWARD_REQUEST_TYPEHASH.
    const source = readFileSync(
      createRequire(import.meta.url).resolve('@openzeppelin/contracts/metatx/ERC2771Forwarder.sol'),
      'utf8',
    )
    const typeString = /FORWARD_REQUEST_TYPEHASH =\s*keccak256\(\s*"([^"]+)"/.exec(source)?.[1]
    const fields = forwardRequestTypes.ForwardRequest.map((field) => `${field.type} ${field.name}`)
    expect(typeString).toBe(`ForwardRequest(${fields.join(',')})`)
  })
})

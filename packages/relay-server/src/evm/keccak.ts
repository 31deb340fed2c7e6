import jsSha3 from 'js-sha3'

// js-sha3 hashes the relay's small inputs (32–300 bytes) about 4× faster than the
// @noble/hashes keccak viem uses; every submission hashes five times before it is accepted.

/** keccak-256 of `data` as bytes. */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  return new Uint8Array(jsSha3.keccak256.arrayBuffer(data))
}

/** keccak-256 of `data` as 0x-hex. */
export function keccak256Hex(data: Uint8Array | string): `0x${string}` {
  return `0x${jsSha3.keccak256(data)}`
}

/** The EIP-55 checksummed form of a 0x-prefixed 20-byte hex address (not validated here). */
export function checksumAddress(address: string): `0x${string}` {
  const lower = address.slice(2).toLowerCase()
  const hash = jsSha3.keccak256(lower)
  let out = '0x'
  for (let i = 0; i < 40; i++) {
    const c = lower[i] as string
    out += Number.parseInt(hash[i] as string, 16) >= 8 ? c.toUpperCase() : c
  }
  return out as `0x${string}`
}

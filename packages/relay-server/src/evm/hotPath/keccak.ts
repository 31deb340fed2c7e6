// Hot path (README, "Hot path"): replaces viem's `keccak256` and `getAddress`. js-sha3 hashes the
// relay's small inputs (32–300 bytes) about 4× faster than the @noble/hashes keccak viem uses
// (300 bytes: 7 µs against 32), and the checksum takes 3 µs against viem's 19 for an address it has
// not cached (2026-12-06, one core); every submission hashes five times before it is accepted.
// Reference test: test/hotPath/keccak.test.ts, against viem's `keccak256` and `getAddress`.
import jsSha3 from 'js-sha3'

/** keccak-256 of `data` as bytes. */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  return new Uint8Array(jsSha3.keccak256.arrayBuffer(data))
}

/** keccak-256 of `data` as 0x-hex. */
export function keccak256Hex(data: Uint8Array | string): `0x${string}` {
  return `0x${jsSha3.keccak256(data)}`
}

const checksummed = new Array<number>(42)

/** The EIP-55 checksummed form of a 0x-prefixed 20-byte hex address (not validated here). */
export function checksumAddress(address: string): `0x${string}` {
  const lower = address.slice(2).toLowerCase()
  // The hash as bytes and the address as char codes: half the time of reading hex digits back.
  const hash = jsSha3.keccak256.array(lower)
  checksummed[0] = 0x30 // 0
  checksummed[1] = 0x78 // x
  for (let i = 0; i < 40; i++) {
    const code = lower.charCodeAt(i)
    const byte = hash[i >> 1] as number
    const nibble = i & 1 ? byte & 0xf : byte >> 4
    // a-f upper-cased where the hash's nibble is 8 or more; digits have no case.
    checksummed[i + 2] = code >= 0x61 && nibble >= 8 ? code - 0x20 : code
  }
  return String.fromCharCode.apply(null, checksummed) as `0x${string}`
}

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** Base58 of raw bytes: a plain carry loop, several times faster than a BigInt conversion per key. */
export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  const digits = new Uint8Array(Math.ceil(bytes.length * 1.37) + 1)
  let length = 0
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i] as number
    for (let j = 0; j < length; j++) {
      carry += (digits[j] as number) << 8
      digits[j] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) {
      digits[length++] = carry % 58
      carry = (carry / 58) | 0
    }
  }
  let out = '1'.repeat(zeros)
  for (let j = length - 1; j >= 0; j--) out += ALPHABET[digits[j] as number]
  return out
}

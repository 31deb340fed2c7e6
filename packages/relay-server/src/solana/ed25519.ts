import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'
import { getBase58Decoder, getBase58Encoder } from '@solana/kit'

// DER prefixes that wrap a raw 32-byte Ed25519 key as PKCS#8 / SPKI for node:crypto.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const base58 = { decode: getBase58Decoder(), encode: getBase58Encoder() }

/** An Ed25519 signer over node:crypto (fast: no WebCrypto promise per signature). */
export interface Ed25519Signer {
  /** Base58 public key (the Solana address). */
  address: string
  publicKey: Uint8Array
  sign(message: Uint8Array): Uint8Array
}

export function createEd25519Signer(privateKey: Uint8Array): Ed25519Signer {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, privateKey]), format: 'der', type: 'pkcs8' })
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' })
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32))
  return {
    address: base58.decode.decode(publicKey),
    publicKey,
    sign: (message) => new Uint8Array(sign(null, message, key)),
  }
}

export function publicKeyOf(privateKey: Uint8Array): string {
  return createEd25519Signer(privateKey).address
}

const keyCache = new Map<string, KeyObject>()

/** Verifies an Ed25519 signature by a base58 public key. */
export function verifyEd25519(address: string, message: Uint8Array, signature: Uint8Array): boolean {
  let key = keyCache.get(address)
  if (!key) {
    try {
      const raw = base58.encode.encode(address)
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw as Uint8Array]), format: 'der', type: 'spki' })
    } catch {
      return false
    }
    // A small bounded cache: repeat visitors and the bench skip the DER parse.
    if (keyCache.size > 10_000) keyCache.clear()
    keyCache.set(address, key)
  }
  try {
    return verify(null, message, key, signature)
  } catch {
    return false
  }
}

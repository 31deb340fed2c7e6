/**
 * Deterministic Solana dev keypairs. Each 32-byte Ed25519 private key is SHA-256 of a public,
 * clearly-named test seed below: anyone can derive them, so they are NOT secrets and must never
 * hold value. Browser- and Node-safe (WebCrypto only).
 */
import { type Address, createKeyPairSignerFromPrivateKeyBytes, type KeyPairSigner } from '@solana/kit'

/** Public test seeds (UTF-8 text, hashed with SHA-256 into a private key). */
export const SOLANA_DEV_SEEDS = Object.freeze({
  /** The relay's fee payer in tests and the dev stack. */
  feePayer: 'tokentags public test seed: solana fee payer (dev only, not a secret)',
  /** The visitor who tips (the dev wallet's first account). */
  visitor: 'tokentags public test seed: solana visitor (dev only, not a secret)',
  /** A second visitor account of the dev wallet. */
  visitor2: 'tokentags public test seed: solana visitor 2 (dev only, not a secret)',
  /** The creator who receives tips. */
  creator: 'tokentags public test seed: solana creator (dev only, not a secret)',
  /** Mint authority of the dev SPL token. */
  mintAuthority: 'tokentags public test seed: solana mint authority (dev only, not a secret)',
  /** The dev SPL token's mint account itself. */
  mint: 'tokentags public test seed: solana dev token mint (dev only, not a secret)',
})

export type SolanaDevRole = keyof typeof SOLANA_DEV_SEEDS

export interface SolanaDevKeyPair {
  role: string
  address: Address
  /** 32-byte Ed25519 private key (seed). */
  privateKey: Uint8Array
  /** 64 bytes: private key then public key (the `solana-keygen` JSON array layout). */
  secretKey: Uint8Array
  signer: KeyPairSigner
}

/** Derives the dev keypair of a role (or of any text seed). Deterministic: same seed, same address. */
export async function solanaDevKeyPair(roleOrSeed: SolanaDevRole | (string & {})): Promise<SolanaDevKeyPair> {
  const seed = (SOLANA_DEV_SEEDS as Record<string, string>)[roleOrSeed] ?? roleOrSeed
  const privateKey = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(seed)))
  const signer = await createKeyPairSignerFromPrivateKeyBytes(privateKey, true)
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', signer.keyPair.publicKey))
  const secretKey = new Uint8Array(64)
  secretKey.set(privateKey, 0)
  secretKey.set(publicKey, 32)
  return { role: roleOrSeed, address: signer.address, privateKey, secretKey, signer }
}

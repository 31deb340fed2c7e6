// getTokenSymbol against LiteSVM behind JSON-RPC: a Metaplex metadata account at the PDA @solana/kit derives, a
// Token-2022 mint with its metadata extension, and the refusals (metadata naming another mint, no metadata).
import { type Address, getAddressEncoder, getProgramDerivedAddress, type Lamports } from '@solana/kit'
import { createSplMint, type SolanaRpcInstance, startSolanaRpc } from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_METADATA_PROGRAM } from '../src/solana/getTokenSymbol.js'
import { createSolanaClient, getTokenSymbol, type SolanaClient } from '../src/solana/index.js'

const TOKEN_2022 = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address
const encoder = getAddressEncoder()
const bytes = (address: string) => new Uint8Array(encoder.encode(address as Address))

function borshString(text: string, padTo = 0): Uint8Array {
  const utf8 = new TextEncoder().encode(text)
  const body = new Uint8Array(Math.max(utf8.length, padTo))
  body.set(utf8)
  const out = new Uint8Array(4 + body.length)
  new DataView(out.buffer).setUint32(0, body.length, true)
  out.set(body, 4)
  return out
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Metaplex `MetadataV1` as the program writes it: names and symbols padded with NULs (32 and 10 bytes). */
function metaplexAccount(mint: string, authority: string, symbol: string): Uint8Array {
  return concat(
    Uint8Array.of(4),
    bytes(authority),
    bytes(mint),
    borshString('Tip Token', 32),
    borshString(symbol, 10),
    borshString('https://example.com/t.json', 200),
    new Uint8Array(2 + 1 + 1 + 1),
  )
}

/** A Token-2022 mint: the 82-byte base mint, padding to 165, account type Mint, then a TokenMetadata TLV entry. */
function token2022Mint(mint: string, authority: string, symbol: string): Uint8Array {
  const base = new Uint8Array(165)
  new DataView(base.buffer).setUint32(0, 1, true)
  base.set(bytes(authority), 4)
  base[44] = 6
  base[45] = 1
  const value = concat(
    bytes(authority),
    bytes(mint),
    borshString('Tip 2022'),
    borshString(symbol),
    borshString('https://example.com/2022.json'),
    Uint8Array.of(0, 0, 0, 0),
  )
  const pointer = new Uint8Array(4 + 64)
  new DataView(pointer.buffer).setUint16(0, 18, true)
  new DataView(pointer.buffer).setUint16(2, 64, true)
  const header = new Uint8Array(4)
  new DataView(header.buffer).setUint16(0, 19, true)
  new DataView(header.buffer).setUint16(2, value.length, true)
  return concat(base, Uint8Array.of(1), pointer, header, value)
}

let node: SolanaRpcInstance
let client: SolanaClient
let authority: Address

function put(address: string, owner: string, data: Uint8Array) {
  node.svm.setAccount({
    address: address as Address,
    data,
    executable: false,
    lamports: node.svm.minimumBalanceForRentExemption(BigInt(data.length)) as Lamports,
    programAddress: owner as Address,
    space: BigInt(data.length),
  })
}

async function metadataPda(mint: string): Promise<string> {
  const [pda] = await getProgramDerivedAddress({
    programAddress: TOKEN_METADATA_PROGRAM as Address,
    seeds: [new TextEncoder().encode('metadata'), bytes(TOKEN_METADATA_PROGRAM), bytes(mint)],
  })
  return pda
}

beforeAll(async () => {
  node = await startSolanaRpc()
  client = createSolanaClient({ rpcUrl: node.rpcUrl, discover: false })
  authority = (await solanaDevKeyPair('mintAuthority')).address
})
afterAll(() => node?.stop())

describe('getTokenSymbol', () => {
  it('reads the symbol of a Metaplex metadata account, NUL padding removed', async () => {
    const mint = (await solanaDevKeyPair('symbol-mint-1')).address
    createSplMint(node.svm, { mint, mintAuthority: authority, decimals: 6 })
    put(await metadataPda(mint), TOKEN_METADATA_PROGRAM, metaplexAccount(mint, authority, 'TIPS'))
    expect(await getTokenSymbol(client, { mint })).toBe('TIPS')
  })

  it('refuses metadata that names another mint, and a mint without metadata', async () => {
    const mint = (await solanaDevKeyPair('symbol-mint-2')).address
    const other = (await solanaDevKeyPair('symbol-mint-3')).address
    createSplMint(node.svm, { mint, mintAuthority: authority, decimals: 6 })
    createSplMint(node.svm, { mint: other, mintAuthority: authority, decimals: 6 })
    put(await metadataPda(mint), TOKEN_METADATA_PROGRAM, metaplexAccount(other, authority, 'FAKE'))
    expect(await getTokenSymbol(client, { mint })).toBe(undefined)
    expect(await getTokenSymbol(client, { mint: other })).toBe(undefined)
  })

  it('refuses a metadata account not owned by the metadata program', async () => {
    const mint = (await solanaDevKeyPair('symbol-mint-4')).address
    createSplMint(node.svm, { mint, mintAuthority: authority, decimals: 6 })
    put(await metadataPda(mint), '11111111111111111111111111111111', metaplexAccount(mint, authority, 'SPOOF'))
    expect(await getTokenSymbol(client, { mint })).toBe(undefined)
  })

  it('reads the Token-2022 metadata extension of the mint', async () => {
    const mint = (await solanaDevKeyPair('symbol-mint-5')).address
    put(mint, TOKEN_2022, token2022Mint(mint, authority, 'T22'))
    expect(await getTokenSymbol(client, { mint })).toBe('T22')
  })

  it('drops symbols with control characters or longer than 16 characters', async () => {
    const mint = (await solanaDevKeyPair('symbol-mint-6')).address
    put(mint, TOKEN_2022, token2022Mint(mint, authority, 'A\u202eB'))
    expect(await getTokenSymbol(client, { mint })).toBe(undefined)
    const long = (await solanaDevKeyPair('symbol-mint-7')).address
    put(long, TOKEN_2022, token2022Mint(long, authority, 'X'.repeat(17)))
    expect(await getTokenSymbol(client, { mint: long })).toBe(undefined)
  })
})

// A @web/test-runner server plugin for the Solana widget tests: the first test that runs
// `executeServerCommand('tokentags-solana')` gets LiteSVM behind JSON-RPC (`@tokentags/testkit/solana`) with the dev
// ledger seeded (fee payer, visitors, creator, a 6-decimal SPL mint) and a relay whose fee payer sponsors Solana
// (site key `pk_test_sol`, any origin). `tokentags-solana-balance` reads balances straight from the ledger.
// Solana Pay (test/solana-pay.chain.test.ts): the site's tip links pay the dev creator (SOL and the dev mint), and
// `indexedRpcUrl` is the node behind a small proxy that adds `getSignaturesForAddress` (the LiteSVM node lacks it;
// every landed transaction is indexed by its account keys, as a validator's address index does); the relay reads it
// too. `tokentags-solana-token-metadata` adds a mint whose Metaplex metadata names a symbol (page-session tests).
// `tokentags-solana-pay-wallet` plays a phone wallet paying a `solana:` QR code: it POSTs the visitor's account
// to the link, signs the answer with the visitor's dev key and sends it through that proxy (payload `{ uri, amount? }`).
// Human check (issue 13): the relay's site `pk_human_sol` requires one, verified by the local Turnstile-compatible
// verifier of human-check-plugin.mjs (which also serves the Turnstile stand-in, `humanCheckScriptUrl`);
// `tokentags-solana-human-verified` lists the tokens the relay asked it about, in order. `tokentags-solana-fund` sets
// an account's lamports and/or its token account's balance of a mint (payload `{ owner, lamports?, mint?, amount? }`).
// `tokentags-solana-token2022` writes a Token-2022 mint (`fee`: with TransferFeeConfig) and its holders' token
// accounts (payload `{ seed, fee?, holders: [{ owner, amount }] }`); `tokentags-solana-balance` reads one with
// `token2022: true`.
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startHumanCheckServer } from './human-check-plugin.mjs'

const SITE_KEY = 'pk_test_sol'
const HUMAN_SITE_KEY = 'pk_human_sol'
const HUMAN_SECRET_ENV = 'TT_WIDGETS_TEST_SOLANA_HUMAN_SECRET'
// A test-only verifier secret: the local verifier checks that the relay sends it.
const HUMAN_SECRET = 'widgets-test-solana-human-secret'

export function solanaPlugin() {
  let node
  let relay
  let ledger
  let setup
  let testkit
  let indexer
  let human
  const verified = []
  async function start() {
    testkit = await import('@tokentags/testkit/solana')
    const { solanaDevKeyPair } = await import('@tokentags/testkit/solana-dev-wallet')
    node = await testkit.startSolanaRpc()
    ledger = await testkit.seedSolanaDevLedger(node.svm)
    const feePayer = await solanaDevKeyPair('feePayer')
    indexer = await startIndexingRpc(node.rpcUrl)
    human = await startHumanCheckServer(HUMAN_SECRET, verified)
    process.env[HUMAN_SECRET_ENV] = HUMAN_SECRET
    const { startRelay } = await import('@tokentags/relay-server')
    const relayRequire = createRequire(fileURLToPath(import.meta.resolve('@tokentags/relay-server')))
    const { default: pino } = await import(pathToFileURL(relayRequire.resolve('pino')).href)
    relay = await startRelay({
      port: 0,
      chains: [],
      sites: {
        [SITE_KEY]: {
          origins: ['*'],
          targets: [],
          solana: {
            fundTokenAccounts: { recipients: [ledger.creator], mints: { [ledger.mint]: { minimumTransfer: 1 } } },
            pay: { recipients: [ledger.creator], mints: [ledger.mint], label: 'TokenTags tests' },
          },
        },
        [HUMAN_SITE_KEY]: {
          origins: ['*'],
          targets: [],
          attestation: { humanCheck: { secretEnv: HUMAN_SECRET_ENV, verifyUrl: `${human.url}/siteverify` } },
        },
      },
      solana: {
        rpcUrl: indexer.url,
        feePayerSecretKey: Array.from(feePayer.secretKey),
        chain: 'solana:localnet',
        confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
      },
      logger: pino({ level: 'silent' }),
    })
    return {
      rpcUrl: node.rpcUrl,
      indexedRpcUrl: indexer.url,
      relayUrl: relay.url,
      siteKey: SITE_KEY,
      humanSiteKey: HUMAN_SITE_KEY,
      humanCheckScriptUrl: `${human.url}/turnstile.js`,
      feePayer: ledger.feePayer,
      visitor: ledger.visitor,
      creator: ledger.creator,
      mint: ledger.mint,
    }
  }
  return {
    name: 'tokentags-solana',
    async executeCommand({ command, payload }) {
      if (command === 'tokentags-solana') {
        setup ??= start()
        return setup
      }
      if (command === 'tokentags-solana-human-verified') return [...verified]
      if (command === 'tokentags-solana-fund') {
        await setup
        const { owner, lamports, mint, amount } = payload
        if (lamports !== undefined) testkit.setLamports(node.svm, owner, BigInt(lamports))
        if (mint) await testkit.setSplBalance(node.svm, { mint, owner, amount: BigInt(amount) })
        return true
      }
      if (command === 'tokentags-solana-balance') {
        await setup
        const { owner, mint } = payload
        const amount = payload.token2022
          ? await testkit.getToken2022Balance(node.svm, { mint, owner })
          : mint
            ? await testkit.getSplBalance(node.svm, { mint, owner })
            : (node.svm.getBalance(owner) ?? 0n)
        return String(amount)
      }
      if (command === 'tokentags-solana-token-metadata') {
        await setup
        return createMintWithMetadata(node.svm, testkit, payload)
      }
      if (command === 'tokentags-solana-token2022') {
        await setup
        return createToken2022(node.svm, testkit, payload)
      }
      if (command === 'tokentags-solana-pay-wallet') {
        await setup
        return payAsWallet(payload.uri, indexer.url, payload.amount)
      }
      return undefined
    },
    async serverStop() {
      await indexer?.close()
      await relay?.close()
      await node?.stop()
      await human?.close()
    },
  }
}

/**
 * A 6-decimal SPL mint (address from the dev seed `seed`) with a Metaplex `MetadataV1` account at its PDA naming
 * `symbol`, as the Token Metadata program writes it (NUL-padded strings). For the on-chain symbol of a Solana tip.
 */
async function createMintWithMetadata(svm, testkit, { seed, symbol }) {
  const { getAddressEncoder, getProgramDerivedAddress } = await import('@solana/kit')
  const { solanaDevKeyPair } = await import('@tokentags/testkit/solana-dev-wallet')
  const program = 'metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s'
  const bytes = (address) => new Uint8Array(getAddressEncoder().encode(address))
  const mint = (await solanaDevKeyPair(seed)).address
  const authority = (await solanaDevKeyPair('mintAuthority')).address
  testkit.createSplMint(svm, { mint, mintAuthority: authority, decimals: 6 })
  const [metadata] = await getProgramDerivedAddress({
    programAddress: program,
    seeds: [new TextEncoder().encode('metadata'), bytes(program), bytes(mint)],
  })
  const string = (text, pad) => {
    const utf8 = new TextEncoder().encode(text)
    const out = new Uint8Array(4 + Math.max(utf8.length, pad))
    new DataView(out.buffer).setUint32(0, out.length - 4, true)
    out.set(utf8, 4)
    return out
  }
  const parts = [Uint8Array.of(4), bytes(authority), bytes(mint), string('Tip Token', 32), string(symbol, 10)]
  parts.push(string('https://example.com/t.json', 200), new Uint8Array(5))
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    data.set(p, at)
    at += p.length
  }
  svm.setAccount({
    address: metadata,
    data,
    executable: false,
    lamports: svm.minimumBalanceForRentExemption(BigInt(data.length)),
    programAddress: program,
    space: BigInt(data.length),
  })
  return mint
}

/**
 * A 6-decimal Token-2022 mint (address from the dev seed `seed`), with a TransferFeeConfig extension when `fee`, and
 * token accounts holding `holders`' amounts (base units, as text). For Token-2022 tips (token-tip.solana-token2022).
 */
async function createToken2022(svm, testkit, { seed, fee, holders }) {
  const { solanaDevKeyPair } = await import('@tokentags/testkit/solana-dev-wallet')
  const mint = (await solanaDevKeyPair(seed)).address
  const authority = (await solanaDevKeyPair('mintAuthority')).address
  const extensions = fee ? [testkit.transferFeeConfigExtension({ bps: 100, maxFee: 1_000_000n, authority })] : []
  testkit.createToken2022Mint(svm, { mint, mintAuthority: authority, decimals: 6, extensions })
  const mintExtensions = extensions.map((extension) => extension.type)
  for (const { owner, amount } of holders)
    await testkit.setToken2022Balance(svm, { mint, owner, amount: BigInt(amount), mintExtensions })
  return mint
}

/**
 * What a phone wallet does with a `solana:` transaction request: POST its account, sign the answer, send it. With
 * `amount`, the link's amount is changed first (a payment that carries the reference but is not the tip asked for).
 */
async function payAsWallet(uri, rpcUrl, amount) {
  const { solanaDevKeyPair } = await import('@tokentags/testkit/solana-dev-wallet')
  const {
    getBase64EncodedWireTransaction,
    getCompiledTransactionMessageDecoder,
    getTransactionDecoder,
    partiallySignTransaction,
  } = await import('@solana/kit')
  if (!uri.startsWith('solana:')) throw new TypeError(`not a Solana Pay URI: ${uri}`)
  const url = new URL(decodeURIComponent(uri.slice('solana:'.length)))
  if (amount) url.searchParams.set('amount', amount)
  const link = url.href
  const visitor = await solanaDevKeyPair('visitor')
  const response = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: visitor.address }),
  })
  const answer = await response.json()
  if (!response.ok) throw new TypeError(`the pay link answered ${response.status}: ${JSON.stringify(answer)}`)
  const tx = getTransactionDecoder().decode(Buffer.from(answer.transaction, 'base64'))
  const signed = await partiallySignTransaction([visitor.signer.keyPair], tx)
  const sent = await rpcAt(rpcUrl, 'sendTransaction', [getBase64EncodedWireTransaction(signed), { encoding: 'base64' }])
  // The first account of the message pays the fee: the relay's fee payer, never the visitor.
  const feePayer = getCompiledTransactionMessageDecoder().decode(tx.messageBytes).staticAccounts[0]
  return { link, signature: sent, feePayer }
}

async function rpcAt(url, method, params) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const answer = await response.json()
  if (answer.error) throw new TypeError(`rpc ${method}: ${answer.error.message}`)
  return answer.result
}

/** The node behind a proxy that answers `getSignaturesForAddress` from an index of the transactions sent through it. */
async function startIndexingRpc(upstream) {
  const { getCompiledTransactionMessageDecoder, getTransactionDecoder } = await import('@solana/kit')
  const byAddress = new Map()
  const server = createServer(async (req, res) => {
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-headers', 'content-type')
    if (req.method === 'OPTIONS') {
      res.end()
      return
    }
    let body = ''
    for await (const chunk of req) body += chunk
    const call = JSON.parse(body)
    let answer
    if (call.method === 'getSignaturesForAddress') {
      const landed = byAddress.get(call.params[0]) ?? []
      answer = { jsonrpc: '2.0', id: call.id, result: landed.map((e) => ({ ...e, confirmationStatus: 'confirmed' })) }
    } else {
      answer = await (
        await fetch(upstream, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
      ).json()
      if (call.method === 'sendTransaction' && answer.result) {
        const tx = getTransactionDecoder().decode(Buffer.from(call.params[0], 'base64'))
        const signature = answer.result
        const statuses = await rpcAt(upstream, 'getSignatureStatuses', [[signature]])
        const status = statuses.value[0]
        if (status)
          for (const key of getCompiledTransactionMessageDecoder().decode(tx.messageBytes).staticAccounts)
            byAddress.set(key, [
              { signature, slot: status.slot, err: status.err, blockTime: null, memo: null },
              ...(byAddress.get(key) ?? []),
            ])
      }
    }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(answer))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

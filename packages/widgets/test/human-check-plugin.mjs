// A @web/test-runner server plugin for test/human-check.chain.test.ts (issue 13, the widget side): on the chain
// plugin's anvil (its setup is the payload), its own contracts and fresh accounts, a relay whose site `pk_human`
// requires a human check verified by a local Turnstile-compatible `siteverify` (one success per token, tokens
// starting with `pass-`), and a local stand-in for Turnstile's script: `window.turnstile.render` answers through
// `callback` with a fresh `pass-…` token, or through `error-callback` for the sitekey `refuse`. Everything stops
// with the server.
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

// VestingVault.claim(uint256) and claimMany(uint256[]).
const CLAIM_SELECTORS = ['0x379607f5', '0x925489a8']
const ACCOUNTS = 4
const SECRET_ENV = 'TT_WIDGETS_TEST_HUMAN_SECRET'
// A test-only verifier secret: the local verifier checks that the relay sends it.
const SECRET = 'widgets-test-human-secret'

const STUB = `(() => {
  let n = 0
  const stamp = Date.now().toString(36)
  window.__humanChecks = []
  window.turnstile = {
    render(container, options) {
      const id = 'w' + ++n
      const token = 'pass-' + stamp + '-' + n
      window.__humanChecks.push({
        id,
        sitekey: options.sitekey,
        appearance: options.appearance,
        inDocument: document.body.contains(container),
        token: options.sitekey === 'refuse' ? undefined : token,
      })
      // Like Turnstile, the answer comes later, through a callback.
      setTimeout(() => (options.sitekey === 'refuse' ? options['error-callback']('600010') : options.callback(token)), 20)
      return id
    },
    remove(id) {
      const check = window.__humanChecks.find((c) => c.id === id)
      if (check) check.removed = true
    },
  }
})()
`

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}

export function humanCheckPlugin() {
  let relay
  let server
  let setup
  /** The tokens the relay asked the verifier about, in order. */
  const verified = []
  async function start(chain) {
    const { deployFoundation, seedDemoSchedules, tagTokenAbi } = {
      ...(await import('@tokentags/contracts/deploy')),
      ...(await import('@tokentags/contracts')),
    }
    const { createPublicClient, createWalletClient, http, parseEther, toFunctionSelector } = await import('viem')
    const { generatePrivateKey, privateKeyToAccount } = await import('viem/accounts')
    const viemChain = {
      id: chain.chainId,
      name: 'anvil',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [chain.rpcUrl] } },
    }
    const transport = http(chain.rpcUrl)
    const publicClient = createPublicClient({ chain: viemChain, transport })
    const fund = (address) =>
      publicClient.request({ method: 'anvil_setBalance', params: [address, `0x${parseEther('100').toString(16)}`] })
    const deployer = privateKeyToAccount(generatePrivateKey())
    await fund(deployer.address)
    const walletClient = createWalletClient({ account: deployer, chain: viemChain, transport })
    const { forwarder, token, vestingVault } = await deployFoundation({ walletClient, publicClient })
    const accounts = []
    for (let i = 0; i < ACCOUNTS; i++) {
      const privateKey = generatePrivateKey()
      const { address } = privateKeyToAccount(privateKey)
      await fund(address)
      await seedDemoSchedules({ walletClient, publicClient, vestingVault, token, beneficiaries: [address] })
      // TAG to tip with (a forwarded `transfer`: the token trusts the forwarder).
      const hash = await walletClient.writeContract({
        address: token,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [address, parseEther('100')],
      })
      await publicClient.waitForTransactionReceipt({ hash })
      accounts.push({ address, privateKey })
    }

    // The verifier and the stub script share one local server.
    server = await startHumanCheckServer(SECRET, verified)
    const localUrl = server.url

    const relayerKey = generatePrivateKey()
    await fund(privateKeyToAccount(relayerKey).address)
    process.env[SECRET_ENV] = SECRET
    const { startRelay } = await import('@tokentags/relay-server')
    const relayRequire = createRequire(fileURLToPath(import.meta.resolve('@tokentags/relay-server')))
    const { default: pino } = await import(pathToFileURL(relayRequire.resolve('pino')).href)
    relay = await startRelay({
      port: 0,
      chains: [
        {
          chainId: chain.chainId,
          rpcUrl: chain.rpcUrl,
          forwarder,
          relayerPrivateKeys: [relayerKey],
          maxFeePerGas: parseEther('0.000001'),
        },
      ],
      sites: {
        pk_human: {
          origins: ['*'],
          targets: [
            { address: vestingVault, selectors: CLAIM_SELECTORS },
            { address: token, selectors: [toFunctionSelector('transfer(address,uint256)')] },
          ],
          dailyBudgetWei: 'unlimited',
          attestation: { humanCheck: { secretEnv: SECRET_ENV, verifyUrl: `${localUrl}/siteverify` } },
        },
      },
      batch: { maxSize: 10, maxWaitMs: 100 },
      logger: pino({ level: 'silent' }),
    })
    return {
      relayUrl: relay.url,
      siteKey: 'pk_human',
      scriptUrl: `${localUrl}/turnstile.js`,
      missingScriptUrl: `${localUrl}/missing.js`,
      vestingVault,
      token,
      accounts,
    }
  }
  return {
    name: 'tokentags-human-check',
    async executeCommand({ command, payload }) {
      if (command === 'tokentags-human-check-verified') return [...verified]
      if (command !== 'tokentags-human-check') return undefined
      setup ??= start(payload)
      return setup
    },
    async serverStop() {
      await relay?.close()
      await server?.close()
    },
  }
}

/**
 * The local stand-ins of a human check, on one server: the Turnstile-compatible `siteverify` (one success per token,
 * tokens starting with `pass-`, the relay must send `secret`; every token asked about is pushed to `verified`) and
 * the script (`/turnstile.js`). Also used by solana-plugin.mjs for Solana tips.
 */
export async function startHumanCheckServer(secret, verified) {
  const used = new Set()
  const server = createServer(async (req, res) => {
    if (req.url?.startsWith('/turnstile.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' })
      res.end(STUB)
      return
    }
    if (req.url === '/siteverify' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req))
      const response = form.get('response') ?? ''
      verified.push(response)
      const ok = form.get('secret') === secret && response.startsWith('pass-') && !used.has(response)
      used.add(response)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(ok ? { success: true } : { success: false, 'error-codes': ['invalid-input-response'] }))
      return
    }
    res.writeHead(404).end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

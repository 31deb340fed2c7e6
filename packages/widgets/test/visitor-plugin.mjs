// @web/test-runner server commands for the "every visitor can act" tests (test/visitors*.test.ts):
//   tokentags-phone        emulates a phone on the test's page through the DevTools protocol, as Playwright's
//                          device descriptors do: mobile user agent and client hints, touch, 390×844 at 3x
//                          (payload false: back to the desktop; 'android': an Android phone's Chrome instead).
//   tokentags-schedule     a fully vested schedule on the test chain for a fresh address (payload: the chain setup
//                          of chain-plugin.mjs and the beneficiary), so a test owns what it claims.
//   tokentags-pay-uri      pays an EIP-681 URI from an anvil dev key, read by its own small parser here (not the
//                          widget's code), and answers the transaction hash.
import { createPublicClient, createWalletClient, encodeFunctionData, erc20Abi, getAddress, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36'
// anvil's public dev accounts #0 (deployer and vault admin) and #7 (pays URIs): never real keys.
const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const PAYER_KEY = '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356'

const sessions = new WeakMap()

async function cdp(session) {
  const page = session.browser.getPage(session.id)
  let client = sessions.get(page)
  if (!client) {
    client = await page.context().newCDPSession(page)
    sessions.set(page, client)
  }
  return client
}

async function emulatePhone(session, on) {
  const client = await cdp(session)
  if (!on) {
    await client.send('Emulation.clearDeviceMetricsOverride')
    await client.send('Emulation.setTouchEmulationEnabled', { enabled: false })
    await client.send('Emulation.setUserAgentOverride', { userAgent: '' })
    return true
  }
  await client.send('Emulation.setDeviceMetricsOverride', {
    width: 390,
    height: 844,
    deviceScaleFactor: 3,
    mobile: true,
  })
  await client.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 })
  const android = on === 'android'
  await client.send('Emulation.setUserAgentOverride', {
    userAgent: android ? ANDROID_UA : typeof on === 'string' ? on : IPHONE_UA,
    platform: android ? 'Linux armv8l' : 'iPhone',
    userAgentMetadata: {
      brands: [],
      platform: android ? 'Android' : 'iOS',
      platformVersion: android ? '14' : '17.4',
      architecture: '',
      model: android ? 'Pixel 8' : 'iPhone',
      mobile: true,
    },
  })
  return true
}

function chainOf(rpcUrl, chainId) {
  return {
    id: chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  }
}

async function seedSchedule({ chain, beneficiary }) {
  const { tagTokenAbi, vestingVaultAbi } = await import('@tokentags/contracts')
  const transport = http(chain.rpcUrl)
  const viemChain = chainOf(chain.rpcUrl, chain.chainId)
  const wallet = createWalletClient({ account: privateKeyToAccount(DEPLOYER_KEY), chain: viemChain, transport })
  const reader = createPublicClient({ chain: viemChain, transport })
  const send = async (request) => reader.waitForTransactionReceipt({ hash: await wallet.writeContract(request) })
  const total = 250n * 10n ** 18n
  await send({ address: chain.token, abi: tagTokenAbi, functionName: 'approve', args: [chain.vestingVault, total] })
  const { timestamp } = await reader.getBlock()
  // Started 10 days ago over one day: fully vested, all of it claimable.
  await send({
    address: chain.vestingVault,
    abi: vestingVaultAbi,
    functionName: 'createSchedule',
    args: [beneficiary, total, timestamp - 10n * 86_400n, 0n, 86_400n, false],
  })
  return String(total)
}

/** `ethereum:<address>[@<chainId>][/<function>][?<params>]` (EIP-681), the parts a transfer uses. */
function parseEip681(uri) {
  const match = /^ethereum:(?:pay-)?(0x[0-9a-fA-F]{40})(?:@(\d+))?(?:\/(\w+))?(?:\?(.*))?$/.exec(uri)
  if (!match) throw new TypeError(`not an EIP-681 URI: ${uri}`)
  const [, target, chainId, fn, query] = match
  const params = new URLSearchParams(query ?? '')
  // EIP-681 numbers may use scientific notation (2.014e18); the widget writes plain integers, read both.
  const number = (text) => {
    if (text === null) return undefined
    const sci = /^(\d+)(?:\.(\d+))?(?:e(\d+))?$/.exec(text)
    if (!sci) throw new TypeError(`not a number: ${text}`)
    const [, whole, fraction = '', exponent = '0'] = sci
    return BigInt(whole + fraction) * 10n ** BigInt(Number(exponent) - fraction.length)
  }
  return { target: getAddress(target), chainId: chainId && Number(chainId), fn, params, number }
}

async function payUri({ rpcUrl, chainId, uri }) {
  const parsed = parseEip681(uri)
  if (parsed.chainId !== chainId) throw new TypeError(`URI is for chain ${parsed.chainId}, not ${chainId}`)
  const viemChain = chainOf(rpcUrl, chainId)
  const transport = http(rpcUrl)
  const wallet = createWalletClient({ account: privateKeyToAccount(PAYER_KEY), chain: viemChain, transport })
  const reader = createPublicClient({ chain: viemChain, transport })
  let hash
  if (parsed.fn === undefined) {
    hash = await wallet.sendTransaction({ to: parsed.target, value: parsed.number(parsed.params.get('value')) })
  } else if (parsed.fn === 'transfer') {
    const to = getAddress(parsed.params.get('address'))
    const amount = parsed.number(parsed.params.get('uint256'))
    // The payer gets the tokens from the deployer first (the test chain's only big holder).
    const deployer = createWalletClient({ account: privateKeyToAccount(DEPLOYER_KEY), chain: viemChain, transport })
    await reader.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        address: parsed.target,
        abi: erc20Abi,
        functionName: 'transfer',
        args: [wallet.account.address, amount],
      }),
    })
    hash = await wallet.sendTransaction({
      to: parsed.target,
      data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
    })
  } else throw new TypeError(`unsupported EIP-681 function ${parsed.fn}`)
  await reader.waitForTransactionReceipt({ hash })
  return { hash, from: wallet.account.address }
}

export function visitorPlugin() {
  return {
    name: 'tokentags-visitors',
    async executeCommand({ command, payload, session }) {
      if (command === 'tokentags-phone') return emulatePhone(session, payload)
      if (command === 'tokentags-schedule') return seedSchedule(payload)
      if (command === 'tokentags-pay-uri') return payUri(payload)
      return undefined
    },
  }
}

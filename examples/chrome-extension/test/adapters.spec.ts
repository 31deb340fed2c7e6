// Node-only checks of the parsing the adapters rely on (no browser is started for these).
import { expect, test } from '@playwright/test'
import { normalizeTipAddress, tipAddressInHref, tipAddressInText } from '../src/adapters/addresses.js'
import { compileMatchPattern, urlMatchesAny } from '../src/adapters/url-patterns.js'
import { DEFAULT_OPTIONS, resolveOptions } from '../src/options.js'

const ALICE = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720'
const SOL = 'sol:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'

test('a tip: line in a bio is a published address; a bare address is not', () => {
  expect(tipAddressInText(`Builder.\ntip: ${ALICE}`)).toBe(ALICE)
  expect(tipAddressInText(`Tips = ${ALICE.toLowerCase()} thanks`)).toBe(ALICE)
  expect(tipAddressInText(`TIP:${SOL}`)).toBe(SOL)
  expect(tipAddressInText(`my token ${ALICE}`)).toBeNull()
  expect(tipAddressInText(`multitip: ${ALICE}`)).toBeNull()
  expect(tipAddressInText(`tip: ${ALICE}ff`)).toBeNull()
  expect(tipAddressInText('tip: sol:0OIl-not-base58-at-all-00000000000000')).toBeNull()
})

test('a mixed-case EVM address must carry a valid checksum', () => {
  const broken = `${ALICE.slice(0, -1)}1`.replace('a0Ee', 'A0eE')
  expect(normalizeTipAddress(broken)).toBeNull()
  expect(normalizeTipAddress(ALICE.toUpperCase().replace('0X', '0x'))).toBe(ALICE)
})

test('ethereum: and solana: links in a profile are published addresses', () => {
  expect(tipAddressInHref(`ethereum:${ALICE}@31337`)).toBe(ALICE)
  expect(tipAddressInHref(`ethereum:pay-${ALICE}?value=1e18`)).toBe(ALICE)
  expect(tipAddressInHref(`solana:${SOL.slice(4)}?amount=1`)).toBe(SOL)
  expect(tipAddressInHref(`https://example.com/${ALICE}`)).toBeNull()
})

test('site patterns work like Chrome match patterns, a missing port meaning any port', () => {
  expect(urlMatchesAny('https://x.com/alice/status/1', ['https://x.com/*'])).toBe(true)
  expect(urlMatchesAny('https://evil-x.com/alice', ['https://x.com/*'])).toBe(false)
  expect(urlMatchesAny('https://x.com.evil.example/', ['https://x.com/*'])).toBe(false)
  expect(urlMatchesAny('http://127.0.0.1:4173/x/alice', ['http://127.0.0.1/*'])).toBe(true)
  expect(urlMatchesAny('http://127.0.0.1:4173/x/alice', ['http://127.0.0.1:4174/*'])).toBe(false)
  expect(urlMatchesAny('https://mobile.twitter.com/a', ['*://*.twitter.com/*'])).toBe(true)
  expect(compileMatchPattern('not a pattern')).toBeNull()
})

test('stored options fall back to the dev defaults field by field', () => {
  expect(resolveOptions(undefined)).toEqual(DEFAULT_OPTIONS)
  const options = resolveOptions({
    chainId: 'nope',
    gasless: 'sometimes',
    relayUrl: ' http://relay ',
    sites: { x: [1] },
  })
  expect(options.chainId).toBe(31337)
  expect(options.gasless).toBe('auto')
  expect(options.relayUrl).toBe('http://relay')
  expect(options.sites.x).toEqual(DEFAULT_OPTIONS.sites.x)
})

// Safe to import anywhere: @tokentags/widgets and @tokentags/core in plain Node (no DOM, no
// window), as a server renderer or a build tool would. Run after the build:
//   node --test test/node-import.test.mjs
import assert from 'node:assert/strict'
import { test } from 'node:test'

test('plain Node has no DOM here', () => {
  assert.equal(typeof globalThis.window, 'undefined')
  assert.equal(typeof globalThis.document, 'undefined')
})

test('importing @tokentags/core does not throw and touches no window', async () => {
  const core = await import('@tokentags/core')
  assert.equal(typeof core.createTokenTagsClient, 'function')
  const client = core.createTokenTagsClient({ chains: [{ id: 31337, rpcUrl: 'http://127.0.0.1:9' }] })
  assert.deepEqual(core.getWallets(client), [])
  assert.equal(typeof globalThis.window, 'undefined')
})

test('importing every @tokentags/widgets entry point does not throw', async () => {
  const widgets = await import('@tokentags/widgets')
  assert.equal(typeof widgets.TokenClaim, 'function')
  assert.equal(typeof widgets.TokenTagsConfig, 'function')
  assert.equal(widgets.messageFor('USER_REJECTED'), 'The request was declined in your wallet.')
  await import('@tokentags/widgets/define')
  await import('@tokentags/widgets/token-claim/define')
  await import('@tokentags/widgets/tokentags-config/define')
  const testing = await import('@tokentags/widgets/testing')
  assert.equal(testing.allClaimStates().length, 10)
  const react = await import('@tokentags/widgets/react').catch((error) => {
    // React is an optional peer dependency: without it only this entry point may fail.
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && /'react'/.test(String(error.message))) return undefined
    throw error
  })
  if (react) {
    assert.equal(typeof react.TokenClaim, 'object')
    // Server-rendering the React wrapper gives the tag and no crash (@lit/react sets the
    // element's properties on the client, in a layout effect).
    const { createElement } = await import('react')
    const { renderToString } = await import('react-dom/server')
    const markup = renderToString(createElement(react.TokenClaim, { vault: '0xabc', chain: '8453', theme: 'dark' }))
    assert.match(markup, /^<token-claim[^>]*><\/token-claim>$/)
  }
  assert.equal(typeof globalThis.document, 'undefined')
})

test('the page configuration works without a DOM', async () => {
  const { configureTokenTags, getPageConfig, parseRpcList } = await import('@tokentags/widgets')
  configureTokenTags({ chains: parseRpcList('8453=https://mainnet.base.org') })
  assert.equal(getPageConfig()?.chains[0]?.name, 'Base')
})

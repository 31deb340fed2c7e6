// WalletConnect stays out of what a page downloads up front. Run after `npm run build -w packages/widgets`:
//   node --test test/walletconnect-size.test.mjs
// The sign client (@tokentags/core/walletconnect, via src/internal/walletconnect-api.ts) loads only when a visitor
// picks WalletConnect: from a chunk beside an ES bundle, or as the stand-alone `tokentags-walletconnect.js` beside the
// classic script. The QR encoder (src/internal/qr.ts) is its own small chunk.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { BUDGETS, CDN, closure, gz, kb, measure } from '../scripts/bundle-sizes.mjs'

/** The stand-alone WalletConnect module (about 137 KB gzip today). */
const GUARD_WALLETCONNECT = 160 * 1024
const SIGN_CLIENT = /wc_sessionPropose/

test('the classic script never inlines the sign client: it loads tokentags-walletconnect.js beside itself', () => {
  const file = join(CDN, 'tokentags-walletconnect.js')
  assert.ok(existsSync(file), 'dist/cdn/tokentags-walletconnect.js is missing: run the widgets build first')
  const code = readFileSync(file, 'utf8')
  console.log(`tokentags-walletconnect.js: ${kb(code.length)} raw, ${kb(gz(file))} gzip`)
  assert.match(code, SIGN_CLIENT, 'the stand-alone module holds the sign client')
  assert.doesNotMatch(
    code,
    /(?:from|import)\s*["'](?:\.{1,2}\/|events["'])/,
    'it stands alone: no chunks, no bare imports',
  )
  assert.ok(
    gz(file) <= GUARD_WALLETCONNECT,
    `tokentags-walletconnect.js is ${kb(gz(file))}, over ${kb(GUARD_WALLETCONNECT)}`,
  )
  assert.doesNotMatch(readFileSync(join(CDN, 'tokentags.iife.js'), 'utf8'), SIGN_CLIENT)
})

for (const name of Object.keys(BUDGETS))
  test(`dist/cdn/${name} loads no WalletConnect code before a visitor picks it`, () => {
    const { staticFiles } = closure(join(CDN, name))
    assert.ok(staticFiles.length > 0)
    for (const file of staticFiles)
      assert.doesNotMatch(readFileSync(file, 'utf8'), SIGN_CLIENT, `${file} is loaded up front`)
    const m = measure(name)
    for (const chunk of m.afterPress.filter((c) => SIGN_CLIENT.test(readFileSync(join(CDN, c.name), 'utf8'))))
      console.log(`${name}: WalletConnect after a press ${kb(chunk.gzip)} gzip (${chunk.name})`)
  })

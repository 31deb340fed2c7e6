// The Mobile Wallet Adapter (Android's Solana wallet apps, src/token-tip/mwa.ts) stays out of what a page downloads up
// front: a chunk a Solana tip loads on Android only, or the stand-alone `tokentags-mwa.js` beside the classic script.
// Run after `npm run build -w packages/widgets`:  node --test test/mwa-size.test.mjs
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { BUDGETS, CDN, closure, gz, kb, measure } from '../scripts/bundle-sizes.mjs'

/**
 * The name of MWA's error class, a string literal of `@solana-mobile/wallet-standard-mobile` that survives minifying
 * (the wallet's name, "Mobile Wallet Adapter", is in the entry too: a tip tells MWA apart in its wallet list).
 */
const MWA = /SolanaMobileWalletAdapterError/
/** An error message of the `qrcode` encoder that survives minifying. */
const QR_ENCODER = /Invalid QR Code version/
/**
 * About 44.2 KB gzip today: the MWA protocol and its session crypto, @solana/kit codecs and its own dialogs. The QR
 * encoder the package imports for remote sessions (which TokenTags never registers) is a chunk of its own, loaded
 * only if one draws a code (rollup.config.mjs, `lazyMwaQrcode`): with it the chunk was 53.5 KB.
 */
export const GUARD_MWA = 46 * 1024

const has = (file) => MWA.test(readFileSync(join(CDN, file), 'utf8'))
const read = (file) => readFileSync(file, 'utf8')

/** The files a chunk imports lazily (`import("./…")`), resolved beside it. */
const lazyImports = (file) =>
  [...read(file).matchAll(/import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)].map(([, spec]) => join(dirname(file), spec))

/** The QR encoder is in none of `files`, and one of them loads it on demand (the remote session's code still works). */
function assertEncoderLazy(label, files) {
  for (const file of files) assert.doesNotMatch(read(file), QR_ENCODER, `${label}: ${file} carries the QR encoder`)
  const lazy = files.flatMap(lazyImports)
  assert.ok(
    lazy.some((file) => QR_ENCODER.test(read(file))),
    `${label}: no lazy import of the QR encoder`,
  )
}

for (const name of Object.keys(BUDGETS))
  test(`dist/cdn/${name} loads no Mobile Wallet Adapter code up front`, () => {
    const { staticFiles } = closure(join(CDN, name))
    for (const file of staticFiles) assert.doesNotMatch(readFileSync(file, 'utf8'), MWA, `${file} is loaded up front`)
    const chunks = measure(name).afterPress.filter((c) => has(c.name))
    for (const chunk of chunks) console.log(`${name}: MWA after a press ${kb(chunk.gzip)} gzip (${chunk.name})`)
    // Only Solana tips reach it.
    if (name === 'token-tip.js' || name === 'tokentags.js') {
      assert.equal(chunks.length, 1, `${name} should load MWA from one chunk`)
      assert.ok(chunks[0].gzip <= GUARD_MWA, `${name}'s MWA chunk is ${kb(chunks[0].gzip)}, over ${kb(GUARD_MWA)}`)
      const mwa = closure(join(CDN, name)).lazy.find((l) => l.entry === join(CDN, chunks[0].name))
      assertEncoderLazy(name, mwa?.files ?? [])
    } else assert.equal(chunks.length, 0, `${name} must not reach MWA code`)
  })

test('the classic script loads tokentags-mwa.js beside itself and inlines none of it', () => {
  const file = join(CDN, 'tokentags-mwa.js')
  assert.ok(existsSync(file), 'dist/cdn/tokentags-mwa.js is missing: run the widgets build first')
  console.log(`tokentags-mwa.js: ${kb(readFileSync(file).length)} raw, ${kb(gz(file))} gzip`)
  assert.ok(has('tokentags-mwa.js'))
  assert.ok(gz(file) <= GUARD_MWA, `tokentags-mwa.js is ${kb(gz(file))}, over ${kb(GUARD_MWA)}`)
  assertEncoderLazy('tokentags-mwa.js', [file])
  assert.doesNotMatch(readFileSync(file, 'utf8'), /(?:from|import)\s*["']\.{1,2}\//, 'it stands alone (no chunks)')
  const iife = readFileSync(join(CDN, 'tokentags.iife.js'), 'utf8')
  assert.match(iife, /import\(new URL\("tokentags-mwa\.js"/, 'the classic script loads tokentags-mwa.js beside it')
  assert.doesNotMatch(iife, MWA, 'no MWA code inlined in the classic script')
})

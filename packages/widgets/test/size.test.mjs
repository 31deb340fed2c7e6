// Bundle budgets of the drop-in files. Run after `npm run build -w packages/widgets`:
//   node --test test/size.test.mjs
// A budget holds what a page downloads before any interaction: the entry, its static imports and
// the words of its language (English is built in; es/fr/de/ar are one small chunk each). The chain
// code (@tokentags/core: viem, wagmi) loads from chunks beside the bundle once the user picks a
// wallet; its size is printed and held to a looser guard so a regression still shows.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  BUDGETS,
  CDN,
  GUARD_AFTER_PRESS,
  GUARD_AMOUNT,
  GUARD_IIFE,
  GUARD_QR_VIEWS,
  GUARD_SESSION,
  GUARD_SOLANA,
  gz,
  kb,
  measure,
} from '../scripts/bundle-sizes.mjs'

test('drop-in bundles exist', () => {
  for (const name of ['token-claim.js', 'tokentags.js', 'tokentags.iife.js']) {
    assert.ok(existsSync(join(CDN, name)), `dist/cdn/${name} is missing: run the widgets build first`)
  }
})

for (const [name, budget] of Object.entries(BUDGETS)) {
  test(`dist/cdn/${name}: at most ${kb(budget)} gzip before any interaction`, () => {
    const m = measure(name)
    console.log(`${name}: up front ${kb(m.initial.raw)} raw, ${kb(m.initial.gzip)} gzip (${m.initial.files} file(s))`)
    for (const l of m.locales) console.log(`  language ${l.name}: ${kb(l.gzip)} gzip`)
    console.log(`  before any interaction, heaviest language: ${kb(m.beforeInteraction)} gzip`)
    for (const c of m.afterPress) console.log(`  after a press ${c.name}: ${kb(c.raw)} raw, ${kb(c.gzip)} gzip`)
    console.log(`  everything: ${kb(m.total)} gzip`)
    assert.ok(m.locales.length >= 4, `expected a chunk per non-English language, found ${m.locales.length}`)
    assert.ok(m.afterPress.length >= 1, 'expected the chain code in a lazily loaded chunk')
    assert.ok(
      m.beforeInteraction <= budget,
      `${name} needs ${kb(m.beforeInteraction)} gzip up front, over ${kb(budget)}`,
    )
    // The WalletConnect sign client (a pick of WalletConnect only) and the Mobile Wallet Adapter (Solana tips on
    // Android only) have their own guards: walletconnect-size.test.mjs, mwa-size.test.mjs; so has the amount reader
    // (not chain code, below); so have the page session's chunks (account chip and menu, session tracking).
    const afterPress = m.afterPress
      .filter(
        (c) =>
          !/^chunks\/(walletconnect-api|mwa|amount-check|account-menu|evm-session|solana-session|remember|human-check|address-lookup|analytics|qr|qr-pairing|solana-pay)-/.test(
            c.name,
          ),
      )
      .reduce((n, c) => n + c.gzip, 0)
    assert.ok(
      afterPress <= GUARD_AFTER_PRESS,
      `${name}'s chain code is ${kb(afterPress)}, over ${kb(GUARD_AFTER_PRESS)}`,
    )
  })
}

test('the amount reader is a small lazy chunk of the widgets with an amount field', () => {
  for (const name of ['token-tip.js', 'token-buy.js', 'tokentags.js']) {
    const m = measure(name)
    const reader = m.afterPress.find((c) => /^chunks\/amount-check-/.test(c.name))
    assert.ok(reader, `${name} should load the amount reader from chunks/amount-check-*.js`)
    console.log(`${name}: amount reader ${kb(reader.gzip)} gzip, with the first amount field`)
    assert.ok(reader.gzip <= GUARD_AMOUNT, `${name}'s amount reader is ${kb(reader.gzip)}, over ${kb(GUARD_AMOUNT)}`)
  }
  assert.ok(!measure('token-claim.js').afterPress.some((c) => /amount-check/.test(c.name)), 'a claim types no amount')
})

// "Check an address" of <token-claim> without a wallet (issue 15, item 9): its form and words, loaded when it is opened.
const GUARD_LOOKUP = 2.5 * 1024

test('the address lookup is a small lazy chunk of the claim card, not chain code', () => {
  for (const name of ['token-claim.js', 'tokentags.js']) {
    const chunk = measure(name).afterPress.find((c) => /^chunks\/address-lookup-/.test(c.name))
    assert.ok(chunk, `${name} should load the address lookup from chunks/address-lookup-*.js`)
    console.log(`${name}: address lookup ${kb(chunk.gzip)} gzip, when the visitor opens it`)
    assert.ok(chunk.gzip <= GUARD_LOOKUP, `${name}'s address lookup is ${kb(chunk.gzip)}, over ${kb(GUARD_LOOKUP)}`)
  }
  for (const name of ['token-tip.js', 'token-buy.js'])
    assert.ok(!measure(name).afterPress.some((c) => /address-lookup/.test(c.name)), `${name} checks no address`)
})

test('the account chip and the session tracking are small lazy chunks, loaded once a wallet connects', () => {
  for (const name of ['token-claim.js', 'token-tip.js', 'token-buy.js', 'tokentags.js']) {
    const chunks = measure(name).afterPress.filter((c) =>
      /^chunks\/(account-menu|evm-session|solana-session|remember)-/.test(c.name),
    )
    assert.ok(
      chunks.some((c) => /account-menu/.test(c.name)),
      `${name} should load the account menu from a chunk`,
    )
    assert.ok(
      chunks.some((c) => /evm-session/.test(c.name)),
      `${name} should load the EVM session from a chunk`,
    )
    const total = chunks.reduce((n, c) => n + c.gzip, 0)
    console.log(`${name}: page session ${kb(total)} gzip (${chunks.map((c) => c.name).join(', ')}), once connected`)
    assert.ok(total <= GUARD_SESSION, `${name}'s page session chunks are ${kb(total)}, over ${kb(GUARD_SESSION)}`)
  }
})

test('the QR code, the pairing view and the Solana Pay flow are lazy chunks, loaded when a QR is shown', () => {
  for (const name of ['token-claim.js', 'token-tip.js', 'token-buy.js', 'tokentags.js']) {
    const chunks = measure(name).afterPress.filter((c) => /^chunks\/(qr|qr-pairing|solana-pay)-/.test(c.name))
    assert.ok(
      chunks.some((c) => /^chunks\/qr-pairing-/.test(c.name)),
      `${name} should load the WalletConnect pairing view (and the QR encoder) from a chunk`,
    )
    const total = chunks.reduce((n, c) => n + c.gzip, 0)
    console.log(`${name}: QR views ${kb(total)} gzip (${chunks.map((c) => c.name).join(', ')}), when a QR is shown`)
    assert.ok(total <= GUARD_QR_VIEWS, `${name}'s QR views are ${kb(total)}, over ${kb(GUARD_QR_VIEWS)}`)
    // The encoder's own error text (src/internal/qr.ts) marks where it is bundled.
    assert.doesNotMatch(
      readFileSync(join(CDN, name), 'utf8'),
      /fit in a QR code/,
      `${name} carries the QR encoder up front`,
    )
  }
})

// The human check (issue 13) loads only on a site that asks for one, right before a gasless request: not chain code.
const GUARD_HUMAN_CHECK = 1.5 * 1024

test('the human check is a small lazy chunk, loaded only when the page asks for one', () => {
  // Imported by the core chunk (which wraps claim, tip and buy), not by the entries.
  const chunks = readdirSync(join(CDN, 'chunks')).filter((name) => /^human-check-.*\.js$/.test(name))
  assert.equal(chunks.length, 1, 'expected one chunks/human-check-*.js')
  const size = gz(join(CDN, 'chunks', chunks[0]))
  console.log(`human check: ${kb(size)} gzip, before a gasless request on a site that asks`)
  assert.ok(size <= GUARD_HUMAN_CHECK, `the human check is ${kb(size)}, over 1.5 KB`)
  for (const name of ['token-claim.js', 'token-tip.js', 'token-buy.js', 'tokentags.js'])
    assert.doesNotMatch(readFileSync(join(CDN, name), 'utf8'), /turnstile/i, `${name} carries the human check up front`)
})

// The widgets' funnel (issue 16): a few bytes up front decide whether to load it (a relay, analytics not off); the
// batching and sending is a chunk of its own, loaded on the first state of a widget on such a page.
const GUARD_ANALYTICS = 1024

test('the funnel is a small lazy chunk: up front only the check whether to load it', () => {
  for (const name of ['token-claim.js', 'token-tip.js', 'token-buy.js', 'tokentags.js']) {
    const chunk = measure(name).afterPress.find((c) => /^chunks\/analytics-/.test(c.name))
    assert.ok(chunk, `${name} should load the funnel from chunks/analytics-*.js`)
    console.log(`${name}: funnel ${kb(chunk.gzip)} gzip, on a page with a relay`)
    assert.ok(chunk.gzip <= GUARD_ANALYTICS, `${name}'s funnel chunk is ${kb(chunk.gzip)}, over ${kb(GUARD_ANALYTICS)}`)
    assert.doesNotMatch(readFileSync(join(CDN, name), 'utf8'), /sendBeacon/, `${name} carries the funnel up front`)
  }
})

test('dist/cdn/tokentags.iife.js is one classic script', () => {
  const file = join(CDN, 'tokentags.iife.js')
  const code = readFileSync(file, 'utf8')
  console.log(`tokentags.iife.js: ${kb(code.length)} raw, ${kb(gz(file))} gzip`)
  assert.doesNotMatch(code, /^\s*(import|export)\s/m, 'an IIFE must not contain module syntax')
  assert.doesNotMatch(code, /import\(\s*["']\.\//, 'an IIFE must not load chunks')
  assert.ok(gz(file) <= GUARD_IIFE, `tokentags.iife.js is ${kb(gz(file))} gzip, over ${kb(GUARD_IIFE)}`)
})

test('Solana code is a lazy chunk (ES modules) or a stand-alone module beside the classic script', () => {
  for (const name of ['token-tip.js', 'tokentags.js']) {
    const solana = measure(name).afterPress.find((c) => /^chunks\/solana-api-/.test(c.name))
    assert.ok(solana, `${name} should load the Solana code from chunks/solana-api-*.js`)
    console.log(`${name}: Solana after a wallet press ${kb(solana.gzip)} gzip`)
    assert.ok(solana.gzip <= GUARD_SOLANA, `${name}'s Solana chunk is ${kb(solana.gzip)}, over ${kb(GUARD_SOLANA)}`)
  }
  for (const name of ['token-claim.js', 'token-buy.js']) {
    assert.ok(!measure(name).afterPress.some((c) => /solana/.test(c.name)), `${name} must not reach Solana code`)
  }
  const file = join(CDN, 'tokentags-solana.js')
  const code = readFileSync(file, 'utf8')
  console.log(`tokentags-solana.js: ${kb(code.length)} raw, ${kb(gz(file))} gzip`)
  assert.doesNotMatch(code, /(?:from|import)\s*["']\.{1,2}\//, 'tokentags-solana.js must stand alone (no chunks)')
  assert.ok(gz(file) <= GUARD_SOLANA, `tokentags-solana.js is ${kb(gz(file))} gzip, over ${kb(GUARD_SOLANA)}`)
  const iife = readFileSync(join(CDN, 'tokentags.iife.js'), 'utf8')
  assert.match(
    iife,
    /import\(new URL\("tokentags-solana\.js"/,
    'the classic script loads tokentags-solana.js beside it',
  )
  assert.doesNotMatch(
    iife,
    /TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA/,
    'no Solana code inlined in the classic script',
  )
})

test('no dev-only warnings or Lit dev mode in the drop-in bundles', () => {
  for (const name of ['token-claim.js', 'tokentags.js', 'tokentags.iife.js']) {
    const code = readFileSync(join(CDN, name), 'utf8')
    assert.doesNotMatch(code, /Lit is in dev mode/)
    assert.doesNotMatch(code, /is waiting for a <tokentags-config>/)
  }
})

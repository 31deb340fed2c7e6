import { fileURLToPath } from 'node:url'
import { CHROMIUM_ARGS, chromiumPath } from '@tokentags/testkit'
import { esbuildPlugin } from '@web/dev-server-esbuild'
import { playwrightLauncher } from '@web/test-runner-playwright'
import { build } from 'esbuild'
import { chainPlugin } from './test/chain-plugin.mjs'
import { humanCheckPlugin } from './test/human-check-plugin.mjs'
import { importFailPlugin } from './test/import-fail-plugin.mjs'
import { relayVariantsPlugin } from './test/relay-variants-plugin.mjs'
import { rpcHoldPlugin } from './test/rpc-hold-plugin.mjs'
import { salesPlugin } from './test/sales-plugin.mjs'
import { screenshotPlugin } from './test/screenshot-plugin.mjs'
import { solanaPlugin } from './test/solana-plugin.mjs'
import { visitorPlugin } from './test/visitor-plugin.mjs'
import { walletConnectPlugin } from './test/walletconnect-plugin.mjs'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Serves @tokentags/core and the dev wallet as one pre-bundled module each. Unbundled,
 * viem and wagmi are hundreds of small files: 15-20 s per test page on a busy machine.
 * (It also covers eventemitter3, which @wagmi/core reaches as CommonJS.)
 */
function prebundle(entries) {
  const cache = new Map()
  return {
    name: 'tokentags-prebundle',
    async serve(context) {
      const entry = entries.find((e) => context.path === e)
      if (!entry) return undefined
      if (!cache.has(entry)) {
        cache.set(
          entry,
          build({
            entryPoints: [repoRoot + entry.slice(1)],
            bundle: true,
            format: 'esm',
            platform: 'browser',
            target: 'es2022',
            write: false,
            logLevel: 'silent',
          }).then((result) => result.outputFiles[0].text),
        )
      }
      return { body: await cache.get(entry), type: 'js' }
    },
  }
}

// Real Debian chromium through Playwright; Playwright never downloads a browser here.
export default {
  rootDir: repoRoot,
  // test/unit holds node-level vitest tests (widgets-unit suite), not browser tests.
  files: ['test/**/*.test.ts', '!test/unit/**'],
  nodeResolve: { exportConditions: ['development', 'browser'] },
  plugins: [
    prebundle([
      '/packages/core/dist/index.js',
      '/packages/core/dist/solana/index.js',
      // The sign client reaches CommonJS (events) and many small files: one module, as for core.
      '/packages/core/dist/walletconnect/index.js',
      '/packages/testkit/dist/dev-wallet.js',
      '/packages/testkit/dist/solana-dev-wallet.js',
      // The Mobile Wallet Adapter reaches CommonJS (qrcode): one module (test/mwa.test.ts).
      '/node_modules/@solana-mobile/wallet-standard-mobile/lib/esm/index.browser.js',
      // A second, independent QR reader for test/qr-scan.ts (CommonJS).
      '/node_modules/jsqr/dist/jsQR.js',
    ]),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    // Started lazily by the tests that need a chain (test/*.chain.test.ts).
    chainPlugin(),
    // Relays that cannot take the page's requests (down, origin refused, budget spent): test/gasless-promise.chain.test.ts.
    relayVariantsPlugin(),
    // An RPC proxy that holds or refuses a sale's quote read: test/buy-quote.chain.test.ts.
    rpcHoldPlugin(),
    // Fails the downloads of a module until told otherwise (the funnel chunk): test/funnel-retry.test.ts.
    importFailPlugin(),
    // Sales that cannot be bought (not started, ended, sold out): test/cards.chain.test.ts.
    salesPlugin(),
    // A relay whose site requires a human check, its local verifier and a Turnstile stand-in: test/human-check.chain.test.ts.
    humanCheckPlugin(),
    // LiteSVM and a relay with a Solana fee payer, for test/token-tip.solana*.test.ts.
    solanaPlugin(),
    // The loopback WalletConnect relay and a phone wallet in Node, for test/walletconnect.chain.test.ts.
    walletConnectPlugin(),
    screenshotPlugin(),
    // Phone emulation, a vault schedule per test, EIP-681 payments (test/visitors*.test.ts).
    visitorPlugin(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true },
    }),
  ],
  // Two cores shared with other engineers: one browser page at a time.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 10_000 } },
}

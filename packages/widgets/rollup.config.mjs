// Drop-in bundles built from tsc's output (dist/), minified:
//   dist/cdn/token-claim.js   ES module: <token-claim> + <tokentags-config>
//   dist/cdn/token-tip.js     ES module: <token-tip> + <tokentags-config>
//   dist/cdn/token-buy.js     ES module: <token-buy> + <tokentags-config>
//   dist/cdn/tokentags.js     ES module: every widget
//   dist/cdn/tokentags.iife.js classic <script>: every widget, one file
//   dist/cdn/tokentags-solana.js ES module: the Solana half of <token-tip>, stand-alone, for the classic script
//   dist/cdn/tokentags-walletconnect.js ES module: WalletConnect (sign client), stand-alone, for the classic script
//   dist/cdn/tokentags-mwa.js ES module: the Mobile Wallet Adapter (Android), stand-alone, for the classic script
// In the ES modules, @tokentags/core (viem, wagmi) sits in lazily imported chunks
// under dist/cdn/chunks/, fetched once a widget has something to load.
import { rmSync } from 'node:fs'
import commonjs from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'

// Chunk names carry content hashes: start from an empty folder so stale ones do not pile up.
rmSync(new URL('./dist/cdn', import.meta.url), { recursive: true, force: true })

/** Turns off dev-only warnings (src/internal/dev.ts) in the CDN bundles. */
function productionMode() {
  return {
    name: 'tokentags-production-mode',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/dist/internal/dev.js')) return null
      const next = code.replace('export const DEV_MODE = true', 'export const DEV_MODE = false')
      if (next === code) this.error('DEV_MODE flag not found in dist/internal/dev.js')
      return { code: next, map: null }
    },
  }
}

/**
 * The classic script has no chunks: instead of inlining @tokentags/core/solana, it imports the stand-alone
 * `tokentags-solana.js` from beside itself (src/token-tip/solana-loader.ts) when a Solana tip's wallet is picked.
 */
function classicSolana() {
  return {
    name: 'tokentags-classic-solana',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/dist/token-tip/solana-loader.js')) return null
      const next = code.replace(/import\((['"])\.\/solana-api\.js\1\)/, 'import(classicSolanaUrl())')
      if (next === code) this.error('import of ./solana-api.js not found in dist/token-tip/solana-loader.js')
      return { code: next, map: null }
    },
  }
}

/**
 * The same for WalletConnect (src/internal/walletconnect-loader.ts): the classic script imports the stand-alone
 * `tokentags-walletconnect.js` (the sign client, about 140 KB gzip) from beside itself when a visitor picks it.
 */
function classicWalletConnect() {
  return {
    name: 'tokentags-classic-walletconnect',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/dist/internal/walletconnect-loader.js')) return null
      const next = code.replace(/import\((['"])\.\/walletconnect-api\.js\1\)/, 'import(classicWalletConnectUrl())')
      if (next === code)
        this.error('import of ./walletconnect-api.js not found in dist/internal/walletconnect-loader.js')
      return { code: next, map: null }
    },
  }
}

/**
 * And for the Mobile Wallet Adapter (src/token-tip/mwa-loader.ts): on Android, the classic script imports the
 * stand-alone `tokentags-mwa.js` from beside itself.
 */
function classicMwa() {
  return {
    name: 'tokentags-classic-mwa',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/dist/token-tip/mwa-loader.js')) return null
      const next = code.replace(/import\((['"])\.\/mwa\.js\1\)/, 'import(classicMwaUrl())')
      if (next === code) this.error('import of ./mwa.js not found in dist/token-tip/mwa-loader.js')
      return { code: next, map: null }
    },
  }
}

/**
 * `@solana-mobile/wallet-standard-mobile` imports the `qrcode` encoder at the top of its one entry, only for the QR code
 * of a remote (desktop) MWA session, which TokenTags never registers (src/token-tip/mwa.ts passes no remote relay).
 * Its import gets a stand-in that loads the encoder when a QR code is drawn: the MWA chunk carries none of it.
 */
function lazyMwaQrcode() {
  const STAND_IN = '\0tokentags-lazy-qrcode'
  let encoder
  return {
    name: 'tokentags-lazy-qrcode',
    async resolveId(source, importer) {
      if (source !== 'qrcode' || !importer?.replaceAll('\\', '/').includes('/@solana-mobile/wallet-standard-mobile/'))
        return null
      encoder ??= (await this.resolve(source, importer, { skipSelf: true }))?.id
      if (!encoder) this.error('qrcode (a dependency of @solana-mobile/wallet-standard-mobile) not found')
      return STAND_IN
    },
    load(id) {
      if (id !== STAND_IN) return null
      return `export default { toCanvas: (...args) => import(${JSON.stringify(encoder)}).then((m) => (m.default ?? m).toCanvas(...args)) }`
    },
  }
}

/**
 * MWA's dialogs (the spinner while a wallet app is asked, the local-network permission prompts) break a strict
 * Content-Security-Policy: each puts a <style> element in its shadow root, inline style attributes in its markup, and
 * Google Fonts links in the page. Rewritten here into a constructed stylesheet (`adoptedStyleSheets`, which CSP
 * allows, as Lit's own styles), a class and SVG presentation attributes, and no remote font (the page's font
 * instead). Each rewrite must find its text: a new MWA version fails this build, not a visitor's page
 * (test/mwa-csp.test.ts checks the result under the widgets' strict policy).
 */
function cspSafeMwaDialogs() {
  const rewrites = [
    [/this\.dom\.appendChild\(styles\);/g, 2, 'tokentagsAdoptStyles(this.dom, styles.textContent);'],
    [/host\.innerHTML = fonts;/g, 1, ''],
    [/ style="position: absolute; width: 100%; height: 100%;"/g, 2, ' class="tokentags-mwa-backdrop"'],
    [/ style="mask-type:alpha"/g, 4, ' mask-type="alpha"'],
  ]
  const helper = `
function tokentagsAdoptStyles(root, css) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css + ".tokentags-mwa-backdrop{position:absolute;width:100%;height:100%}");
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
`
  return {
    name: 'tokentags-csp-safe-mwa',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/@solana-mobile/wallet-standard-mobile/lib/esm/index.browser.js'))
        return null
      let next = code
      for (const [pattern, count, replacement] of rewrites) {
        const found = next.match(pattern)?.length ?? 0
        if (found !== count) this.error(`MWA dialogs: expected ${count} of ${pattern}, found ${found}`)
        next = next.replace(pattern, replacement)
      }
      return { code: next + helper, map: null }
    },
  }
}

const plugins = () => [
  productionMode(),
  lazyMwaQrcode(),
  cspSafeMwaDialogs(),
  // preferBuiltins: false: a browser has no Node built-ins; WalletConnect's sign client imports `events`, meaning
  // the npm package of that name.
  nodeResolve({ browser: true, preferBuiltins: false, exportConditions: ['production', 'browser'] }),
  // @wagmi/core reaches eventemitter3, still CommonJS underneath its ESM wrapper.
  commonjs(),
  terser({ format: { comments: false }, compress: { passes: 2 } }),
]

const onwarn = (warning, warn) => {
  // viem and wagmi ship `/*#__PURE__*/` annotations rollup cannot place; harmless.
  if (warning.code === 'INVALID_ANNOTATION' || warning.code === 'THIS_IS_UNDEFINED') return
  warn(warning)
}

const esm = (name, input) => ({
  input: { [name]: input },
  plugins: plugins(),
  onwarn,
  output: {
    dir: 'dist/cdn',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
})

export default [
  esm('token-claim', 'dist/token-claim/define.js'),
  esm('token-tip', 'dist/token-tip/define.js'),
  esm('token-buy', 'dist/token-buy/define.js'),
  esm('tokentags', 'dist/define.js'),
  esm('tokentags-solana', 'dist/token-tip/solana-api.js'),
  esm('tokentags-walletconnect', 'dist/internal/walletconnect-api.js'),
  esm('tokentags-mwa', 'dist/token-tip/mwa.js'),
  {
    input: 'dist/define.js',
    plugins: [classicSolana(), classicWalletConnect(), classicMwa(), ...plugins()],
    onwarn,
    output: { file: 'dist/cdn/tokentags.iife.js', format: 'iife', inlineDynamicImports: true, sourcemap: true },
  },
]

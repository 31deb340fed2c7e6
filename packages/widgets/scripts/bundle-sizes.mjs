// Measures the drop-in bundles in dist/cdn: what a page downloads before any interaction (the
// entry and its static imports, plus the words of its language when it is not English), and
// what loads later from chunks beside it (the chain code, once the user picks a wallet).
import { readFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

export const CDN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cdn')
export const KB = 1024

/** Gzip budgets (bytes) of what a page downloads before any interaction. */
export const BUDGETS = {
  'token-claim.js': 30 * KB,
  'token-tip.js': 30 * KB,
  'token-buy.js': 30 * KB,
  'tokentags.js': 45 * KB,
}
/**
 * Looser guards, so a regression in the chain code (e.g. all of viem pulled in) shows too. The chain code is core's
 * chunk and the Solana half (55.5 KB measured for token-tip.js on 2026-12-06); the QR views have their own guard.
 */
export const GUARD_AFTER_PRESS = 58 * KB
/**
 * What draws a QR code (src/internal/qr.ts), the WalletConnect pairing view around it (qr-pairing.ts) and the Solana
 * Pay flow (token-tip/solana-pay.ts): loaded when a visitor picks WalletConnect or pays from a phone, never chain code.
 */
export const GUARD_QR_VIEWS = 12 * KB
export const GUARD_IIFE = 100 * KB
/** The reader of typed amounts (src/internal/amount-check.ts), loaded with a tip's or buy's first amount field. */
export const GUARD_AMOUNT = 2.5 * KB
/**
 * The page session's chunks (src/internal/account-menu.ts, evm-session.ts, remember.ts, token-tip/solana-session.ts): the
 * chip and its menu, and the code that publishes and remembers a network's session; loaded once a wallet connects.
 */
export const GUARD_SESSION = 4 * KB
/** The Solana half of <token-tip> (@tokentags/core/solana), loaded on a wallet press of a `sol:` tip. */
export const GUARD_SOLANA = 16 * KB

/** The locales' chunk names (src/i18n/locales/<lang>.ts). */
const LOCALE_CHUNK = /^(es|fr|de|ar)-[\w-]+\.js$/

export const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length
export const raw = (file) => readFileSync(file).length

/** Files reached from `entry` by static imports, and the dynamic imports reached from any of them. */
export function closure(entry) {
  const staticFiles = new Set()
  const lazy = new Set()
  const visit = (file) => {
    if (staticFiles.has(file)) return
    staticFiles.add(file)
    const code = readFileSync(file, 'utf8')
    for (const [, spec] of code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g))
      visit(join(dirname(file), spec))
    for (const [, spec] of code.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g))
      lazy.add(join(dirname(file), spec))
  }
  visit(entry)
  // Lazy chunks with their own static imports (not already loaded up front).
  const lazyClosures = [...lazy]
    .filter((f) => !staticFiles.has(f))
    .map((f) => {
      const inner = new Set()
      const walk = (file) => {
        if (inner.has(file) || staticFiles.has(file)) return
        inner.add(file)
        const code = readFileSync(file, 'utf8')
        for (const [, spec] of code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g))
          walk(join(dirname(file), spec))
      }
      walk(f)
      return { entry: f, files: [...inner] }
    })
  return { staticFiles: [...staticFiles], lazy: lazyClosures }
}

/** Sizes of one drop-in entry: up front, per locale, after a press. */
export function measure(name) {
  const { staticFiles, lazy } = closure(join(CDN, name))
  const sum = (files, f) => files.reduce((n, file) => n + f(file), 0)
  const locales = lazy.filter((l) => LOCALE_CHUNK.test(basename(l.entry)))
  const later = lazy.filter((l) => !LOCALE_CHUNK.test(basename(l.entry)))
  const initial = { raw: sum(staticFiles, raw), gzip: sum(staticFiles, gz), files: staticFiles.length }
  const localeSizes = locales.map((l) => ({ name: relative(CDN, l.entry), gzip: sum(l.files, gz) }))
  const worstLocale = Math.max(0, ...localeSizes.map((l) => l.gzip))
  const afterPress = later.map((l) => ({
    name: relative(CDN, l.entry),
    raw: sum(l.files, raw),
    gzip: sum(l.files, gz),
  }))
  return {
    name,
    initial,
    locales: localeSizes,
    /** Up front with the heaviest language: what the budget holds. */
    beforeInteraction: initial.gzip + worstLocale,
    afterPress,
    total: initial.gzip + sum(localeSizes, (l) => l.gzip) + afterPress.reduce((n, c) => n + c.gzip, 0),
  }
}

export const kb = (n) => `${(n / KB).toFixed(1)} KB`

/** The README's size table (markdown). */
export function sizeTable() {
  const rows = [
    '| file | before any interaction (gzip) | budget | loaded after a press (gzip) |',
    '| --- | --- | --- | --- |',
  ]
  for (const [name, budget] of Object.entries(BUDGETS)) {
    const m = measure(name)
    const locales = m.locales.map((l) => l.gzip)
    rows.push(
      `| \`dist/cdn/${name}\` | ${kb(m.initial.gzip)} + one language ${kb(Math.min(...locales))}–${kb(Math.max(...locales))} (English built in) = **${kb(m.beforeInteraction)}** at most | ${kb(budget)} | ${m.afterPress.map((c) => `${kb(c.gzip)} (\`${c.name.replace(/-[\w-]{8}\.js$/, '-*.js')}\`)`).join(', ')} |`,
    )
  }
  const iife = join(CDN, 'tokentags.iife.js')
  rows.push(
    `| \`dist/cdn/tokentags.iife.js\` | ${kb(gz(iife))} (one classic script, everything inlined but Solana) | ${kb(GUARD_IIFE)} (guard) | ${kb(gz(join(CDN, 'tokentags-solana.js')))} (\`tokentags-solana.js\`, Solana tips only) |`,
  )
  return rows.join('\n')
}

import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import * as solana from '../src/solana/index.js'

describe('@tokentags/core/solana public API', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(solana).sort()).toMatchInlineSnapshot(`
      [
        "SOLANA_BROWSER_WALLET_NAME",
        "connectSolana",
        "createSolanaClient",
        "disconnectSolana",
        "fromLegacySolanaProvider",
        "fromWalletAdapter",
        "getLegacySolanaWallets",
        "getRelaySolanaConfig",
        "getSolanaAccount",
        "getSolanaBalance",
        "getSolanaWallets",
        "getTokenSymbol",
        "isSolanaTarget",
        "isSolanaWallet",
        "parseDecimalAmount",
        "parseSolanaAddress",
        "tipSolana",
        "watchSolanaAccount",
        "watchSolanaWallets",
      ]
    `)
  })

  it('keeps Solana out of the main entry', () => {
    const main = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')
    expect(main).not.toMatch(/solana/i)
  })

  it('imports in plain Node without window or document', () => {
    const script = `
      if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('DOM present')
      const s = await import('@tokentags/core/solana')
      const client = s.createSolanaClient({ rpcUrl: 'http://127.0.0.1:1' })
      if (s.getSolanaAccount(client).status !== 'disconnected') throw new Error('account')
      if (s.getSolanaWallets(client).length !== 0) throw new Error('wallets')
      console.log('ok')
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
    })
    expect(out.trim()).toBe('ok')
  })

  it('stays a small chunk: under 12 KB gzip bundled for browsers (about 8.4 KB today)', async () => {
    const result = await build({
      stdin: { contents: "export * from '../src/solana/index.ts'", resolveDir: import.meta.dirname, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    })
    const bytes = result.outputFiles[0]?.contents ?? new Uint8Array()
    expect(gzipSync(bytes, { level: 9 }).length).toBeLessThan(12 * 1024)
  })
})

import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import * as walletconnect from '../src/walletconnect/index.js'

describe('@tokentags/core/walletconnect public API', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(walletconnect).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_RELAY_URL",
        "ProviderRpcError",
        "SOLANA_CAIP2",
        "WALLETCONNECT_ID",
        "WALLETCONNECT_SOLANA_NAME",
        "addWalletConnect",
        "createWalletConnect",
        "getSignClient",
        "isPairingUri",
        "parseRelayUrl",
        "resetSignClient",
        "walletConnectLinks",
      ]
    `)
  })

  it('stays out of the main and Solana entries (pages without WalletConnect never load the sign client)', () => {
    for (const entry of ['../src/index.ts', '../src/solana/index.ts']) {
      expect(readFileSync(new URL(entry, import.meta.url), 'utf8')).not.toMatch(/walletconnect/i)
    }
  })

  it('is one on-demand chunk: under 160 KB gzip bundled for browsers besides viem and wagmi (about 139 KB today)', async () => {
    const result = await build({
      stdin: {
        contents: "export * from '../src/walletconnect/index.ts'",
        resolveDir: import.meta.dirname,
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      external: ['viem', 'viem/*', '@wagmi/core'],
      write: false,
      logLevel: 'silent',
    })
    const bytes = result.outputFiles[0]?.contents ?? new Uint8Array()
    const gzip = gzipSync(bytes, { level: 9 }).length
    console.log(`@tokentags/core/walletconnect: ${(gzip / 1024).toFixed(1)} KB gzip besides viem and wagmi`)
    expect(gzip).toBeLessThan(160 * 1024)
  })
})

describe('walletconnect-relay (parseRelayUrl)', () => {
  it('defaults to WalletConnect’s relay and takes wss:// URLs', () => {
    expect(walletconnect.parseRelayUrl(undefined)).toBe('wss://relay.walletconnect.org')
    expect(walletconnect.parseRelayUrl('')).toBe(walletconnect.DEFAULT_RELAY_URL)
    expect(walletconnect.parseRelayUrl('wss://relay.example.com')).toBe('wss://relay.example.com')
  })

  it('takes plain ws:// only on this machine (a test or local relay)', () => {
    expect(walletconnect.parseRelayUrl('ws://127.0.0.1:8899')).toBe('ws://127.0.0.1:8899')
    expect(walletconnect.parseRelayUrl('ws://localhost:8899')).toBe('ws://localhost:8899')
    for (const bad of ['ws://relay.example.com', 'https://relay.example.com', 'relay.example.com', 'javascript:1'])
      expect(() => walletconnect.parseRelayUrl(bad), bad).toThrow(/must be a wss:\/\/ URL/)
  })

  it('needs a project id before anything starts', () => {
    expect(() => walletconnect.getSignClient({ projectId: '' })).toThrow(/project id/)
  })
})

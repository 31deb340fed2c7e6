import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseExplorerList, parseRpcList, withExplorers } from '../../src/internal/config.js'
import { txUrl } from '../../src/internal/format.js'

const HASH = `0x${'ab'.repeat(32)}`

describe('parseExplorerList (<tokentags-config explorer>)', () => {
  afterEach(() => vi.restoreAllMocks())

  it('reads <chainId>=<http(s) URL> pairs separated by spaces or commas, like rpc', () => {
    const map = parseExplorerList(
      ' 31337=http://localhost:5173/tx/{tx}  8453=https://basescan.org,10=https://op.example ',
    )
    expect([...map]).toEqual([
      [31337, 'http://localhost:5173/tx/{tx}'],
      [8453, 'https://basescan.org'],
      [10, 'https://op.example'],
    ])
  })

  it.each([
    '31337=javascript:alert(1)',
    '31337=data:text/html;x',
    '31337=//evil.example',
    '31337=ftp://x.example',
    '31337=http://',
    'base=https://basescan.org',
    '0=https://basescan.org',
    '-1=https://basescan.org',
    '1.5=https://basescan.org',
    '0x2105=https://basescan.org',
    '=https://basescan.org',
    'https://basescan.org',
  ])('skips %j with a dev warning', (entry) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect([...parseExplorerList(`${entry} 8453=https://basescan.org`)]).toEqual([[8453, 'https://basescan.org']])
    expect(warn).toHaveBeenCalledOnce()
  })

  it('hides credentials of a refused URL in the warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    parseExplorerList('x=https://user:secret@explorer.example')
    expect(String(warn.mock.calls[0]?.[0])).not.toContain('secret')
  })
})

describe('withExplorers', () => {
  afterEach(() => vi.restoreAllMocks())

  it('gives the local chain an explorer and overrides a well-known one', () => {
    const chains = withExplorers(
      parseRpcList('31337=http://127.0.0.1:8545 8453=https://mainnet.base.org 1=https://eth.example'),
      parseExplorerList('31337=http://localhost:5173/tx/{tx} 8453=https://base.blockscout.com'),
    )
    expect(chains.map((c) => [c.id, c.explorerUrl])).toEqual([
      [31337, 'http://localhost:5173/tx/{tx}'],
      [8453, 'https://base.blockscout.com'],
      [1, 'https://etherscan.io'],
    ])
  })

  it('warns about an explorer for a chain rpc does not list', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const chains = withExplorers(
      parseRpcList('8453=https://mainnet.base.org'),
      parseExplorerList('10=https://op.example'),
    )
    expect(chains).toHaveLength(1)
    expect(chains[0]?.explorerUrl).toBe('https://basescan.org')
    expect(warn).toHaveBeenCalledOnce()
  })
})

describe('txUrl with {tx}', () => {
  it('places the hash where the explorer asks', () => {
    expect(txUrl('http://localhost:5173/tx/{tx}', HASH)).toBe(`http://localhost:5173/tx/${HASH}`)
    expect(txUrl('http://localhost:5173/tx.html#{tx}', HASH)).toBe(`http://localhost:5173/tx.html#${HASH}`)
    expect(txUrl('https://x.example/{tx}', 'a/b?c')).toBe('https://x.example/a%2Fb%3Fc')
  })

  it('still appends /tx/<hash> without a placeholder, and refuses other schemes', () => {
    expect(txUrl('https://basescan.org', HASH)).toBe(`https://basescan.org/tx/${HASH}`)
    expect(txUrl('javascript:alert(1)//{tx}', HASH)).toBeUndefined()
  })
})

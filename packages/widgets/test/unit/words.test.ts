import type { TemplateResult } from 'lit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { en } from '../../src/i18n/en.js'
import fr from '../../src/i18n/locales/fr.js'
import {
  catalogIfLoaded,
  fill,
  fillText,
  loadCatalog,
  requestedLocale,
  resolveLocale,
} from '../../src/internal/locale.js'
import { describeError, isRetryable, messageFor } from '../../src/internal/messages.js'
import { errorWords, shortAddress, txLink } from '../../src/internal/session-view.js'
import { errorState } from '../../src/internal/wallet-session.js'

describe('messages', () => {
  it('gives each known code its English words and unknown codes the generic sentence', () => {
    expect(messageFor('USER_REJECTED')).toBe(en.errors.USER_REJECTED)
    expect(messageFor('NOT_A_CODE')).toBe(en.errors.UNKNOWN)
    expect(messageFor('')).toBe(en.errors.UNKNOWN)
  })

  it.each(['INVALID_ATTRIBUTE', 'CHAIN_NOT_CONFIGURED', 'INVALID_PARAMETER', 'UNSUPPORTED_MINT'])(
    '%s cannot be fixed by a retry',
    (code) => {
      expect(isRetryable(code)).toBe(false)
    },
  )

  it('a Token-2022 mint a tip cannot go through is the page’s to change: its error state offers no Try again', () => {
    // However it reaches a controller (core's error thrown as is, without the Solana chunk's own state).
    expect(errorState({ code: 'UNSUPPORTED_MINT', extensions: ['TransferFeeConfig'] })).toEqual({
      status: 'error',
      code: 'UNSUPPORTED_MINT',
      message: en.errors.UNKNOWN,
      retryable: false,
    })
  })

  it.each(['RELAY_UNREACHABLE', 'READ_FAILED', 'TIMEOUT', 'UNKNOWN', 'USER_REJECTED'])('%s can be retried', (code) => {
    expect(isRetryable(code)).toBe(true)
  })

  it('describes what was thrown by its code, adding the relay code only to relay refusals', () => {
    expect(describeError({ code: 'TIMEOUT' })).toEqual({ code: 'TIMEOUT', message: en.errors.TIMEOUT })
    expect(describeError({ code: 'RELAY_REJECTED', relayCode: 'BUDGET_EXCEEDED' })).toEqual({
      code: 'RELAY_REJECTED',
      message: `${en.errors.RELAY_REJECTED} (BUDGET_EXCEEDED)`,
    })
    expect(describeError({ code: 'TIMEOUT', relayCode: 'X' }).message).toBe(en.errors.TIMEOUT)
    expect(describeError({ code: 'RELAY_REJECTED', relayCode: 7 }).message).toBe(en.errors.RELAY_REJECTED)
    for (const thrown of [new Error('boom'), 'text', null, undefined, 42, { code: 5 }])
      expect(describeError(thrown)).toEqual({ code: 'UNKNOWN', message: en.errors.UNKNOWN })
  })
})

describe('locales', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each([
    ['en', 'en', 'en'],
    ['en-GB', 'en', 'en-GB'],
    ['de-CH', 'de', 'de-CH'],
    ['FR-ca', 'fr', 'fr-CA'],
    ['es', 'es', 'es'],
    ['ar-EG', 'ar', 'ar-EG'],
    ['ja', 'en', 'en'],
    ['pt-BR', 'en', 'en'],
  ])('%s speaks %s, formats as %s', (requested, lang, intl) => {
    expect(resolveLocale(requested)).toEqual({ lang, intl })
  })

  it('falls back to English, with a warning, for a tag that is not a language tag', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(resolveLocale('not a tag!')).toEqual({ lang: 'en', intl: 'en' })
    expect(warn).toHaveBeenCalledTimes(1)
  })

  it('loads each catalog, English without a request', async () => {
    expect(await loadCatalog('en')).toBe(en)
    const french = await loadCatalog('fr')
    expect(french).toBe(fr)
    expect(french.lang).toBe('fr')
    expect(await loadCatalog('fr')).toBe(french)
    expect(catalogIfLoaded('fr')).toBe(french)
    expect(catalogIfLoaded('de')).toBeUndefined()
  })

  it('fills placeholders part by part, keeping values as they are and unknown names as written', () => {
    const value = { template: true }
    expect(fill('Claim {amount} now', { amount: value })).toEqual(['Claim ', value, ' now'])
    expect(fill('{a}{b}', { a: 1, b: 2 })).toEqual([1, 2])
    expect(fill('no placeholder', {})).toEqual(['no placeholder'])
    expect(fill('{missing} stays', {})).toEqual(['{missing}', ' stays'])
    expect(fill('', { a: 1 })).toEqual([])
    expect(fillText('{n} of {total}', { n: '3', total: '5' })).toBe('3 of 5')
    expect(fillText('<b>{x}</b>', { x: '<i>' })).toBe('<b><i></b>')
  })
})

describe('shared views', () => {
  const hash = `0x${'9f'.repeat(32)}`
  const values = (t: TemplateResult): unknown[] => t.values

  it('links a transaction only to an http(s) explorer', () => {
    const linked = txLink('Transaction:', hash, 'https://basescan.org')
    const inner = values(linked)[1] as TemplateResult
    expect(inner.strings.join('')).toContain('<a part="link hash"')
    expect(values(inner)).toContain(`https://basescan.org/tx/${hash}`)
    for (const explorer of [undefined, 'javascript:alert(1)//', 'data:text/html,x']) {
      const plain = values(txLink('Transaction:', hash, explorer))[1] as TemplateResult
      expect(plain.strings.join('')).not.toContain('<a ')
      expect(plain.strings.join('')).toContain('<code part="hash"')
      expect(values(plain)).toEqual([hash, '0x9f9f…9f9f'])
    }
  })

  it('shortens EVM and Solana addresses', () => {
    expect(shortAddress('0x1234567890abcdef1234567890abcdef12345678')).toBe('0x1234…5678')
    expect(shortAddress('sol:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin')).toBe('9xQeWv…VFin')
    expect(shortAddress('sol:short')).toBe('short')
    expect(shortAddress('0x12345678ab')).toBe('0x12345678ab')
  })

  it('says errors in the widget language, keeping the relay code and the English setup detail', () => {
    expect(errorWords({ code: 'TIMEOUT', message: 'English words' }, en)).toEqual({ message: 'English words' })
    expect(errorWords({ code: 'TIMEOUT', message: 'English words' }, fr)).toEqual({ message: fr.errors.TIMEOUT })
    expect(
      errorWords({ code: 'RELAY_REJECTED', message: `${en.errors.RELAY_REJECTED} (BUDGET_EXCEEDED)` }, fr),
    ).toEqual({
      message: `${fr.errors.RELAY_REJECTED} (BUDGET_EXCEEDED)`,
    })
    expect(errorWords({ code: 'NOT_A_CODE', message: 'as given' }, fr)).toEqual({ message: 'as given' })
    const setup = 'The chain "x" is not a chain id (a positive whole number, e.g. 8453).'
    expect(errorWords({ code: 'INVALID_ATTRIBUTE', message: setup }, fr)).toEqual({
      message: fr.errors.INVALID_ATTRIBUTE,
      detail: setup,
    })
    expect(errorWords({ code: 'INVALID_ATTRIBUTE', message: messageFor('INVALID_ATTRIBUTE') }, fr)).toEqual({
      message: fr.errors.INVALID_ATTRIBUTE,
    })
    expect(errorWords({ code: 'CHAIN_NOT_CONFIGURED', message: 'add rpc' }, fr).detail).toBe('add rpc')
    expect(errorWords({ code: 'TIMEOUT', message: 'details' }, fr).detail).toBeUndefined()
  })
})

describe('requestedLocale', () => {
  // Element-shaped stand-ins: the lookup only reads attributes and walks parents and shadow hosts.
  type Node = { lang?: string; parent?: Node; host?: Node }
  const element = (node: Node): Element =>
    ({
      getAttribute: (name: string) => (name === 'lang' ? (node.lang ?? null) : null),
      get parentElement() {
        return node.parent ? element(node.parent) : null
      },
      getRootNode: () => ({ host: node.host ? element(node.host) : null }),
    }) as unknown as Element

  it('prefers the widget locale attribute, trimmed', () => {
    expect(requestedLocale(element({ lang: 'fr' }), ' de ')).toBe('de')
  })

  it('walks up parents, then out of shadow roots, to the closest lang', () => {
    const page = { lang: 'es' }
    const host = { parent: page }
    const inShadow = { parent: { lang: '  ', host } }
    expect(requestedLocale(element({ lang: ' ar ' }), '')).toBe('ar')
    expect(requestedLocale(element({ parent: { parent: { lang: 'fr' } } }), '  ')).toBe('fr')
    expect(requestedLocale(element(inShadow), null)).toBe('es')
  })

  it("falls back to the browser's language, then English, outside a page", () => {
    const bare = element({})
    const nav = globalThis.navigator
    expect(requestedLocale(bare, undefined)).toBe(nav?.language || 'en')
    vi.stubGlobal('navigator', { language: 'de-AT' })
    expect(requestedLocale(bare, undefined)).toBe('de-AT')
    vi.stubGlobal('navigator', { language: '' })
    expect(requestedLocale(bare, undefined)).toBe('en')
    vi.stubGlobal('document', { documentElement: { lang: ' fr ' } })
    expect(requestedLocale(bare, undefined)).toBe('fr')
    vi.unstubAllGlobals()
  })
})

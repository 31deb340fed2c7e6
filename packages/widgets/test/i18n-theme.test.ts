// Languages, right-to-left, Intl formats, theme attribute, reduced motion, and axe on every state
// in light and dark, English and Arabic. Screenshots compared with the baselines in test/screenshots/.
import { expect, fixture, html } from '@open-wc/testing'
import { emulateMedia, executeServerCommand, sendKeys } from '@web/test-runner-commands'
import '../src/define.js'
import type { ClaimState, TokenClaim, TokenErrorEvent } from '../src/index.js'
import { resolveLocale, SUPPORTED_LOCALES } from '../src/index.js'
import { allClaimStates, ClaimHarness, claimStates, SAMPLE_VAULT } from '../src/testing/index.js'

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: TokenClaim) => el.shadowRoot as ShadowRoot
const statusText = (el: TokenClaim) => text(root(el).querySelector('[role="status"]'))
const actionText = (el: TokenClaim) => text(root(el).querySelector('[part~="action"]'))

async function mount(state: ClaimState, attrs: { locale?: string; theme?: string } = {}): Promise<TokenClaim> {
  const el = await fixture<TokenClaim>(
    html`<token-claim vault=${SAMPLE_VAULT} chain="8453" locale=${attrs.locale ?? ''} theme=${attrs.theme ?? 'auto'}
      .controller=${new ClaimHarness(state)}></token-claim>`,
  )
  await el.updateComplete
  return el
}

const expected: Record<string, { ready: RegExp; action: RegExp; vested: string }> = {
  en: { ready: /^150 TAG ready to claim\.$/, action: /^Claim 150 TAG$/, vested: '400 TAG of 1,000 TAG vested (40%)' },
  es: { ready: /^150 TAG listos para reclamar\.$/, action: /^Reclamar 150 TAG$/, vested: '' },
  fr: { ready: /^150 TAG à réclamer\.$/, action: /^Réclamer 150 TAG$/, vested: '' },
  de: {
    ready: /^150 TAG bereit zum Abholen\.$/,
    action: /^150 TAG abholen$/,
    vested: '400 TAG von 1.000 TAG freigegeben (40 %)',
  },
  ar: { ready: /جاهزة للمطالبة\.$/, action: /^المطالبة بـ /, vested: '' },
}

describe('languages', () => {
  afterEach(() => document.documentElement.removeAttribute('lang'))

  for (const locale of SUPPORTED_LOCALES) {
    it(`speaks ${locale} with Intl numbers and passes axe`, async () => {
      const el = await mount(claimStates.claimable(), { locale })
      const want = expected[locale] as (typeof expected)[string]
      expect(statusText(el)).to.match(want.ready)
      expect(actionText(el)).to.match(want.action)
      const number = new Intl.NumberFormat(locale).format(150)
      expect(text(root(el).querySelector('[part~="amount"]'))).to.equal(`${number} TAG`)
      const vested = root(el)
        .querySelector('progress')
        ?.getAttribute('aria-valuetext')
        ?.replace(/[\u00a0\u202f]/g, ' ')
      if (want.vested) expect(vested).to.equal(want.vested)
      expect(root(el).querySelector('[part~="container"]')?.getAttribute('lang')).to.equal(locale)
      await expect(el).to.be.accessible()
    })
  }

  it('takes the closest lang attribute up the tree, then <html lang>, and follows changes', async () => {
    document.documentElement.lang = 'de'
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><section lang="fr"><token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${new ClaimHarness(claimStates.claimable())}></token-claim></section>
        <token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${new ClaimHarness(claimStates.claimable())}></token-claim></div>`,
    )
    const [inFrench, onPage] = [...wrapper.querySelectorAll('token-claim')] as TokenClaim[]
    await inFrench?.updateComplete
    await onPage?.updateComplete
    expect(actionText(inFrench as TokenClaim)).to.equal('Réclamer 150 TAG')
    expect(actionText(onPage as TokenClaim)).to.equal('150 TAG abholen')
    ;(wrapper.querySelector('section') as HTMLElement).lang = 'es'
    await new Promise((resolve) => setTimeout(resolve))
    await inFrench?.updateComplete
    expect(actionText(inFrench as TokenClaim)).to.equal('Reclamar 150 TAG')
  })

  it('falls back to the browser language, and to English for unknown or malformed tags', async () => {
    const el = await mount(claimStates.claimable())
    expect(el.resolvedLocale.lang).to.equal(resolveLocale(navigator.language).lang)
    for (const locale of ['xx', 'pt-BR', '"><img src=x>', 'en-GB']) {
      el.locale = locale
      await el.updateComplete
      expect(actionText(el)).to.equal('Claim 150 TAG')
    }
    expect(resolveLocale('de-CH')).to.deep.equal({ lang: 'de', intl: 'de-CH' })
  })

  it('sets dir="rtl" on the widget for Arabic and keeps a dir the page set', async () => {
    const el = await mount(claimStates.claimable(), { locale: 'ar-EG' })
    expect(el.getAttribute('dir')).to.equal('rtl')
    expect(root(el).querySelector('[part~="container"]')?.getAttribute('dir')).to.equal('rtl')
    expect(getComputedStyle(root(el).querySelector('[part~="status"]') as Element).direction).to.equal('rtl')
    el.locale = 'en'
    await el.updateComplete
    expect(el.getAttribute('dir')).to.equal('ltr')
    const own = await fixture<TokenClaim>(
      html`<token-claim dir="ltr" locale="ar" vault=${SAMPLE_VAULT} chain="8453" .controller=${new ClaimHarness()}></token-claim>`,
    )
    await own.updateComplete
    expect(own.getAttribute('dir')).to.equal('ltr')
  })

  it('formats dates and percentages with Intl in the widget language', async () => {
    const el = await mount(claimStates.nothingToClaim(), { locale: 'fr' })
    const date = new Intl.DateTimeFormat('fr', { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(Date.UTC(2030, 0, 1)),
    )
    expect(text(root(el).querySelector('time'))).to.equal(date)
    expect(text(root(el))).to.contain('Prochain déblocage')
    expect(root(el).querySelector('progress')?.getAttribute('aria-valuetext')).to.contain(
      new Intl.NumberFormat('fr', { style: 'percent' }).format(0.4),
    )
  })

  it('translates errors, fires token-error with the words shown, keeps English setup details apart', async () => {
    const event = new Promise<TokenErrorEvent>((resolve) =>
      document.addEventListener('token-error', resolve, { once: true }),
    )
    const el = await fixture<TokenClaim>(html`<token-claim locale="fr" vault="0x12" chain="8453"></token-claim>`)
    await el.updateComplete
    const e = await event
    expect(e.detail.code).to.equal('INVALID_ATTRIBUTE')
    expect(text(root(el).querySelector('[part~="error"]'))).to.equal('Ce widget est mal configuré.')
    const detail = root(el).querySelector('[part~="note"] [lang="en"]')
    expect(text(detail)).to.match(/vault "0x12" is not an address/)
    await expect(el).to.be.accessible()
    const relay = await mount(
      claimStates.error('RELAY_REJECTED', 'The gasless service declined this request. (QUOTA)'),
      {
        locale: 'de',
      },
    )
    expect(statusText(relay)).to.equal('Der gasfreie Dienst hat diese Anfrage abgelehnt. (QUOTA)')
  })
})

describe('theme', () => {
  const background = (el: TokenClaim) =>
    getComputedStyle(root(el).querySelector('[part~="container"]') as Element).backgroundColor
  afterEach(() => emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' }))

  it('theme="dark" and theme="light" override prefers-color-scheme; auto follows it', async () => {
    await emulateMedia({ colorScheme: 'light' })
    const dark = await mount(claimStates.claimable(), { theme: 'dark' })
    const auto = await mount(claimStates.claimable(), { theme: 'auto' })
    const light = await mount(claimStates.claimable(), { theme: 'light' })
    expect(background(dark)).to.equal('rgb(17, 24, 39)')
    expect(background(auto)).to.equal('rgb(255, 255, 255)')
    await emulateMedia({ colorScheme: 'dark' })
    expect(background(auto)).to.equal('rgb(17, 24, 39)')
    expect(background(light)).to.equal('rgb(255, 255, 255)')
    expect(getComputedStyle(light).colorScheme).to.equal('light')
    expect(getComputedStyle(dark).colorScheme).to.equal('dark')
  })

  it('maps spacing, radius, font size and focus tokens', async () => {
    const el = await mount(claimStates.claimable())
    el.style.setProperty('--tokentags-spacing', '20px')
    el.style.setProperty('--tokentags-radius', '3px')
    el.style.setProperty('--tokentags-font-size', '18px')
    const card = getComputedStyle(root(el).querySelector('[part~="container"]') as Element)
    expect(card.paddingTop).to.equal('20px')
    expect(card.borderTopLeftRadius).to.equal('3px')
    expect(card.fontSize).to.equal('18px')
  })

  it('draws a visible focus ring from --tokentags-focus', async () => {
    const el = await mount(claimStates.claimable())
    el.style.setProperty('--tokentags-focus', 'rgb(200, 0, 100)')
    ;(document.activeElement as HTMLElement | null)?.blur()
    await sendKeys({ press: 'Tab' })
    const action = root(el).activeElement as Element
    expect(action.getAttribute('part')).to.equal('action')
    const style = getComputedStyle(action)
    expect(style.outlineStyle).to.equal('solid')
    expect(style.outlineWidth).to.equal('3px')
    expect(style.outlineColor).to.equal('rgb(200, 0, 100)')
  })

  it('stops the spinner when the user prefers reduced motion', async () => {
    const el = await mount(claimStates.signing())
    const spinner = root(el).querySelector('[part~="spinner"]') as Element
    expect(getComputedStyle(spinner).animationName).to.equal('spin')
    await emulateMedia({ reducedMotion: 'reduce' })
    expect(getComputedStyle(spinner).animationName).to.equal('none')
  })
})

describe('every state passes axe in light and dark, English and Arabic', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }))
  for (const scheme of ['light', 'dark'] as const)
    for (const locale of ['en', 'ar'])
      it(`${scheme}, ${locale}`, async () => {
        await emulateMedia({ colorScheme: scheme })
        for (const state of allClaimStates()) {
          const el = await mount(state, { locale })
          await expect(el, `${state.status} (${scheme}, ${locale})`).to.be.accessible()
          el.remove()
        }
      })
})

/** What the screenshot plugin (test/screenshot-plugin.mjs) answers. */
interface ScreenshotResult {
  baseline: 'compared' | 'missing' | 'updated'
  path?: string
  actual?: string
  width?: number
  height?: number
  expectedWidth?: number
  expectedHeight?: number
  diffPixels: number
  diffRatio: number
}

// Same bar as Playwright's toHaveScreenshot in e2e/: at most 1% of the pixels may differ (beyond
// anti-aliasing), and the size must match exactly. A padding or font change moves far more.
const MAX_DIFF_PIXEL_RATIO = 0.01

describe('screenshots', () => {
  // Few on purpose: each state once, each theme and each direction at least twice. Fixed states from the
  // harness (no chain, no clock, no address that changes), so nothing needs masking.
  const shots: [string, () => ClaimState, 'light' | 'dark', 'en' | 'ar'][] = [
    ['claimable', claimStates.claimable, 'light', 'en'],
    ['claimable', claimStates.claimable, 'dark', 'ar'],
    ['choose-wallet', claimStates.chooseWallet, 'dark', 'en'],
    ['success', claimStates.success, 'light', 'ar'],
  ]
  for (const [name, state, theme, locale] of shots)
    it(`<token-claim> ${name} in ${theme}, ${locale} matches its baseline`, async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div id="shot" style="width: 360px; padding: 8px; background: ${theme === 'dark' ? '#000' : '#f3f4f6'}">
          <token-claim vault=${SAMPLE_VAULT} chain="8453" theme=${theme} locale=${locale} .controller=${new ClaimHarness(state())}></token-claim>
        </div>`,
      )
      const el = wrapper.querySelector('token-claim') as TokenClaim
      await el.updateComplete
      expect(el.getAttribute('locale')).to.equal(locale)
      const file = `token-claim-${name}-${theme}-${locale}`
      const result = (await executeServerCommand('tokentags-screenshot', {
        selector: '#shot',
        name: file,
      })) as ScreenshotResult
      expect(
        result.baseline,
        `no baseline ${result.path}: TOKENTAGS_UPDATE_SCREENSHOTS=1 npx wtr --files test/i18n-theme.test.ts`,
      ).to.not.equal('missing')
      if (result.baseline === 'updated') return
      expect({ width: result.width, height: result.height }, `size of ${file} (new: ${result.actual})`).to.deep.equal({
        width: result.expectedWidth,
        height: result.expectedHeight,
      })
      expect(result.diffRatio, `${result.diffPixels} pixels of ${file} differ (new: ${result.actual})`).to.be.at.most(
        MAX_DIFF_PIXEL_RATIO,
      )
    })
})

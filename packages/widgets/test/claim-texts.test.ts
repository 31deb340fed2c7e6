// <token-claim> says why there is nothing to claim without contradicting its own card (issue 15, item 8): after a
// full claim, before the next unlock, after a revocation, without any schedule; in every shipped language.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import '../src/token-claim/define.js'
import { en } from '../src/i18n/en.js'
import ar from '../src/i18n/locales/ar.js'
import de from '../src/i18n/locales/de.js'
import es from '../src/i18n/locales/es.js'
import fr from '../src/i18n/locales/fr.js'
import { ClaimHarness, claimStates, SAMPLE_VAULT } from '../src/testing/index.js'
import type { ClaimSummary } from '../src/token-claim/claim-state.js'
import type { TokenClaim } from '../src/token-claim/token-claim.js'

const TAG = 10n ** 18n
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const status = (el: Element) => text(root(el).querySelector('[role="status"]'))

async function mount(summary: Partial<ClaimSummary>, locale = 'en'): Promise<TokenClaim> {
  const el = await fixture<TokenClaim>(
    html`<token-claim locale=${locale} vault=${SAMPLE_VAULT} chain="8453"
      .controller=${new ClaimHarness(claimStates.nothingToClaim(summary))}></token-claim>`,
  )
  await el.updateComplete
  if (locale !== 'en') await waitUntil(() => root(el).querySelector('[lang]')?.getAttribute('lang') === locale)
  return el
}

const fullyClaimed = { vested: 1000n * TAG, released: 1000n * TAG, nextUnlock: undefined }
const CATALOGS = { en, de, fr, es, ar }
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

describe('<token-claim> when nothing is claimable', () => {
  const allClaimed: [string, string][] = [
    ['en', 'All 1,000 TAG claimed.'],
    ['de', 'Alle 1.000 TAG abgeholt.'],
    ['fr', 'Vos 1 000 TAG ont tous été réclamés.'],
    ['es', 'Ya reclamaste todos tus 1000 TAG.'],
    ['ar', 'تمت المطالبة بكامل 1,000 TAG.'],
  ]
  // The old "nothing to claim" sentence (no longer in the catalogs) that contradicted a fully claimed card.
  const OLD_NOTHING: Record<string, string> = {
    en: 'Nothing to claim yet.',
    de: 'Noch nichts abzuholen.',
    fr: 'Rien à réclamer pour l’instant.',
    es: 'Todavía no hay nada que reclamar.',
    ar: 'لا يوجد ما يمكن المطالبة به بعد.',
  }
  for (const [locale, words] of allClaimed)
    it(`${locale}: after a full claim it says all was claimed, and nothing else on the card contradicts it`, async () => {
      const el = await mount(fullyClaimed, locale)
      expect(nbsp(status(el))).to.equal(nbsp(words))
      const all = text(root(el))
      const catalog = CATALOGS[locale as keyof typeof CATALOGS].claim
      // The start of each "nothing" sentence (before its placeholder or dash) must not be on the card.
      for (const sentence of [OLD_NOTHING[locale], catalog.nothingUntil, catalog.nothingLeft, catalog.noSchedule])
        expect(all).to.not.contain(((sentence as string).split(/[—–{]/)[0] as string).trim().replace(/[.:]$/, ''))
      expect(root(el).querySelector('progress')?.value).to.equal(100)
      await expect(el).to.be.accessible()
    })

  it('before the next unlock: "Nothing to claim yet — next unlock <date>", the amount below', async () => {
    const el = await mount({})
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(Date.UTC(2030, 0, 1)),
    )
    expect(status(el)).to.equal(`Nothing to claim yet — next unlock ${date}.`)
    expect(root(el).querySelector('[role="status"] time')?.getAttribute('datetime')).to.equal(
      '2030-01-01T00:00:00.000Z',
    )
    expect(text(root(el))).to.contain('Next unlock: 250 TAG on')
    expect(text(root(el))).to.not.contain('No more tokens will unlock')
  })

  it('after a revocation (part claimed, no unlock ahead): nothing left, no more unlocks', async () => {
    const el = await mount({ vested: 400n * TAG, released: 400n * TAG, nextUnlock: undefined })
    expect(status(el)).to.equal('Nothing left to claim.')
    expect(text(root(el))).to.contain('No more tokens will unlock.')
  })

  it('without any schedule: says so, with no empty progress bar, and can check again', async () => {
    const el = await mount({ total: 0n, vested: 0n, released: 0n, nextUnlock: undefined })
    expect(status(el)).to.equal('This account has no tokens vesting here.')
    expect(root(el).querySelector('progress')).to.equal(null)
    expect(text(root(el).querySelector('[part~="action"]'))).to.equal('Check again')
  })
})

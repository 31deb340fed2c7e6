// The explorer URL comes from the page's configuration (`explorerUrl` of a chain, `solana-explorer`): only an
// http(s) URL may become the href of the transaction link. Anything else shows the hash as plain text.
import { expect, fixture, html } from '@open-wc/testing'
import '../src/define.js'
import type { TokenBuy, TokenClaim, TokenTip } from '../src/index.js'
import { resetPageConfig } from '../src/internal/config.js'
import {
  BuyHarness,
  buyStates,
  ClaimHarness,
  claimStates,
  SAMPLE_CREATOR,
  SAMPLE_SALE,
  SAMPLE_SOLANA_CREATOR,
  SAMPLE_USDC,
  SAMPLE_VAULT,
  TipHarness,
  tipStates,
} from '../src/testing/index.js'

declare global {
  interface Window {
    __explorerXss?: number
  }
}

// Each must be refused. The ones that carry "https://" later on catch a check that lost its `^` anchor;
// the leading-space and tab ones are what a browser's URL parser strips before it reads the scheme.
const HOSTILE = [
  'javascript:window.__explorerXss=1',
  'JavaScript:window.__explorerXss=1//https://basescan.org',
  'data:text/html,<script>parent.__explorerXss=1</script>',
  'data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19leHBsb3Jlclhzcz0xPC9zY3JpcHQ+#https://x',
  ' javascript:window.__explorerXss=1',
  'java\tscript:window.__explorerXss=1',
  'vbscript:msgbox(1)',
  'javascript:window.__explorerXss=1;{signature}',
  'blob:https://basescan.org/0b2c',
  '//evil.example',
]

type Widget = TokenClaim | TokenTip | TokenBuy

/** Each widget in its two states that show a transaction: submitted (pending) and success. */
const MOUNTS: { name: string; mount: (explorerUrl: string, phase: 'pending' | 'success') => Promise<Widget> }[] = [
  {
    name: '<token-claim>',
    mount: (explorerUrl, phase) => {
      const state =
        phase === 'success'
          ? claimStates.success({ explorerUrl })
          : { ...claimStates.pending('submitted'), explorerUrl }
      return fixture<TokenClaim>(
        html`<token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${new ClaimHarness(state)}></token-claim>`,
      )
    },
  },
  {
    name: '<token-tip>',
    mount: (explorerUrl, phase) => {
      const state = { ...(phase === 'success' ? tipStates.success() : tipStates.pending('submitted')), explorerUrl }
      return fixture<TokenTip>(
        html`<token-tip to=${SAMPLE_CREATOR} token=${SAMPLE_USDC} amounts="1,5,10" chain="8453"
          .controller=${new TipHarness(state)}></token-tip>`,
      )
    },
  },
  {
    name: '<token-tip> on Solana',
    mount: (explorerUrl, phase) => {
      const state = { ...(phase === 'success' ? tipStates.solanaSuccess() : tipStates.solanaPending()), explorerUrl }
      return fixture<TokenTip>(
        html`<token-tip to=${SAMPLE_SOLANA_CREATOR} amounts="0.1,0.5" .controller=${new TipHarness(state)}></token-tip>`,
      )
    },
  },
  {
    name: '<token-buy>',
    mount: (explorerUrl, phase) => {
      const state = { ...(phase === 'success' ? buyStates.success() : buyStates.pending('submitted')), explorerUrl }
      return fixture<TokenBuy>(
        html`<token-buy sale=${SAMPLE_SALE} chain="8453" .controller=${new BuyHarness(state)}></token-buy>`,
      )
    },
  },
]

afterEach(() => {
  resetPageConfig()
  delete window.__explorerXss
})

describe('explorer links', () => {
  for (const { name, mount } of MOUNTS)
    for (const phase of ['pending', 'success'] as const) {
      it(`${name} (${phase}) links an https explorer`, async () => {
        const el = await mount('https://explorer.example/', phase)
        await el.updateComplete
        const link = el.shadowRoot?.querySelector<HTMLAnchorElement>('a[part~="hash"]')
        expect(link, 'the hash is a link').to.not.equal(null)
        expect(new URL(link?.href ?? '').protocol).to.equal('https:')
        expect(link?.href).to.match(/^https:\/\/explorer\.example\/tx\//)
      })

      it(`${name} (${phase}) never turns a hostile explorer URL into an href`, async () => {
        for (const explorerUrl of HOSTILE) {
          const el = await mount(explorerUrl, phase)
          await el.updateComplete
          const root = el.shadowRoot as ShadowRoot
          const hash = root.querySelector('[part~="hash"]')
          // The hash is still shown (so the test cannot pass on an empty widget), as text and not as a link.
          expect(hash?.localName, `${JSON.stringify(explorerUrl)}: hash shown as code`).to.equal('code')
          for (const a of root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
            expect(['https:', 'http:'], `${JSON.stringify(explorerUrl)}: ${a.href}`).to.include(
              new URL(a.href).protocol,
            )
            expect(a.href, JSON.stringify(explorerUrl)).to.not.contain('explorerXss')
          }
          el.remove()
        }
        expect(window.__explorerXss).to.equal(undefined)
      })
    }
})

// Attribute values never become markup: an XSS payload in every attribute of every element stays text.
import { expect, fixture, html } from '@open-wc/testing'
import '../src/define.js'
import type { TokenClaim, TokenTagsConfig } from '../src/index.js'
import { resetPageConfig } from '../src/internal/config.js'
import {
  ClaimHarness,
  claimStates,
  SAMPLE_CREATOR,
  SAMPLE_SALE,
  SAMPLE_USDC,
  SAMPLE_VAULT,
} from '../src/testing/index.js'

declare global {
  interface Window {
    __xss?: number
  }
}

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '"><script>window.__xss=1</script>',
  "' onmouseover='window.__xss=1",
  'javascript:window.__xss=1',
  '<svg onload="window.__xss=1"></svg>',
]

const ELEMENTS: Record<string, { attributes: string[]; base: Record<string, string> }> = {
  'token-claim': {
    attributes: ['vault', 'chain', 'gasless', 'locale', 'theme', 'dir', 'lang'],
    base: { vault: SAMPLE_VAULT, chain: '8453' },
  },
  'tokentags-config': {
    attributes: ['relay', 'site-key', 'rpc', 'gasless', 'solana-rpc', 'solana-explorer'],
    base: {},
  },
  'token-tip': {
    attributes: ['to', 'token', 'amounts', 'memo', 'chain', 'router', 'gasless', 'locale', 'theme', 'dir', 'lang'],
    base: { to: SAMPLE_CREATOR, token: SAMPLE_USDC, amounts: '1,5', chain: '8453', router: SAMPLE_USDC },
  },
  'token-buy': {
    attributes: ['sale', 'chain', 'slippage', 'gasless', 'locale', 'theme', 'dir', 'lang'],
    base: { sale: SAMPLE_SALE, chain: '8453' },
  },
}

/** Elements that must never appear from an attribute: anything but the widget's own markup. */
function injected(root: ParentNode): Element[] {
  return [...root.querySelectorAll('img, script, svg, iframe, object, embed, [onerror], [onload], [onmouseover]')]
}

afterEach(() => {
  resetPageConfig()
  delete window.__xss
})

describe('XSS payloads in attributes stay text', () => {
  for (const [tag, { attributes, base }] of Object.entries(ELEMENTS))
    for (const attribute of attributes)
      it(`<${tag} ${attribute}>`, async () => {
        for (const payload of PAYLOADS) {
          const wrapper = await fixture<HTMLDivElement>(html`<div></div>`)
          const el = document.createElement(tag) as TokenClaim | TokenTagsConfig
          for (const [name, value] of Object.entries(base)) el.setAttribute(name, value)
          el.setAttribute(attribute, payload)
          wrapper.append(el)
          await el.updateComplete
          await new Promise((resolve) => setTimeout(resolve, 20))
          expect(window.__xss, `${attribute}=${payload}`).to.equal(undefined)
          expect(injected(wrapper), `light DOM, ${attribute}=${payload}`).to.have.length(0)
          if (el.shadowRoot) {
            expect(injected(el.shadowRoot), `shadow DOM, ${attribute}=${payload}`).to.have.length(0)
            // Where the widget echoes the value (e.g. a bad vault), it is the text itself.
            if (attribute === 'vault' || attribute === 'chain') {
              expect(el.shadowRoot.textContent).to.contain(payload.slice(0, 20))
            }
          }
          wrapper.remove()
        }
      })

  it('wallet names, chain names and error messages from the controller stay text too', async () => {
    const payload = PAYLOADS[0] as string
    for (const state of [
      claimStates.chooseWallet([{ id: payload, name: payload, icon: `javascript:${payload}` }]),
      claimStates.wrongNetwork(8453, payload),
      claimStates.error('UNKNOWN', payload),
    ]) {
      const el = await fixture<TokenClaim>(
        html`<token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${new ClaimHarness(state)}></token-claim>`,
      )
      expect(injected(el.shadowRoot as ShadowRoot)).to.have.length(0)
      expect(el.shadowRoot?.textContent).to.contain(payload)
      expect(window.__xss).to.equal(undefined)
    }
  })
})

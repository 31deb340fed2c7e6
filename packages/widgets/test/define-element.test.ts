import { expect } from '@open-wc/testing'
import { defineElement } from '../src/internal/define-element.js'

describe('defineElement', () => {
  it('defines a tag once and warns once when another class wants it', () => {
    class First extends HTMLElement {}
    class Second extends HTMLElement {}
    const warnings: unknown[][] = []
    const warn = console.warn
    console.warn = (...args: unknown[]) => warnings.push(args)
    try {
      defineElement('tt-define-probe', First)
      defineElement('tt-define-probe', First)
      defineElement('tt-define-probe', Second)
      defineElement('tt-define-probe', Second)
    } finally {
      console.warn = warn
    }
    expect(customElements.get('tt-define-probe')).to.equal(First)
    expect(warnings).to.have.length(1)
    expect(String(warnings[0]?.[0])).to.match(/<tt-define-probe> is already defined/)
  })

  it('registers the public tags through the define entry point', async () => {
    await import('../src/define.js')
    expect(customElements.get('token-claim')).to.not.equal(undefined)
    expect(customElements.get('tokentags-config')).to.not.equal(undefined)
  })
})

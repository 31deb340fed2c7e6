// The QR encoder's output, drawn by the browser as it would be on a page, scans back to the text it was given:
// the rendered <svg> is rasterised on a canvas and read by independent decoders (jsQR, then @paulmillr/qr).

import { expect, fixture } from '@open-wc/testing'
import { html } from 'lit'
import { loadQr } from '../src/internal/qr-loader.js'
import { scanQr as scan } from './qr-scan.js'

const WC_URI =
  'wc:7f6e504bfad60b485450578e05678ed3e8e8c4751d3c6160be17160d63ec90f9@2?relay-protocol=irn' +
  '&symKey=587d5484ce2a2a6ee3ba1962fdd7e8588e06200c46823bd18fbd67def96ad303&expiryTimestamp=1765000000'

const TEXTS = [
  { name: 'a WalletConnect pairing URI', text: WC_URI },
  {
    name: 'an EIP-681 ERC-20 transfer',
    text: 'ethereum:0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913@8453/transfer?address=0x70997970C51812dc3A010C7d01b50e0d17dc79C8&uint256=5e6',
  },
  {
    // @paulmillr/qr alone throws on this one at every size (so did a CI run on a random pairing URI like it); the
    // same text from the `qrcode` package gives the identical matrix, and jsQR reads it.
    name: 'a WalletConnect pairing URI @paulmillr/qr alone cannot read',
    text:
      'wc:e6992bd664c8de5382dfcb3ec1fb753e9c5c8953efc51a47cd283d4a97b09d1c@2?relay-protocol=irn' +
      '&symKey=8542ecfb0d806686e182fcfc96455c650ca0960536eb65d7d81c4c38fba596c6&expiryTimestamp=1765000073',
  },
  { name: 'short upper-case text (alphanumeric mode)', text: 'TOKENTAGS 123' },
  {
    name: 'markup-like text',
    text: 'solana:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin?memo="><script>window.__qr=1</script>',
  },
]

describe('QR encoder (internal/qr.ts, on-demand chunk)', () => {
  for (const { name, text } of TEXTS)
    it(`renders ${name} as an <svg> that decodes back to the same text`, async () => {
      const { renderQr } = await loadQr()
      const host = await fixture<HTMLDivElement>(html`<div>${renderQr(text, 'Scan with your wallet')}</div>`)
      const svg = host.querySelector('svg[part="qr"]') as SVGSVGElement
      expect(svg).to.exist
      expect(svg.getAttribute('role')).to.equal('img')
      expect(svg.getAttribute('aria-label')).to.equal('Scan with your wallet')
      expect(await scan(svg)).to.equal(text)
    })

  it('keeps the text out of the markup: only a rect and one path, no inline styles, no scripts', async () => {
    const { renderQr } = await loadQr()
    const text = TEXTS[4]?.text as string
    const label = '"><img src=x onerror="window.__qr=1">'
    const host = await fixture<HTMLDivElement>(html`<div>${renderQr(text, label)}</div>`)
    const svg = host.querySelector('svg') as SVGSVGElement
    expect([...svg.children].map((child) => child.localName)).to.deep.equal(['rect', 'path'])
    expect(host.querySelectorAll('script, img, [style], style')).to.have.length(0)
    expect(svg.getAttribute('aria-label')).to.equal(label)
    expect((window as Window & { __qr?: number }).__qr).to.equal(undefined)
  })

  it('leaves a quiet zone of four light modules around the code', async () => {
    const { encodeQr, QUIET_ZONE } = await loadQr()
    const { size, path } = encodeQr('TOKENTAGS')
    expect(QUIET_ZONE).to.equal(4)
    // Version 1 is 21 modules: the quiet zone lies outside the path's 0..size coordinates.
    expect(size).to.equal(21)
    const coordinates = [...path.matchAll(/M(\d+) (\d+)h(\d+)/g)].map(([, x, y, w]) => [
      Number(x),
      Number(y),
      Number(w),
    ])
    expect(Math.min(...coordinates.map(([x]) => x as number))).to.equal(0)
    expect(Math.max(...coordinates.map(([x, , w]) => (x as number) + (w as number)))).to.equal(size)
    expect(Math.max(...coordinates.map(([, y]) => y as number))).to.equal(size - 1)
  })

  it('throws a RangeError for text longer than the largest QR code holds', async () => {
    const { encodeQr } = await loadQr()
    expect(() => encodeQr('x'.repeat(3000))).to.throw(RangeError, /does not fit/)
  })
})

// QR codes for wallet pairing (WalletConnect URIs) and payment links (EIP-681, Solana Pay). This module is
// an on-demand chunk: import it through `loadQr()` (./qr-loader.ts) so the encoder stays out of the
// up-front bundles.

import { correction, generate } from 'lean-qr'
import { html, type TemplateResult } from 'lit'

/** Light modules around the code, in modules: ISO 18004 asks for four so scanners find the finder patterns. */
export const QUIET_ZONE = 4

export interface QrCode {
  /** Modules per side, without the quiet zone. */
  size: number
  /** One SVG path of the dark modules, in module units (0..size), for `<path d>`. */
  path: string
}

/**
 * Encodes `text` as a QR code (byte, alphanumeric or numeric mode as fits; error correction M at least, raised
 * when the chosen size has room). Throws a RangeError when the text does not fit the largest QR code.
 */
export function encodeQr(text: string): QrCode {
  let code: ReturnType<typeof generate>
  try {
    code = generate(text, { minCorrectionLevel: correction.M })
  } catch (error) {
    throw new RangeError(`The text (${text.length} characters) does not fit in a QR code.`, { cause: error })
  }
  const size = code.size
  const parts: string[] = []
  for (let y = 0; y < size; y++) {
    let x = 0
    while (x < size) {
      if (!code.get(x, y)) {
        x++
        continue
      }
      const start = x
      while (x < size && code.get(x, y)) x++
      // One rectangle per horizontal run of dark modules keeps the path a few KB even for long URIs.
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`)
    }
  }
  return { size, path: parts.join('') }
}

/**
 * The text as an inline `<svg>` (a Lit template, `part="qr"`): dark modules on a light square with the quiet
 * zone, scaled by CSS. The text never enters the markup, only the path's coordinates and the `label` (an
 * attribute binding, escaped by Lit), so it is safe for any text and needs no inline styles under a strict CSP.
 */
export function renderQr(text: string, label: string): TemplateResult {
  const { size, path } = encodeQr(text)
  const side = size + 2 * QUIET_ZONE
  return html`<svg
    part="qr"
    role="img"
    aria-label=${label}
    viewBox="${-QUIET_ZONE} ${-QUIET_ZONE} ${side} ${side}"
    shape-rendering="crispEdges"
    xmlns="http://www.w3.org/2000/svg"
  ><rect x=${-QUIET_ZONE} y=${-QUIET_ZONE} width=${side} height=${side} fill="#fff"></rect><path
    d=${path}
    fill="#000"
  ></path></svg>`
}

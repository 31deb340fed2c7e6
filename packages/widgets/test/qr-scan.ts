// Reads a QR code the way a phone would: the rendered <svg> rasterised on a canvas, decoded by independent
// decoders (jsQR, then @paulmillr/qr). Shared by the QR tests and the WalletConnect pairing test.
import decodeQR from '@paulmillr/qr/decode.js'
import jsQR from 'jsqr'

/**
 * Draws the <svg> as an image at `scale` pixels per viewBox unit and decodes it; without a `scale`, as a phone
 * would, tries again at other distances (the decoder misreads some codes at some sizes).
 */
export async function scanQr(svgElement: SVGSVGElement, scale?: number): Promise<string> {
  if (scale !== undefined) return scanAt(svgElement, scale)
  // @paulmillr/qr alone fails on about 3% of random WalletConnect URIs at every size (a TypeError inside its
  // perspective transform; seen in CI) although the codes are standard: the same text encoded by the `qrcode`
  // package gives the identical matrix and fails the same way, and jsQR reads all of 400 of them. So each size is
  // read by jsQR first; a phone also moves closer or further, so does this.
  let failure: unknown
  for (const size of [4, 7, 10, 5, 8, 6, 12]) {
    try {
      return await scanAt(svgElement, size)
    } catch (error) {
      failure = error
    }
  }
  throw failure
}

async function scanAt(svgElement: SVGSVGElement, scale: number): Promise<string> {
  const [, , side] = (svgElement.getAttribute('viewBox') ?? '').split(' ').map(Number)
  if (!side) throw new TypeError('the QR <svg> has no viewBox')
  const source = new XMLSerializer().serializeToString(svgElement)
  const url = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml' }))
  try {
    const image = new Image(side * scale, side * scale)
    image.src = url
    await image.decode()
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = side * scale
    const context = canvas.getContext('2d') as CanvasRenderingContext2D
    context.drawImage(image, 0, 0, side * scale, side * scale)
    const { width, height, data } = context.getImageData(0, 0, side * scale, side * scale)
    // jsQR is CommonJS: at runtime the default import is its function; its types describe the module object.
    const read = (jsQR as unknown as typeof jsQR.default)(data, width, height)
    if (read) return read.data
    return decodeQR({ width, height, data })
  } finally {
    URL.revokeObjectURL(url)
  }
}

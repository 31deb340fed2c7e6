import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

const require = createRequire(import.meta.url)

/** A workspace package's folder, or undefined when it is not installed. */
export function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`))
  } catch {
    return undefined
  }
}

/** `@tokentags/widgets`' drop-in bundles (`dist/cdn`), if the package is there. */
export function widgetsCdnDir(): string | undefined {
  const dir = packageDir('@tokentags/widgets')
  return dir === undefined ? undefined : join(dir, 'dist', 'cdn')
}

export const bundleExists = (cdnDir: string | undefined, tag: string) =>
  cdnDir !== undefined && existsSync(join(cdnDir, `${tag}.js`))

/** The embed page's only stylesheet (the widget styles itself in its shadow root). */
export const EMBED_CSS = `:root { color-scheme: light dark; }
html, body { margin: 0; padding: 0; background: transparent; }
body { font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { box-sizing: border-box; padding: 8px; max-width: 100%; }
.dev-wallet-banner { margin: 0 8px; padding: 4px 8px; border: 2px dashed #b45309; border-radius: 6px;
  background: #fef3c7; color: #7c2d12; font-size: 12px; }
.dev-wallet-banner select { font: inherit; }
.embed-error-card { border: 1px solid #d1d5db; border-radius: 12px; padding: 16px; background: #fff; color: #111827; }
.embed-error-card h1 { font-size: 1.1rem; margin: 0 0 8px; }
.embed-error-message { color: #b91c1c; margin: 0 0 8px; overflow-wrap: anywhere; }
.embed-error-code { color: #4b5563; font-size: 0.85rem; margin: 0; }
@media (prefers-color-scheme: dark) {
  .embed-error-card { background: #111827; color: #f9fafb; border-color: #374151; }
  .embed-error-message { color: #fca5a5; }
  .embed-error-code { color: #d1d5db; }
}
`

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * The link preview image (600×314 PNG; Twitter and others need a raster image): the accent
 * colour with a card and a button drawn in it. Drawn once, in memory.
 */
export function previewPng(width = 600, height = 314): Buffer {
  const accent = [0x4f, 0x46, 0xe5]
  const card = [0xff, 0xff, 0xff]
  const line = [0xd1, 0xd5, 0xdb]
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3)
    for (let x = 0; x < width; x++) {
      const inCard = x >= 150 && x < 450 && y >= 62 && y < 252
      const inButton = x >= 180 && x < 420 && y >= 190 && y < 226
      const inLine = (x >= 180 && x < 380 && y >= 92 && y < 104) || (x >= 180 && x < 320 && y >= 120 && y < 130)
      const colour = inButton ? accent : inLine ? line : inCard ? card : accent
      row.set(colour, 1 + x * 3)
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// Sizes of every drop-in bundle: raw, gzip (level 9) and brotli (quality 11), as a browser downloads them.
// Build first: `npm run build`.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const cdn = resolve(import.meta.dirname, '../packages/widgets/dist/cdn')
// Entry bundles a page loads up front, then the chunks they load on demand (chain code, Solana, languages).
let files: string[]
try {
  const entries = readdirSync(cdn).filter((f) => f.endsWith('.js') && statSync(join(cdn, f)).isFile())
  const chunks = readdirSync(join(cdn, 'chunks'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `chunks/${f}`)
  files = [...entries.sort(), ...chunks.sort()]
} catch {
  console.error(`no bundles in ${cdn}: run \`npm run build\` first`)
  process.exit(1)
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const rows = files.map((file) => {
  const bytes = readFileSync(join(cdn, file))
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
})

console.log('| bundle | raw | gzip | brotli |')
console.log('|---|---:|---:|---:|')
for (const r of rows) console.log(`| ${r.file} | ${kb(r.raw)} | ${kb(r.gzip)} | ${kb(r.brotli)} |`)

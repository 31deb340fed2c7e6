// Builds the demo page into dist/: the dev-wallet bundle, the page's CSS, and a copy of the
// drop-in widget bundles exactly as a site owner would host them.
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'

const here = import.meta.dirname
const dist = join(here, 'dist')
rmSync(dist, { recursive: true, force: true })
mkdirSync(dist, { recursive: true })

await build({
  entryPoints: [join(here, 'src/dev-wallet-entry.ts')],
  outfile: join(dist, 'dev-wallet.js'),
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  logLevel: 'warning',
})

const require = createRequire(import.meta.url)
const widgetsDist = dirname(require.resolve('@tokentags/widgets'))
cpSync(join(widgetsDist, 'cdn'), dist, { recursive: true })
cpSync(join(here, 'public'), dist, { recursive: true })
cpSync(join(here, 'index.html'), join(dist, 'index.html'))

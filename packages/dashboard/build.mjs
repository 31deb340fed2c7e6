// Builds the operator dashboard into dist/ (index.html, dashboard.css, app.js: Lit bundled, no
// inline script or style) and the embed pages' dev-only wallet script (dist/embed-dev-wallet.js).
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

const here = import.meta.dirname
const dist = join(here, 'dist')
rmSync(dist, { recursive: true, force: true })
mkdirSync(dist, { recursive: true })

const common = {
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  logLevel: 'warning',
  legalComments: 'none',
}
await build({ ...common, entryPoints: [join(here, 'src/main.ts')], outfile: join(dist, 'app.js') })
await build({
  ...common,
  entryPoints: [join(here, 'src/dev/embed-dev-wallet.ts')],
  outfile: join(dist, 'embed-dev-wallet.js'),
})
cpSync(join(here, 'src/index.html'), join(dist, 'index.html'))
cpSync(join(here, 'src/dashboard.css'), join(dist, 'dashboard.css'))

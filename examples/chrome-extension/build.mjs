#!/usr/bin/env node
// Builds the extension into dist/ (load it with --load-extension=dist or "Load unpacked").
// `--store` leaves out the development hosts (127.0.0.1, localhost) from the manifest.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, 'dist')
const store = process.argv.includes('--store')
const { version, description } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))

/** Pages the content scripts run on; the adapters' options patterns must stay within these. */
const HOSTS = [
  'https://x.com/*',
  'https://twitter.com/*',
  'https://mobile.x.com/*',
  ...(store ? [] : ['http://127.0.0.1/*', 'http://localhost/*']),
]

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const common = {
  bundle: true,
  target: 'chrome111',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  minify: store,
}

// Content scripts are classic scripts: one self-contained file each.
await build({
  ...common,
  entryPoints: {
    content: join(here, 'src/content.ts'),
    'wallet-bridge': join(here, 'src/wallet-bridge.ts'),
    background: join(here, 'src/background.ts'),
  },
  format: 'iife',
  outdir: out,
})

// Extension pages are ES modules; the widget loads its chain code and languages lazily.
await build({
  ...common,
  entryPoints: { tip: join(here, 'src/tip-frame/tip.ts'), options: join(here, 'src/options-page/options.ts') },
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outdir: out,
})

for (const file of [
  'tip-frame/tip.html',
  'tip-frame/tip.css',
  'options-page/options.html',
  'options-page/options.css',
]) {
  cpSync(join(here, 'src', file), join(out, file.split('/').pop()))
}

const manifest = {
  manifest_version: 3,
  name: store ? 'TokenTags tips' : 'TokenTags tips (development)',
  version,
  description,
  minimum_chrome_version: '111',
  permissions: ['storage'],
  background: { service_worker: 'background.js' },
  options_ui: { page: 'options.html', open_in_tab: true },
  content_scripts: [
    { matches: HOSTS, js: ['wallet-bridge.js'], run_at: 'document_start', world: 'MAIN' },
    { matches: HOSTS, js: ['content.js'], run_at: 'document_idle' },
  ],
  web_accessible_resources: [{ resources: ['tip.html'], matches: HOSTS }],
  content_security_policy: { extension_pages: "script-src 'self'; object-src 'none'" },
}
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
console.log(`built ${store ? 'store' : 'development'} extension in ${out}`)

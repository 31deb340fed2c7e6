// The generated files match the sources: custom-elements.json (from the class comments), then the
// React wrappers and the framework tag types (from the manifest). Fix with `npm run generate`.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'))
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName)

test('custom-elements.json is up to date with the sources', () => {
  // The analyzer joins --outdir to the working directory: a scratch folder inside the package.
  const out = join('node_modules', '.cache', `cem-check-${process.pid}`)
  try {
    execFileSync('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', out], {
      cwd: root,
      stdio: 'pipe',
    })
    const fresh = readFileSync(join(root, out, 'custom-elements.json'), 'utf8')
    assert.equal(fresh, readFileSync(join(root, 'custom-elements.json'), 'utf8'), 'run npm run manifest')
  } finally {
    rmSync(join(root, out), { recursive: true, force: true })
  }
})

test('package.json points to the manifest', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  assert.equal(pkg.customElements, 'custom-elements.json')
})

test('every element documents its attributes, and every visible one its parts, properties and events', () => {
  const tags = elements.map((e) => e.tagName)
  for (const tag of ['token-claim', 'tokentags-config']) assert.ok(tags.includes(tag), `${tag} is not in the manifest`)
  for (const el of elements) {
    for (const a of el.attributes ?? []) assert.ok(a.description, `<${el.tagName} ${a.name}> has no description`)
    if (el.tagName === 'tokentags-config') continue
    const attributes = (el.attributes ?? []).map((a) => a.name)
    for (const common of ['locale', 'theme']) assert.ok(attributes.includes(common), `<${el.tagName}> lacks ${common}`)
    assert.ok(
      el.cssParts?.some((p) => p.name === 'action'),
      `<${el.tagName}> has no action part`,
    )
    const properties = (el.cssProperties ?? []).map((p) => p.name)
    assert.ok(properties.includes('--tokentags-accent'), `<${el.tagName}> documents no --tokentags-* properties`)
    const events = (el.events ?? []).map((e) => e.name)
    for (const name of ['token-status', 'token-success', 'token-error']) assert.ok(events.includes(name))
  }
})

test('React wrappers and framework types are up to date with the manifest', () => {
  execFileSync('node', ['scripts/generate-wrappers.mjs', '--check'], { cwd: root, stdio: 'pipe' })
})

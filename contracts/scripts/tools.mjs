// Paths of the tools the contracts package runs, resolved from the (hoisted) node_modules.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

/** The contracts package directory. */
export const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)))

/** The native forge shipped by `@foundry-rs/forge`'s platform package. */
export function forgeBinary() {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const manifest = require.resolve(`@foundry-rs/forge-${process.platform}-${arch}/package.json`)
  return join(dirname(manifest), 'bin', process.platform === 'win32' ? 'forge.exe' : 'forge')
}

/** The script of a package's `bin` entry, e.g. `packageBin('typescript', 'tsc')`. */
export function packageBin(pkg, name) {
  const manifestPath = require.resolve(`${pkg}/package.json`)
  const { bin } = require(manifestPath)
  const script = typeof bin === 'string' ? bin : bin?.[name]
  if (!script) throw new TypeError(`${pkg} has no bin named ${name}`)
  return join(dirname(manifestPath), script)
}

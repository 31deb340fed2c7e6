import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const exampleRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const extensionDir = join(exampleRoot, 'dist')
export const fixturesDir = join(exampleRoot, 'test', 'fixtures')
/** Test-only build output (the dev wallet for fixture pages). */
export const testBuildDir = join(exampleRoot, 'test-results', '.build')

/**
 * The id chromium gives the unpacked extension loaded from `dir`: the first 128 bits of the SHA-256
 * of its absolute path, each hex digit written as a letter a–p. Known before the browser starts,
 * so a relay can list the extension's origin; the fixture checks it against the loaded id.
 */
export function unpackedExtensionId(dir: string = extensionDir): string {
  const hex = createHash('sha256').update(dir).digest('hex').slice(0, 32)
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('')
}

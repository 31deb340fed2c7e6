import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const exampleRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const extensionDir = join(exampleRoot, 'dist')
export const fixturesDir = join(exampleRoot, 'test', 'fixtures')
/** Test-only build output (the dev wallet for fixture pages). */
export const testBuildDir = join(exampleRoot, 'test-results', '.build')

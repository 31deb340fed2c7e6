import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { build } from 'esbuild'
import { exampleRoot, fixturesDir, testBuildDir } from './paths.js'

/** Builds the extension (as `npm run build` does) and the fixture pages' dev wallet. */
export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [join(exampleRoot, 'build.mjs')], { stdio: 'inherit' })
  await build({
    entryPoints: [join(fixturesDir, 'dev-wallet-entry.ts')],
    bundle: true,
    format: 'iife',
    target: 'chrome111',
    outfile: join(testBuildDir, 'dev-wallet.js'),
    logLevel: 'warning',
  })
}

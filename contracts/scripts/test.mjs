#!/usr/bin/env node
// The package's tests: builds (incrementally), then runs `forge test` and the vitest suite, both even if the
// first fails, and exits non-zero if either failed. Extra arguments go to `forge test`.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { forgeBinary, packageBin, packageRoot } from './tools.mjs'

function run(command, args) {
  const result = spawnSync(command, args, { cwd: packageRoot, stdio: 'inherit' })
  if (result.error) throw result.error
  return result.status ?? 1
}

const build = run(process.execPath, [join(packageRoot, 'scripts', 'build.mjs')])
if (build !== 0) process.exit(build)
const forge = run(forgeBinary(), ['test', ...process.argv.slice(2)])
const vitest = run(process.execPath, [packageBin('vitest', 'vitest'), 'run'])
process.exit(forge !== 0 ? forge : vitest)

#!/usr/bin/env node
// The package's tests: builds (incrementally), then runs solhint (`lint:sol`), `forge test` and the vitest suite, all
// even if one fails, and exits non-zero if any failed. Extra arguments go to `forge test`.
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
const lint = run(process.execPath, [packageBin('solhint', 'solhint'), '--max-warnings', '0', 'src/**/*.sol'])
const forge = run(forgeBinary(), ['test', ...process.argv.slice(2)])
const vitest = run(process.execPath, [packageBin('vitest', 'vitest'), 'run'])
process.exit([lint, forge, vitest].find((code) => code !== 0) ?? 0)

#!/usr/bin/env node
// Runs the native forge from `@foundry-rs/forge`'s platform package with the given arguments and exits with its
// status. `npx forge` (the npm wrapper) always exits 0, even when a test does not compile: never use it to test.
import { spawnSync } from 'node:child_process'
import { forgeBinary } from './tools.mjs'

const result = spawnSync(forgeBinary(), process.argv.slice(2), { stdio: 'inherit' })
if (result.error) {
  console.error(`forge could not start: ${result.error.message}`)
  process.exit(1)
}
process.exit(result.status ?? 1)

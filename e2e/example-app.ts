// A fixture for the framework examples (examples/react-vite, examples/vue-vite): a dev stack on free
// ports whose deployment file the example's Vite build reads (TOKENTAGS_LOCAL_JSON), the built app
// served by `vite preview`, and anvil's dev wallet announced in the page as a wallet extension would.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, type Page } from '@playwright/test'
import { freePort, waitForPort } from '@tokentags/testkit'
import { build } from 'esbuild'
import type { Hex } from 'viem'
import { type DevStack, type LocalDeployment, startDevStack } from '../scripts/dev-stack.js'

export interface ExampleApp {
  /** Where `vite preview` serves the build. */
  url: string
  deployment: LocalDeployment
  /** Announces anvil's dev wallet (one dev key) in `page` from its first script on. */
  installDevWallet(page: Page, privateKey: Hex): Promise<void>
}

/** Runs the example's own Vite (no npx in between, so stopping it stops the server). */
function vite(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  const bin = join(createRequire(join(options.cwd, 'package.json')).resolve('vite/package.json'), '../bin/vite.js')
  return spawn(process.execPath, [bin, ...args], { ...options, stdio: ['ignore', 'inherit', 'inherit'] })
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** A built example served by `vite preview` on 127.0.0.1:`port` (its build and server in `dir`). */
export async function serveExample(options: {
  exampleDir: string
  /** What the build reads as the dev stack's deployment (a missing file: none). */
  localJson: string
  port: number
  dir: string
}): Promise<{ url: string; stop(): Promise<void> }> {
  const { exampleDir, port } = options
  const env: NodeJS.ProcessEnv = { ...process.env, TOKENTAGS_LOCAL_JSON: options.localJson }
  for (const key of Object.keys(env)) if (key.startsWith('VITE_TOKENTAGS_')) delete env[key]
  const outDir = join(options.dir, 'dist')
  const built = await exited(
    vite(['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: exampleDir, env }),
  )
  if (built !== 0) throw new Error(`vite build of ${exampleDir} exited with ${built}`)
  const preview = vite(['preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: exampleDir,
    env,
  })
  const stop = async () => {
    if (preview.exitCode !== null || preview.signalCode !== null) return
    const done = exited(preview)
    preview.kill('SIGTERM')
    await done
  }
  try {
    await waitForPort(port, 60_000)
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `http://127.0.0.1:${port}/`, stop }
}

/** A `test` whose worker-scoped `app` is the example in `exampleDir` built against a fresh dev stack. */
export function exampleAppTest(exampleDir: string) {
  return base.extend<object, { app: ExampleApp }>({
    app: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
      async ({}, use) => {
        const previewPort = await freePort()
        const dir = mkdtempSync(join(tmpdir(), 'tokentags-example-'))
        let stack: DevStack | undefined
        let served: { url: string; stop(): Promise<void> } | undefined
        try {
          stack = await startDevStack({
            chainPort: await freePort(),
            relayPort: await freePort(),
            pagePort: await freePort(),
            solanaPort: await freePort(),
            outFile: join(dir, 'local.json'),
            relayLogLevel: 'warn',
            extraOrigins: [`http://127.0.0.1:${previewPort}`],
          })
          served = await serveExample({ exampleDir, localJson: join(dir, 'local.json'), port: previewPort, dir })

          const wallet = await build({
            stdin: {
              contents:
                "import { installDevWallet } from '@tokentags/testkit/dev-wallet'\n" +
                'installDevWallet(globalThis.__tokentagsDevWallet)\n',
              resolveDir: import.meta.dirname,
              loader: 'ts',
            },
            bundle: true,
            format: 'iife',
            target: 'chrome111',
            write: false,
            logLevel: 'warning',
          })
          const walletScript = wallet.outputFiles[0]?.text ?? ''
          const { deployment } = stack
          await use({
            url: served.url,
            deployment,
            async installDevWallet(page, privateKey) {
              const config = { rpcUrl: deployment.rpcUrl, chainId: deployment.chainId, privateKeys: [privateKey] }
              await page.addInitScript({ content: `globalThis.__tokentagsDevWallet = ${JSON.stringify(config)};` })
              await page.addInitScript({ content: walletScript })
            },
          })
        } finally {
          await served?.stop()
          await stack?.stop()
          rmSync(dir, { recursive: true, force: true })
        }
      },
      { scope: 'worker', timeout: 240_000 },
    ],
  })
}

export { expect } from '@playwright/test'

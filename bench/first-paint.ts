// Time to a widget's first wallet state (no-wallet with its options, or the wallet list) in Debian's chromium,
// from the built drop-in bundle: 1 and 50 <token-claim> widgets, with no wallet and with one EIP-6963 wallet.
// Build first: `npm run build`. Each case runs on a fresh page, several times; the table shows the median.
//   "upgrade → state": from `customElements.whenDefined('token-claim')` to the last widget's first
//   `token-status` of no-wallet / choose-wallet (the slowest widget of the page).
//   "navigation → state": the same moment from the start of the navigation.

import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, resolve } from 'node:path'
import { CHROMIUM_ARGS, chromiumPath } from '@tokentags/testkit'
import { chromium } from 'playwright-core'

const cdn = resolve(import.meta.dirname, '../packages/widgets/dist/cdn')
const RUNS = 7
const VAULT = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

// A wallet answering EIP-6963 requests at once, as extensions do (content scripts run before the page's modules).
const WALLET = `<script>
  const detail = Object.freeze({
    info: { uuid: '7f1e0c7a-1b7e-4d5a-9d51-3c2b7a0e9f11', name: 'Bench Wallet', icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg"/%3E', rdns: 'dev.tokentags.bench' },
    provider: { request: async () => { throw new Error('bench') }, on() {}, removeListener() {} },
  })
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }))
  window.addEventListener('eip6963:requestProvider', announce)
  announce()
</script>`

function page(widgets: number, wallet: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
${wallet ? WALLET : ''}
<script>
  window.__firstState = new Map()
  document.addEventListener('token-status', (event) => {
    const status = event.detail.status
    if ((status === 'no-wallet' || status === 'choose-wallet') && !window.__firstState.has(event.target))
      window.__firstState.set(event.target, performance.now())
  })
  customElements.whenDefined('token-claim').then(() => { window.__defined = performance.now() })
</script>
<script type="module" src="/tokentags.js"></script>
</head><body>
<tokentags-config rpc="31337=http://127.0.0.1:9"></tokentags-config>
${Array.from({ length: widgets }, () => `<token-claim vault="${VAULT}" chain="31337"></token-claim>`).join('\n')}
</body></html>`
}

const types: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json' }

async function main(): Promise<void> {
  try {
    await readFile(join(cdn, 'tokentags.js'))
  } catch {
    console.error(`no bundles in ${cdn}: run \`npm run build\` first`)
    process.exit(1)
  }
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x')
    if (url.pathname === '/page') {
      const widgets = Number(url.searchParams.get('widgets') ?? 1)
      response.writeHead(200, { 'content-type': 'text/html' }).end(page(widgets, url.searchParams.has('wallet')))
      return
    }
    try {
      const body = await readFile(join(cdn, url.pathname.replace(/\.\.+/g, '')))
      response.writeHead(200, { 'content-type': types[extname(url.pathname)] ?? 'application/octet-stream' }).end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS], headless: true })
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
  console.log('| widgets | wallet | upgrade → state (median) | navigation → state (median) | states seen |')
  console.log('|---:|---|---:|---:|---:|')
  try {
    for (const widgets of [1, 50]) {
      for (const wallet of [false, true]) {
        const fromUpgrade: number[] = []
        const fromStart: number[] = []
        let seen = 0
        for (let run = 0; run < RUNS; run++) {
          const context = await browser.newContext()
          const tab = await context.newPage()
          await tab.goto(`${base}/page?widgets=${widgets}${wallet ? '&wallet' : ''}`)
          const result = await tab
            .waitForFunction(
              (count) => {
                const w = window as unknown as { __firstState: Map<unknown, number>; __defined?: number }
                if (w.__firstState.size < count || w.__defined === undefined) return false
                return { defined: w.__defined, last: Math.max(...w.__firstState.values()), seen: w.__firstState.size }
              },
              widgets,
              { timeout: 10_000 },
            )
            .then((handle) => handle.jsonValue() as Promise<{ defined: number; last: number; seen: number }>)
          fromUpgrade.push(result.last - result.defined)
          fromStart.push(result.last)
          seen = result.seen
          await context.close()
        }
        console.log(
          `| ${widgets} | ${wallet ? 'one (EIP-6963)' : 'none'} | ${median(fromUpgrade).toFixed(1)} ms | ${median(fromStart).toFixed(1)} ms | ${seen}/${widgets} |`,
        )
      }
    }
  } finally {
    await browser.close()
    server.close()
  }
}

await main()

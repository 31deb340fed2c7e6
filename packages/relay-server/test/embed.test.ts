import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { resolveLimits, resolveSites, type SiteConfig } from '../src/config.js'
import type { AppDeps } from '../src/deps.js'
import type { EmbedConfig } from '../src/embed/config.js'
import { RelayMetrics } from '../src/metrics.js'
import { createMemoryStore } from '../src/store/memory.js'

const VAULT = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'
const VAULT_CHECKSUM = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const SALE = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0'
const XSS = `"><script>alert(1)</script><img src=x onerror=alert(2)>`

const sites: Record<string, SiteConfig> = {
  pk_shop: { origins: ['https://shop.example', 'http://127.0.0.1:5173'], targets: [] },
  pk_any: { origins: ['*'], targets: [] },
  pk_none: { origins: [], targets: [] },
}

function appDeps(overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    chains: new Map(),
    sites: resolveSites(sites),
    store: createMemoryStore(),
    logger: pino({ level: 'silent' }),
    metrics: new RelayMetrics(),
    limits: resolveLimits(),
    errorAbis: [],
    ...overrides,
  }
}

async function listen(deps: AppDeps): Promise<{ server: Server; url: string }> {
  const server = createApp(deps).listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const embedConfig: EmbedConfig = {
  rpcUrls: { '8453': 'https://mainnet.base.example/rpc', '31337': 'http://127.0.0.1:8545' },
  sites: { pk_shop: { embedAncestors: ['https://x.com', 'https://bsky.app', 'bad; script-src *'] } },
  providerName: 'TokenTags Test',
}

function directive(csp: string | null, name: string): string | undefined {
  return csp
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `))
}

/** Every <script> loads a file: no inline code; no style attribute anywhere. */
function expectNoInlineCode(body: string) {
  for (const tag of body.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="\/[^"]+"/)
  expect(body).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/)
  expect(body).not.toMatch(/\sstyle=/)
  expect(body).not.toMatch(/<style\b/)
}

function metaContent(body: string, key: string): string | undefined {
  const match = new RegExp(`<meta (?:name|property)="${key.replace(/[:.]/g, '\\$&')}" content="([^"]*)">`).exec(body)
  return match?.[1]?.replaceAll('&amp;', '&')
}

describe('embeds', () => {
  let server: Server
  let url: string

  // Stand-in bundles: these tests do not depend on the widgets' build (checked once below).
  const widgetsDir = mkdtempSync(join(tmpdir(), 'tt-widgets-'))
  for (const tag of ['token-claim', 'token-tip', 'token-buy']) {
    writeFileSync(join(widgetsDir, `${tag}.js`), `customElements.define('${tag}', class extends HTMLElement {})\n`)
  }

  beforeAll(async () => {
    ;({ server, url } = await listen(appDeps({ embed: { ...embedConfig, widgetsDir } })))
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(widgetsDir, { recursive: true, force: true })
  })

  it('serves a claim embed framable by the site origins and embedAncestors, under a strict CSP', async () => {
    const response = await fetch(`${url}/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}&theme=dark&locale=fr`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(response.headers.get('x-frame-options')).toBeNull()
    const csp = response.headers.get('content-security-policy')
    expect(directive(csp, 'frame-ancestors')).toBe(
      'frame-ancestors https://shop.example http://127.0.0.1:5173 https://x.com https://bsky.app',
    )
    expect(directive(csp, 'script-src')).toBe("script-src 'self'")
    expect(directive(csp, 'style-src')).toBe("style-src 'self'")
    expect(directive(csp, 'default-src')).toBe("default-src 'none'")
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' https://mainnet.base.example")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')

    const body = await response.text()
    expectNoInlineCode(body)
    expect(body).toContain('<html lang="fr">')
    expect(body).toContain(
      `<token-claim vault="${VAULT_CHECKSUM}" chain="8453" theme="dark" locale="fr"></token-claim>`,
    )
    expect(body).toContain(
      `<tokentags-config relay="${url}" site-key="pk_shop" rpc="8453=https://mainnet.base.example/rpc"></tokentags-config>`,
    )
    expect(body).toContain('<script type="module" src="/embed/assets/widgets/token-claim.js"></script>')
    const canonical = `${url}/embed/claim?site=pk_shop&chain=8453&vault=${VAULT_CHECKSUM}&theme=dark&locale=fr`.replace(
      `chain=8453&vault=${VAULT_CHECKSUM}`,
      `vault=${VAULT_CHECKSUM}&chain=8453`,
    )
    expect(metaContent(body, 'twitter:card')).toBe('player')
    expect(metaContent(body, 'twitter:player')).toBe(canonical)
    expect(metaContent(body, 'twitter:player:width')).toBe('420')
    expect(metaContent(body, 'twitter:player:height')).toBe('320')
    expect(metaContent(body, 'twitter:image')).toBe(`${url}/embed/assets/preview.png`)
    expect(metaContent(body, 'og:url')).toBe(canonical)
    expect(metaContent(body, 'og:title')).toBe('Claim your vested tokens')
    expect(metaContent(body, 'og:site_name')).toBe('TokenTags Test')
    expect(metaContent(body, 'og:image')).toBe(`${url}/embed/assets/preview.png`)
    const oembed = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(body)?.[1]
    expect(oembed?.replaceAll('&amp;', '&')).toBe(
      `${url}/oembed?${new URLSearchParams({ url: canonical, format: 'json' })}`,
    )
    expect(body).not.toContain('tokentags-dev-wallet')
  })

  it('serves tip and buy embeds with their attributes', async () => {
    const tip = await fetch(
      `${url}/embed/tip?site=pk_shop&chain=31337&to=${CREATOR.toLowerCase()}&token=native&amounts=1,%205,10&router=${SALE}&memo=Thanks`,
    )
    expect(tip.status).toBe(200)
    const tipBody = await tip.text()
    expectNoInlineCode(tipBody)
    expect(tipBody).toContain(
      `<token-tip to="${CREATOR}" token="native" amounts="1,5,10" router="${SALE}" memo="Thanks" chain="31337"></token-tip>`,
    )
    expect(directive(tip.headers.get('content-security-policy'), 'connect-src')).toBe(
      "connect-src 'self' http://127.0.0.1:8545",
    )
    expect(metaContent(tipBody, 'twitter:player:height')).toBe('380')

    const buy = await fetch(`${url}/embed/buy?site=pk_shop&chain=8453&sale=${SALE}&slippage=1.5`)
    expect(buy.status).toBe(200)
    expect(await buy.text()).toContain(`<token-buy sale="${SALE}" slippage="1.5" chain="8453"></token-buy>`)
  })

  it('lets any origin frame a site that accepts any origin, and none frame a site without origins', async () => {
    const any = await fetch(`${url}/embed/claim?site=pk_any&chain=8453&vault=${VAULT}`)
    expect(directive(any.headers.get('content-security-policy'), 'frame-ancestors')).toBe('frame-ancestors *')
    const none = await fetch(`${url}/embed/claim?site=pk_none&chain=8453&vault=${VAULT}`)
    expect(directive(none.headers.get('content-security-policy'), 'frame-ancestors')).toBe("frame-ancestors 'none'")
  })

  it.each([
    [
      'an unknown site',
      `/embed/claim?site=pk_nope&chain=8453&vault=${VAULT}`,
      404,
      'UNKNOWN_SITE',
      /no site with the key "pk_nope"/,
    ],
    ['no site', `/embed/claim?chain=8453&vault=${VAULT}`, 400, 'INVALID_PARAMETER', /site is required/],
    [
      'a malformed vault',
      '/embed/claim?site=pk_shop&chain=8453&vault=0x1234',
      400,
      'INVALID_PARAMETER',
      /vault "0x1234" is not an address/,
    ],
    ['no vault', '/embed/claim?site=pk_shop&chain=8453', 400, 'INVALID_PARAMETER', /vault is required/],
    [
      'a bad chain',
      `/embed/claim?site=pk_shop&chain=base&vault=${VAULT}`,
      400,
      'INVALID_PARAMETER',
      /chain "base" is not a chain id/,
    ],
    [
      'a chain without an RPC',
      `/embed/claim?site=pk_shop&chain=1&vault=${VAULT}`,
      400,
      'CHAIN_NOT_AVAILABLE',
      /chain 1 is not available/,
    ],
    [
      'a bad theme',
      `/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}&theme=neon`,
      400,
      'INVALID_PARAMETER',
      /theme "neon"/,
    ],
    [
      'a bad locale',
      `/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}&locale=en_US!`,
      400,
      'INVALID_PARAMETER',
      /locale/,
    ],
    [
      'bad amounts',
      `/embed/tip?site=pk_shop&chain=8453&to=${CREATOR}&amounts=1,-2`,
      400,
      'INVALID_PARAMETER',
      /amounts/,
    ],
    [
      'a memo without router',
      `/embed/tip?site=pk_shop&chain=8453&to=${CREATOR}&memo=hi`,
      400,
      'INVALID_PARAMETER',
      /memo needs router/,
    ],
    [
      'a bad slippage',
      `/embed/buy?site=pk_shop&chain=8453&sale=${SALE}&slippage=80`,
      400,
      'INVALID_PARAMETER',
      /slippage/,
    ],
    [
      'a repeated parameter',
      `/embed/claim?site=pk_shop&site=pk_any&chain=8453&vault=${VAULT}`,
      400,
      'INVALID_PARAMETER',
      /site must be given once/,
    ],
    ['an unknown embed', '/embed/swap?site=pk_shop', 404, 'NOT_EMBEDDABLE', /no embed named "swap"/],
  ])('answers %s with a readable error page', async (_what, path, status, code, message) => {
    const response = await fetch(`${url}${path}`)
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const body = await response.text()
    expectNoInlineCode(body)
    expect(body).toContain(`data-code="${code}"`)
    expect(body.replaceAll('&quot;', '"')).toMatch(message)
    expect(body).toContain('This embed cannot be shown')
    expect(directive(response.headers.get('content-security-policy'), 'script-src')).toBe("script-src 'self'")
  })

  it('lets a known site explain a bad embed inside its frame, but nobody frame an unknown site', async () => {
    const known = await fetch(`${url}/embed/claim?site=pk_shop&chain=8453&vault=nope`)
    expect(directive(known.headers.get('content-security-policy'), 'frame-ancestors')).toContain('https://shop.example')
    const unknown = await fetch(`${url}/embed/claim?site=pk_nope&chain=8453&vault=${VAULT}`)
    expect(directive(unknown.headers.get('content-security-policy'), 'frame-ancestors')).toBe("frame-ancestors 'none'")
  })

  it('escapes an XSS payload wherever it lands', async () => {
    for (const path of [
      `/embed/claim?site=${encodeURIComponent(XSS)}&chain=8453&vault=${VAULT}`,
      `/embed/claim?site=pk_shop&chain=8453&vault=${encodeURIComponent(XSS)}`,
      `/embed/claim?site=pk_shop&chain=${encodeURIComponent(XSS)}&vault=${VAULT}`,
      `/embed/tip?site=pk_shop&chain=8453&to=${CREATOR}&router=${SALE}&memo=${encodeURIComponent(XSS)}`,
    ]) {
      const response = await fetch(`${url}${path}`)
      expect(response.status).toBeLessThan(500)
      const body = await response.text()
      expect(body).not.toContain('<script>alert(1)')
      expect(body).not.toContain('<img src=x')
      // Quoted attribute values may hold the escaped text; no tag may carry a handler of its own.
      expect(body.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[a-z][^>]*\sonerror=/i)
      expectNoInlineCode(body)
    }
    const memo = await fetch(
      `${url}/embed/tip?site=pk_shop&chain=8453&to=${CREATOR}&router=${SALE}&memo=${encodeURIComponent(XSS)}`,
    )
    expect(memo.status).toBe(200)
    expect(await memo.text()).toContain(
      'memo="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"',
    )
  })

  it('serves the widget bundles, the stylesheet and a PNG preview', async () => {
    const js = await fetch(`${url}/embed/assets/widgets/token-claim.js`)
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/javascript/)
    expect(await js.text()).toContain("customElements.define('token-claim'")
    const css = await fetch(`${url}/embed/assets/embed.css`)
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)
    const png = Buffer.from(await (await fetch(`${url}/embed/assets/preview.png`)).arrayBuffer())
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.readUInt32BE(16)).toBe(600)
    expect(png.readUInt32BE(20)).toBe(314)
    // Constant assets revalidate by ETag (the app computes none for its API answers).
    for (const asset of ['embed.css', 'preview.png']) {
      const etag = (await fetch(`${url}/embed/assets/${asset}`)).headers.get('etag')
      expect(etag).toMatch(/^"[\w-]{27}"$/)
      // node:http, not fetch: fetch adds `cache-control: no-cache` to conditional requests.
      const status = await new Promise<number | undefined>((resolve, reject) =>
        get(`${url}/embed/assets/${asset}`, { headers: { 'if-none-match': etag as string } }, (response) => {
          response.resume()
          resolve(response.statusCode)
        }).on('error', reject),
      )
      expect(status).toBe(304)
    }
    expect((await fetch(`${url}/embed/assets/widgets/nope.js`)).status).toBe(404)
    expect((await fetch(`${url}/embed/assets/widgets/../../package.json`)).status).toBe(404)
  })

  describe('oEmbed', () => {
    const embedUrl = () => `${url}/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}`

    it('answers a rich iframe for an embed URL of this relay', async () => {
      const response = await fetch(`${url}/oembed?${new URLSearchParams({ url: embedUrl(), format: 'json' })}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      const body = (await response.json()) as Record<string, unknown>
      expect(body).toMatchObject({
        version: '1.0',
        type: 'rich',
        provider_name: 'TokenTags Test',
        provider_url: url,
        title: 'Claim your vested tokens',
        width: 420,
        height: 320,
      })
      const src = `${url}/embed/claim?site=pk_shop&vault=${VAULT_CHECKSUM}&chain=8453`
      expect(body.html).toBe(
        `<iframe src="${src.replaceAll('&', '&amp;')}" width="420" height="320" title="Claim your vested tokens" loading="lazy" frameborder="0" allow="clipboard-write"></iframe>`,
      )
    })

    it('fits maxwidth and maxheight, and defaults to JSON', async () => {
      const body = (await (
        await fetch(`${url}/oembed?${new URLSearchParams({ url: embedUrl(), maxwidth: '300', maxheight: '1000' })}`)
      ).json()) as { width: number; height: number; html: string }
      expect(body.width).toBe(300)
      expect(body.height).toBe(320)
      expect(body.html).toContain('width="300"')
    })

    it.each([
      ['no url', {}, 400, 'INVALID_URL'],
      ['a relative url', { url: '/embed/claim' }, 400, 'INVALID_URL'],
      [
        'a foreign url',
        { url: `https://evil.example/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}` },
        404,
        'NOT_EMBEDDABLE',
      ],
      ['a page that is not an embed', { url: '/v1/health' }, 404, 'NOT_EMBEDDABLE'],
      ['an embed with a bad vault', { url: '/embed/claim?site=pk_shop&chain=8453&vault=0x12' }, 404, 'NOT_EMBEDDABLE'],
      [
        'an embed of an unknown site',
        { url: `/embed/claim?site=pk_x&chain=8453&vault=${VAULT}` },
        404,
        'NOT_EMBEDDABLE',
      ],
      ['format=xml', { format: 'xml' }, 501, 'FORMAT_NOT_SUPPORTED'],
      ['a bad maxwidth', { maxwidth: '-3' }, 400, 'INVALID_PARAMETER'],
    ])('answers %s with %i', async (_what, query: Record<string, string>, status, code) => {
      const params: Record<string, string> = { url: embedUrl(), format: 'json', ...query }
      if (params.url?.startsWith('/')) params.url = `${url}${params.url}`
      if (_what === 'no url') delete params.url
      if (_what === 'a relative url') params.url = '/embed/claim'
      const response = await fetch(`${url}/oembed?${new URLSearchParams(params)}`)
      expect(response.status).toBe(status)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe(code)
      expect(body.error.message.length).toBeGreaterThan(5)
    })
  })
})

describe('embeds: configuration', () => {
  it("serves @tokentags/widgets' own drop-in bundles by default", async () => {
    const { server, url } = await listen(appDeps({ embed: embedConfig }))
    try {
      const js = await fetch(`${url}/embed/assets/widgets/token-claim.js`)
      expect(js.status).toBe(200)
      expect(js.headers.get('content-type')).toMatch(/javascript/)
      expect(await js.text()).toContain('token-claim')
    } finally {
      server.close()
    }
  })

  it('does not exist without an embed config', async () => {
    const { server, url } = await listen(appDeps())
    try {
      for (const path of [`/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}`, `/oembed?url=${url}`]) {
        const response = await fetch(`${url}${path}`)
        expect(response.status).toBe(404)
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
      }
    } finally {
      server.close()
    }
  })

  it('answers 404 JSON for a widget whose bundle is missing, and uses publicUrl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-widgets-'))
    writeFileSync(join(dir, 'token-claim.js'), 'export {}\n')
    const { server, url } = await listen(
      appDeps({ embed: { ...embedConfig, widgetsDir: dir, publicUrl: 'https://relay.example/' } }),
    )
    try {
      const tip = await fetch(`${url}/embed/tip?site=pk_shop&chain=8453&to=${CREATOR}`)
      expect(tip.status).toBe(404)
      expect(await tip.json()).toEqual({
        error: {
          code: 'WIDGET_UNAVAILABLE',
          message:
            'the token-tip embed is not available: this relay has no token-tip.js bundle (build @tokentags/widgets)',
        },
      })
      const claim = await fetch(`${url}/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}`)
      expect(claim.status).toBe(200)
      const body = await claim.text()
      expect(metaContent(body, 'og:url')).toMatch(/^https:\/\/relay\.example\/embed\/claim\?/)
      expect(body).toContain('relay="https://relay.example"')
      const oembed = await fetch(
        `${url}/oembed?${new URLSearchParams({ url: `https://relay.example/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}` })}`,
      )
      expect(oembed.status).toBe(200)
      const foreign = await fetch(
        `${url}/oembed?${new URLSearchParams({ url: `${url}/embed/claim?site=pk_shop&chain=8453&vault=${VAULT}` })}`,
      )
      expect(foreign.status).toBe(404)
    } finally {
      server.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('announces the dev wallet only in dev mode, clearly labelled', async () => {
    const devWallet = {
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 31337,
      accounts: [
        {
          role: 'vested',
          address: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
          privateKey: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
        },
      ],
    }
    const { server, url } = await listen(appDeps({ embed: { ...embedConfig, devWallet } }))
    try {
      const response = await fetch(`${url}/embed/claim?site=pk_shop&chain=31337&vault=${VAULT}&account=vested`)
      expect(response.status).toBe(200)
      const body = await response.text()
      expectNoInlineCode(body)
      expect(body).toContain('Development only')
      expect(body).toContain('<meta name="tokentags-dev-wallet" content="{&quot;rpcUrl&quot;')
      expect(body).toContain('&quot;account&quot;:&quot;vested&quot;')
      expect(body).toContain('<script type="module" src="/embed/assets/dev-wallet.js"></script>')
      // The account flag selects nothing outside dev mode and is not part of the canonical URL.
      expect(metaContent(body, 'og:url')).not.toContain('account=')
      const script = await fetch(`${url}/embed/assets/dev-wallet.js`)
      expect(script.status).toBe(200)
      expect(await script.text()).toContain('eip6963:announceProvider')
    } finally {
      server.close()
    }
  })
})

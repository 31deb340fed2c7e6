import { z } from 'zod'

/** A dev-only wallet announced inside embed pages (anvil's public keys; never real ones). */
interface EmbedDevWalletConfig {
  rpcUrl: string
  chainId: number
  accounts: { role: string; address: string; privateKey: string }[]
}

/** Social embeds: `/embed/claim|tip|buy`, `/oembed` (packages/dashboard/README.md, "Embeds"). Off when absent. */
export interface EmbedConfig {
  /**
   * Public base URL of the relay as visitors reach it (`https://relay.example`): og/twitter tags,
   * oEmbed iframe URLs, and which URLs `/oembed` answers for. Required in production; without it
   * (development) the request's own origin, and those answers are `private, no-store`.
   */
  publicUrl?: string
  /**
   * Public RPC URL per chain id, for the widget in the embed page to read the chain. Never the
   * relay's own RPC (often carries an API key). A chain without one cannot be embedded.
   */
  rpcUrls?: Record<string, string>
  /** Per site key: `embedAncestors`, origins besides the site's own that may frame its embeds. */
  sites?: Record<string, { embedAncestors?: string[] }>
  /** `provider_name` of oEmbed answers and `og:site_name` (default `TokenTags`). */
  providerName?: string
  /** Folder of the widgets' drop-in bundles (default: `@tokentags/widgets`' `dist/cdn`). */
  widgetsDir?: string
  /** Development only: announce this dev wallet (with a banner saying so) inside embed pages. */
  devWallet?: EmbedDevWalletConfig
}

const originSchema = z
  .string()
  .regex(/^(https?:\/\/[^/\s*]+|\*|https:\/\/\*\.[^/\s*]+)$/, 'expected an origin such as https://x.com')

export const embedConfigFileSchema = z.object({
  publicUrl: z.url().optional(),
  rpcUrls: z.record(z.string().regex(/^[1-9][0-9]*$/), z.url()).optional(),
  sites: z.record(z.string().min(1), z.object({ embedAncestors: z.array(originSchema).optional() })).optional(),
  providerName: z.string().min(1).max(100).optional(),
  widgetsDir: z.string().min(1).optional(),
})

export interface ResolvedEmbed {
  publicOrigin?: string
  rpcUrls: ReadonlyMap<number, string>
  ancestors: ReadonlyMap<string, readonly string[]>
  providerName: string
  widgetsDir?: string
  devWallet?: EmbedDevWalletConfig
}

export function resolveEmbed(config: EmbedConfig): ResolvedEmbed {
  const rpcUrls = new Map<number, string>()
  for (const [chainId, url] of Object.entries(config.rpcUrls ?? {})) rpcUrls.set(Number(chainId), url)
  const ancestors = new Map<string, string[]>()
  for (const [key, site] of Object.entries(config.sites ?? {})) {
    ancestors.set(
      key,
      (site.embedAncestors ?? []).map((o) => o.trim().replace(/\/+$/, '')),
    )
  }
  return {
    ...(config.publicUrl ? { publicOrigin: new URL(config.publicUrl).origin } : {}),
    rpcUrls,
    ancestors,
    providerName: config.providerName ?? 'TokenTags',
    ...(config.widgetsDir ? { widgetsDir: config.widgetsDir } : {}),
    ...(config.devWallet ? { devWallet: config.devWallet } : {}),
  }
}

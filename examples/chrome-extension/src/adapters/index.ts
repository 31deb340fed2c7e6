import type { ExtensionOptions } from '../options.js'
import { genericAdapter } from './generic.js'
import type { SiteAdapter } from './types.js'
import { xAdapter } from './x.js'

/** Every adapter, most specific first, with the URL patterns of the options. */
export function adaptersFor(options: ExtensionOptions): SiteAdapter[] {
  return [xAdapter(options.sites.x), genericAdapter(options.sites.generic)]
}

export function adapterForUrl(url: URL, options: ExtensionOptions): SiteAdapter | null {
  return adaptersFor(options).find((adapter) => adapter.matches(url)) ?? null
}

import { createTokenTagsClient, setDefaultClient, type TokenTagsClient } from '@tokentags/core'
import type { TokenTagsPageConfig } from './config.js'

let current: { config: TokenTagsPageConfig; client: TokenTagsClient } | undefined

/**
 * The page's one shared core client for `config`: created (and made core's default
 * client) the first time, reused by every widget until the configuration changes.
 */
export function clientFor(config: TokenTagsPageConfig): TokenTagsClient {
  if (current?.config === config) return current.client
  const client = createTokenTagsClient({
    chains: config.chains,
    relayUrl: config.relayUrl,
    siteKey: config.siteKey,
    gasless: config.gasless,
  })
  setDefaultClient(client)
  current = { config, client }
  return client
}

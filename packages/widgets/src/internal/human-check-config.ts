// `<tokentags-config human-check>`: a site whose relay requires a human check (issue 13). This part is in every
// bundle, so it only hands core a token provider; the rest (parsing the attribute, loading the script, rendering the
// check) is a dynamic import, in its own chunk, fetched when a gasless request is about to be sent.

import type { HumanCheckPageConfig } from './human-check.js'

export type { HumanCheckPageConfig }

/** The `humanCheck` option of core's claim, tip and buy for the page's config: a fresh token per submit. */
export function humanCheckOption(
  config: HumanCheckPageConfig | undefined,
): { humanCheck: () => Promise<string> } | Record<never, never> {
  if (!config) return {}
  return { humanCheck: () => import('./human-check.js').then((module) => module.obtainHumanCheckToken(config)) }
}

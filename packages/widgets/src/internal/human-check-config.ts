// `<tokentags-config human-check>`: a site whose relay requires a human check (issue 13). This part is in every
// bundle, so it only hands core a token provider; the rest (parsing the attribute, loading the script, rendering the
// check) is a dynamic import, in its own chunk, fetched when a gasless request is about to be sent.

/** `<tokentags-config human-check>` and `human-check-script` as written: parsed in the chunk, when first needed. */
export interface HumanCheckPageConfig {
  /** `turnstile:<sitekey>`. */
  check: string
  /** An http(s) URL of a Turnstile-compatible script (default Cloudflare's). */
  script?: string | null
}

/** The `humanCheck` option of core's claim, tip and buy for the page's config: a fresh token per submit. */
export function humanCheckOption(
  config: HumanCheckPageConfig | undefined,
): { humanCheck: () => Promise<string> } | Record<never, never> {
  if (!config) return {}
  return { humanCheck: () => import('./human-check.js').then((module) => module.obtainHumanCheckToken(config)) }
}

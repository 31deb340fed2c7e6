/**
 * `false` in the minified CDN bundles (rollup.config.mjs rewrites this line),
 * `true` for the npm build, so dev-only warnings disappear from production.
 */
export const DEV_MODE = true

const warned = new Set<string>()

/** Logs a dev-only warning once per code, with a link to the docs. */
export function warnOnce(code: string, message: string, docsPath = 'widgets'): void {
  if (!DEV_MODE || warned.has(code)) return
  warned.add(code)
  console.warn(`[tokentags] ${message}\nSee https://tokentags.dev/docs/${docsPath}`)
}

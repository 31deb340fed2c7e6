/**
 * Chrome-style match patterns (`https://x.com/*`, `http://127.0.0.1:4173/x/*`, `*://*.example.com/*`).
 * A pattern without a port matches any port, as Chrome's own do.
 */
export function compileMatchPattern(pattern: string): RegExp | null {
  const parsed = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/:*]+)(?::(\d+|\*))?(\/.*)$/.exec(pattern.trim())
  if (!parsed) return null
  const [, scheme = '', host = '', port, path = '/'] = parsed
  const quote = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  const schemePart = scheme === '*' ? 'https?' : scheme
  const hostPart =
    host === '*' ? '[^/:]+' : host.startsWith('*.') ? `(?:[^/:]+\\.)?${quote(host.slice(2))}` : quote(host)
  const portPart = port === undefined || port === '*' ? '(?::\\d+)?' : `:${port}`
  const pathPart = quote(path).replace(/\*/g, '.*')
  return new RegExp(`^${schemePart}://${hostPart}${portPart}${pathPart}$`, 'i')
}

export function urlMatchesAny(url: URL | string, patterns: readonly string[]): boolean {
  const href = typeof url === 'string' ? url : url.href
  return patterns.some((pattern) => compileMatchPattern(pattern)?.test(href) ?? false)
}

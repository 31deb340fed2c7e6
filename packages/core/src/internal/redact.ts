const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi
// A path segment that looks like an API key (Infura /v3/<key>, Alchemy /v2/<key>); UUIDs and 0x values stay.
const KEY_SEGMENT_RE = /^(?!0x)[A-Za-z0-9_]{20,}$/

/** Removes credentials from one URL: user info, query string values and key-like path segments. */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//')
  }
  parsed.username = ''
  parsed.password = ''
  for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, 'redacted')
  parsed.pathname = parsed.pathname
    .split('/')
    .map((segment) => (KEY_SEGMENT_RE.test(segment) ? 'redacted' : segment))
    .join('/')
  const out = parsed.toString()
  // URL() adds a trailing slash to bare origins; keep the caller's spelling.
  return !url.endsWith('/') && out.endsWith('/') && parsed.pathname === '/' ? out.slice(0, -1) : out
}

/** Redacts every URL found in a free text. */
export function redactUrls(text: string): string {
  return text.replace(URL_RE, (match) => redactUrl(match))
}

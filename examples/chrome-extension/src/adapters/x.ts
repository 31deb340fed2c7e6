import { tipAddressIn } from './addresses.js'
import { type MountPoint, queryAllIncludingSelf, type SiteAdapter } from './types.js'
import { urlMatchesAny } from './url-patterns.js'

export const X_DEFAULT_MATCHES: readonly string[] = [
  'https://x.com/*',
  'https://twitter.com/*',
  'https://mobile.x.com/*',
]

const POST = 'article[data-testid="tweet"]'
const HANDLE = /^[A-Za-z0-9_]{1,15}$/
/** Paths under x.com that look like `/name` but are not profiles. */
const RESERVED = new Set([
  'home',
  'explore',
  'notifications',
  'messages',
  'search',
  'settings',
  'i',
  'compose',
  'tos',
  'privacy',
])

/**
 * X (Twitter), written against its public post markup: `article[data-testid="tweet"]` posts whose
 * `[data-testid="User-Name"]` links to the author's `/handle`, and the bios X shows beside posts:
 * the profile header (`[data-testid="UserName"]` + `[data-testid="UserDescription"]`, the
 * `UserProfileHeader_Items` links), hover cards (`[data-testid="HoverCard"]`) and user cells
 * (`[data-testid="UserCell"]`). A post gets a tip button once a bio of its author with a `tip:` line
 * is on the page.
 */
export function xAdapter(patterns: readonly string[] = X_DEFAULT_MATCHES): SiteAdapter {
  return {
    id: 'x',
    label: 'X (Twitter)',
    matches: (url) => urlMatchesAny(url, patterns),
    findPosts: (root) => queryAllIncludingSelf(root, POST),
    authorTipAddress(post) {
      const handle = authorHandle(post)
      if (!handle) return null
      return bioDirectory(post.ownerDocument).get(handle) ?? null
    },
    mountPoint(post): MountPoint | null {
      // The last action bar (reply, repost, like…) is the post's own; a quoted post has none.
      const groups = [...post.querySelectorAll('[role="group"]')].filter((g) => g.closest(POST) === post)
      const bar = groups.at(-1)
      if (bar) return { anchor: bar, position: 'afterend' }
      const text = post.querySelector('[data-testid="tweetText"]')
      return text ? { anchor: text, position: 'afterend' } : null
    },
  }
}

/** The author's handle, lower-cased, from the first profile link in the post's `User-Name`. */
export function authorHandle(post: Element): string | null {
  const userName = post.querySelector('[data-testid="User-Name"]')
  if (!userName) return null
  for (const link of userName.querySelectorAll('a[href]')) {
    const handle = handleFromHref(link.getAttribute('href'))
    if (handle) return handle
  }
  return handleFromText(userName.textContent)
}

function handleFromHref(href: string | null): string | null {
  if (!href) return null
  let path: string
  try {
    path = new URL(href, 'https://x.com').pathname
  } catch {
    return null
  }
  const segment = /^\/([^/]+)\/?$/.exec(path)?.[1]
  if (!segment || !HANDLE.test(segment) || RESERVED.has(segment.toLowerCase())) return null
  return segment.toLowerCase()
}

function handleFromText(text: string | null): string | null {
  const handle = /@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_])/.exec(text ?? '')?.[1]
  return handle ? handle.toLowerCase() : null
}

/** Handle → published tip address, from every bio shown on the page. Rebuilt per scan: bios come and go. */
function bioDirectory(doc: Document): Map<string, string> {
  const directory = new Map<string, string>()
  for (const bio of doc.querySelectorAll('[data-testid="UserDescription"]')) {
    const card = bio.closest('[data-testid="UserCell"], [data-testid="HoverCard"]') ?? profileHeaderOf(bio)
    if (!card) continue
    const handle = handleOfCard(card)
    if (!handle || directory.has(handle)) continue
    const fields = [bio, ...card.querySelectorAll('[data-testid="UserProfileHeader_Items"]')]
    const address = tipAddressIn(fields)
    if (address) directory.set(handle, address)
  }
  return directory
}

/** The smallest ancestor of a profile header's bio that also holds the header's `UserName`. */
function profileHeaderOf(bio: Element): Element | null {
  let node = bio.parentElement
  for (let depth = 0; node && depth < 10; depth++, node = node.parentElement) {
    if (node.querySelector('[data-testid="UserName"]')) return node
  }
  return null
}

function handleOfCard(card: Element): string | null {
  const name = card.querySelector('[data-testid="UserName"], [data-testid="User-Name"]')
  if (name) return handleFromText(name.textContent)
  for (const link of card.querySelectorAll('a[href]')) {
    const handle = handleFromHref(link.getAttribute('href'))
    if (handle) return handle
  }
  return null
}

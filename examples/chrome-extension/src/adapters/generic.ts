import { tipAddressIn } from './addresses.js'
import { type MountPoint, queryAllIncludingSelf, type SiteAdapter } from './types.js'
import { urlMatchesAny } from './url-patterns.js'

/** Development default: pages served from this machine. */
export const GENERIC_DEFAULT_MATCHES: readonly string[] = ['http://127.0.0.1/*', 'http://localhost/*']

const POST = '.h-entry'

/**
 * Any page marked up with microformats2 (IndieWeb blogs, Mastodon-style pages, the test fixtures):
 * posts are `.h-entry`; the author is the post's `.p-author.h-card`, or the page's `.h-card` whose
 * `.u-url` equals the post author's link. The card's `.p-note` (bio) and links carry the `tip:` line.
 */
export function genericAdapter(patterns: readonly string[] = GENERIC_DEFAULT_MATCHES): SiteAdapter {
  return {
    id: 'generic',
    label: 'Generic (microformats2 h-entry / h-card)',
    matches: (url) => urlMatchesAny(url, patterns),
    findPosts: (root) => queryAllIncludingSelf(root, POST),
    authorTipAddress(post) {
      const author = post.querySelector('.p-author')
      if (!author) return null
      const cards = [author]
      const url = (author.matches('.u-url[href]') ? author : author.querySelector('.u-url[href]'))?.getAttribute('href')
      if (url) {
        for (const card of post.ownerDocument.querySelectorAll('.h-card')) {
          if (card.closest(POST) || card === author) continue
          if (card.querySelector(`.u-url[href="${CSS.escape(url)}"]`)) cards.push(card)
        }
      }
      const fields = cards.flatMap((card) => [...card.querySelectorAll('.p-note, .u-url')])
      return tipAddressIn(fields)
    },
    mountPoint(post): MountPoint | null {
      const content = post.querySelector('.e-content, .p-content')
      return content ? { anchor: content, position: 'afterend' } : { anchor: post, position: 'beforeend' }
    },
  }
}

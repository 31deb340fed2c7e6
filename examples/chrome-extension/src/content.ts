// Content script (isolated world): finds posts with a published tip address through the site's
// adapter and puts one tip frame next to each, now and whenever the page adds posts.
import { adapterForUrl } from './adapters/index.js'
import type { SiteAdapter } from './adapters/types.js'
import { createTipHost } from './mount.js'
import { type ExtensionOptions, loadOptions } from './options.js'
import { HOST_TAG } from './protocol.js'

const mounted = new WeakMap<Element, HTMLElement>()

function scan(adapter: SiteAdapter, options: ExtensionOptions): void {
  if (!adapter.matches(new URL(location.href))) return
  for (const post of adapter.findPosts(document)) {
    if (mounted.get(post)?.isConnected) continue
    // Another copy of this script (an extension reload) may have mounted one already.
    if (post.querySelector(HOST_TAG)) continue
    const to = adapter.authorTipAddress(post)
    // Without a Solana RPC a `sol:` tip could only show a set-up error: better no button at all.
    if (!to || (to.startsWith('sol:') && !options.solanaRpcUrl)) continue
    const point = adapter.mountPoint(post)
    if (!point) continue
    const host = createTipHost({
      to,
      lang: document.documentElement.lang || undefined,
      memo: options.router ? `Tip via TokenTags on ${location.hostname}` : undefined,
    })
    host.dataset.adapter = adapter.id
    point.anchor.insertAdjacentElement(point.position, host)
    mounted.set(post, host)
  }
}

function isOwnNode(node: Node): boolean {
  return node instanceof Element && node.localName === HOST_TAG
}

async function main(): Promise<void> {
  let options = await loadOptions()
  let adapter = adapterForUrl(new URL(location.href), options)

  let scheduled = false
  const schedule = () => {
    if (scheduled) return
    scheduled = true
    // A burst of mutations (a timeline page of posts) makes one scan.
    setTimeout(() => {
      scheduled = false
      if (adapter) scan(adapter, options)
    }, 50)
  }

  new MutationObserver((records) => {
    const relevant = records.some(
      (r) =>
        r.type === 'characterData' ||
        [...r.addedNodes].some((n) => !isOwnNode(n)) ||
        [...r.removedNodes].some((n) => isOwnNode(n) || n instanceof Element),
    )
    if (relevant) schedule()
  }).observe(document, { childList: true, subtree: true, characterData: true })

  chrome.storage.onChanged.addListener(async (_changes, area) => {
    if (area !== 'local') return
    options = await loadOptions()
    adapter = adapterForUrl(new URL(location.href), options)
    schedule()
  })

  if (adapter) scan(adapter, options)
}

void main()

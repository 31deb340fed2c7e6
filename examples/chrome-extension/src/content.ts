// Content script (isolated world): finds posts with a published tip address through the site's
// adapter and puts one tip frame next to each, now and whenever the page adds posts.
import { adapterForUrl } from './adapters/index.js'
import type { SiteAdapter } from './adapters/types.js'
import { createTipHost } from './mount.js'
import { type ExtensionOptions, loadOptions } from './options.js'
import { HOST_TAG } from './protocol.js'

const mounted = new WeakMap<Element, HTMLElement>()

/**
 * Test hook: where this script is in its work on the page. It lives in the isolated world, so the page
 * never sees it; the tests read it through the DevTools protocol to know a pass ended before they
 * assert that no button was added.
 */
export interface ContentProbe {
  /** Passes over the page finished (a pass with no adapter for the URL counts too). */
  passes: number
  /** Work started and not finished yet: passes due after mutations, options being reloaded. */
  due: number
  /** The adapter of the last pass, or null when none matched the URL. */
  adapter: string | null
}
const probe: ContentProbe = { passes: 0, due: 0, adapter: null }
;(globalThis as { tokentagsContentProbe?: ContentProbe }).tokentagsContentProbe = probe

function pass(adapter: SiteAdapter | null, options: ExtensionOptions): void {
  if (adapter) scan(adapter, options)
  probe.adapter = adapter?.id ?? null
  probe.passes++
}

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
    probe.due++
    // A burst of mutations (a timeline page of posts) makes one scan.
    setTimeout(() => {
      scheduled = false
      pass(adapter, options)
      probe.due--
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
    probe.due++
    try {
      options = await loadOptions()
      adapter = adapterForUrl(new URL(location.href), options)
      schedule()
    } finally {
      probe.due--
    }
  })

  pass(adapter, options)
}

void main()

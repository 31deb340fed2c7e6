/** Where and how a tip button is inserted: `anchor.insertAdjacentElement(position, host)`. */
export interface MountPoint {
  anchor: Element
  position: InsertPosition
}

/**
 * The site-specific part of the extension: one small adapter per site. Adapters only read the page;
 * the content script does the mounting.
 */
export interface SiteAdapter {
  /** Stable id, used as the key of the adapter's URL patterns in the options (`sites.x`). */
  readonly id: string
  readonly label: string
  /** Whether this adapter handles the page at `url`. */
  matches(url: URL): boolean
  /** The posts inside `root` (which may itself be a post). */
  findPosts(root: ParentNode): Element[]
  /** The tip address the post's author published (an EVM address or `sol:` + base58), or null. */
  authorTipAddress(post: Element): string | null
  /** Where the tip button goes in this post, or null to skip the post. */
  mountPoint(post: Element): MountPoint | null
}

/** Posts inside `root`, including `root` itself when it matches. */
export function queryAllIncludingSelf(root: ParentNode, selector: string): Element[] {
  const found = [...root.querySelectorAll(selector)]
  if (root instanceof Element && root.matches(selector)) found.unshift(root)
  return found
}

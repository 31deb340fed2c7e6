const warned = new Set<string>()

/**
 * Registers `tag` unless it is already defined. Two copies of TokenTags on one
 * page must not crash: the first definition wins, and a different class for the
 * same tag is reported once.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return
  const existing = customElements.get(tag)
  if (!existing) {
    customElements.define(tag, ctor)
    return
  }
  if (existing !== ctor && !warned.has(tag)) {
    warned.add(tag)
    const version = (c: CustomElementConstructor) => (c as { version?: string }).version ?? 'unknown'
    console.warn(
      `[tokentags] <${tag}> is already defined by another copy of TokenTags (version ${version(existing)}); ` +
        `keeping it and ignoring version ${version(ctor)}. Load a single TokenTags bundle per page. ` +
        'See https://tokentags.dev/docs/widgets#duplicate-definitions',
    )
  }
}

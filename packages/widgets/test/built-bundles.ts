/**
 * Fails (never skips) when a drop-in bundle of `dist/cdn` is missing: a test that quietly skipped
 * would let a run without a build pass. The bundles come from `npm run build` (the root or
 * `-w packages/widgets`).
 */
export async function requireBuiltBundles(...names: string[]): Promise<void> {
  const missing: string[] = []
  for (const name of names) {
    const response = await fetch(new URL(`../dist/cdn/${name}`, import.meta.url), { method: 'HEAD' })
    if (!response.ok) missing.push(`dist/cdn/${name} (HTTP ${response.status})`)
  }
  if (missing.length > 0) {
    throw new Error(
      `packages/widgets is not built, missing ${missing.join(', ')}: run npm run build first (or npm run build -w packages/widgets)`,
    )
  }
}

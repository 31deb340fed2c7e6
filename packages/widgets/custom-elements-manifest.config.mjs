// `npm run manifest -w packages/widgets` writes custom-elements.json (package.json `customElements`)
// from the class comments (@attr, @fires, @csspart, @cssprop) of src/**. Storybook's docs, the
// React wrappers and the framework tag types (scripts/generate-wrappers.mjs) are built from it.

/** Drops what is not public API: private state (`_state`) and events the analyzer saw without a name. */
function publicApiOnly() {
  return {
    name: 'tokentags-public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      // The analyzer emits modules in the order its file reads finish, which varies run to run: sort by
      // path so the generated manifest (and what is generated from it) is the same on every machine.
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.attributes)
            declaration.attributes = declaration.attributes.filter((a) => !a.name.startsWith('_'))
          if (declaration.members)
            declaration.members = declaration.members.filter((m) => !m.name.startsWith('_') && m.privacy !== 'private')
          if (declaration.events) declaration.events = declaration.events.filter((e) => e.name)
        }
      }
    },
  }
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/testing/**', 'src/react/**', 'src/i18n/**', 'src/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [publicApiOnly()],
}

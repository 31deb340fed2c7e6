import type { Preview } from '@storybook/web-components-vite'
import { setCustomElementsManifest } from '@storybook/web-components-vite'
import '@tokentags/widgets/define'
import manifest from '../custom-elements.json' with { type: 'json' }

// Autodocs (attributes, events, parts, custom properties) come from the generated manifest.
setCustomElementsManifest(manifest)

const preview: Preview = {
  tags: ['autodocs'],
  parameters: {
    // Every story is checked by axe (addon-a11y); in the Vitest run a violation fails the story.
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
}

export default preview

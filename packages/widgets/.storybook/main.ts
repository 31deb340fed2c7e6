import { fileURLToPath } from 'node:url'
import type { StorybookConfig } from '@storybook/web-components-vite'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))

// Stories live in the repo's stories/ folder; they import the widgets by package name (dist/:
// run the widgets build first) and draw every state through the state harness.
const config: StorybookConfig = {
  stories: ['../../../stories/**/*.stories.ts', '../../../stories/**/*.mdx'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    viteConfig.server = { ...viteConfig.server, fs: { ...viteConfig.server?.fs, allow: [repoRoot] } }
    return viteConfig
  },
}

export default config

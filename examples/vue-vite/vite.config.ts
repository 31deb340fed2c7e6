import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [
    vue({
      // <token-claim>, <tokentags-config>, <token-tip>, <token-buy>: custom elements, not Vue components.
      template: {
        compilerOptions: { isCustomElement: (tag) => tag.startsWith('token-') || tag.startsWith('tokentags-') },
      },
    }),
  ],
})

import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig, loadEnv } from 'vite'

/** What the app needs to reach a chain and a relay; a missing one is left out. */
interface TokenTagsSettings {
  rpc?: string | undefined
  relay?: string | undefined
  siteKey?: string | undefined
  chain?: string | undefined
  vault?: string | undefined
}

// `npm start` at the repo root writes the dev stack's deployment here (TOKENTAGS_LOCAL_JSON points elsewhere).
const localJson =
  process.env.TOKENTAGS_LOCAL_JSON || fileURLToPath(new URL('../../.tokentags/local.json', import.meta.url))

/** VITE_TOKENTAGS_* (from the environment or .env files) first, then the dev stack's deployment. */
function settings(mode: string): TokenTagsSettings {
  const env = loadEnv(mode, fileURLToPath(new URL('.', import.meta.url)), 'VITE_TOKENTAGS_')
  const stack = existsSync(localJson)
    ? (JSON.parse(readFileSync(localJson, 'utf8')) as {
        chainId: number
        rpcUrl: string
        relayUrl: string
        siteKey: string
        contracts: { vestingVault: string }
      })
    : undefined
  return {
    rpc: env.VITE_TOKENTAGS_RPC || (stack && `${stack.chainId}=${stack.rpcUrl}`),
    relay: env.VITE_TOKENTAGS_RELAY || stack?.relayUrl,
    siteKey: env.VITE_TOKENTAGS_SITE_KEY || stack?.siteKey,
    chain: env.VITE_TOKENTAGS_CHAIN || (stack && String(stack.chainId)),
    vault: env.VITE_TOKENTAGS_VAULT || stack?.contracts.vestingVault,
  }
}

// The dev stack's relay accepts this app's origin on port 5175 (http://localhost:5175, http://127.0.0.1:5175).
export default defineConfig(({ mode }) => ({
  plugins: [
    vue({
      // <token-claim>, <tokentags-config>, <token-tip>, <token-buy>: custom elements, not Vue components.
      template: {
        compilerOptions: { isCustomElement: (tag) => tag.startsWith('token-') || tag.startsWith('tokentags-') },
      },
    }),
  ],
  define: { __TOKENTAGS__: JSON.stringify(settings(mode)) },
  server: { port: 5175, strictPort: true },
  preview: { port: 5175, strictPort: true },
}))

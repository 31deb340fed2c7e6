/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_TOKENTAGS_RPC?: string
  readonly VITE_TOKENTAGS_RELAY?: string
  readonly VITE_TOKENTAGS_VAULT?: string
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'

  const component: DefineComponent
  export default component
}

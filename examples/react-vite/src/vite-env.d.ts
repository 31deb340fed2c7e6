/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_TOKENTAGS_RPC?: string
  readonly VITE_TOKENTAGS_RELAY?: string
  readonly VITE_TOKENTAGS_VAULT?: string
}

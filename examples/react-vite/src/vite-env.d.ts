/// <reference types="vite/client" />

/**
 * Where the widgets find the chain and the relay, set by vite.config.ts at dev/build time: each
 * VITE_TOKENTAGS_* variable if set, else the dev stack's `.tokentags/local.json`; absent when neither.
 */
declare const __TOKENTAGS__: {
  /** `<chainId>=<rpc url>` */
  rpc?: string
  relay?: string
  siteKey?: string
  chain?: string
  vault?: string
}

// Messages between the three parts: the content script (isolated world), the wallet bridge (the
// page's main world) and the tip frame (an extension page in an iframe). Everything here must be
// structured-cloneable.

/** `window.postMessage` type that hands the main-world bridge a port for one tip frame. */
export const BRIDGE_PORT_MESSAGE = 'tokentags-extension:wallet-port'
/** `postMessage` type that hands a tip frame its control and wallet ports; carries the frame's nonce. */
export const FRAME_INIT_MESSAGE = 'tokentags-extension:init'
/** Tag name of the element the extension adds to a post (a closed shadow root holds the frame). */
export const HOST_TAG = 'tokentags-extension-tip'

export interface WalletInfo {
  uuid: string
  name: string
  icon: string
  rdns: string
}

export interface RpcErrorShape {
  code: number
  message: string
  data?: unknown
}

/** Tip frame → bridge. */
export type ToBridge = { t: 'list' } | { t: 'request'; id: number; uuid: string; method: string; params?: unknown }

/** Bridge → tip frame. */
export type FromBridge =
  | { t: 'wallets'; wallets: WalletInfo[] }
  | { t: 'response'; id: number; result?: unknown; error?: RpcErrorShape }
  | { t: 'event'; uuid: string; event: string; args: unknown[] }

/** Tip frame → content script. */
export type FromFrame =
  | { t: 'size'; height: number }
  | { t: 'status'; status: string }
  | { t: 'success'; txHash: string }
  | { t: 'error'; code: string }

/** What the content script tells a frame through its URL (`tip.html?…#nonce`). */
export interface TipParams {
  to: string
  lang?: string
  memo?: string
}

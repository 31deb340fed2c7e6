import { BRIDGE_PORT_MESSAGE, FRAME_INIT_MESSAGE, type FromFrame, HOST_TAG, type TipParams } from './protocol.js'

// The host is a page element, so the page's stylesheets match it: `all: initial !important` from
// inside its shadow root wins over any page rule (for !important declarations the inner context
// wins the cascade), and nothing of the page reaches into the closed root or the frame.
const HOST_CSS = `
:host {
  all: initial !important;
  display: block !important;
  position: static !important;
  visibility: visible !important;
  opacity: 1 !important;
  transform: none !important;
  filter: none !important;
  clip-path: none !important;
  pointer-events: auto !important;
  box-sizing: border-box !important;
  width: 100% !important;
  max-width: 448px !important;
  margin: 8px 0 !important;
  contain: layout style paint !important;
}
:host::before, :host::after { content: none !important; }
iframe {
  display: block;
  width: 100%;
  height: 0;
  border: 0;
  margin: 0;
  padding: 0;
  background: transparent;
  color-scheme: normal;
}
`

let sheet: CSSStyleSheet | undefined
function hostSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(HOST_CSS)
  }
  return sheet
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Creates the element that holds one tip frame: `<tokentags-extension-tip>` with a closed shadow root
 * and, in it, an iframe of the extension's `tip.html`. The frame gets two ports once it loads: one to
 * this content script (its size and state) and one to the main-world wallet bridge.
 */
export function createTipHost(params: TipParams): HTMLElement {
  const host = document.createElement(HOST_TAG)
  const root = host.attachShadow({ mode: 'closed' })
  root.adoptedStyleSheets = [hostSheet()]

  const nonce = randomNonce()
  const query = new URLSearchParams({ to: params.to })
  if (params.lang) query.set('lang', params.lang)
  if (params.memo) query.set('memo', params.memo)
  const frame = document.createElement('iframe')
  frame.title = 'Tip the author (TokenTags)'
  frame.setAttribute('allow', '')
  frame.src = `${chrome.runtime.getURL('tip.html')}?${query}#${nonce}`
  root.append(frame)

  frame.addEventListener('load', () => {
    const control = new MessageChannel()
    const wallet = new MessageChannel()
    control.port1.onmessage = (event: MessageEvent<FromFrame>) => {
      const message = event.data
      if (message?.t === 'size') frame.style.height = `${Math.max(0, Math.ceil(message.height))}px`
      else if (message?.t === 'status') host.dataset.state = message.status
    }
    // The bridge lives in the page's main world: a page can watch this message too, but it could
    // as well replace the wallet itself; what it cannot do is read or drive the frame.
    window.postMessage({ type: BRIDGE_PORT_MESSAGE }, location.origin, [wallet.port1])
    frame.contentWindow?.postMessage({ type: FRAME_INIT_MESSAGE, nonce }, new URL(frame.src).origin, [
      control.port2,
      wallet.port2,
    ])
  })
  return host
}

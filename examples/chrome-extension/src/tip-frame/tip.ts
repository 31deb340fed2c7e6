// The tip frame (an extension page, `tip.html`): draws `<token-tip>` for the recipient in its URL with
// the extension's options, reaching the page's wallets through the bridge.
import '@tokentags/widgets/token-tip/define'
import { loadOptions } from '../options.js'
import { FRAME_INIT_MESSAGE, type FromFrame } from '../protocol.js'
import { BridgedWallets } from './bridged-wallets.js'

const params = new URLSearchParams(location.search)
const nonce = location.hash.slice(1)

function waitForPorts(): Promise<readonly MessagePort[]> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      // Only the content script knows the nonce in this frame's URL: the page cannot read it.
      if (event.source !== window.parent || event.data?.type !== FRAME_INIT_MESSAGE) return
      if (!nonce || event.data.nonce !== nonce || event.ports.length < 2) return
      window.removeEventListener('message', onMessage)
      resolve(event.ports)
    }
    window.addEventListener('message', onMessage)
  })
}

async function main(): Promise<void> {
  const [ports, options] = await Promise.all([waitForPorts(), loadOptions()])
  const [control, walletPort] = ports as [MessagePort, MessagePort]
  const tell = (message: FromFrame) => control.postMessage(message)

  new ResizeObserver(() => tell({ t: 'size', height: document.body.getBoundingClientRect().height })).observe(
    document.body,
  )
  for (const type of ['token-status', 'token-success', 'token-error'] as const) {
    document.addEventListener(type, (event) => {
      const detail = (event as CustomEvent).detail ?? {}
      if (type === 'token-status') tell({ t: 'status', status: String(detail.status) })
      else if (type === 'token-success') tell({ t: 'success', txHash: String(detail.txHash ?? detail.signature) })
      else tell({ t: 'error', code: String(detail.code) })
    })
  }

  const lang = params.get('lang')
  if (lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) document.documentElement.lang = lang

  const wallets = new BridgedWallets(walletPort)
  // Draw once the page's wallets are listed, so the widget does not flash "no wallet".
  await wallets.ready()

  const config = document.createElement('tokentags-config')
  config.setAttribute('rpc', `${options.chainId}=${options.rpcUrl}`)
  if (options.relayUrl) config.setAttribute('relay', options.relayUrl)
  if (options.siteKey) config.setAttribute('site-key', options.siteKey)
  config.setAttribute('gasless', options.gasless)

  if (options.solanaRpcUrl) config.setAttribute('solana-rpc', options.solanaRpcUrl)

  const to = params.get('to') ?? ''
  const solana = to.startsWith('sol:')
  const token = solana ? options.solanaToken : options.token
  const tip = document.createElement('token-tip')
  tip.setAttribute('to', to)
  if (!solana) tip.setAttribute('chain', String(options.chainId))
  tip.setAttribute('amounts', options.amounts)
  if (token && token !== 'native') tip.setAttribute('token', token)
  if (options.router && !solana) {
    tip.setAttribute('router', options.router)
    const memo = params.get('memo')
    if (memo) tip.setAttribute('memo', memo.slice(0, 140))
  }
  document.body.append(config, tip)
}

void main()

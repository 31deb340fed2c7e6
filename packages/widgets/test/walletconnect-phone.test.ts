// WalletConnect's pairing view inside a widget on a phone (emulated: test/visitor-plugin.mjs), in French: wallet-app
// links with the pairing URI come first (a phone cannot scan its own screen), then the code; Cancel goes back to the
// wallet list. The loopback WalletConnect relay of test/walletconnect-plugin.mjs stands in for WalletConnect's service
// (which cannot be reached here); no phone pairs in this file. Also: WalletConnect being offered does not hide paying by
// an EIP-681 code from a browser without a wallet.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/define.js'
import { configureTokenTags, type TokenClaim, type TokenTip } from '../src/index.js'
import { resetPageConfig } from '../src/internal/config.js'
import { SAMPLE_VAULT } from '../src/testing/index.js'

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()

let relayUrl: string

before(async function () {
  this.timeout(60_000)
  ;({ relayUrl } = (await executeServerCommand('tokentags-walletconnect', { kind: 'phone-view' })) as {
    relayUrl: string
  })
  // sign-client's own test switch (no Verify API iframe, no telemetry); it also looks for Node's `global`.
  Object.assign(globalThis, { process: { env: { IS_VITEST: 'true' } }, global: globalThis })
})

after(async () => {
  resetPageConfig()
  await executeServerCommand('tokentags-phone', false)
})

it('on a phone: wallet-app links first, then the code; Cancel goes back to the wallets (in French)', async function () {
  this.timeout(30_000)
  await executeServerCommand('tokentags-phone', true)
  configureTokenTags({
    chains: [{ id: 31337, rpcUrl: 'http://127.0.0.1:9' }],
    walletConnect: { projectId: 'tokentags-wtr-phone', relayUrl },
  })
  const el = await fixture<TokenClaim>(
    html`<token-claim vault=${SAMPLE_VAULT} chain="31337" locale="fr"></token-claim>`,
  )
  await waitUntil(() => el.state.status === 'choose-wallet', `still ${el.state.status}`)
  await el.updateComplete
  const root = el.shadowRoot as ShadowRoot
  root.querySelector<HTMLButtonElement>('button[data-wallet-id="walletConnect"]')?.click()
  await waitUntil(() => el.state.status === 'pairing', `still ${el.state.status}`, { timeout: 20_000 })
  await el.updateComplete
  const uri = (el.state as { uri: string }).uri
  expect(text(root.querySelector('[role="status"]'))).to.equal('Ouvrez votre app de portefeuille pour vous connecter.')
  const links = [...root.querySelectorAll<HTMLAnchorElement>('a[part~="deep-link"]')]
  expect(links.map(text)).to.deep.equal([
    'Ouvrir dans MetaMask',
    'Ouvrir dans Trust Wallet',
    'Ouvrir dans Rainbow',
    'Autre portefeuille',
  ])
  expect(links[0]?.href).to.equal(`https://metamask.app.link/wc?uri=${encodeURIComponent(uri)}`)
  expect(links.at(-1)?.getAttribute('href')).to.equal(uri)
  // Links before the code on a phone.
  const list = root.querySelector('[part="wallet-list"]') as Element
  const code = root.querySelector('[part="pairing-qr"]') as Element
  expect(list.compareDocumentPosition(code) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0)
  await expect(el).shadowDom.to.be.accessible()

  const cancel = [...root.querySelectorAll('button')].find((b) => text(b) === 'Annuler')
  cancel?.click()
  await waitUntil(() => el.state.status === 'choose-wallet', `still ${el.state.status}`)
})

it('a tip without a browser wallet offers WalletConnect and still paying by an EIP-681 code', async () => {
  configureTokenTags({
    chains: [{ id: 31337, rpcUrl: 'http://127.0.0.1:9' }],
    walletConnect: { projectId: 'tokentags-wtr-phone', relayUrl },
  })
  const el = await fixture<TokenTip>(
    html`<token-tip to="0x70997970C51812dc3A010C7d01b50e0d17dc79C8" amounts="0.01" chain="31337"></token-tip>`,
  )
  await waitUntil(() => el.state.status === 'choose-wallet', `still ${el.state.status}`)
  await el.updateComplete
  const root = el.shadowRoot as ShadowRoot
  expect(text(root.querySelector('[part="wallet-list"]'))).to.equal('WalletConnect')
  expect(text(root.querySelector('[part~="qr-offer"]'))).to.equal('Pay from any phone wallet')
})

import type { Meta, StoryObj } from '@storybook/web-components-vite'
import '@tokentags/widgets/define'
import type { TipState, TokenTip } from '@tokentags/widgets'
import {
  SAMPLE_CREATOR,
  SAMPLE_SOLANA_CREATOR,
  SAMPLE_SOLANA_MINT,
  SAMPLE_USDC,
  TipHarness,
  tipStates,
} from '@tokentags/widgets/testing'
import { html } from 'lit'
import { check, textOf, tokenStyles, type WidgetArgs, widget, widgetArgs, widgetArgTypes } from './harness.js'

const states = {
  loading: () => tipStates.loading(),
  'no-wallet': () => tipStates.noWallet(),
  'no-wallet (phone)': () => tipStates.noWalletPhone(),
  'choose-wallet': () => tipStates.chooseWallet(),
  'wrong-network': () => tipStates.wrongNetwork(),
  ready: () => tipStates.ready(),
  'ready (native coin)': () => tipStates.readyNative(),
  'ready (pay from a phone wallet)': () => tipStates.readyQr(),
  'qr (EIP-681 code)': () => tipStates.qr(),
  signing: () => tipStates.signing(),
  'pending (queued, relay)': () => tipStates.pending('queued', 'relay'),
  'pending (submitted, wallet)': () => tipStates.pending('submitted', 'wallet'),
  success: () => tipStates.success(),
  error: () => tipStates.error(),
  'error (relay refused)': () => tipStates.relayRefused(),
  'unavailable (Solana)': () => tipStates.unavailable(),
  'Solana: no wallet': () => tipStates.noWallet(),
  'Solana: choose wallet': () => tipStates.solanaChooseWallet(),
  'Solana: ready (SOL)': () => tipStates.solanaReady(),
  'Solana: ready (SPL)': () => tipStates.solanaReadySpl(),
  'Solana: signing': () => tipStates.solanaSigning(),
  'Solana: pending': () => tipStates.solanaPending(),
  'Solana: success': () => tipStates.solanaSuccess(),
} satisfies Record<string, () => TipState>

interface TipArgs extends WidgetArgs {
  state: keyof typeof states
  to: string
  token: string
  amounts: string
  memo: string
  chain: string
}

/**
 * `<token-tip>` in every state, drawn by `TipHarness` of `@tokentags/widgets/testing`. Pressing Tip moves the
 * harness on (signing), a wallet or network button back to ready.
 */
const meta: Meta<TipArgs> = {
  title: 'Widgets/token-tip',
  component: 'token-tip',
  args: {
    ...widgetArgs,
    state: 'ready',
    to: SAMPLE_CREATOR,
    token: SAMPLE_USDC,
    amounts: '1,5,10',
    memo: '',
    chain: '8453',
  },
  argTypes: {
    ...widgetArgTypes,
    state: { control: 'select', options: Object.keys(states), description: 'State seeded by `TipHarness`' },
    to: { control: 'text' },
    token: { control: 'text' },
    amounts: { control: 'text' },
    memo: { control: 'text' },
    chain: { control: 'text' },
  },
  render: (args) => {
    const harness = new TipHarness(states[args.state](), {
      onAction: (action, h) => {
        if (action.type === 'tip') h.setState(tipStates.signing(action.amount))
        if (action.type === 'chooseWallet' || action.type === 'switchChain' || action.type === 'retry')
          h.setState(tipStates.ready())
      },
    })
    return html`<token-tip
      to=${args.to}
      token=${args.token}
      amounts=${args.amounts}
      memo=${args.memo}
      router=${args.memo ? SAMPLE_USDC : ''}
      chain=${args.chain}
      locale=${args.locale}
      theme=${args.theme}
      style=${tokenStyles(args)}
      .controller=${harness}
    ></token-tip>`
  },
}
export default meta

type Story = StoryObj<TipArgs>

const statusIs =
  (expected: RegExp) =>
  async ({ canvasElement }: { canvasElement: HTMLElement }) => {
    const el = await widget<TokenTip>(canvasElement, 'token-tip')
    const status = textOf(el.shadowRoot?.querySelector('[part~="status"]'))
    check(expected.test(status), `status "${status}" does not match ${expected}`)
  }

export const Loading: Story = { args: { state: 'loading' }, play: statusIs(/Loading/) }
export const NoWallet: Story = { args: { state: 'no-wallet' }, play: statusIs(/No wallet found/) }
export const ChooseWallet: Story = { args: { state: 'choose-wallet' }, play: statusIs(/Choose a wallet/) }
/** On a phone without a wallet: links into wallet apps, and paying from any phone wallet by QR code. */
export const NoWalletPhone: Story = {
  args: { state: 'no-wallet (phone)' },
  play: async ({ canvasElement }) => {
    await statusIs(/No wallet found/)({ canvasElement })
    const el = await widget<TokenTip>(canvasElement, 'token-tip')
    const links = [...(el.shadowRoot?.querySelectorAll('a[part~="deep-link"]') ?? [])].map(textOf)
    check(
      links.join('|') === 'Open in MetaMask|Open in Coinbase Wallet|Open in Trust Wallet|Open in Rainbow',
      links.join('|'),
    )
    check(
      /You pay the network fee yourself/.test(el.shadowRoot?.textContent ?? ''),
      'the fee is said before the QR offer',
    )
  },
}
export const ReadyPayByQr: Story = {
  name: 'Ready (pay from a phone wallet)',
  args: { state: 'ready (pay from a phone wallet)' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenTip>(canvasElement, 'token-tip')
    el.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part~="preset"]')[1]?.click()
    await el.updateComplete
    const action = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="action"]')
    check(textOf(action) === 'Show the code for 5 USDC', `action says "${textOf(action)}"`)
  },
}
export const PaymentCode: Story = {
  name: 'QR (EIP-681 code)',
  args: { state: 'qr (EIP-681 code)' },
  play: async ({ canvasElement }) => {
    await statusIs(/Scan with your phone wallet to pay 5 USDC/)({ canvasElement })
    const el = await widget<TokenTip>(canvasElement, 'token-tip')
    check(!!el.shadowRoot?.querySelector('svg[part~="qr"][aria-label="Payment code for 5 USDC"]'), 'the code is drawn')
  },
}
export const WrongNetwork: Story = { args: { state: 'wrong-network' }, play: statusIs(/Switch to Base to tip/) }
export const Ready: Story = {
  args: { state: 'ready' },
  play: async ({ canvasElement }) => {
    await statusIs(/Send a tip to/)({ canvasElement })
    const el = await widget<TokenTip>(canvasElement, 'token-tip')
    el.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part~="preset"]')[1]?.click()
    await el.updateComplete
    const action = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="action"]')
    check(textOf(action) === 'Tip 5 USDC', 'the action says what it sends')
    action?.click()
    await el.updateComplete
    await statusIs(/Confirm in your wallet/)({ canvasElement })
  },
}
export const ReadyNative: Story = {
  args: { state: 'ready (native coin)', token: 'native' },
  play: statusIs(/Send a tip/),
}
export const WithMemo: Story = {
  args: { state: 'ready', memo: 'Thanks for the stream!' },
  play: statusIs(/Send a tip/),
}
export const Signing: Story = { args: { state: 'signing' }, play: statusIs(/Confirm in your wallet/) }
export const PendingQueued: Story = { args: { state: 'pending (queued, relay)' }, play: statusIs(/queued/) }
export const PendingSubmitted: Story = {
  args: { state: 'pending (submitted, wallet)' },
  play: statusIs(/Transaction submitted/),
}
export const Success: Story = { args: { state: 'success' }, play: statusIs(/^Sent 5 USDC to 0x7099…79C8\.$/) }
export const ErrorRetryable: Story = { name: 'Error', args: { state: 'error' }, play: statusIs(/declined/) }
/** The relay refused the tip: why, and paying the gas as the visitor's explicit choice, with its cost. */
export const RelayRefused: Story = {
  args: { state: 'error (relay refused)' },
  play: async ({ canvasElement }) => {
    await statusIs(/does not pay the gas for this action \(TARGET_NOT_ALLOWED\)/)({ canvasElement })
    const el = await widget<TokenTip>(canvasElement, 'token-tip')
    const pay = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="pay-gas"]')
    check(/^Pay the gas myself \(≈ 0\.00012 ETH\)$/.test(textOf(pay)), `the choice says its cost: "${textOf(pay)}"`)
  },
}
export const Unavailable: Story = {
  args: { state: 'unavailable (Solana)', to: 'sol:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin', token: 'native' },
  play: statusIs(/not available here/),
}
const solana = { to: SAMPLE_SOLANA_CREATOR, token: 'native', chain: '', amounts: '0.1,0.5,1' }
export const SolanaNoWallet: Story = {
  args: { ...solana, state: 'Solana: no wallet' },
  play: statusIs(/^No Solana wallet found\.$/),
}
export const SolanaChooseWallet: Story = {
  args: { ...solana, state: 'Solana: choose wallet' },
  play: statusIs(/Choose a Solana wallet/),
}
export const SolanaReady: Story = {
  args: { ...solana, state: 'Solana: ready (SOL)' },
  play: statusIs(/Send a tip to 9xQeWv…VFin/),
}
export const SolanaReadySpl: Story = {
  args: { ...solana, token: SAMPLE_SOLANA_MINT, amounts: '1,5', state: 'Solana: ready (SPL)' },
  play: statusIs(/Send a tip to 9xQeWv…VFin/),
}
export const SolanaSigning: Story = {
  args: { ...solana, state: 'Solana: signing' },
  play: statusIs(/Confirm in your wallet/),
}
export const SolanaPending: Story = {
  args: { ...solana, state: 'Solana: pending' },
  play: statusIs(/Transaction submitted/),
}
export const SolanaSuccess: Story = {
  args: { ...solana, state: 'Solana: success' },
  play: statusIs(/^Sent 0\.5 SOL to 9xQeWv…VFin\.$/),
}
export const InvalidAttribute: Story = {
  args: { amounts: '1,five' },
  play: statusIs(/"five" in amounts is not a positive number/),
}

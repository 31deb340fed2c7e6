import type { Meta, StoryObj } from '@storybook/web-components-vite'
import '@tokentags/widgets/define'
import type { BuyState, TokenBuy } from '@tokentags/widgets'
import { BuyHarness, buyStates, SAMPLE_SALE, sampleQuote } from '@tokentags/widgets/testing'
import { html } from 'lit'
import { check, textOf, tokenStyles, type WidgetArgs, widget, widgetArgs, widgetArgTypes } from './harness.js'

const states = {
  loading: () => buyStates.loading(),
  'no-wallet': () => buyStates.noWallet(),
  'choose-wallet': () => buyStates.chooseWallet(),
  'choose-wallet (sale facts, no wallet yet)': () => buyStates.guest(),
  'wrong-network': () => buyStates.wrongNetwork(),
  'not-started': () => buyStates.notStarted(),
  ended: () => buyStates.ended(),
  'sold-out': () => buyStates.soldOut(),
  'over-cap': () => buyStates.overCap(),
  paused: () => buyStates.paused(),
  ready: () => buyStates.ready(),
  'ready (native coin)': () => buyStates.readyNative(),
  signing: () => buyStates.signing(),
  'pending (queued, relay)': () => buyStates.pending('queued', 'relay'),
  success: () => buyStates.success(),
  'error (stale quote)': () => buyStates.error('SLIPPAGE'),
  'error (relay refused)': () => buyStates.relayRefused(),
  'error (reverted, wallet paid)': () => buyStates.failed('TRANSACTION_FAILED', 'wallet'),
  'error (approval only)': () => buyStates.failed('USER_REJECTED', 'wallet', true),
} satisfies Record<string, () => BuyState>

interface BuyArgs extends WidgetArgs {
  state: keyof typeof states
  sale: string
  chain: string
  slippage: string
}

/**
 * `<token-buy>` in every state, drawn by `BuyHarness`. Typing an amount answers with a sample quote (10 USDC →
 * 20 TAG); Buy moves on to signing.
 */
const meta: Meta<BuyArgs> = {
  title: 'Widgets/token-buy',
  component: 'token-buy',
  args: { ...widgetArgs, state: 'ready', sale: SAMPLE_SALE, chain: '8453', slippage: '' },
  argTypes: {
    ...widgetArgTypes,
    state: { control: 'select', options: Object.keys(states), description: 'State seeded by `BuyHarness`' },
    sale: { control: 'text' },
    chain: { control: 'text' },
    slippage: { control: 'text' },
  },
  render: (args) => {
    const harness = new BuyHarness(states[args.state](), {
      onAction: (action, h) => {
        if (action.type === 'quote')
          h.setState(
            action.amountIn > 0n
              ? buyStates.ready(
                  {},
                  sampleQuote({
                    amountIn: action.amountIn,
                    amountOut: action.amountIn * 2n * 10n ** 12n,
                    minOut: (action.amountIn * 2n * 10n ** 12n * 995n) / 1000n,
                  }),
                )
              : buyStates.ready(),
          )
        if (action.type === 'buy') h.setState(buyStates.signing())
        if (action.type === 'chooseWallet' || action.type === 'switchChain' || action.type === 'retry')
          h.setState(buyStates.ready())
      },
    })
    return html`<token-buy
      sale=${args.sale}
      chain=${args.chain}
      slippage=${args.slippage}
      locale=${args.locale}
      theme=${args.theme}
      style=${tokenStyles(args)}
      .controller=${harness}
    ></token-buy>`
  },
}
export default meta

type Story = StoryObj<BuyArgs>

const statusIs =
  (expected: RegExp) =>
  async ({ canvasElement }: { canvasElement: HTMLElement }) => {
    const el = await widget<TokenBuy>(canvasElement, 'token-buy')
    const status = textOf(el.shadowRoot?.querySelector('[part~="status"]'))
    check(expected.test(status), `status "${status}" does not match ${expected}`)
  }

export const Loading: Story = { args: { state: 'loading' }, play: statusIs(/Loading the sale/) }
export const NoWallet: Story = { args: { state: 'no-wallet' }, play: statusIs(/No wallet found/) }
export const ChooseWallet: Story = { args: { state: 'choose-wallet' }, play: statusIs(/Choose a wallet to buy/) }
export const WrongNetwork: Story = { args: { state: 'wrong-network' }, play: statusIs(/Switch to Base to buy/) }
export const NotStarted: Story = { args: { state: 'not-started' }, play: statusIs(/not started yet/) }
export const Ended: Story = { args: { state: 'ended' }, play: statusIs(/has ended/) }
export const SoldOut: Story = { args: { state: 'sold-out' }, play: statusIs(/Sold out/) }
export const OverCap: Story = { args: { state: 'over-cap' }, play: statusIs(/the most one buyer can/) }
export const Paused: Story = { args: { state: 'paused' }, play: statusIs(/paused/) }
export const Ready: Story = {
  args: { state: 'ready' },
  play: async ({ canvasElement }) => {
    await statusIs(/^Buy TAG\.$/)({ canvasElement })
    const el = await widget<TokenBuy>(canvasElement, 'token-buy')
    const input = el.shadowRoot?.querySelector<HTMLInputElement>('[part~="input"]')
    check(input, 'the payment field is there')
    input.value = '10'
    input.dispatchEvent(new Event('input'))
    await el.updateComplete
    const action = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="action"]')
    check(textOf(action) === 'Buy 20 TAG', `the action says what it buys, not "${textOf(action)}"`)
  },
}
export const ReadyNative: Story = { args: { state: 'ready (native coin)' }, play: statusIs(/^Buy TAG\.$/) }
export const Signing: Story = { args: { state: 'signing' }, play: statusIs(/Confirm in your wallet/) }
export const Pending: Story = { args: { state: 'pending (queued, relay)' }, play: statusIs(/queued/) }
export const Success: Story = { args: { state: 'success' }, play: statusIs(/^Bought 20 TAG for 10 USDC\.$/) }
export const StaleQuote: Story = { args: { state: 'error (stale quote)' }, play: statusIs(/price changed/) }
export const InvalidAttribute: Story = { args: { sale: 'not-an-address' }, play: statusIs(/is not an address/) }
/** No wallet yet: the sale's price, cap and what is left, the limit per buyer and the time left, above the wallets. */
export const SaleFactsWithoutWallet: Story = {
  args: { state: 'choose-wallet (sale facts, no wallet yet)' },
  play: async ({ canvasElement }) => {
    await statusIs(/Choose a wallet to buy/)({ canvasElement })
    const el = await widget<TokenBuy>(canvasElement, 'token-buy')
    const facts = textOf(el.shadowRoot?.querySelector('[part~="facts"]'))
    check(
      /^Price 0\.5 USDC per TAG Left 40,000 TAG of 100,000 TAG Per buyer 1,000 TAG Closes /.test(facts),
      `the facts: "${facts}"`,
    )
    check(!!el.shadowRoot?.querySelector('[part~="wallet-list"]'), 'the wallets are listed below')
  },
}
export const SaleFactsWithoutWalletGerman: Story = {
  args: { state: 'choose-wallet (sale facts, no wallet yet)', locale: 'de' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenBuy>(canvasElement, 'token-buy')
    await el.updateComplete
    const facts = textOf(el.shadowRoot?.querySelector('[part~="facts"]'))
    check(/Übrig 40\.000 TAG von 100\.000 TAG Pro Käufer 1\.000 TAG/.test(facts), `the facts in German: "${facts}"`)
  },
}
/** The relay refused the buy: why, and paying the gas as the visitor's explicit choice, with its cost. */
export const RelayRefused: Story = {
  args: { state: 'error (relay refused)' },
  play: async ({ canvasElement }) => {
    await statusIs(/does not pay the gas for this action \(TARGET_NOT_ALLOWED\)/)({ canvasElement })
    const el = await widget<TokenBuy>(canvasElement, 'token-buy')
    const pay = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="pay-gas"]')
    check(/^Pay the gas myself \(≈ 0\.00012 ETH\)$/.test(textOf(pay)), `the choice says its cost: "${textOf(pay)}"`)
  },
}
/** Reverted on chain: the failed transaction, and who paid its fee. */
export const RevertedWalletPaid: Story = {
  args: { state: 'error (reverted, wallet paid)' },
  play: async ({ canvasElement }) => {
    await statusIs(/^The transaction failed on the network\.$/)({ canvasElement })
    const el = await widget<TokenBuy>(canvasElement, 'token-buy')
    const paid = textOf(el.shadowRoot?.querySelector('[part~="paid"]'))
    check(paid === 'You paid the gas from your wallet.', `says who paid: "${paid}"`)
    check(!!el.shadowRoot?.querySelector('[part~="hash"]'), 'links the failed transaction')
  },
}
/** Partly done: the approval went through, the buy was declined. */
export const ApprovalOnly: Story = {
  args: { state: 'error (approval only)' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenBuy>(canvasElement, 'token-buy')
    const paid = textOf(el.shadowRoot?.querySelector('[part~="paid"]'))
    check(
      paid === 'Only the approval went through. You paid the gas from your wallet.',
      `says what happened: "${paid}"`,
    )
  },
}

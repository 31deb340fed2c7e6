import type { Meta, StoryObj } from '@storybook/web-components-vite'
import '@tokentags/widgets/define'
import type { ClaimState, TokenClaim } from '@tokentags/widgets'
import { ClaimHarness, claimStates, SAMPLE_VAULT, sampleSummary } from '@tokentags/widgets/testing'
import { html } from 'lit'
import { check, textOf, tokenStyles, type WidgetArgs, widget, widgetArgs, widgetArgTypes } from './harness.js'

const states = {
  loading: () => claimStates.loading(),
  'no-wallet': () => claimStates.noWallet(),
  'no-wallet (phone)': () => claimStates.noWalletPhone(),
  'choose-wallet': () => claimStates.chooseWallet(),
  'check an address (answered)': () => claimStates.lookup(),
  'check an address (no schedule)': () =>
    claimStates.lookup({
      status: 'found',
      address: '0x000000000000000000000000000000000000dEaD',
      summary: sampleSummary({ total: 0n, vested: 0n, released: 0n, claimable: 0n, nextUnlock: undefined }),
    }),
  'wrong-network': () => claimStates.wrongNetwork(),
  'nothing-to-claim': () => claimStates.nothingToClaim(),
  claimable: () => claimStates.claimable(),
  signing: () => claimStates.signing(),
  'pending (queued, relay)': () => claimStates.pending('queued', 'relay'),
  'pending (submitted, wallet)': () => claimStates.pending('submitted', 'wallet'),
  success: () => claimStates.success(),
  error: () => claimStates.error(),
  'error (relay refused)': () => claimStates.relayRefused(),
  'error (declined, nothing sent)': () => claimStates.failed('USER_REJECTED', 'nobody'),
  'error (page must fix)': () =>
    claimStates.error('CHAIN_NOT_CONFIGURED', 'This network is not configured on this page.', false),
} satisfies Record<string, () => ClaimState>

interface ClaimArgs extends WidgetArgs {
  state: keyof typeof states
  vault: string
  chain: string
  gasless: '' | 'auto' | 'always' | 'never'
}

/**
 * `<token-claim>` in every state, drawn by the state harness of `@tokentags/widgets/testing`:
 * no wallet or chain needed. Pressing a button moves the harness on (Claim → signing → pending → success).
 */
const meta: Meta<ClaimArgs> = {
  title: 'Widgets/token-claim',
  component: 'token-claim',
  args: { ...widgetArgs, state: 'claimable', vault: SAMPLE_VAULT, chain: '8453', gasless: '' },
  argTypes: {
    ...widgetArgTypes,
    state: { control: 'select', options: Object.keys(states), description: 'State seeded by `ClaimHarness`' },
    vault: { control: 'text' },
    chain: { control: 'text' },
    gasless: { control: 'inline-radio', options: ['', 'auto', 'always', 'never'] },
  },
  render: (args) => {
    const harness = new ClaimHarness(states[args.state](), {
      onAction: (action, h) => {
        if (action.type === 'claim') h.setState(claimStates.signing())
        if (action.type === 'lookup')
          h.setState(
            claimStates.lookup({
              status: 'found',
              address: action.address,
              summary: sampleSummary({ gasless: false }),
            }),
          )
        if (action.type === 'chooseWallet' || action.type === 'switchChain' || action.type === 'retry')
          h.setState(claimStates.claimable())
      },
    })
    return html`<token-claim
      vault=${args.vault}
      chain=${args.chain}
      gasless=${args.gasless || 'auto'}
      locale=${args.locale}
      theme=${args.theme}
      style=${tokenStyles(args)}
      .controller=${harness}
    ></token-claim>`
  },
}
export default meta

type Story = StoryObj<ClaimArgs>

const statusIs =
  (expected: RegExp) =>
  async ({ canvasElement }: { canvasElement: HTMLElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const status = textOf(el.shadowRoot?.querySelector('[part~="status"]'))
    check(expected.test(status), `status "${status}" does not match ${expected}`)
  }

export const Loading: Story = { args: { state: 'loading' }, play: statusIs(/Loading your vesting/) }
export const NoWallet: Story = { args: { state: 'no-wallet' }, play: statusIs(/No wallet found/) }
/** On a phone without a wallet: links that reopen the page in EVM wallet apps' browsers. */
export const NoWalletPhone: Story = { args: { state: 'no-wallet (phone)' }, play: statusIs(/No wallet found/) }
export const ChooseWallet: Story = {
  args: { state: 'choose-wallet' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const buttons = el.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part~="wallet-list"] [part~="action"]')
    check(buttons?.length === 2, 'two wallets are listed')
    buttons?.[0]?.click()
    await el.updateComplete
    await statusIs(/ready to claim/)({ canvasElement })
  },
}
export const WrongNetwork: Story = { args: { state: 'wrong-network' }, play: statusIs(/Switch to Base to claim/) }
export const NothingToClaim: Story = { args: { state: 'nothing-to-claim' }, play: statusIs(/Nothing to claim yet/) }
export const Claimable: Story = {
  args: { state: 'claimable' },
  play: async ({ canvasElement }) => {
    await statusIs(/^150 TAG ready to claim\.$/)({ canvasElement })
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const action = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="action"]')
    check(textOf(action) === 'Claim 150 TAG', 'the action says what it claims')
    action?.focus()
    action?.click()
    await el.updateComplete
    await statusIs(/Confirm in your wallet/)({ canvasElement })
    // The pressed button went away: focus stays in the widget, on the status line.
    check(el.shadowRoot?.activeElement?.getAttribute('part') === 'status', 'focus moved to the status line')
  },
}
export const Signing: Story = { args: { state: 'signing' }, play: statusIs(/Confirm in your wallet/) }
export const PendingQueued: Story = { args: { state: 'pending (queued, relay)' }, play: statusIs(/queued/) }
export const PendingSubmitted: Story = {
  args: { state: 'pending (submitted, wallet)' },
  play: statusIs(/Transaction submitted/),
}
export const Success: Story = { args: { state: 'success' }, play: statusIs(/^Claimed 150 TAG\.$/) }
export const ErrorRetryable: Story = { name: 'Error', args: { state: 'error' }, play: statusIs(/declined/) }
/** "Check an address" without a wallet: type or paste an address, Check, and read what it can claim. */
export const CheckAnAddress: Story = {
  args: { state: 'choose-wallet' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const open = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="lookup-open"]')
    check(textOf(open) === 'Check an address', 'the card offers to check an address')
    open?.click()
    await el.updateComplete
    const field = el.shadowRoot?.querySelector<HTMLInputElement>('[part~="lookup"] input')
    check(field, 'the address field is there')
    field.value = '0x1234'
    field.dispatchEvent(new Event('input'))
    el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="lookup-check"]')?.click()
    await el.updateComplete
    check(field.getAttribute('aria-invalid') === 'true', 'a malformed address is refused')
    field.value = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
    field.dispatchEvent(new Event('input'))
    el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="lookup-check"]')?.click()
    await el.updateComplete
    const answer = textOf(el.shadowRoot?.querySelector('[part~="lookup-result"]'))
    check(/Claimable now 150 TAG/.test(answer), `the answer says what it can claim: "${answer}"`)
    check(/connect it to claim/.test(answer), 'the answer says claiming needs that wallet')
  },
}
export const CheckAnAddressAnswered: Story = {
  args: { state: 'check an address (answered)' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const answer = textOf(el.shadowRoot?.querySelector('[part~="lookup-result"]'))
    check(/^Vesting of 0x7099…79C8/.test(answer), `the answer names the address: "${answer}"`)
    check(/Claimed 250 TAG Claimable now 150 TAG/.test(answer), `claimed and claimable: "${answer}"`)
  },
}
export const CheckAnAddressNoSchedule: Story = {
  args: { state: 'check an address (no schedule)' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const answer = textOf(el.shadowRoot?.querySelector('[part~="lookup-result"]'))
    check(/no tokens vesting here/.test(answer), `says there is nothing: "${answer}"`)
  },
}
export const CheckAnAddressArabic: Story = {
  args: { state: 'check an address (answered)', locale: 'ar' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    await el.updateComplete
    const answer = textOf(el.shadowRoot?.querySelector('[part~="lookup-result"]'))
    check(/قابل للمطالبة الآن/.test(answer), `the answer is in Arabic: "${answer}"`)
  },
}
/** The relay refused the claim: why, and paying the gas as the visitor's explicit choice, with its cost. */
export const RelayRefused: Story = {
  args: { state: 'error (relay refused)' },
  play: async ({ canvasElement }) => {
    await statusIs(/does not pay the gas for this action \(TARGET_NOT_ALLOWED\)/)({ canvasElement })
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const pay = el.shadowRoot?.querySelector<HTMLButtonElement>('[part~="pay-gas"]')
    check(/^Pay the gas myself \(≈ 0\.00012 ETH\)$/.test(textOf(pay)), `the choice says its cost: "${textOf(pay)}"`)
  },
}
export const ErrorDeclinedNothingSent: Story = {
  args: { state: 'error (declined, nothing sent)' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const paid = textOf(el.shadowRoot?.querySelector('[part~="paid"]'))
    check(paid === 'Nothing was sent: you paid nothing.', `says who paid: "${paid}"`)
  },
}
export const ErrorPageMustFix: Story = {
  args: { state: 'error (page must fix)' },
  play: statusIs(/not configured on this page/),
}
export const InvalidAttribute: Story = {
  args: { vault: 'not-an-address' },
  play: statusIs(/is not an address/),
}

export const Dark: Story = { args: { state: 'claimable', theme: 'dark' } }
export const Light: Story = { args: { state: 'claimable', theme: 'light' } }
export const Arabic: Story = {
  args: { state: 'claimable', locale: 'ar' },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    check(el.getAttribute('dir') === 'rtl', 'Arabic is right to left')
    await statusIs(/جاهزة للمطالبة/)({ canvasElement })
  },
}
export const ArabicDarkSuccess: Story = { args: { state: 'success', locale: 'ar', theme: 'dark' } }
export const French: Story = { args: { state: 'nothing-to-claim', locale: 'fr' }, play: statusIs(/Rien à réclamer/) }
export const German: Story = { args: { state: 'claimable', locale: 'de' }, play: statusIs(/bereit zum Abholen/) }
export const Spanish: Story = { args: { state: 'choose-wallet', locale: 'es' }, play: statusIs(/Elige una billetera/) }
export const CustomTheme: Story = {
  args: {
    state: 'claimable',
    accent: '#0f766e',
    accentText: '#ffffff',
    radius: '4px',
    spacing: '1.5rem',
    font: 'Georgia, serif',
  },
  play: async ({ canvasElement }) => {
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    const action = el.shadowRoot?.querySelector('[part~="action"]') as Element
    check(getComputedStyle(action).backgroundColor === 'rgb(15, 118, 110)', 'the accent token colours the action')
  },
}

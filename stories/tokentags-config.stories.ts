import type { Meta, StoryObj } from '@storybook/web-components-vite'
import '@tokentags/widgets/define'
import type { TokenClaim } from '@tokentags/widgets'
import { SAMPLE_VAULT } from '@tokentags/widgets/testing'
import { html } from 'lit'
import { check, textOf, widget } from './harness.js'

interface ConfigArgs {
  rpc: string
  relay: string
  siteKey: string
  gasless: 'auto' | 'always' | 'never'
}

/**
 * `<tokentags-config>` draws nothing: it configures the page's widgets. Here a `<token-claim>` for
 * chain 8453 beside it shows the effect (without an RPC for 8453 it says the network is not configured;
 * no request leaves the page).
 */
const meta: Meta<ConfigArgs> = {
  title: 'Widgets/tokentags-config',
  component: 'tokentags-config',
  args: { rpc: '31337=http://127.0.0.1:8545', relay: 'http://127.0.0.1:8787', siteKey: 'pk_dev', gasless: 'auto' },
  argTypes: {
    rpc: { control: 'text' },
    relay: { control: 'text' },
    siteKey: { name: 'site-key', control: 'text' },
    gasless: { control: 'inline-radio', options: ['auto', 'always', 'never'] },
  },
  render: (args) => html`
    <tokentags-config rpc=${args.rpc} relay=${args.relay} site-key=${args.siteKey} gasless=${args.gasless}></tokentags-config>
    <token-claim vault=${SAMPLE_VAULT} chain="8453"></token-claim>
  `,
}
export default meta

export const ChainNotConfigured: StoryObj<ConfigArgs> = {
  play: async ({ canvasElement }) => {
    const config = canvasElement.querySelector('tokentags-config') as HTMLElement
    check(getComputedStyle(config).display === 'none', '<tokentags-config> draws nothing')
    const el = await widget<TokenClaim>(canvasElement, 'token-claim')
    for (let i = 0; i < 50 && el.state.status !== 'error'; i++) await new Promise((r) => setTimeout(r, 20))
    await el.updateComplete
    const status = textOf(el.shadowRoot?.querySelector('[part~="status"]'))
    check(/not configured on this page/.test(status), `status "${status}"`)
  },
}

import { TokenClaim, TokenTagsConfig } from '@tokentags/widgets/react'
import { useState } from 'react'

// Filled in by vite.config.ts: VITE_TOKENTAGS_* (.env), else the running dev stack's deployment.
const { rpc, relay, siteKey, chain, vault } = __TOKENTAGS__

export function App() {
  const [status, setStatus] = useState('…')
  const [theme, setTheme] = useState<'auto' | 'light' | 'dark'>('auto')
  if (!rpc || !relay || !siteKey || !chain || !vault) {
    return (
      <main>
        <h1>Claim your tokens</h1>
        <p role="alert">
          No chain or relay configured: run <code>npm start</code> at the repository root (it writes{' '}
          <code>.tokentags/local.json</code>) and start this app again, or set VITE_TOKENTAGS_RPC, VITE_TOKENTAGS_RELAY,
          VITE_TOKENTAGS_SITE_KEY, VITE_TOKENTAGS_CHAIN and VITE_TOKENTAGS_VAULT.
        </p>
      </main>
    )
  }
  return (
    <main>
      <h1>Claim your tokens</h1>
      <TokenTagsConfig rpc={rpc} relay={relay} siteKey={siteKey} />
      <label>
        Theme{' '}
        <select value={theme} onChange={(e) => setTheme(e.target.value as typeof theme)}>
          <option value="auto">auto</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
      <TokenClaim
        vault={vault}
        chain={chain}
        theme={theme}
        onTokenStatus={(event) => setStatus(event.detail.status)}
        onTokenSuccess={(event) => console.log('claimed in', event.detail.txHash)}
      />
      <p data-testid="status">Widget status: {status}</p>
    </main>
  )
}

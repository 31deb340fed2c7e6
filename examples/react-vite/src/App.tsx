import { TokenClaim, TokenTagsConfig } from '@tokentags/widgets/react'
import { useState } from 'react'

// The dev stack (`npm start` at the repo root) serves these; set your own in .env (VITE_…).
const RPC = import.meta.env.VITE_TOKENTAGS_RPC ?? '31337=http://127.0.0.1:8545'
const RELAY = import.meta.env.VITE_TOKENTAGS_RELAY ?? 'http://127.0.0.1:8787'
const VAULT = import.meta.env.VITE_TOKENTAGS_VAULT ?? '0x5FbDB2315678afecb367f032d93F642f64180aa3'

export function App() {
  const [status, setStatus] = useState('…')
  const [theme, setTheme] = useState<'auto' | 'light' | 'dark'>('auto')
  return (
    <main>
      <h1>Claim your tokens</h1>
      <TokenTagsConfig rpc={RPC} relay={RELAY} siteKey="pk_dev" />
      <label>
        Theme{' '}
        <select value={theme} onChange={(e) => setTheme(e.target.value as typeof theme)}>
          <option value="auto">auto</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
      </label>
      <TokenClaim
        vault={VAULT}
        chain="31337"
        theme={theme}
        onTokenStatus={(event) => setStatus(event.detail.status)}
        onTokenSuccess={(event) => console.log('claimed in', event.detail.txHash)}
      />
      <p data-testid="status">Widget status: {status}</p>
    </main>
  )
}

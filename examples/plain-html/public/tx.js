// A tiny explorer for the dev stack's anvil: `tx.html#<hash>` shows the transaction and its receipt.
const rpcUrl = document.querySelector('meta[name="tokentags-rpc"]')?.content
const hash = location.hash.slice(1)
const status = document.getElementById('tx-status')
const facts = document.getElementById('tx-facts')

async function rpc(method, params) {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = await response.json()
  if (body.error) throw new Error(body.error.message)
  return body.result
}

function fact(name, value) {
  const dt = document.createElement('dt')
  dt.textContent = name
  const dd = document.createElement('dd')
  dd.textContent = value
  dd.dir = 'ltr'
  facts.append(dt, dd)
}

/** Wei as ETH, exactly (no floating point). */
function eth(hex) {
  const wei = BigInt(hex)
  const fraction = (wei % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '')
  return `${wei / 10n ** 18n}${fraction ? `.${fraction}` : ''} ETH`
}

async function show() {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) {
    status.textContent = 'No transaction hash in the address (tx.html#0x…).'
    return
  }
  const [tx, receipt] = await Promise.all([
    rpc('eth_getTransactionByHash', [hash]),
    rpc('eth_getTransactionReceipt', [hash]),
  ])
  if (!tx) {
    status.textContent = 'This local chain has no such transaction (was the dev stack restarted?).'
    return
  }
  status.textContent = !receipt ? 'Pending.' : receipt.status === '0x1' ? 'Confirmed.' : 'Failed (reverted).'
  fact('Hash', hash)
  fact('From', tx.from)
  fact('To', tx.to ?? '(contract creation)')
  fact('Value', eth(tx.value))
  if (receipt) {
    fact('Block', String(BigInt(receipt.blockNumber)))
    fact('Gas used', String(BigInt(receipt.gasUsed)))
    fact('Fee', eth(`0x${(BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice)).toString(16)}`))
    fact('Events', String(receipt.logs.length))
  }
}

show().catch((error) => {
  status.textContent = `The local chain could not be read: ${error.message}`
})

// A @web/test-runner server plugin for the buy quote tests (test/buy-quote.chain.test.ts): a JSON-RPC proxy in front
// of the chain plugin's anvil that can hold or refuse a sale's `quote(amountIn)` read, so a test decides when (and
// whether) the quote answers. Everything else goes straight to anvil.
//   tokentags-rpc-hold  payload:
//     { start: rpcUrl }                 starts the proxy (once): answers { url }
//     { hold: amountIn } / { fail: amountIn }  from now on, holds (no answer) or refuses (a JSON-RPC error) every
//                                       eth_call of `quote(amountIn)` (decimal string); answers { held }
//     { release: true }                 drops the rules and lets the held requests through: answers { held: 0 }
//     { calls: amountIn }               answers { held, calls }: how many reads of `quote(amountIn)` came so far
//     {}                                answers { held }: how many requests are held now
import { createServer } from 'node:http'

export function rpcHoldPlugin() {
  let server
  let started
  let upstream
  /** Calldata prefixes (selector and amount) to hold or refuse. */
  let hold
  let fail
  const held = []
  /** Calldata of every eth_call that came, to count a quote's reads. */
  const seen = []

  async function quoteCall(amountIn) {
    const { encodeFunctionData, parseAbi } = await import('viem')
    return encodeFunctionData({
      abi: parseAbi(['function quote(uint256) view returns (uint256)']),
      functionName: 'quote',
      args: [BigInt(amountIn)],
    })
  }

  const callData = (call) => (call.params?.[0]?.data ?? call.params?.[0]?.input)?.toLowerCase()
  const matches = (call, data) => !!data && call?.method === 'eth_call' && callData(call) === data

  async function forward(body) {
    const response = await fetch(upstream, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return response.json()
  }

  /** Anvil's answers, with a JSON-RPC error in place of each refused call. */
  async function answer(body) {
    const calls = Array.isArray(body) ? body : [body]
    const refused = calls.filter((call) => matches(call, fail))
    const passed = calls.filter((call) => !refused.includes(call))
    const answers = passed.length ? [await forward(passed)].flat() : []
    const byId = new Map(answers.map((a) => [a.id, a]))
    const all = calls.map(
      (call) =>
        byId.get(call.id) ?? {
          jsonrpc: '2.0',
          id: call.id,
          error: { code: -32000, message: 'refused by the test proxy' },
        },
    )
    return Array.isArray(body) ? all : all[0]
  }

  function start(rpcUrl) {
    upstream = rpcUrl
    server = createServer((req, res) => {
      res.setHeader('access-control-allow-origin', '*')
      res.setHeader('access-control-allow-headers', 'content-type')
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS')
      if (req.method === 'OPTIONS') {
        res.end()
        return
      }
      const chunks = []
      req.on('data', (chunk) => chunks.push(chunk))
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        const send = () =>
          answer(body).then(
            (result) => {
              res.setHeader('content-type', 'application/json')
              res.end(JSON.stringify(result))
            },
            () => {
              res.statusCode = 502
              res.end()
            },
          )
        const calls = Array.isArray(body) ? body : [body]
        for (const call of calls) if (call?.method === 'eth_call') seen.push(callData(call))
        if (calls.some((call) => matches(call, hold))) held.push(send)
        else send()
      })
    })
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}` })),
    )
  }

  return {
    name: 'tokentags-rpc-hold',
    async executeCommand({ command, payload = {} }) {
      if (command !== 'tokentags-rpc-hold') return undefined
      if (payload.start) {
        started ??= start(payload.start)
        return started
      }
      if (payload.hold) hold = await quoteCall(payload.hold)
      if (payload.fail) fail = await quoteCall(payload.fail)
      if (payload.release) {
        hold = undefined
        fail = undefined
        for (const send of held.splice(0)) send()
      }
      if (payload.calls) {
        const data = await quoteCall(payload.calls)
        return { held: held.length, calls: seen.filter((d) => d === data).length }
      }
      return { held: held.length }
    },
    async serverStop() {
      server?.closeAllConnections()
      server?.close()
    },
  }
}

// @web/test-runner server command for the cards that are useful without a wallet (test/cards.chain.test.ts):
//   tokentags-sales   deploys, on the test chain of chain-plugin.mjs (payload: its setup), three native-coin TokenSales
//                     of TAG that cannot be bought: one not started, one ended and one sold out (its whole 1 TAG cap
//                     bought by the deployer). Answers their addresses.
import { createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

// anvil's public dev account #0 (deployer of the test chain): never a real key.
const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'

async function deploySales(chain) {
  const { tagTokenAbi, tokenSaleAbi, tokenSaleBytecode } = await import('@tokentags/contracts')
  const viemChain = {
    id: chain.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [chain.rpcUrl] } },
  }
  const transport = http(chain.rpcUrl)
  const wallet = createWalletClient({ account: privateKeyToAccount(DEPLOYER_KEY), chain: viemChain, transport })
  const reader = createPublicClient({ chain: viemChain, transport })
  const wait = (hash) => reader.waitForTransactionReceipt({ hash })
  const { timestamp } = await reader.getBlock()
  const deploy = async (start, end, cap) => {
    const hash = await wallet.deployContract({
      abi: tokenSaleAbi,
      bytecode: tokenSaleBytecode,
      args: [
        chain.forwarder,
        {
          saleToken: chain.token,
          paymentToken: '0x0000000000000000000000000000000000000000',
          price: parseEther('0.001'),
          start,
          end,
          totalCap: cap,
          perBuyerCap: cap,
          admin: wallet.account.address,
          proceedsRecipient: wallet.account.address,
        },
      ],
    })
    const sale = (await wait(hash)).contractAddress
    await wait(
      await wallet.writeContract({
        address: chain.token,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [sale, cap],
      }),
    )
    return sale
  }
  const day = 86_400n
  const notStarted = await deploy(timestamp + day, timestamp + 2n * day, parseEther('1000'))
  const ended = await deploy(timestamp - 2n * day, timestamp - day, parseEther('1000'))
  const soldOut = await deploy(timestamp - 60n, timestamp + 30n * day, parseEther('1'))
  await wait(
    await wallet.writeContract({
      address: soldOut,
      abi: tokenSaleAbi,
      functionName: 'buy',
      args: [parseEther('0.001'), parseEther('1')],
      value: parseEther('0.001'),
    }),
  )
  return { notStarted, ended, soldOut }
}

export function salesPlugin() {
  return {
    name: 'tokentags-sales',
    async executeCommand({ command, payload }) {
      if (command !== 'tokentags-sales') return undefined
      return deploySales(payload)
    },
  }
}

#!/usr/bin/env node
// tokentags-contracts: deploy the TokenTags contracts and build/verify vesting Merkle proofs.
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  isHex,
  parseEther,
  parseUnits,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { deployPlatform } from './deploy.js'
import {
  buildVestingProofs,
  parseVestingCsv,
  VestingCsvError,
  type VestingProofsFile,
  verifyVestingProofs,
} from './vesting.js'

const USAGE = `Usage:
  tokentags-contracts deploy --rpc-url <url> [--out deployment.json] [--name <token name>] [--symbol <sym>]
                             [--supply <whole tokens>] [--creation-fee <ether>] [--fee-recipient <address>]
                             [--proposal-threshold <whole tokens>]
      Deploys the forwarder, TagToken, VestingVault, TipRouter, TokenSale, TokenFactory, timelock and governor.
      The token's roles, the factory and the tip router end with the timelock; the deployer keeps only the demo
      vault and sale. --creation-fee is at most 1 ether (the factory's bound); --proposal-threshold is above zero
      (default 1% of the supply). The deployer key is read from TOKENTAGS_DEPLOYER_KEY (0x-prefixed hex). Writes the
      addresses as JSON.

  tokentags-contracts vesting build <schedules.csv> [--out proofs.json] [--decimals <n>]
      CSV lines: beneficiary,amount,start,cliff,duration (amount in base units, or whole tokens with --decimals;
      start in unix seconds; cliff and duration in seconds after start). Prints the Merkle root and total, writes
      the proofs file. A malformed CSV is reported line by line and nothing is written.

  tokentags-contracts vesting verify <proofs.json> [--root <0x…>] [--csv <schedules.csv>] [--decimals <n>]
      Checks every proof against the root (the file's own unless --root), and with --csv that the file holds
      exactly the CSV's entries.
`

class UsageError extends Error {}

function writeJsonAtomically(path: string, value: unknown) {
  const text = `${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`
  const temp = `${path}.tmp-${process.pid}`
  writeFileSync(temp, text)
  renameSync(temp, path)
}

function decimalsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) > 77) throw new UsageError(`--decimals must be 0..77, got "${value}"`)
  return Number(value)
}

async function deploy(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      'rpc-url': { type: 'string' },
      out: { type: 'string', default: 'deployment.json' },
      name: { type: 'string' },
      symbol: { type: 'string' },
      supply: { type: 'string' },
      'creation-fee': { type: 'string' },
      'fee-recipient': { type: 'string' },
      'proposal-threshold': { type: 'string' },
    },
    strict: true,
  })
  const rpcUrl = values['rpc-url']
  if (!rpcUrl) throw new UsageError('deploy needs --rpc-url')
  const key = process.env.TOKENTAGS_DEPLOYER_KEY
  if (!key || !isHex(key) || key.length !== 66) {
    throw new UsageError('set TOKENTAGS_DEPLOYER_KEY to the deployer private key (0x + 64 hex digits)')
  }
  const feeRecipient = values['fee-recipient']
  if (feeRecipient !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(feeRecipient)) {
    throw new UsageError(`--fee-recipient "${feeRecipient}" is not an address`)
  }
  const threshold = values['proposal-threshold']
  if (threshold !== undefined && !/^\d+(\.\d+)?$/.test(threshold)) {
    throw new UsageError(`--proposal-threshold "${threshold}" is not a number of tokens`)
  }
  const proposalThreshold = threshold === undefined ? undefined : parseUnits(threshold, 18)
  if (proposalThreshold === 0n) throw new UsageError('--proposal-threshold must be above zero')
  const account = privateKeyToAccount(key as Hex)
  const probe = createPublicClient({ transport: http(rpcUrl) })
  const chainId = await probe.getChainId()
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) })
  const walletClient = createWalletClient({ account, chain, transport: http(rpcUrl) })
  const result = await deployPlatform({
    walletClient,
    publicClient,
    ...(values.name ? { tokenName: values.name } : {}),
    ...(values.symbol ? { tokenSymbol: values.symbol } : {}),
    ...(values.supply ? { initialSupply: parseUnits(values.supply, 18) } : {}),
    ...(values['creation-fee'] ? { creationFee: parseEther(values['creation-fee']) } : {}),
    ...(feeRecipient ? { feeRecipient: feeRecipient as Hex } : {}),
    ...(proposalThreshold === undefined ? {} : { governance: { proposalThreshold } }),
  })
  const { implementations, ...contracts } = result
  const out = resolve(values.out as string)
  writeJsonAtomically(out, { chainId, rpcUrl, deployer: account.address, contracts, implementations })
  console.log(`deployed to chain ${chainId}; addresses written to ${out}`)
  for (const [name, address] of Object.entries(contracts)) console.log(`  ${name.padEnd(13)} ${address}`)
}

function vestingBuild(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string', default: 'proofs.json' }, decimals: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
  const [csvPath] = positionals
  if (!csvPath || positionals.length > 1) throw new UsageError('vesting build needs exactly one CSV file')
  const decimals = decimalsOption(values.decimals)
  const entries = parseVestingCsv(readFileSync(csvPath, 'utf8'), decimals === undefined ? {} : { decimals })
  const proofs = buildVestingProofs(entries)
  const out = resolve(values.out as string)
  writeJsonAtomically(out, proofs)
  console.log(`root  ${proofs.root}`)
  console.log(`total ${proofs.total} (${entries.length} entries)`)
  console.log(`proofs written to ${out}`)
}

function vestingVerify(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { root: { type: 'string' }, csv: { type: 'string' }, decimals: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  })
  const [proofsPath] = positionals
  if (!proofsPath || positionals.length > 1) throw new UsageError('vesting verify needs exactly one proofs file')
  if (values.root !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(values.root)) {
    throw new UsageError(`--root "${values.root}" is not a 32-byte hex root`)
  }
  let file: VestingProofsFile
  try {
    file = JSON.parse(readFileSync(proofsPath, 'utf8')) as VestingProofsFile
  } catch (error) {
    throw new UsageError(`${proofsPath} is not a readable JSON file (${(error as Error).message})`)
  }
  const decimals = decimalsOption(values.decimals)
  const entries = values.csv
    ? parseVestingCsv(readFileSync(values.csv, 'utf8'), decimals === undefined ? {} : { decimals })
    : undefined
  const problems = verifyVestingProofs(file, {
    ...(values.root ? { root: values.root as Hex } : {}),
    ...(entries ? { entries } : {}),
  })
  if (problems.length > 0) {
    for (const p of problems) console.error(`error: ${p}`)
    process.exitCode = 1
    return
  }
  console.log(`ok: ${file.entries.length} entries verified against root ${values.root ?? file.root}`)
}

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv
  try {
    if (command === 'deploy') await deploy(argv.slice(1))
    else if (command === 'vesting' && sub === 'build') vestingBuild(rest)
    else if (command === 'vesting' && sub === 'verify') vestingVerify(rest)
    else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      console.log(USAGE)
      return command === undefined ? 2 : 0
    } else throw new UsageError(`unknown command "${argv.join(' ')}"`)
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    if (error instanceof VestingCsvError) {
      console.error(`error: the CSV is malformed; nothing was written:`)
      for (const issue of error.issues) {
        console.error(
          `  line ${issue.line}, ${issue.field === 'line' ? 'line' : `field "${issue.field}"`}: ${issue.message}`,
        )
      }
      return 1
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(error as Error).message}\n\n${USAGE}`)
      return 2
    }
    console.error(`error: ${(error as Error).message}`)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))

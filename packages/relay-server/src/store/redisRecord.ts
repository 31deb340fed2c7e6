import type { Address, Hex } from 'viem'
import type { StoredRequest } from './records.js'
import type { RequestStatus } from './status.js'

/** A Redis hash as HGETALL answers it: field, value, field, value… */
export type Flat = string[]

/** An EVM request record from its hash (`req:<id>`). */
export function toRecord(flat: unknown): StoredRequest {
  const f = new Map<string, string>()
  const list = flat as Flat
  for (let i = 0; i + 1 < list.length; i += 2) f.set(String(list[i]), String(list[i + 1]))
  const need = (key: string) => {
    const value = f.get(key)
    if (value === undefined) throw new Error(`stored request lacks ${key}`)
    return value
  }
  const record: StoredRequest = {
    id: need('id'),
    chainId: Number(need('chainId')),
    siteKey: need('siteKey'),
    request: {
      from: need('from') as Address,
      to: need('to') as Address,
      value: BigInt(need('value')),
      gas: BigInt(need('gas')),
      nonce: BigInt(need('nonce')),
      deadline: BigInt(need('deadline')),
      data: need('data') as Hex,
    },
    signature: need('signature') as Hex,
    status: need('status') as RequestStatus,
    createdAt: Number(need('createdAt')),
    updatedAt: Number(need('updatedAt')),
  }
  const txHash = f.get('txHash')
  if (txHash) record.txHash = txHash as Hex
  const blockNumber = f.get('blockNumber')
  if (blockNumber) record.blockNumber = BigInt(blockNumber)
  const code = f.get('errorCode')
  if (code) record.error = { code, message: f.get('errorMessage') ?? '' }
  const reserved = f.get('reservedWei')
  if (reserved) record.reservedWei = BigInt(reserved)
  const day = f.get('budgetDay')
  if (day) record.budgetDay = day
  const spent = f.get('spentWei')
  if (spent) record.spentWei = BigInt(spent)
  const measured = f.get('measuredGas')
  if (measured) record.measuredGas = BigInt(measured)
  return record
}

/** Ids grouped by the chain their record lives on; ids of no chain are left out (they name no record). */
export function byChain(ids: readonly string[], chainOf: (id: string) => number | undefined) {
  const groups = new Map<number, string[]>()
  for (const id of ids) {
    const chainId = chainOf(id)
    if (chainId === undefined) continue
    groups.set(chainId, [...(groups.get(chainId) ?? []), id])
  }
  return groups
}

import { tipRouterAbi as fullTipRouterAbi, tokenSaleAbi as fullTokenSaleAbi } from '@tokentags/contracts'
import type { Abi } from 'viem'
import { describe, expect, it } from 'vitest'
import { tipRouterAbi, tokenSaleAbi } from '../src/internal/platformAbis.js'
import { tipWithAuthorizationAbi } from '../src/internal/tokenAbis.js'

type Item = { type: string; name?: string; inputs?: readonly { type: string }[]; outputs?: readonly { type: string }[] }
const shape = (item: Item) => ({
  type: item.type,
  name: item.name,
  inputs: item.inputs?.map((i) => i.type),
  outputs: item.outputs?.map((o) => o.type),
})

describe('the ABI fragments core bundles', () => {
  for (const [name, fragments, full] of [
    ['TipRouter', tipRouterAbi, fullTipRouterAbi],
    ['TokenSale', tokenSaleAbi, fullTokenSaleAbi],
  ] as [string, Abi, Abi][])
    it(`match ${name} in @tokentags/contracts`, () => {
      for (const fragment of fragments as readonly Item[]) {
        const match = (full as readonly Item[]).find((x) => x.type === fragment.type && x.name === fragment.name)
        expect(match, `${name}.${fragment.name}`).toBeDefined()
        expect(shape(fragment)).toEqual(shape(match as Item))
      }
    })

  it('propose tipWithAuthorization in the shape TipRouter should add (checked once it exists)', () => {
    const existing = (fullTipRouterAbi as readonly Item[]).find((x) => x.name === 'tipWithAuthorization')
    if (existing) expect(shape(existing)).toEqual(shape(tipWithAuthorizationAbi[0] as Item))
    else expect(tipWithAuthorizationAbi[0].inputs).toHaveLength(11)
  })
})

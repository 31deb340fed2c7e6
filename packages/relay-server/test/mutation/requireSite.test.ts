// `requireSite` built inside the test: ../site.test.ts builds its middleware once at import, before StrykerJS
// activates a mutant, so a mutant of the factory itself (its body emptied) ran unseen (mutation run, issue 12).

import type { Request, Response } from 'express'
import { describe, expect, it } from 'vitest'
import { resolveSites } from '../../src/config.js'
import { requireSite } from '../../src/http/site.js'

describe('requireSite (built per test)', () => {
  it('gives a middleware that stores the site of an allowed origin and calls next once', () => {
    const middleware = requireSite(resolveSites({ shop: { origins: ['https://shop.example'], targets: [] } }))
    const headers: Record<string, string> = { 'x-tokentags-site': 'shop', origin: 'https://shop.example' }
    const req = { get: (name: string) => headers[name.toLowerCase()] } as unknown as Request
    const res = { locals: {} } as Response
    let nextCalls = 0
    middleware(req, res, () => {
      nextCalls++
    })
    expect(nextCalls).toBe(1)
    expect((res.locals.site as { key: string }).key).toBe('shop')
  })
})

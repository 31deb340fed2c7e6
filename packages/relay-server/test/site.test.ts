// `requireSite`, the middleware that binds a request to its site key and checks the page's Origin: called
// directly with the two request fields it reads, so each rule shows in its exact error (issue 11, mutants of
// src/http/site.ts).
import type { Request, Response } from 'express'
import { describe, expect, it } from 'vitest'
import { resolveSites } from '../src/config.js'
import { RelayError } from '../src/errors.js'
import { requireSite } from '../src/http/site.js'

const sites = resolveSites({
  shop: { origins: ['https://Shop.example/'], targets: [] },
  kiosk: { origins: ['https://kiosk.example'], allowNoOrigin: true, targets: [] },
  open: { origins: ['*'], targets: [] },
})
const middleware = requireSite(sites)

/** Runs the middleware: the site it stored, or the error it threw. */
function run(headers: Record<string, string>) {
  const req = { get: (name: string) => headers[name.toLowerCase()] } as unknown as Request
  const res = { locals: {} } as Response
  let nextCalls = 0
  try {
    middleware(req, res, () => {
      nextCalls++
    })
  } catch (error) {
    if (!(error instanceof RelayError)) throw error
    expect(nextCalls).toBe(0)
    return { error: { status: error.status, code: error.code, message: error.message } }
  }
  expect(nextCalls).toBe(1)
  return { site: (res.locals.site as { key: string } | undefined)?.key }
}

describe('requireSite', () => {
  it('names a missing site header', () => {
    expect(run({ origin: 'https://shop.example' })).toEqual({
      error: { status: 401, code: 'UNKNOWN_SITE', message: 'missing x-tokentags-site header' },
    })
  })

  it('quotes an unknown site key, cut to 64 characters', () => {
    expect(run({ 'x-tokentags-site': 'nope', origin: 'https://shop.example' })).toEqual({
      error: { status: 401, code: 'UNKNOWN_SITE', message: 'unknown site key "nope"' },
    })
    const long = `${'k'.repeat(64)}TAIL`
    expect(run({ 'x-tokentags-site': long }).error?.message).toBe(`unknown site key "${'k'.repeat(64)}"`)
  })

  it('passes an allowed origin (normalized: case, trailing slash) and stores the site', () => {
    expect(run({ 'x-tokentags-site': 'shop', origin: 'https://shop.example' })).toEqual({ site: 'shop' })
    expect(run({ 'x-tokentags-site': 'shop', origin: 'HTTPS://SHOP.EXAMPLE/' })).toEqual({ site: 'shop' })
    expect(run({ 'x-tokentags-site': 'open', origin: 'https://anything.example' })).toEqual({ site: 'open' })
  })

  it('names an origin the site does not allow', () => {
    expect(run({ 'x-tokentags-site': 'shop', origin: 'https://kiosk.example' })).toEqual({
      error: {
        status: 403,
        code: 'ORIGIN_NOT_ALLOWED',
        message: 'origin https://kiosk.example is not allowed for this site',
      },
    })
  })

  it('takes a request without Origin only where the site allows it', () => {
    expect(run({ 'x-tokentags-site': 'kiosk' })).toEqual({ site: 'kiosk' })
    expect(run({ 'x-tokentags-site': 'shop' })).toEqual({
      error: {
        status: 403,
        code: 'ORIGIN_NOT_ALLOWED',
        message: 'this site does not accept requests without an Origin',
      },
    })
  })
})

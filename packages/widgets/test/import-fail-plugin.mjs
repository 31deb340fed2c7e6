// A @web/test-runner server plugin for test/funnel-retry.test.ts: a module's download fails as on a dropped connection
// (the socket is closed before any answer; chromium retries a few times on its own, then the import() rejects).
// The test runner lets browsers cache every file for a year and keeps transformed files in its own cache, and test
// files share one browser and server: arming also turns the HTTP cache off for the calling page (DevTools protocol) and
// keeps the server's cache from answering for the path, so an earlier file's copy of the module cannot answer.
//   tokentags-fail-import  payload { path }: every request whose path contains `path` fails until
//                          payload { disarm: true }: requests are served again
//                          answers { failed }: how many requests were failed so far
export function importFailPlugin() {
  let armed
  let failed = 0
  /** The DevTools sessions that keep the pages' caches off (a session's settings last while it is attached). */
  const uncached = new WeakMap()
  return {
    name: 'tokentags-import-fail',
    // A key of its own for each armed request: the server's transform cache never answers it.
    transformCacheKey(context) {
      return armed && context.path.includes(armed) ? `failing-${failed}` : undefined
    },
    transform() {
      return undefined
    },
    serve(context) {
      if (!armed || !context.path.includes(armed)) return undefined
      failed++
      context.req.socket.destroy()
      // Nothing is ever written for it.
      return new Promise(() => {})
    },
    async executeCommand({ command, payload = {}, session }) {
      if (command !== 'tokentags-fail-import') return undefined
      if (payload.path) {
        const page = session.browser.getPage(session.id)
        if (!uncached.has(page)) {
          const client = await page.context().newCDPSession(page)
          await client.send('Network.enable')
          await client.send('Network.setCacheDisabled', { cacheDisabled: true })
          uncached.set(page, client)
        }
        armed = payload.path
      }
      if (payload.disarm) armed = undefined
      return { failed }
    },
  }
}

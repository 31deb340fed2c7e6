// Obtains one human-check token from a Turnstile-compatible script (issue 13). Loaded on demand by
// `human-check-config.ts`. The check renders in a small box of the page's own document (the provider's iframe cannot
// live in a shadow root), shown only when the provider asks the visitor to interact.
import { warnOnce } from './dev.js'

/** `<tokentags-config human-check>` and `human-check-script` as written: parsed in the chunk, when first needed. */
export interface HumanCheckPageConfig {
  /** `turnstile:<sitekey>`. */
  check: string
  /** An http(s) URL of a Turnstile-compatible script (default Cloudflare's). */
  script?: string | null
}

/** Cloudflare Turnstile's script; a compatible one can be named with `human-check-script`. */
export const TURNSTILE_SCRIPT_URL = 'https://challenges.cloudflare.com/turnstile/v0/api.js'

interface TurnstileOptions {
  sitekey: string
  appearance: 'interaction-only'
  callback: (token: string) => void
  'error-callback': (code?: unknown) => boolean
  'expired-callback': () => void
  'timeout-callback': () => void
}

interface Turnstile {
  render(container: HTMLElement, options: TurnstileOptions): string | null | undefined
  remove?(widgetId: string): void
}

/** A check that could not give a token; core reports it as RELAY_REJECTED `HUMAN_CHECK_FAILED`. */
export class HumanCheckError extends Error {
  override name = 'HumanCheckError'
  readonly code = 'HUMAN_CHECK_FAILED'
}

const loading = new Map<string, Promise<Turnstile>>()

function currentTurnstile(): Turnstile | undefined {
  const turnstile = (globalThis as { turnstile?: Partial<Turnstile> }).turnstile
  return typeof turnstile?.render === 'function' ? (turnstile as Turnstile) : undefined
}

/** Loads the provider's script once per URL; a failed download may be retried. */
function loadTurnstile(scriptUrl: string): Promise<Turnstile> {
  const present = currentTurnstile()
  if (present) return Promise.resolve(present)
  let pending = loading.get(scriptUrl)
  if (!pending) {
    pending = new Promise<Turnstile>((resolve, reject) => {
      const url = new URL(scriptUrl, document.baseURI)
      // Explicit rendering: nothing appears until a widget asks for a token.
      url.searchParams.set('render', 'explicit')
      const script = document.createElement('script')
      script.src = url.href
      script.onload = () => {
        const turnstile = currentTurnstile()
        if (turnstile) resolve(turnstile)
        else reject(new HumanCheckError('The human-check script defines no turnstile.render.'))
      }
      script.onerror = () => reject(new HumanCheckError('The human-check script could not be loaded.'))
      document.head.append(script)
    })
    loading.set(scriptUrl, pending)
    pending.catch(() => loading.delete(scriptUrl))
  }
  return pending
}

/**
 * `human-check="turnstile:<sitekey>"` and `human-check-script` (an http(s) URL), or why not: a malformed attribute
 * fails the request (HUMAN_CHECK_FAILED) rather than sending it without a token.
 * @internal
 */
export function parseHumanCheck(config: HumanCheckPageConfig): { sitekey: string; scriptUrl: string } {
  const sitekey = /^turnstile:([A-Za-z0-9_-]{1,100})$/.exec(config.check.trim())?.[1]
  const scriptUrl = config.script?.trim() || TURNSTILE_SCRIPT_URL
  const problem = !sitekey
    ? `<tokentags-config human-check="${config.check.slice(0, 40)}"> is not "turnstile:<sitekey>".`
    : /^https?:\/\/[^/]/.test(scriptUrl)
      ? undefined
      : '<tokentags-config human-check-script> must be an http(s) URL.'
  if (problem || !sitekey) {
    warnOnce('config-human-check', `${problem} No human check can be done.`)
    throw new HumanCheckError(problem)
  }
  return { sitekey, scriptUrl }
}

/** One token for the next gasless request; every call renders a new check (a token is good for one request). */
export async function obtainHumanCheckToken(config: HumanCheckPageConfig): Promise<string> {
  const { sitekey, scriptUrl } = parseHumanCheck(config)
  const turnstile = await loadTurnstile(scriptUrl)
  const box = document.createElement('div')
  box.dataset.tokentagsHumanCheck = ''
  box.style.cssText = 'position:fixed;inset:auto 16px 16px auto;z-index:2147483647'
  document.body.append(box)
  let widgetId: string | null | undefined
  try {
    return await new Promise<string>((resolve, reject) => {
      const fail = (why: string) => reject(new HumanCheckError(why))
      try {
        widgetId = turnstile.render(box, {
          sitekey,
          appearance: 'interaction-only',
          callback: (token) =>
            typeof token === 'string' && token ? resolve(token) : fail('The human check gave no token.'),
          'error-callback': () => {
            fail('The human check did not pass.')
            // Handled: the provider must not retry on its own, the visitor retries from the widget.
            return true
          },
          'expired-callback': () => fail('The human check expired.'),
          'timeout-callback': () => fail('The human check timed out.'),
        })
      } catch (error) {
        reject(new HumanCheckError('The human check could not be shown.', { cause: error }))
      }
    })
  } finally {
    if (widgetId) {
      try {
        turnstile.remove?.(widgetId)
      } catch {}
    }
    box.remove()
  }
}

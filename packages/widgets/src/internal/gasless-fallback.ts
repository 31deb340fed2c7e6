// Gasless is a promise (issue 15): when the relay cannot take a request the widget says why and offers paying the
// gas from the visitor's wallet as an explicit second choice, with its estimated cost; it never switches silently.
// The controllers turn core's classified relay errors into `GaslessErrorState`; the elements draw it with these.
import { html, nothing, type TemplateResult } from 'lit'
import { type Catalog, en } from '../i18n/en.js'
import { fillText } from './locale.js'

/** Why the relay could not take the request (core's `RelayFailureKind`, less `request`: no gas can fix that). */
export type GaslessProblemKind =
  | 'unreachable'
  | 'origin-not-allowed'
  | 'budget'
  | 'rate-limited'
  | 'site'
  | 'policy'
  | 'unsupported'

/** What the relay said and, when the visitor may pay the gas instead, what that costs. */
export interface GaslessProblem {
  kind: GaslessProblemKind
  /** The relay's own code, e.g. `BUDGET_EXCEEDED`. */
  relayCode?: string
  /** The page's origin the relay refused. */
  origin?: string
  /** Paying the gas from the wallet; absent with `fallback="none"`, `gasless="always"` or no estimate. */
  pay?: { cost: bigint; affordable: boolean; symbol: string }
}

/** The `error` state of a relay that could not take the request. */
export interface GaslessErrorState {
  status: 'error'
  code: string
  message: string
  retryable: boolean
  gasless: GaslessProblem
}

/** How long a widget waits for the relay's config before it stops promising no gas (a relay that never answers). */
export const RELAY_PROBE_MS = 5_000

/** The parts of core's `RelayFailure` the widgets read. */
interface Failure {
  kind: string
  relayCode: string | undefined
  walletCanDoIt: boolean
  walletFallback: { cost: bigint; affordable: boolean } | undefined
}

const RETRYABLE: ReadonlySet<GaslessProblemKind> = new Set(['unreachable', 'rate-limited', 'budget'])

/**
 * The state for `error` when core classified it as a relay failure (`failure`), else undefined. `offer` allows the
 * wallet choice (the page's `fallback`); `symbol` is the chain's native coin.
 */
export function gaslessErrorState(
  error: unknown,
  failure: Failure | undefined,
  offer: boolean,
  symbol: string,
): GaslessErrorState | undefined {
  if (!failure?.walletCanDoIt) return undefined
  const kind = failure.kind as GaslessProblemKind
  const code = (error as { code?: unknown }).code
  const origin = (error as { origin?: unknown }).origin
  const fallback = failure.walletFallback
  const gasless: GaslessProblem = {
    kind,
    ...(failure.relayCode && { relayCode: failure.relayCode }),
    ...(typeof origin === 'string' && { origin }),
    ...(offer && fallback && { pay: { cost: fallback.cost, affordable: fallback.affordable, symbol } }),
  }
  return {
    status: 'error',
    code: typeof code === 'string' ? code : 'RELAY_REJECTED',
    message: reason(gasless, en),
    retryable: RETRYABLE.has(kind),
    gasless,
  }
}

export function isGaslessError(state: { status: string }): state is GaslessErrorState {
  return state.status === 'error' && 'gasless' in state && !!(state as { gasless?: unknown }).gasless
}

/** The sentence saying why, in the catalog's language. */
export function reason(problem: GaslessProblem, t: Catalog): string {
  return fillText(t.gasless[problem.kind], {
    origin: problem.origin ?? t.gasless.thisPage,
    code: problem.relayCode ?? '',
  })
}

/**
 * The body under the reason: what the site owner must configure (a refused origin), the wallet choice with its cost
 * (or, without enough coin for the gas, a disabled button that says so), and Try again when waiting can help.
 */
export function gaslessBody(
  state: GaslessErrorState,
  t: Catalog,
  locale: string,
  on: { payGas: () => void; retry: () => void },
): TemplateResult {
  const { gasless } = state
  const pay = gasless.pay
  const cost = pay && formatCost(pay.cost, pay.symbol, locale)
  return html`
    ${
      gasless.kind === 'origin-not-allowed'
        ? html`<p part="note" class="note">${fillText(t.gasless.ownerHint, { origin: gasless.origin ?? t.gasless.thisPage })}</p>`
        : nothing
    }
    ${
      pay && cost
        ? pay.affordable
          ? html`<button part="action pay-gas" class="action" type="button" @click=${on.payGas}>
                ${fillText(t.gasless.payGas, { cost })}
              </button>`
          : html`<button part="action pay-gas" class="action" type="button" disabled>
              ${fillText(t.gasless.needCoin, { cost })}
            </button>`
        : nothing
    }
    ${
      state.retryable
        ? html`<button part="action" class="action ${pay ? 'secondary' : ''}" type="button" @click=${on.retry}>${t.common.tryAgain}</button>`
        : nothing
    }
  `
}

/** An estimate in the native coin to two significant digits (`0.00012 ETH`): a float is exact enough for "≈". */
export function formatCost(wei: bigint, symbol: string, locale: string): string {
  const amount = Number(wei) / 1e18
  return `${new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 }).format(amount)} ${symbol}`
}

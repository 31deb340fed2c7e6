// "Check an address" (issue 15, item 9): the button, the form and the answer of `<token-claim>` without a wallet. A
// chunk of its own, loaded when a claim card shows its wallet states, with its words in every shipped language: the
// catalogs are in every widget's bundle up front, and the tip's has no byte to spare.
import { html, nothing, type TemplateResult } from 'lit'
import type { Catalog } from '../i18n/en.js'
import { formatAmount, formatPercent, percentOf } from '../internal/format.js'
import { fill, fillText } from '../internal/locale.js'
import { errorWords, shortAddress } from '../internal/session-view.js'
import type { AddressLookup, ClaimSummary } from './claim-state.js'

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

/** The address the visitor typed or pasted, trimmed, if it is one (any letter case: checksums are not required). */
export function parseLookupAddress(input: string): `0x${string}` | undefined {
  const address = input.trim()
  return ADDRESS.test(address) ? (address as `0x${string}`) : undefined
}

interface LookupWords {
  open: string
  label: string
  check: string
  invalid: string
  checking: string
  of: string
  claimed: string
  claimableNow: string
  note: string
  none: string
}

/** The words of the form in each shipped language (the catalogs' languages). */
export const LOOKUP_WORDS: Record<'en' | 'de' | 'fr' | 'es' | 'ar', LookupWords> = {
  en: {
    open: 'Check an address',
    label: 'Address to check',
    check: 'Check',
    invalid: 'Enter an address: 0x followed by 40 hexadecimal characters.',
    checking: 'Checking…',
    of: 'Vesting of {address}',
    claimed: 'Claimed',
    claimableNow: 'Claimable now',
    note: 'Only the wallet of this address can claim: connect it to claim.',
    none: 'This address has no tokens vesting here.',
  },
  de: {
    open: 'Adresse prüfen',
    label: 'Zu prüfende Adresse',
    check: 'Prüfen',
    invalid: 'Gib eine Adresse ein: 0x und 40 hexadezimale Zeichen.',
    checking: 'Wird geprüft…',
    of: 'Vesting von {address}',
    claimed: 'Abgeholt',
    claimableNow: 'Jetzt abholbar',
    note: 'Nur das Wallet dieser Adresse kann abholen: Verbinde es, um abzuholen.',
    none: 'Für diese Adresse werden hier keine Token freigegeben.',
  },
  fr: {
    open: 'Vérifier une adresse',
    label: 'Adresse à vérifier',
    check: 'Vérifier',
    invalid: 'Saisissez une adresse : 0x suivi de 40 caractères hexadécimaux.',
    checking: 'Vérification…',
    of: 'Acquisition de {address}',
    claimed: 'Réclamé',
    claimableNow: 'Réclamable maintenant',
    note: 'Seul le portefeuille de cette adresse peut réclamer : connectez-le pour réclamer.',
    none: 'Cette adresse n’a aucun jeton en acquisition ici.',
  },
  es: {
    open: 'Consultar una dirección',
    label: 'Dirección a consultar',
    check: 'Consultar',
    invalid: 'Escribe una dirección: 0x seguido de 40 caracteres hexadecimales.',
    checking: 'Consultando…',
    of: 'Adquisición de {address}',
    claimed: 'Reclamado',
    claimableNow: 'Reclamable ahora',
    note: 'Solo la billetera de esta dirección puede reclamar: conéctala para reclamar.',
    none: 'Esta dirección no tiene tokens en adquisición aquí.',
  },
  ar: {
    open: 'فحص عنوان',
    label: 'العنوان المراد فحصه',
    check: 'فحص',
    invalid: 'أدخل عنوانًا: 0x متبوعًا بـ 40 حرفًا سداسيًا عشريًا.',
    checking: 'جارٍ الفحص…',
    of: 'الاستحقاق لـ {address}',
    claimed: 'تمت المطالبة به',
    claimableNow: 'قابل للمطالبة الآن',
    note: 'لا يطالب إلا محفظة هذا العنوان: اربطها للمطالبة.',
    none: 'لا توجد رموز مستحقة لهذا العنوان هنا.',
  },
}

/** "Check an address": the button that opens the form. */
export function renderLookupButton(t: Catalog, open: () => void): TemplateResult {
  return html`<button part="lookup-open" class="action secondary" type="button" aria-expanded="false" @click=${open}>
    ${wordsOf(t).open}
  </button>`
}

const wordsOf = (t: Catalog): LookupWords => LOOKUP_WORDS[t.lang as keyof typeof LOOKUP_WORDS] ?? LOOKUP_WORDS.en

export interface LookupForm {
  t: Catalog
  locale: string
  input: string
  /** The typed text is not an address (shown once the visitor pressed Check). */
  invalid: boolean
  lookup: AddressLookup | undefined
  onInput: (event: Event) => void
  onSubmit: (event: Event) => void
}

/** The form (a labelled field and Check) and, below it, the answer for the address checked last (none beside a malformed one). */
export function renderLookup(form: LookupForm): TemplateResult {
  const words = wordsOf(form.t)
  const lookup = form.lookup
  return html`<form part="lookup" class="lookup" @submit=${form.onSubmit} novalidate>
      <div class="field">
        <label for="lookup-address">${words.label}</label>
        <input
          id="lookup-address"
          part="input"
          type="text"
          inputmode="text"
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          dir="ltr"
          placeholder="0x…"
          .value=${form.input}
          aria-invalid=${form.invalid ? 'true' : 'false'}
          aria-describedby="lookup-hint"
          @input=${form.onInput}
        />
        <p part="note" class="note ${form.invalid ? 'error' : ''}" id="lookup-hint" aria-live="polite">
          ${form.invalid ? words.invalid : nothing}
        </p>
      </div>
      <button part="lookup-check" class="action secondary" type="submit">${words.check}</button>
    </form>
    <div part="lookup-result" aria-live="polite">${lookup && !form.invalid ? result(lookup, form, words) : nothing}</div>`
}

function result(lookup: AddressLookup, form: LookupForm, words: LookupWords): TemplateResult {
  const heading = html`<p part="note" class="note">${fill(words.of, {
    address: html`<span dir="ltr" title=${lookup.address}>${shortAddress(lookup.address)}</span>`,
  })}</p>`
  if (lookup.status === 'checking')
    return html`<p part="note" class="note"><span part="spinner" class="spinner" aria-hidden="true"></span>${words.checking}</p>`
  if (lookup.status === 'failed')
    return html`${heading}<p part="error" class="error">${errorWords(lookup, form.t).message}</p>`
  const summary = lookup.summary
  if (summary.total === 0n) return html`${heading}<p part="note" class="note">${words.none}</p>`
  const amount = (value: bigint) => formatAmount(value, summary.token.decimals, summary.token.symbol, form.locale)
  return html`${heading}${progress(summary, form, amount)}
    <dl part="facts" class="facts">
      <dt>${words.claimed}</dt>
      <dd>${amount(summary.released)}</dd>
      <dt>${words.claimableNow}</dt>
      <dd><span part="amount" class="amount">${amount(summary.claimable)}</span></dd>
    </dl>
    <p part="note" class="note">${words.note}</p>`
}

function progress(summary: ClaimSummary, form: LookupForm, amount: (value: bigint) => string): TemplateResult {
  const pct = percentOf(summary.vested, summary.total)
  const text = fillText(form.t.claim.vestedOf, {
    vested: amount(summary.vested),
    total: amount(summary.total),
    percent: formatPercent(pct, form.locale),
  })
  return html`<progress part="progress" max="100" .value=${pct} aria-label=${form.t.claim.vested} aria-valuetext=${text}></progress>
    <p part="note" class="note">${text}</p>`
}

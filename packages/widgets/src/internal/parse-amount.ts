// Amounts typed by visitors, read in the widget's language: its digits, decimal and group separators as
// `Intl.NumberFormat` writes them. Exact: the result is a bigint of base units, never a float.

/** What a visitor typed, read as an amount of a token with `decimals`. */
export type LocalAmount =
  | { value: bigint }
  /** Nothing typed. */
  | { problem: 'none' }
  /** Not a number (letters, signs, exponents, misplaced separators). */
  | { problem: 'invalid' }
  /** More fraction digits than the token has. */
  | { problem: 'precision' }
  /**
   * A separator this language does not use (`1.5` in German) or a group that is not one (`1,5` in English): the
   * visitor may mean something else than the language reads. `readings` are the amounts it may mean, written in
   * the widget's language (`["1,5"]`; `["1 000", "1"]` for `1.000` in French).
   */
  | { problem: 'ambiguous'; readings: string[] }

/** How a language writes numbers. */
export interface NumberSymbols {
  decimal: string
  group: string
  /** `0`…`9` in the language's digits. */
  digits: string[]
  /** Sizes of the integer groups, last first: `[3, 3]`, or `[3, 2]` for `12,34,567` (en-IN). */
  grouping: [number, number]
}

const symbolsCache = new Map<string, NumberSymbols>()

/** The separators and digits `Intl.NumberFormat` uses for `locale`. */
export function numberSymbols(locale: string): NumberSymbols {
  let symbols = symbolsCache.get(locale)
  if (symbols) return symbols
  const format = new Intl.NumberFormat(locale, { useGrouping: true, maximumFractionDigits: 1 })
  const parts = format.formatToParts(123456789.5)
  const integers = parts.filter((p) => p.type === 'integer').map((p) => p.value.length)
  const primary = integers.at(-1) ?? 3
  const secondary = integers.length > 2 ? (integers.at(-2) ?? primary) : primary
  symbols = {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    digits: Array.from({ length: 10 }, (_, d) => format.format(d)),
    grouping: [primary, secondary],
  }
  symbolsCache.set(locale, symbols)
  return symbols
}

// Directional marks Intl and Arabic keyboards put around numbers.
const MARKS = /[\u200e\u200f\u061c]/g
const SPACES = ['\u0020', '\u00a0', '\u202f', '\u2009']
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩'
const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹'

interface Reader {
  symbols: NumberSymbols
  digit: Map<string, string>
  decimals: Set<string>
  groups: Set<string>
}

function reader(locale: string): Reader {
  const symbols = numberSymbols(locale)
  const digit = new Map<string, string>()
  for (let d = 0; d < 10; d++) {
    digit.set(String(d), String(d))
    digit.set(symbols.digits[d] as string, String(d))
  }
  const decimals = new Set([symbols.decimal])
  const groups = new Set([symbols.group])
  // Visitors type an ordinary space where French writes a narrow no-break one.
  if (SPACES.includes(symbols.group)) for (const space of SPACES) groups.add(space)
  if (symbols.group === '’' || symbols.group === "'") for (const apostrophe of ["'", '’']) groups.add(apostrophe)
  // An Arabic keyboard types Arabic-Indic digits and separators whatever digits Intl picked for the region.
  if (locale.toLowerCase().startsWith('ar')) {
    for (let d = 0; d < 10; d++) {
      digit.set(ARABIC_DIGITS[d] as string, String(d))
      digit.set(PERSIAN_DIGITS[d] as string, String(d))
    }
    if (!groups.has('٫')) decimals.add('٫')
    if (!decimals.has('٬')) groups.add('٬')
  }
  return { symbols, digit, decimals, groups }
}

type Token = { kind: 'digits'; text: string } | { kind: 'decimal' | 'group' | 'foreign'; char: string }

/** The amount `text` means in `locale`, in base units of a token with `decimals`. */
export function parseLocalAmount(text: string, decimals: number, locale: string): LocalAmount {
  const r = reader(locale)
  const trimmed = text.replace(MARKS, '').trim()
  if (!trimmed) return { problem: 'none' }
  const tokens: Token[] = []
  for (const char of trimmed) {
    const d = r.digit.get(char)
    const last = tokens.at(-1)
    if (d !== undefined) {
      if (last?.kind === 'digits') last.text += d
      else tokens.push({ kind: 'digits', text: d })
    } else if (r.decimals.has(char)) tokens.push({ kind: 'decimal', char })
    else if (r.groups.has(char)) tokens.push({ kind: 'group', char })
    else if (char === '.' || char === ',') tokens.push({ kind: 'foreign', char })
    else return { problem: 'invalid' }
  }
  if (!tokens.some((t) => t.kind === 'digits')) return { problem: 'invalid' }

  const separators = tokens.filter((t) => t.kind !== 'digits')
  const foreign = separators.filter((t) => t.kind === 'foreign')
  if (foreign.length > 0 || !groupsValid(tokens, r.symbols.grouping)) {
    return { problem: 'ambiguous', readings: readings(tokens, r.symbols, decimals) }
  }
  if (separators.filter((t) => t.kind === 'decimal').length > 1) return { problem: 'invalid' }
  let whole = ''
  let fraction = ''
  let inFraction = false
  for (const t of tokens) {
    if (t.kind === 'decimal') inFraction = true
    else if (t.kind === 'digits') {
      if (inFraction) fraction += t.text
      else whole += t.text
    }
  }
  const value = toBaseUnits(whole, fraction, decimals)
  return value === undefined ? { problem: 'precision' } : { value }
}

/** Groups only in the whole part, each of the language's size: `1.234.567` in German, never `1.23` or `1.2345`. */
function groupsValid(tokens: Token[], [primary, secondary]: [number, number]): boolean {
  const decimalAt = tokens.findIndex((t) => t.kind === 'decimal')
  const whole = decimalAt < 0 ? tokens : tokens.slice(0, decimalAt)
  if (decimalAt >= 0 && tokens.slice(decimalAt).some((t) => t.kind === 'group')) return false
  if (!whole.some((t) => t.kind === 'group')) return true
  // digits (group digits)*: the first run 1..secondary long, the last `primary`, the others `secondary`.
  const runs: string[] = []
  for (let i = 0; i < whole.length; i++) {
    const t = whole[i] as Token
    if ((i % 2 === 0) !== (t.kind === 'digits')) return false
    if (t.kind === 'digits') runs.push(t.text)
  }
  if (whole.at(-1)?.kind !== 'digits') return false
  return runs.every((run, i) => {
    if (i === runs.length - 1) return run.length === primary
    if (i === 0) return run.length >= 1 && run.length <= secondary
    return run.length === secondary
  })
}

/**
 * What an ambiguous text may mean, written in this language: every separator a group (`1.000` in French: one
 * thousand), or the last one the decimal separator and the others groups (`1,5` in English: one and a half).
 */
function readings(tokens: Token[], symbols: NumberSymbols, decimals: number): string[] {
  const out: string[] = []
  const alternates = tokens.every(
    (t, i) => (t.kind === 'digits') === (tokens[0]?.kind === 'digits' ? i % 2 === 0 : i % 2 === 1),
  )
  if (!alternates || tokens.at(-1)?.kind !== 'digits') return out
  const runs = tokens.flatMap((t) => (t.kind === 'digits' ? [t.text] : []))
  const chars = tokens.flatMap((t) => (t.kind === 'digits' ? [] : [t.char]))
  const leading = tokens[0]?.kind === 'digits'
  const add = (whole: string, fraction: string) => {
    const trimmed = fraction.replace(/0+$/, '')
    const written = writeAmount(whole, trimmed, symbols)
    if (toBaseUnits(whole, trimmed, decimals) !== undefined && !out.includes(written)) out.push(written)
  }
  const groupsOfThree = (list: string[]) => list.every((run) => run.length === 3)
  if (leading && chars.every((c) => c === chars[0]) && groupsOfThree(runs.slice(1))) add(runs.join(''), '')
  const last = chars.at(-1)
  const earlier = chars.slice(0, -1)
  const earlierGroups = leading ? groupsOfThree(runs.slice(1, -1)) : earlier.length === 0
  if (earlierGroups && earlier.every((c) => c === earlier[0] && c !== last))
    add(runs.slice(0, -1).join(''), runs.at(-1) ?? '')
  return out
}

/** `whole.fraction` in base units, or undefined when the fraction is longer than `decimals`. */
function toBaseUnits(whole: string, fraction: string, decimals: number): bigint | undefined {
  if (fraction.length > decimals) return undefined
  return BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0')
}

/** Digits as the language writes them, grouped: `1 000,5` in French. */
function writeAmount(whole: string, fraction: string, symbols: NumberSymbols): string {
  const digits = (s: string) => s.replace(/\d/g, (d) => symbols.digits[Number(d)] as string)
  const plain = whole.replace(/^0+(?=\d)/, '') || '0'
  const [primary, secondary] = symbols.grouping
  const runs: string[] = []
  let rest = plain
  if (rest.length > primary) {
    runs.unshift(rest.slice(-primary))
    rest = rest.slice(0, -primary)
    while (rest.length > secondary) {
      runs.unshift(rest.slice(-secondary))
      rest = rest.slice(0, -secondary)
    }
  }
  runs.unshift(rest)
  const grouped = runs.map(digits).join(symbols.group)
  return fraction ? `${grouped}${symbols.decimal}${digits(fraction)}` : grouped
}

/** `value` base units written for the amount field of `locale`, every significant digit kept (`1234,5`). */
export function writeLocalAmount(value: bigint, decimals: number, locale: string): string {
  const base = 10n ** BigInt(decimals)
  const fraction = decimals > 0 ? (value % base).toString().padStart(decimals, '0').replace(/0+$/, '') : ''
  const symbols = numberSymbols(locale)
  const digits = (s: string) => s.replace(/\d/g, (d) => symbols.digits[Number(d)] as string)
  const whole = digits((value / base).toString())
  return fraction ? `${whole}${symbols.decimal}${digits(fraction)}` : whole
}

/** How `locale` writes one thousand two hundred thirty-four and a half: the form shown to a visitor who typed noise. */
export function exampleAmount(locale: string): string {
  return writeAmount('1234', '5', numberSymbols(locale))
}

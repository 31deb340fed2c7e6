// Every colour pair we document must pass WCAG 2.x contrast for text (4.5:1): the widgets' light and
// dark default tokens, the README's table of them, and every theming example in the READMEs, read as
// a browser would apply it under each `theme` attribute and each `prefers-color-scheme`.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const MIN_TEXT_CONTRAST = 4.5

type Scheme = 'light' | 'dark'
type Tokens = Record<string, string>

/** WCAG 2.x relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!match) throw new TypeError(`not a #rrggbb colour: ${hex}`)
  const [r, g, b] = match.slice(1).map((h) => {
    const c = Number.parseInt(h, 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** Walks up from this file to the first directory that `accept`s; the Stryker sandbox sits deeper. */
function findUp(accept: (dir: string) => boolean): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (accept(dir)) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new TypeError('contrast test: package or repository root not found')
    dir = parent
  }
}
const packageRoot = findUp((dir) => existsSync(join(dir, 'src/internal/base.styles.ts')))
const repoRoot = findUp((dir) => {
  const file = join(dir, 'package.json')
  return existsSync(file) && 'workspaces' in (JSON.parse(readFileSync(file, 'utf8')) as object)
})

/** The `--tokentags-*` defaults a block of `--_x: var(--tokentags-y, #hex)` declarations gives. */
function defaultsIn(block: string): Tokens {
  const tokens: Tokens = {}
  for (const m of block.matchAll(/--_[\w-]+:\s*var\(--tokentags-([\w-]+),\s*(#[0-9a-f]{6})\)/gi)) {
    tokens[m[1] as string] = (m[2] as string).toLowerCase()
  }
  return tokens
}

/** The light defaults (`:host`) and dark defaults (the `dark` block) of base.styles.ts. */
function widgetDefaults(): Record<Scheme, Tokens> {
  const source = readFileSync(join(packageRoot, 'src/internal/base.styles.ts'), 'utf8')
  const dark = /const dark = css`([\s\S]*?)`/.exec(source)?.[1]
  const light = /export const baseStyles = css`[\s\S]*?:host \{([\s\S]*?)\}/.exec(source)?.[1]
  if (!dark || !light) throw new TypeError('contrast test: the light or dark block of base.styles.ts was not found')
  return { light: defaultsIn(light), dark: defaultsIn(dark) }
}

interface Rule {
  /** The `prefers-color-scheme` of an enclosing media query, if any. */
  media?: Scheme
  selectors: string[]
  declarations: Tokens
  order: number
}

/** The rules of a small stylesheet: top-level rules and rules inside `@media (prefers-color-scheme: …)`. */
function parseCss(css: string): Rule[] {
  const rules: Rule[] = []
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '')
  let order = 0
  const addRules = (body: string, media?: Scheme) => {
    for (const m of body.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const declarations: Tokens = {}
      for (const d of (m[2] as string).matchAll(/--tokentags-([\w-]+)\s*:\s*([^;]+?)\s*(?:;|$)/g)) {
        declarations[d[1] as string] = (d[2] as string).toLowerCase()
      }
      const selectors = (m[1] as string).split(',').map((s) => s.trim())
      rules.push({ ...(media ? { media } : {}), selectors, declarations, order: order++ })
    }
  }
  let rest = text
  for (;;) {
    const at = /@media\s*\(\s*prefers-color-scheme\s*:\s*(light|dark)\s*\)\s*\{/.exec(rest)
    if (!at) break
    addRules(rest.slice(0, at.index))
    let depth = 1
    let i = at.index + at[0].length
    for (; i < rest.length && depth > 0; i++) {
      if (rest[i] === '{') depth++
      else if (rest[i] === '}') depth--
    }
    addRules(rest.slice(at.index + at[0].length, i - 1), at[1] as Scheme)
    rest = rest.slice(i)
  }
  addRules(rest)
  if (/@media|@supports|@layer/.test(rest)) throw new TypeError(`contrast test: an at-rule it cannot read in ${css}`)
  return rules
}

type ThemeAttribute = 'auto' | Scheme
interface Case {
  theme: ThemeAttribute
  prefers: Scheme
}
const CASES: Case[] = (['auto', 'light', 'dark'] as const).flatMap((theme) =>
  (['light', 'dark'] as const).map((prefers) => ({ theme, prefers })),
)

/** Whether a selector matches a widget with `theme` (its `::part` rules style no token). */
function matches(selector: string, theme: ThemeAttribute): boolean {
  if (selector.includes('::part')) return false
  for (const m of selector.matchAll(/(:not\()?\[theme=['"]?(\w+)['"]?\]/g)) {
    const equal = theme === m[2]
    if (m[1] ? equal : !equal) return false
  }
  return true
}
const specificity = (selector: string) => (selector.match(/\[/g) ?? []).length

/** The tokens a widget ends up with in `c`: the scheme's defaults, then the page's matching rules in cascade order. */
function effectiveTokens(rules: Rule[], defaults: Record<Scheme, Tokens>, c: Case): Tokens {
  const scheme = c.theme === 'auto' ? c.prefers : c.theme
  const applied = rules
    .filter((r) => r.media === undefined || r.media === c.prefers)
    .map((r) => ({ rule: r, weight: Math.max(-1, ...r.selectors.filter((s) => matches(s, c.theme)).map(specificity)) }))
    .filter((r) => r.weight >= 0)
    .sort((a, b) => a.weight - b.weight || a.rule.order - b.rule.order)
  const tokens = { ...defaults[scheme] }
  for (const { rule } of applied) Object.assign(tokens, rule.declarations)
  return tokens
}

/** Text pairs the widgets draw: [foreground token, background token]. */
const TEXT_PAIRS: [string, string][] = [
  ['text', 'background'],
  ['muted', 'background'],
  ['accent-text', 'accent'],
  ['accent', 'background'], // links
  ['danger', 'background'],
  ['success', 'background'],
]

function failures(tokens: Tokens, where: string): string[] {
  const out: string[] = []
  for (const [fg, bg] of TEXT_PAIRS) {
    const [a, b] = [tokens[fg], tokens[bg]]
    if (!a || !b) {
      out.push(`${where}: --tokentags-${fg} or --tokentags-${bg} has no colour`)
      continue
    }
    const ratio = contrast(a, b)
    if (ratio < MIN_TEXT_CONTRAST) {
      out.push(`${where}: ${fg} ${a} on ${bg} ${b} is ${ratio.toFixed(2)}:1 (needs ${MIN_TEXT_CONTRAST}:1)`)
    }
  }
  return out
}

/** The ```css blocks of a README's "Theming" section (up to the next `## ` heading). */
function themingExamples(readme: string): string[] {
  const section = /^## Theming\b[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? ''
  return [...section.matchAll(/```css\n([\s\S]*?)```/g)].map((m) => m[1] as string)
}

describe('colour contrast of the documented themes (WCAG 2.x, 4.5:1 for text)', () => {
  const defaults = widgetDefaults()

  it('computes WCAG ratios: black on white 21:1, a colour on itself 1:1, #777 on white just under 4.5:1', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5)
    expect(contrast('#4f46e5', '#4f46e5')).toBe(1)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2)
  })

  it('reads every colour token of both schemes from base.styles.ts', () => {
    for (const scheme of ['light', 'dark'] as const) {
      expect(Object.keys(defaults[scheme]).sort()).toEqual([
        'accent',
        'accent-text',
        'background',
        'border',
        'danger',
        'muted',
        'success',
        'text',
      ])
    }
  })

  it('the light and dark defaults pass', () => {
    expect([...failures(defaults.light, 'light defaults'), ...failures(defaults.dark, 'dark defaults')]).toEqual([])
  })

  it("the widgets README's table of defaults is the one base.styles.ts applies", () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
    const documented: Record<Scheme, Tokens> = { light: {}, dark: {} }
    for (const m of readme.matchAll(
      /^\|\s*`--tokentags-([\w-]+)`\s*\|\s*`(#[0-9a-f]{6})`\s*\|\s*`(#[0-9a-f]{6})`/gim,
    )) {
      documented.light[m[1] as string] = (m[2] as string).toLowerCase()
      documented.dark[m[1] as string] = (m[3] as string).toLowerCase()
    }
    expect(documented).toEqual(defaults)
  })

  const readmes = [
    ['packages/widgets/README.md', join(packageRoot, 'README.md')],
    ['README.md', join(repoRoot, 'README.md')],
  ] as const
  const examples = readmes.flatMap(([name, file]) =>
    themingExamples(readFileSync(file, 'utf8')).map((css, i) => ({ name: `${name} theming example ${i + 1}`, css })),
  )

  it('finds the theming examples (at least the widgets README one)', () => {
    expect(examples.some((e) => e.name.startsWith('packages/widgets/README.md'))).toBe(true)
  })

  it.each(examples)('$name passes in light and dark, forced or preferred', ({ name, css }) => {
    const rules = parseCss(css)
    expect(rules.some((r) => Object.keys(r.declarations).length > 0)).toBe(true)
    const found = CASES.flatMap((c) =>
      failures(effectiveTokens(rules, defaults, c), `${name}, theme="${c.theme}", prefers ${c.prefers}`),
    )
    expect(found).toEqual([])
  })

  it('catches a failing example: an accent alone leaves the dark accent text at 3.24:1', () => {
    const rules = parseCss('token-claim { --tokentags-accent: #0f766e; }')
    const dark = effectiveTokens(rules, defaults, { theme: 'dark', prefers: 'light' })
    expect(failures(dark, 'x')).toContain('x: accent-text #111827 on accent #0f766e is 3.24:1 (needs 4.5:1)')
    // and the media query and attribute selectors are read as a browser would
    const scoped = parseCss(
      "@media (prefers-color-scheme: dark) { token-claim:not([theme='light']) { --tokentags-accent: #5eead4; } }",
    )
    expect(effectiveTokens(scoped, defaults, { theme: 'auto', prefers: 'dark' }).accent).toBe('#5eead4')
    expect(effectiveTokens(scoped, defaults, { theme: 'light', prefers: 'dark' }).accent).toBe('#4f46e5')
    expect(effectiveTokens(scoped, defaults, { theme: 'auto', prefers: 'light' }).accent).toBe('#4f46e5')
  })
})

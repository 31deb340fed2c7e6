import { css } from 'lit'

// Dark defaults, used by `theme="dark"` and by `auto` when the page prefers dark.
const dark = css`
  --_accent: var(--tokentags-accent, #818cf8);
  --_accent-text: var(--tokentags-accent-text, #111827);
  --_background: var(--tokentags-background, #111827);
  --_text: var(--tokentags-text, #f9fafb);
  --_muted: var(--tokentags-muted, #d1d5db);
  --_border: var(--tokentags-border, #374151);
  --_danger: var(--tokentags-danger, #fca5a5);
  --_success: var(--tokentags-success, #6ee7b7);
  --_focus: var(--tokentags-focus, var(--_accent));
  color-scheme: dark;
`

/**
 * Theme tokens shared by every widget. Public `--tokentags-*` properties feed private
 * `--_*` variables on `:host`; everything lives in the `tokentags` cascade layer so a
 * page's own rules win without specificity fights. `theme="light|dark"` forces a scheme,
 * `auto` (the default) follows `prefers-color-scheme`.
 */
export const baseStyles = css`
  @layer tokentags {
    :host {
      --_accent: var(--tokentags-accent, #4f46e5);
      --_accent-text: var(--tokentags-accent-text, #ffffff);
      --_background: var(--tokentags-background, #ffffff);
      --_text: var(--tokentags-text, #111827);
      --_muted: var(--tokentags-muted, #4b5563);
      --_border: var(--tokentags-border, #d1d5db);
      --_danger: var(--tokentags-danger, #b91c1c);
      --_success: var(--tokentags-success, #047857);
      --_focus: var(--tokentags-focus, var(--_accent));
      --_radius: var(--tokentags-radius, 12px);
      --_font: var(--tokentags-font, inherit);
      --_font-size: var(--tokentags-font-size, 1em);
      --_space: var(--tokentags-spacing, 1rem);

      display: block;
      box-sizing: border-box;
      color-scheme: light;
      font-family: var(--_font);
      font-size: var(--_font-size);
      color: var(--_text);
      line-height: 1.4;
    }

    :host([theme='dark']) {
      ${dark}
    }

    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'])) {
        ${dark}
      }
    }

    :host([hidden]) {
      display: none;
    }

    *,
    *::before,
    *::after {
      box-sizing: inherit;
    }

    /* While a language's words load: keep the box, show (and announce) nothing yet. */
    .pending {
      visibility: hidden;
    }

    button {
      font: inherit;
      cursor: pointer;
    }

    button:focus-visible,
    a:focus-visible {
      outline: 3px solid var(--_focus);
      outline-offset: 2px;
    }

    a {
      color: var(--_accent);
    }

    @media (prefers-reduced-motion: reduce) {
      *,
      *::before,
      *::after {
        animation: none !important;
        transition: none !important;
      }
    }
  }
`

import { css } from 'lit'

/**
 * Theme tokens shared by every widget. Public `--tokentags-*` properties feed
 * private `--_*` variables on `:host`; everything lives in the `tokentags`
 * cascade layer so a page's own rules win without specificity fights.
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
      --_radius: var(--tokentags-radius, 12px);
      --_font: var(--tokentags-font, inherit);

      display: block;
      box-sizing: border-box;
      color-scheme: light dark;
      font-family: var(--_font);
      color: var(--_text);
      line-height: 1.4;
    }

    @media (prefers-color-scheme: dark) {
      :host {
        --_accent: var(--tokentags-accent, #818cf8);
        --_accent-text: var(--tokentags-accent-text, #111827);
        --_background: var(--tokentags-background, #111827);
        --_text: var(--tokentags-text, #f9fafb);
        --_muted: var(--tokentags-muted, #d1d5db);
        --_border: var(--tokentags-border, #374151);
        --_danger: var(--tokentags-danger, #fca5a5);
        --_success: var(--tokentags-success, #6ee7b7);
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

    button {
      font: inherit;
      cursor: pointer;
    }

    button:focus-visible,
    a:focus-visible {
      outline: 3px solid var(--_accent);
      outline-offset: 2px;
    }

    a {
      color: var(--_accent);
    }
  }
`

import { css } from 'lit'
import { cardStyles } from '../internal/card.styles.js'

/** The card, plus the vesting progress bar only a claim draws. */
export const tokenClaimStyles = [
  ...cardStyles,
  css`
    @layer tokentags {
      progress {
        width: 100%;
        height: 0.5rem;
        appearance: none;
        border: none;
        border-radius: 999px;
        overflow: hidden;
        background: var(--_border);
        accent-color: var(--_accent);
      }

      progress::-webkit-progress-bar {
        background: var(--_border);
      }

      progress::-webkit-progress-value {
        background: var(--_accent);
      }

      progress::-moz-progress-bar {
        background: var(--_accent);
      }
    }
  `,
]

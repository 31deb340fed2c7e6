import { css } from 'lit'
import { amountCardStyles } from '../internal/amount-card.styles.js'

/**
 * `<token-buy>`'s look: the amount card and the sale's facts. (`<token-tip>` takes `tipStyles`, so neither bundle
 * carries the other's rules.)
 */
export const tokenTipStyles = [
  ...amountCardStyles,
  css`
    @layer tokentags {
      .facts {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.25rem 0.75rem;
        margin: 0;
        font-size: 0.875em;
      }

      .facts dt {
        color: var(--_muted);
      }

      .facts dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
    }
  `,
]

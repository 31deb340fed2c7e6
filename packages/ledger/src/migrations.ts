/** One schema change; applied once, in version order, recorded in `schema_migrations`. */
export interface Migration {
  version: number
  name: string
  sql: string
}

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'requests and stages',
    sql: `
CREATE TABLE ledger_requests (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('evm', 'solana')),
  site text,
  chain text,
  sender text,
  target text,
  selector text,
  function_name text,
  status text NOT NULL,
  status_rank smallint NOT NULL,
  code text,
  gas numeric(78, 0),
  lamports numeric(78, 0),
  fee numeric(78, 0),
  tx_hash text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  confirmed_at timestamptz
);
CREATE INDEX ledger_requests_created ON ledger_requests (created_at, id);
CREATE INDEX ledger_requests_site_created ON ledger_requests (site, created_at);
CREATE TABLE ledger_stages (
  request_id text NOT NULL,
  stage text NOT NULL CHECK (stage IN ('received', 'refused', 'admitted', 'simulated', 'batched', 'submitted',
    'replaced', 'confirmed', 'failed', 'settled')),
  seq integer NOT NULL DEFAULT 0,
  at timestamptz NOT NULL,
  detail jsonb,
  PRIMARY KEY (request_id, stage, seq)
);
`,
  },
  {
    version: 2,
    name: 'widget funnel',
    sql: `
CREATE TABLE ledger_funnel (
  site text NOT NULL,
  day date NOT NULL,
  widget text NOT NULL CHECK (widget IN ('claim', 'tip', 'buy')),
  kind text NOT NULL CHECK (kind IN ('view', 'connect', 'submit', 'success', 'error')),
  code text NOT NULL DEFAULT '',
  count bigint NOT NULL,
  PRIMARY KEY (site, day, widget, kind, code)
);
CREATE INDEX ledger_funnel_day ON ledger_funnel (day, site);
CREATE TABLE ledger_funnel_batches (
  id text PRIMARY KEY,
  at timestamptz NOT NULL
);
CREATE INDEX ledger_funnel_batches_at ON ledger_funnel_batches (at);
`,
  },
  {
    version: 3,
    name: 'retention: daily aggregates',
    sql: `
CREATE TABLE ledger_daily (
  day date NOT NULL,
  site text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('evm', 'solana')),
  chain text NOT NULL,
  status text NOT NULL,
  requests integer NOT NULL,
  timed integer NOT NULL,
  gas numeric(78, 0) NOT NULL,
  lamports numeric(78, 0) NOT NULL,
  fee numeric(78, 0) NOT NULL,
  p50_confirm_ms double precision,
  p95_confirm_ms double precision,
  PRIMARY KEY (day, site, kind, chain, status)
);
CREATE TABLE ledger_daily_refusals (
  day date NOT NULL,
  site text NOT NULL,
  kind text NOT NULL,
  chain text NOT NULL,
  code text NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (day, site, kind, chain, code)
);
CREATE TABLE ledger_retention (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  pruned_before timestamptz NOT NULL
);
`,
  },
]

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
]

export { CSV_COLUMNS, csvField, csvRow, requestsCsv } from './csv.js'
export type { SqlClient, SqlDriver } from './driver.js'
export { MIGRATIONS, type Migration } from './migrations.js'
export { type OpenLedgerOptions, openLedger } from './open.js'
export { createPgliteLedger, type PgliteLedgerOptions } from './pglite.js'
export { createPostgresLedger, type PostgresLedgerOptions, redactUrl } from './postgres.js'
export { retentionCutoff, utcDayStart } from './retention.js'
export { InvalidStageEventError, migrate, SqlLedger } from './sqlLedger.js'
export {
  FUNNEL_KINDS,
  FUNNEL_WIDGETS,
  type FunnelBatch,
  type FunnelCount,
  type FunnelErrorCount,
  type FunnelFilter,
  type FunnelKind,
  type FunnelRow,
  type FunnelWidget,
  type HistoryRow,
  LEDGER_STATUSES,
  type Ledger,
  type LedgerEntry,
  type LedgerFilter,
  type LedgerKind,
  type LedgerRequest,
  type LedgerStage,
  type LedgerStageRow,
  type LedgerStatus,
  LedgerUnavailableError,
  type PruneResult,
  type RefusalCount,
  type RequestTimeline,
  STAGES,
  type StageEvent,
} from './types.js'

import type { RedisKeyLayout } from './keyLayout.js'
import type { StoredRequest } from './records.js'
import type { RedisDriver } from './redisDriver.js'

/** What every Redis adapter of one `Stores` shares: the driver, its key layout, the request change feed. */
export interface RedisContext {
  driver: RedisDriver
  kind: string
  keys: RedisKeyLayout
  /** Runs a script in one slot: `base` is the tagged prefix its dynamic keys are built from (ARGV[1]). */
  run(script: string, declared: readonly string[], base: string, ...args: (string | number)[]): Promise<unknown>
  /** Tells this instance's subscribers of a change it made (others see it by polling). */
  emit(record: StoredRequest): void
}

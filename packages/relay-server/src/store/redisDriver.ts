/**
 * The one thing the shared Redis logic needs from a client: run a Lua script with its keys
 * declared (a cluster client routes the script to the node serving their slot).
 */
export interface RedisDriver {
  /**
   * `replicate`: a write that must outlive its master (an accepted request, a journaled
   * transaction) is answered only once a replica has it too, where the backend has replicas.
   */
  eval(
    script: string,
    keys: readonly string[],
    args: readonly (string | number)[],
    options?: { replicate?: boolean },
  ): Promise<unknown>
  close(): Promise<void>
}

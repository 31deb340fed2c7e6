/**
 * Runs `poll` every `intervalMs` while `active()` says there is something to watch: one run at a
 * time, errors left to the next run, never keeping the process alive. How subscriptions of the
 * Redis-backed stores see changes made by other instances.
 */
export function createPoller(poll: () => Promise<void>, intervalMs: number, active: () => boolean) {
  let timer: NodeJS.Timeout | undefined
  const schedule = (): void => {
    if (timer || !active()) return
    timer = setTimeout(() => {
      poll()
        .catch(() => {})
        .finally(() => {
          timer = undefined
          schedule()
        })
    }, intervalMs)
    timer.unref()
  }
  return {
    /** Starts polling if it is not running and there is something to watch. */
    schedule,
    stop(): void {
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}

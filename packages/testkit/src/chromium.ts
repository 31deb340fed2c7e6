import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Flags that keep Debian's chromium quiet on a machine with no network (see TOOLCHAIN.md). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

/** Debian's chromium: `CHROME_PATH` when set, else `chromium` on PATH. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROME_PATH
  if (fromEnv) return fromEnv
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = join(dir, name)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {}
    }
  }
  throw new Error("chromium not found: install Debian's chromium or set CHROME_PATH")
}

/** A relay configuration (file, environment or options) the relay refuses, naming the bad field. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

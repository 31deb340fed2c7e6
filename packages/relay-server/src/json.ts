/** `JSON.stringify` replacer that writes bigints as decimal strings (the API's integer encoding). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, jsonReplacer)
}

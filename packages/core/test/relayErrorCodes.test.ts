// The relay's error codes are documented where integrators read them: docs/interfaces.md, "Error codes", one table
// per group. Its tables and the list the relay's RelayError takes must say the same (a code added to one only fails).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { RELAY_ERROR_CODES, REQUEST_FAILURE_CODES } from '../src/protocol.js'

const FAILURES = 'final request'

/** The codes of each `#### \`group\`` table of the "Error codes" section, in order; the final-request table apart. */
function documentedCodes(markdown: string): Map<string, string[]> {
  const start = markdown.indexOf('\n### Error codes\n')
  if (start === -1) throw new Error('docs/interfaces.md has no "### Error codes" section')
  const end = markdown.slice(start + 1).search(/\n##{1,2} /)
  const section = end === -1 ? markdown.slice(start) : markdown.slice(start, start + 1 + end)
  const groups = new Map<string, string[]>()
  let group: string | undefined
  for (const line of section.split('\n')) {
    const heading = /^#### (?:`([a-z-]+)`|A final request)/.exec(line)
    if (heading) {
      group = heading[1] ?? FAILURES
      groups.set(group, [])
      continue
    }
    const row = /^\| `([A-Z][A-Z0-9_]*)` \|/.exec(line)
    if (row?.[1] && group) groups.get(group)?.push(row[1])
  }
  return groups
}

const doc = documentedCodes(
  readFileSync(fileURLToPath(new URL('../../../docs/interfaces.md', import.meta.url)), 'utf8'),
)

describe('error codes in docs/interfaces.md', () => {
  it('has a table per group of RELAY_ERROR_CODES, in the same order, and the final-request table', () => {
    expect([...doc.keys()]).toEqual([...Object.keys(RELAY_ERROR_CODES), FAILURES])
  })

  it.each(Object.entries(RELAY_ERROR_CODES))('group %s documents exactly its codes', (group, codes) => {
    expect(doc.get(group)).toEqual([...codes])
  })

  it('the final-request table documents exactly REQUEST_FAILURE_CODES', () => {
    expect(doc.get(FAILURES)).toEqual([...REQUEST_FAILURE_CODES])
  })
})

import { type ExtensionOptions, loadOptions, saveOptions } from '../options.js'

const form = document.querySelector<HTMLFormElement>('#options')
const saved = document.querySelector<HTMLOutputElement>('#saved')

function field(name: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const element = form?.elements.namedItem(name)
  if (!element) throw new TypeError(`options.html has no field ${name}`)
  return element as HTMLInputElement
}

async function fill(): Promise<void> {
  const options = await loadOptions()
  for (const key of [
    'relayUrl',
    'siteKey',
    'rpcUrl',
    'token',
    'amounts',
    'router',
    'gasless',
    'solanaRpcUrl',
    'solanaToken',
  ] as const) {
    field(key).value = options[key]
  }
  field('chainId').value = String(options.chainId)
  field('sites.x').value = options.sites.x.join('\n')
  field('sites.generic').value = options.sites.generic.join('\n')
}

form?.addEventListener('submit', async (event) => {
  event.preventDefault()
  const lines = (name: string) =>
    field(name)
      .value.split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
  const next: Partial<ExtensionOptions> = {
    relayUrl: field('relayUrl').value,
    siteKey: field('siteKey').value,
    chainId: Number(field('chainId').value),
    rpcUrl: field('rpcUrl').value,
    token: field('token').value,
    amounts: field('amounts').value,
    router: field('router').value,
    gasless: field('gasless').value as ExtensionOptions['gasless'],
    solanaRpcUrl: field('solanaRpcUrl').value,
    solanaToken: field('solanaToken').value,
    sites: { x: lines('sites.x'), generic: lines('sites.generic') },
  }
  await saveOptions(next)
  if (saved) saved.textContent = 'Saved.'
})

void fill()

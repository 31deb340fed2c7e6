// Service worker: writes the default options on install so the options page shows them.
import { DEFAULT_OPTIONS, OPTIONS_KEY } from './options.js'

chrome.runtime.onInstalled.addListener(async () => {
  const stored = await chrome.storage.local.get(OPTIONS_KEY)
  if (!stored[OPTIONS_KEY]) await chrome.storage.local.set({ [OPTIONS_KEY]: DEFAULT_OPTIONS })
})

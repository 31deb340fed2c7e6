import { defineElement } from '../internal/define-element.js'
import { TokenTagsConfig } from './tokentags-config.js'

defineElement('tokentags-config', TokenTagsConfig)

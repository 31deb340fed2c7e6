// Registers <tokentags-config> and <token-claim>; the type import types them in Vue templates.
import '@tokentags/widgets/define'
import type {} from '@tokentags/widgets/vue'
import { createApp } from 'vue'
import App from './App.vue'

createApp(App).mount('#app')

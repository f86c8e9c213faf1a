// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'

/** Imports that would make code depend on the wrong runtime, by the folder the code lives in. */
const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
})

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'dev-dist/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  // shared: schemas and protocol only; no DOM, no Node, no framework
  layer(['src/shared/**'], [
    { group: ['**/client/**', '**/server/**', '**/sw/**'], message: 'shared must not import a runtime folder' },
    { group: ['node:*', 'vue', 'pinia', 'dexie', 'fastify', 'better-sqlite3', 'pg'], message: 'shared is runtime-free' },
  ]),
  layer(['src/client/**'], [
    { group: ['**/server/**', '**/sw/**', 'fastify', 'better-sqlite3', 'pg', 'node:*'], message: 'the client imports only shared' },
  ]),
  layer(['src/client/pages/**', 'src/client/components/**', 'src/client/App.vue'], [
    { group: ['**/server/**', '**/sw/**', 'fastify', 'better-sqlite3', 'pg', 'node:*'], message: 'the client imports only shared' },
    { group: ['**/db/**', '**/db', 'dexie'], message: 'pages and components go through stores, never the database layer' },
  ]),
  layer(['src/server/**'], [
    { group: ['**/client/**', '**/sw/**', 'vue', 'dexie'], message: 'the server imports only shared' },
  ]),
  layer(['src/sw/**'], [
    { group: ['**/server/**', '**/client/**', 'node:*'], message: 'the service worker imports only shared' },
  ]),
)

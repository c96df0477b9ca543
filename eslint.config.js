// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import angular from 'angular-eslint';
import path from 'node:path';

import { dpopLabPlugin } from './eslint-rules.js';

const here = (file) => path.resolve(import.meta.dirname, file);
const ANGULAR = '@angular/.+';

/** What each part of the tree may import (eslint-rules.js). */
const importRules = {
  // @dpop-lab/angular's main entry: its lazy part (runtime/) loads through lazy-runtime.ts only.
  'projects/angular/src/**/*.ts': {
    root: here('projects/angular/src'),
    packages: `^(${ANGULAR}|rxjs|jose|idb|@dpop-lab/protocol)$`,
    forbidden: [here('projects/angular/src/public-api.ts')],
    why: '@dpop-lab/angular may import only @angular/*, rxjs, jose, idb and @dpop-lab/protocol.',
    valueImports: {
      packages: '^(jose|idb|@dpop-lab/protocol)$',
      except: here('projects/angular/src/lib/runtime'),
      why:
        'loaded on first use: only lib/runtime/ (through lib/lazy-runtime.ts) may import it; ' +
        'elsewhere `import type` only, or it joins the first page load.',
    },
    dynamicImport: {
      allowedIn: here('projects/angular/src/lib/lazy-runtime.ts'),
      why: 'the one loader of the part loaded on first use is lib/lazy-runtime.ts.',
    },
  },
  // /devtools loads with an app that uses withDpopDevtools(): no protocol, jose or idb either.
  'projects/angular/devtools/src/**/*.ts': {
    root: here('projects/angular/devtools/src'),
    packages: `^(${ANGULAR}|rxjs|@dpop-lab/angular|@dpop-lab/protocol)$`,
    forbidden: [here('projects/angular/devtools/src/public-api.ts')],
    why: '@dpop-lab/angular/devtools builds on the main entry, by name.',
    valueImports: {
      packages: '^(jose|idb|@dpop-lab/protocol)$',
      except: here('projects/angular/devtools/never'),
      why: 'devtools loads with the app: `import type` only.',
    },
  },
  'projects/angular/testing/src/**/*.ts': {
    root: here('projects/angular/testing/src'),
    packages: `^(${ANGULAR}|jose)$`,
    forbidden: [here('projects/angular/testing/src/public-api.ts')],
  },
  'projects/protocol/src/**/*.ts': {
    root: here('projects/protocol/src'),
    packages: '^(jose|node:.*)$',
    forbidden: [here('projects/protocol/src/public-api.ts')],
    why: '@dpop-lab/protocol is framework-free: jose and the platform (WebCrypto, fetch) only.',
  },
  'projects/protocol/conformance/src/**/*.ts': {
    root: here('projects/protocol/conformance/src'),
    packages: '^(jose|@dpop-lab/protocol|node:.*)$',
    forbidden: [here('projects/protocol/conformance/src/public-api.ts')],
    why: 'the self-test runs in a browser and in Node: jose and @dpop-lab/protocol only.',
  },
  // The lab app reaches the packages by name, never server/ or projects/ by path.
  'src/**/*.ts': {
    root: here('src'),
    why: 'import the packages by name (@dpop-lab/...); nothing in src/ reaches server/.',
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.angular/',
      'node_modules/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      '.data/',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [
      eslint.configs.recommended,
      ...tseslint.configs.recommended,
      ...tseslint.configs.stylistic,
      ...angular.configs.tsRecommended,
    ],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'app', style: 'camelCase' },
      ],
      '@angular-eslint/component-selector': [
        'error',
        { type: 'element', prefix: 'app', style: 'kebab-case' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...Object.entries(importRules).map(([files, options]) => ({
    files: [files],
    plugins: { 'dpop-lab': dpopLabPlugin },
    rules: { 'dpop-lab/imports': ['error', options] },
  })),
  {
    // Specs and test fixtures may use anything a test needs, but still no own barrel by path.
    files: ['projects/**/*.spec.ts', 'projects/angular/src/testing/**/*.ts'],
    rules: { 'dpop-lab/imports': 'off' },
  },
  {
    files: ['**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
    rules: {},
  },
);

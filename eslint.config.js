// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import angular from 'angular-eslint';
import path from 'node:path';

/**
 * src/app/dpop/ is the part teams copy: it may import only Angular, rxjs, jose, idb and files of
 * its own folder, so a copy compiles without anything else from this app.
 */
const DPOP_CORE = path.resolve(import.meta.dirname, 'src/app/dpop');
const DPOP_CORE_PACKAGES = /^(@angular\/[^/]+|rxjs|jose|idb)(\/|$)/;
const dpopBoundary = {
  meta: { type: 'problem', messages: { outside: '{{source}}: {{why}}' } },
  create(context) {
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string') return;
      let why = null;
      if (source.startsWith('.')) {
        const target = path.resolve(path.dirname(context.filename), source);
        if (target !== DPOP_CORE && !target.startsWith(DPOP_CORE + path.sep)) {
          why = 'src/app/dpop/ must not import files outside its folder (it is copied alone).';
        }
      } else if (!DPOP_CORE_PACKAGES.test(source)) {
        why = 'src/app/dpop/ may import only @angular/*, rxjs, jose and idb.';
      }
      if (why) context.report({ node: node.source, messageId: 'outside', data: { source, why } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
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
  {
    files: ['src/app/dpop/**/*.ts'],
    plugins: { 'dpop-lab': { rules: { 'dpop-boundary': dpopBoundary } } },
    rules: { 'dpop-lab/dpop-boundary': 'error' },
  },
  {
    files: ['**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
    rules: {},
  },
);

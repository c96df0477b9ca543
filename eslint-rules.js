// @ts-check
// The repository's own lint rules: what may import what. One rule, configured per folder in
// eslint.config.js, so the package boundaries and the lazy part of @dpop-lab/angular stay as
// designed when someone adds "just one import".
import path from 'node:path';

/**
 * @typedef {object} ImportRules
 * @property {string} [root] Relative imports must resolve inside this folder.
 * @property {string} [packages] A RegExp source: the only bare imports allowed.
 * @property {string[]} [forbidden] Paths (absolute) that no relative import may reach: a barrel.
 * @property {string} [why] Said with every finding.
 * @property {{ packages: string, except: string, why: string }} [valueImports] Bare imports that
 *   only `import type` may use, except in files under `except` (the part loaded on first use).
 * @property {{ allowedIn: string, why: string }} [dynamicImport] The one file that may `import()`.
 */

/** @type {import('eslint').Rule.RuleModule} */
const imports = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object', additionalProperties: true }],
    messages: { refused: '{{source}}: {{why}}' },
  },
  create(context) {
    /** @type {ImportRules} */
    const rules = context.options[0] ?? {};
    const file = context.filename;
    const report = (node, source, why) =>
      context.report({ node, messageId: 'refused', data: { source, why } });
    const typeOnly = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 &&
        node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string') return;
      if (node.type === 'ImportExpression' && rules.dynamicImport) {
        if (path.resolve(file) !== path.resolve(rules.dynamicImport.allowedIn)) {
          report(node.source, source, rules.dynamicImport.why);
        }
      }
      if (source.startsWith('.')) {
        const target = path.resolve(path.dirname(file), source).replace(/\.ts$/, '');
        if (rules.root && !(target + path.sep).startsWith(path.resolve(rules.root) + path.sep)) {
          report(
            node.source,
            source,
            `reaches outside ${path.relative(process.cwd(), rules.root)}/. ${rules.why ?? ''}`,
          );
        }
        const lazy = rules.valueImports;
        const theLoader = node.type === 'ImportExpression' && rules.dynamicImport;
        if (
          lazy &&
          !theLoader &&
          (target + path.sep).startsWith(path.resolve(lazy.except) + path.sep) &&
          !path.resolve(file).startsWith(path.resolve(lazy.except) + path.sep) &&
          !typeOnly(node)
        ) {
          report(node.source, source, lazy.why);
        }
        if (rules.forbidden?.some((barrel) => target === barrel.replace(/\.ts$/, ''))) {
          report(
            node.source,
            source,
            'a file of a package never imports its own barrel (public-api.ts): import the file that holds what you need.',
          );
        }
        return;
      }
      if (rules.packages && !new RegExp(rules.packages).test(source)) {
        report(node.source, source, rules.why ?? 'this import is not allowed here.');
      }
      const lazy = rules.valueImports;
      if (
        lazy &&
        new RegExp(lazy.packages).test(source) &&
        !path.resolve(file).startsWith(path.resolve(lazy.except) + path.sep) &&
        !typeOnly(node)
      ) {
        report(node.source, source, lazy.why);
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export const dpopLabPlugin = { rules: { imports } };

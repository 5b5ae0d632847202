import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const namedExports = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };
// One error base: its kind tells every front end how to show the error, and isCancellation() finds a cancel.
const batonErrors = [
  {
    selector: 'ClassDeclaration[superClass.name="Error"]',
    message: 'Extend BatonError (src/core/batonError.ts) with the kind that says how to show this error.',
  },
  {
    selector: 'NewExpression[callee.name="Error"] > Literal.arguments[value=/^Cancel/i]',
    message: 'A cancel is a CancellationError (src/core/batonError.ts): isCancellation() recognises it, a message does not.',
  },
];
// Trusted Markdown and command URIs in a webview turn quoted model or workspace text into live commands.
const untrustedMarkdown = {
  selector:
    'AssignmentExpression > MemberExpression.left[property.name=/^(isTrusted|supportHtml|enableCommandUris)$/], Property[key.name=/^(isTrusted|supportHtml|enableCommandUris)$/]',
  message: 'Baton never trusts Markdown, renders its HTML or enables command URIs: what it shows may quote the model or the workspace.',
};

// Messages quote model and workspace text, which a notification would render as live links.
const plainNotifications = {
  selector: 'MemberExpression[property.name=/^(show(Information|Warning|Error)Message|withProgress)$/]',
  message: 'Use src/host/notifications.ts (notify*, askModal, withProgressNotification): it makes quoted text inert.',
};
// One rule for commands: every one is in the table, and code names them by their constant.
const commandOutsideTable = {
  selector: "MemberExpression[object.property.name='commands'][property.name=/^register(TextEditor)?Command$/]",
  message:
    'Add the command to src/host/commands/commandTable.ts (its id to src/host/commandIds.ts and package.json): registerCommands.ts registers them all in one place.',
};
const bareCommandId = {
  selector: "CallExpression[callee.property.name='executeCommand'] > Literal.arguments:first-child[value=/^baton\\./]",
  message: "Name Baton's command by its constant in src/host/commandIds.ts (COMMANDS), not a bare string.",
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.vscode-test/**', 'sample-workspace/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**', 'webview/**', 'test/**'],
    rules: { 'no-restricted-syntax': ['error', namedExports] },
  },
  {
    files: ['src/**'],
    ignores: ['src/host/notifications.ts'],
    rules: { 'no-restricted-syntax': ['error', namedExports, ...batonErrors, plainNotifications, untrustedMarkdown, commandOutsideTable, bareCommandId] },
  },
  {
    files: ['src/host/commands/registerCommands.ts'],
    rules: { 'no-restricted-syntax': ['error', namedExports, ...batonErrors, plainNotifications, untrustedMarkdown, bareCommandId] },
  },
  {
    // The engine must run without VS Code (CLI, benchmarks, unit tests).
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core never imports vscode: go through src/core/ports.ts.' }] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

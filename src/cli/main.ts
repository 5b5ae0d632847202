import { runContext } from './contextCommand';
import { terminalText } from '../core/security/untrustedText';
import { USAGE, UsageError } from './usage';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const print = (text: string): void => void process.stdout.write(`${text}\n`);
  const printError = (text: string): void => void process.stderr.write(`${text}\n`);
  try {
    switch (command) {
      case 'context':
        return await runContext(rest, print, printError);
      case 'plan':
        // Loaded when used: the model client and its schemas would slow every `baton context` start.
        return await (await import('./planCommand')).runPlan(rest, print, printError);
      case 'journal':
        return await (await import('./journalCommand')).runJournal(rest, print);
      case 'mcp':
        return await (await import('./mcp/mcpCommand')).runMcp(rest, print, printError);
      case 'run':
        return await (await import('./run')).runRun(rest, print, printError);
      case 'review':
        return await (await import('./review')).runReview(rest, print, printError);
      case 'checkpoints':
        return await (await import('./checkpoints')).runCheckpoints(rest, print, printError);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        print(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (err) {
    // parseArgs reports unknown or malformed options with these codes.
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (err instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`baton: ${terminalText((err as Error).message)}\n\n${USAGE}`);
      return 2;
    }
    // An unexpected error can quote a file or a model answer: no escape sequence reaches the terminal.
    process.stderr.write(`baton: ${terminalText(String((err as Error).stack ?? err))}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

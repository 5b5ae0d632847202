// Which programming language a file is written in, decided by its extension alone: the engine
// classifies whole repositories, so reading file contents (shebangs, modelines) is not worth it.
export type LanguageId = 'python' | 'typescript' | 'tsx' | 'javascript' | 'go' | 'rust' | 'java' | 'c' | 'cpp' | 'csharp' | 'ruby' | 'php' | 'bash' | 'css';

const LANGUAGE_BY_EXTENSION: ReadonlyMap<string, LanguageId> = new Map<string, LanguageId>([
  ['py', 'python'],
  ['pyi', 'python'],
  ['ts', 'typescript'],
  ['mts', 'typescript'],
  ['cts', 'typescript'],
  ['tsx', 'tsx'],
  // The JavaScript grammar parses JSX too, so .jsx needs no grammar of its own.
  ['js', 'javascript'],
  ['jsx', 'javascript'],
  ['mjs', 'javascript'],
  ['cjs', 'javascript'],
  ['go', 'go'],
  ['rs', 'rust'],
  ['java', 'java'],
  // Headers are ambiguous between C and C++; both are parsed with the C++ grammar anyway.
  ['c', 'c'],
  ['h', 'c'],
  ['cc', 'cpp'],
  ['cpp', 'cpp'],
  ['cxx', 'cpp'],
  ['hpp', 'cpp'],
  ['hh', 'cpp'],
  ['hxx', 'cpp'],
  ['cs', 'csharp'],
  ['rb', 'ruby'],
  ['php', 'php'],
  ['sh', 'bash'],
  ['bash', 'bash'],
  ['css', 'css'],
]);

export function languageForPath(path: string): LanguageId | undefined {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  // A leading dot names a hidden file (".bashrc"), not an extension.
  if (dot <= slash + 1) return undefined;
  return LANGUAGE_BY_EXTENSION.get(path.slice(dot + 1).toLowerCase());
}

// What role a file plays in its project. Work usually lands in source; tests, docs and data are
// offered too, but only ahead of source when the task names them.
export type FileKind = 'source' | 'test' | 'docs' | 'config' | 'data';

const TEST_DIR = /(^|\/)(tests?|testing|__tests__|spec|specs|test_utils?)\//i;
const TEST_FILE = /(^|\/)(test_[^/]*|[^/]*_tests?\.[a-z]+|[^/]*\.(test|spec)\.[a-z]+|[^/]*Tests?\.(java|kt|cs|scala)|conftest\.py)$/;
const DOCS = /\.(md|mdx|rst|txt|adoc|org)$|(^|\/)(docs?|documentation|changelog\.d|changes)\//i;
const CONFIG = /\.(json|jsonc|ya?ml|toml|cfg|ini|conf|properties|lock|editorconfig|gitattributes)$|(^|\/)(\.[^/]+rc|Makefile|Dockerfile|setup\.cfg|tox\.ini|MANIFEST\.in)$/;
const SOURCE = /\.(py|pyi|pyx|js|jsx|mjs|cjs|ts|tsx|mts|cts|go|rs|java|kt|kts|scala|c|h|cc|cpp|cxx|hpp|hh|cs|rb|php|swift|m|mm|sh|bash|zsh|ps1|lua|dart|ex|exs|erl|hs|ml|clj|vue|svelte|sql|r|jl|pl|pm)$/i;

export function fileKind(path: string): FileKind {
  if (TEST_DIR.test(path) || TEST_FILE.test(path)) return SOURCE.test(path) ? 'test' : 'data';
  if (SOURCE.test(path)) return 'source';
  if (DOCS.test(path)) return 'docs';
  if (CONFIG.test(path)) return 'config';
  return 'data';
}
